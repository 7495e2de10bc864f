use crate::MemoryTx;
use async_trait::async_trait;
use pos_domain::catalog::Product;
use pos_domain::error::StoreError;
use pos_domain::ids::{LotId, MovementId, ProductId, PurchaseLineId};
use pos_domain::inventory::{Lot, Movement, MovementFilter, NewLot, NewMovement};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, Order, Page};
use pos_domain::ports::{InventoryRepo, StockValue};
use pos_domain::quantity::Quantity;
use std::collections::BTreeMap;

impl MemoryTx {
    /// The product's lots, oldest first: by age, then id (as the SQL adapter orders them).
    fn lots_of(&self, product: ProductId) -> impl Iterator<Item = &Lot> {
        let mut lots: Vec<&Lot> = self
            .staged
            .lots
            .values()
            .filter(move |l| l.product_id == product)
            .collect();
        lots.sort_by_key(|l| (l.received_at, l.id));
        lots.into_iter()
    }
}

#[async_trait]
impl InventoryRepo for MemoryTx {
    async fn lock_products(&mut self, ids: &[ProductId]) -> Result<Vec<Product>, StoreError> {
        // The whole store is locked for the transaction's life already.
        let mut found: Vec<Product> = ids
            .iter()
            .filter_map(|id| self.staged.products.get(&id.get()).cloned())
            .collect();
        found.sort_by_key(|p| p.id);
        found.dedup_by_key(|p| p.id);
        Ok(found)
    }

    async fn open_lots(&mut self, product: ProductId) -> Result<Vec<Lot>, StoreError> {
        Ok(self
            .lots_of(product)
            .filter(|l| l.remaining > Quantity::ZERO)
            .cloned()
            .collect())
    }

    async fn product_lots(&mut self, product: ProductId) -> Result<Vec<Lot>, StoreError> {
        Ok(self.lots_of(product).cloned().collect())
    }

    async fn find_lot(&mut self, id: LotId) -> Result<Option<Lot>, StoreError> {
        Ok(self.staged.lots.get(&id.get()).cloned())
    }

    async fn lot_of_purchase_line(
        &mut self,
        line: PurchaseLineId,
    ) -> Result<Option<Lot>, StoreError> {
        Ok(self
            .staged
            .lots
            .values()
            .find(|l| l.purchase_line_id == Some(line))
            .cloned())
    }

    async fn insert_lot(&mut self, new: NewLot) -> Result<Lot, StoreError> {
        if !self.staged.products.contains_key(&new.product_id.get()) {
            return Err(StoreError::MissingReference("product_id"));
        }
        let lot = Lot {
            id: LotId::new(self.staged.next_id()),
            product_id: new.product_id,
            purchase_line_id: new.purchase_line_id,
            received: new.quantity,
            remaining: new.quantity,
            unit_cost: new.unit_cost,
            remaining_value: new
                .value()
                .map_err(|_| StoreError::OutOfRange("a lot's value"))?,
            received_at: new.received_at,
            location_id: new.location,
        };
        self.staged.lots.insert(lot.id.get(), lot.clone());
        Ok(lot)
    }

    async fn take_from_lot(
        &mut self,
        id: LotId,
        quantity: Quantity,
        value: Money,
    ) -> Result<(), StoreError> {
        let lot = self
            .staged
            .lots
            .get_mut(&id.get())
            .ok_or(StoreError::NotFound)?;
        if lot.remaining < quantity || lot.remaining_value < value {
            return Err(StoreError::Contention(format!(
                "lot {id} no longer holds {quantity}"
            )));
        }
        lot.remaining =
            Quantity::from_thousandths(lot.remaining.thousandths() - quantity.thousandths());
        lot.remaining_value =
            Money::from_minor_units(lot.remaining_value.minor_units() - value.minor_units());
        Ok(())
    }

    async fn return_to_lot(
        &mut self,
        id: LotId,
        quantity: Quantity,
        value: Money,
    ) -> Result<(), StoreError> {
        let lot = self
            .staged
            .lots
            .get_mut(&id.get())
            .ok_or(StoreError::NotFound)?;
        let remaining = lot.remaining.thousandths() + quantity.thousandths();
        if remaining > lot.received.thousandths() {
            return Err(StoreError::Contention(format!(
                "lot {id} cannot hold {quantity} more"
            )));
        }
        lot.remaining = Quantity::from_thousandths(remaining);
        lot.remaining_value =
            Money::from_minor_units(lot.remaining_value.minor_units() + value.minor_units());
        Ok(())
    }

