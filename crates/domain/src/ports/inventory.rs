use crate::catalog::Product;
use crate::error::StoreError;
use crate::ids::{LotId, ProductId, PurchaseLineId};
use crate::inventory::{Lot, Movement, MovementFilter, NewLot, NewMovement};
use crate::money::Money;
use crate::paging::{ListQuery, Page};
use crate::quantity::Quantity;
use async_trait::async_trait;

/// Units leaving a locked product's lots: the takes (from [`crate::inventory::allocate`]) and
/// the log entry, whose `before` is the locked stock and `after` what is left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockOut {
    pub takes: Vec<crate::inventory::Take>,
    pub movement: NewMovement,
}

/// The stock of one product: on hand and what its open lots are worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockValue {
    pub product_id: ProductId,
    pub on_hand: Quantity,
    /// The sum of the open lots' remaining values.
    pub value: Money,
}

/// Lots, stock and the inventory log.
///
/// Stock changes follow one protocol, inside one transaction: `lock_products` (every product
/// the use case touches, in one call), then read `open_lots`, then `insert_lot` /
/// `take_from_lot`, then `set_stock` to the new sum of the lots, then `insert_movement`.
/// Locking first is what makes concurrent purchases, adjustments and sales of one product
/// safe: on MySQL the rows are locked (`SELECT .. FOR UPDATE`, in ascending id order so two
/// use cases never deadlock on each other); on SQLite the writer transaction is already
/// exclusive.
#[async_trait]
pub trait InventoryRepo: Send {
    /// Locks and returns the products with these ids (those that exist), ordered by id.
    async fn lock_products(&mut self, ids: &[ProductId]) -> Result<Vec<Product>, StoreError>;

    /// [`Self::lock_products`] and each product's [`Self::open_lots`] at `location` (a sale
    /// takes only its store's lots). Adapters that can should do it in one round trip: a
    /// checkout needs both before anything else.
    async fn lock_stock(
        &mut self,
        ids: &[ProductId],
        location: crate::ids::LocationId,
    ) -> Result<Vec<(Product, Vec<Lot>)>, StoreError> {
        let products = self.lock_products(ids).await?;
        let mut out = Vec::with_capacity(products.len());
        for product in products {
            let mut lots = self.open_lots(product.id).await?;
            lots.retain(|l| l.location_id == location);
            out.push((product, lots));
        }
        Ok(out)
    }

    /// Applies units leaving locked products: every take ([`Self::take_from_lot`]), each
    /// product's stock set to its movement's `after`, and the movements logged. Adapters that
    /// can should batch it: a statement per kind of row, not per row.
    async fn take_stock(&mut self, outs: &[StockOut]) -> Result<(), StoreError> {
        for out in outs {
            for take in &out.takes {
                self.take_from_lot(take.lot_id, take.quantity, take.cost)
                    .await?;
            }
            self.set_stock(out.movement.product_id, out.movement.after)
                .await?;
            self.insert_movement(out.movement.clone()).await?;
        }
        Ok(())
    }

    /// The product's lots with units remaining, oldest (lowest id) first.
    async fn open_lots(&mut self, product: ProductId) -> Result<Vec<Lot>, StoreError>;

    /// Every lot of the product, oldest first, empty ones included.
    async fn product_lots(&mut self, product: ProductId) -> Result<Vec<Lot>, StoreError>;

    async fn find_lot(&mut self, id: LotId) -> Result<Option<Lot>, StoreError>;

    /// The lot a purchase line created.
    async fn lot_of_purchase_line(
        &mut self,
        line: PurchaseLineId,
    ) -> Result<Option<Lot>, StoreError>;

    /// Creates a lot with `remaining = received` and `remaining_value = lot.value()`.
    async fn insert_lot(&mut self, lot: NewLot) -> Result<Lot, StoreError>;

    /// Takes units and value out of a lot. Refuses (`Contention`) rather than let the lot go
    /// negative: the update is conditional on the lot still holding them.
    async fn take_from_lot(
        &mut self,
        lot: LotId,
        quantity: Quantity,
        value: Money,
    ) -> Result<(), StoreError>;

    /// Puts returned units and their cost back into the lot they left. Refuses (`Contention`)
    /// rather than let a lot hold more than it received.
    async fn return_to_lot(
        &mut self,
        lot: LotId,
        quantity: Quantity,
        value: Money,
    ) -> Result<(), StoreError>;

    /// Sets the product's cached stock on hand.
    async fn set_stock(&mut self, product: ProductId, on_hand: Quantity) -> Result<(), StoreError>;

    /// The reorder levels set per location: of one product (`Some`), or of every product at
    /// one location, by product then location.
    async fn reorder_levels(
        &mut self,
        product: Option<ProductId>,
        location: Option<crate::ids::LocationId>,
    ) -> Result<Vec<(ProductId, crate::ids::LocationId, Quantity)>, StoreError>;

    /// Sets a product's reorder level at a location (`None`: the shop-wide one applies again).
    async fn set_reorder_level(
        &mut self,
        product: ProductId,
        location: crate::ids::LocationId,
        level: Option<Quantity>,
    ) -> Result<(), StoreError>;

    /// The unit cost of the product's most recent lot.
    async fn last_unit_cost(&mut self, product: ProductId) -> Result<Option<Money>, StoreError>;

    /// Stock and lot value of every product that has lots, or just `product`, ordered by id.
    async fn stock_values(
        &mut self,
        product: Option<ProductId>,
    ) -> Result<Vec<StockValue>, StoreError> {
        self.stock_values_at(product, &[]).await
    }
    /// [`Self::stock_values`] of the lots at one of `locations` (empty: every location).
    async fn stock_values_at(
        &mut self,
        product: Option<ProductId>,
        locations: &[crate::ids::LocationId],
    ) -> Result<Vec<StockValue>, StoreError>;

    async fn insert_movement(&mut self, movement: NewMovement) -> Result<Movement, StoreError>;

    /// The inventory log in its sequence (id order; ascending or descending per the query).
    /// Ids, not times, are the sequence: a request stamps its time before it waits for a lock,
    /// so times can disagree with the order in which stock actually changed.
    async fn list_movements(
        &mut self,
        query: &ListQuery<MovementFilter, ()>,
    ) -> Result<Page<Movement>, StoreError>;
}