    async fn set_stock(&mut self, product: ProductId, on_hand: Quantity) -> Result<(), StoreError> {
        let product = self
            .staged
            .products
            .get_mut(&product.get())
            .ok_or(StoreError::NotFound)?;
        product.stock_on_hand = on_hand;
        Ok(())
    }

    async fn last_unit_cost(&mut self, product: ProductId) -> Result<Option<Money>, StoreError> {
        // The lot made last (as the SQL adapter: highest id), whatever its FIFO age.
        Ok(self
            .lots_of(product)
            .max_by_key(|l| l.id)
            .map(|l| l.unit_cost))
    }

    async fn reorder_levels(
        &mut self,
        product: Option<ProductId>,
        location: Option<pos_domain::ids::LocationId>,
    ) -> Result<Vec<(ProductId, pos_domain::ids::LocationId, Quantity)>, StoreError> {
        Ok(self
            .staged
            .reorder_levels
            .iter()
            .filter(|((p, l), _)| {
                product.is_none_or(|x| x.get() == *p) && location.is_none_or(|x| x.get() == *l)
            })
            .map(|((p, l), q)| (ProductId::new(*p), pos_domain::ids::LocationId::new(*l), *q))
            .collect())
    }

    async fn set_reorder_level(
        &mut self,
        product: ProductId,
        location: pos_domain::ids::LocationId,
        level: Option<Quantity>,
    ) -> Result<(), StoreError> {
        if !self.staged.products.contains_key(&product.get()) {
            return Err(StoreError::MissingReference("product_id"));
        }
        let key = (product.get(), location.get());
        match level {
            Some(level) => self.staged.reorder_levels.insert(key, level),
            None => self.staged.reorder_levels.remove(&key),
        };
        Ok(())
    }

    async fn stock_values_at(
        &mut self,
        product: Option<ProductId>,
        locations: &[pos_domain::ids::LocationId],
    ) -> Result<Vec<StockValue>, StoreError> {
        let mut by_product: BTreeMap<ProductId, (i64, i64)> = BTreeMap::new();
        for lot in self
            .staged
            .lots
            .values()
            .filter(|l| product.is_none_or(|p| l.product_id == p))
            .filter(|l| locations.is_empty() || locations.contains(&l.location_id))
        {
            let sums = by_product.entry(lot.product_id).or_default();
            sums.0 += lot.remaining.thousandths();
            sums.1 += lot.remaining_value.minor_units();
        }
        Ok(by_product
            .into_iter()
            .map(|(product_id, (units, cents))| StockValue {
                product_id,
                on_hand: Quantity::from_thousandths(units),
                value: Money::from_minor_units(cents),
            })
            .collect())
    }

    async fn insert_movement(&mut self, movement: NewMovement) -> Result<Movement, StoreError> {
        let movement = Movement {
            id: MovementId::new(self.staged.next_id()),
            movement,
        };
        self.staged
            .movements
            .insert(movement.id.get(), movement.clone());
        Ok(movement)
    }

    async fn list_movements(
        &mut self,
        query: &ListQuery<MovementFilter, ()>,
    ) -> Result<Page<Movement>, StoreError> {
        let f = &query.filter;
        let mut rows: Vec<Movement> = self
            .staged
            .movements
            .values()
            .filter(|m| f.product_id.is_none_or(|p| m.movement.product_id == p))
            .filter(|m| f.kind.is_none_or(|k| m.movement.kind == k))
            .filter(|m| f.location.is_none_or(|l| m.movement.location == l))
            .filter(|m| f.from.is_none_or(|d| m.movement.day >= d))
            .filter(|m| f.to.is_none_or(|d| m.movement.day <= d))
            .cloned()
            .collect();
        rows.sort_by_key(|m| m.id);
        if query.order == Order::Desc {
            rows.reverse();
        }
        Ok(Page::slice(rows, query.page))
    }
}
