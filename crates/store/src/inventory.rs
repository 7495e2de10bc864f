//! FIFO inventory ([`InventoryRepo`]): lots, the products' stock and the inventory log.
//!
//! A lot's remaining units and value only move through conditional updates that can neither
//! overdraw nor overfill it, and CHECK constraints back that up; the product's `stock_e3` is a cache of its
//! lots' remaining units, set by the use case after every change.

mod lots;
mod movements;
mod outgoing;
mod stock;

use crate::tx::SeaTx;
use async_trait::async_trait;
use pos_domain::catalog::Product;
use pos_domain::ids::{LotId, ProductId, PurchaseLineId};
use pos_domain::inventory::{Lot, Movement, MovementFilter, NewLot, NewMovement};
use pos_domain::paging::{ListQuery, Page};
use pos_domain::ports::{InventoryRepo, StockOut, StockValue};
use pos_domain::quantity::Quantity;
use pos_domain::{Money, StoreError};

#[async_trait]
impl InventoryRepo for SeaTx {
    async fn lock_products(&mut self, ids: &[ProductId]) -> Result<Vec<Product>, StoreError> {
        stock::lock_products(self.conn(), ids).await
    }

    async fn lock_stock(
        &mut self,
        ids: &[ProductId],
        location: pos_domain::ids::LocationId,
    ) -> Result<Vec<(Product, Vec<Lot>)>, StoreError> {
        outgoing::lock_stock(self.conn(), ids, location).await
    }

    async fn take_stock(&mut self, outs: &[StockOut]) -> Result<(), StoreError> {
        outgoing::take_stock(self.conn(), outs).await
    }

    async fn open_lots(&mut self, product: ProductId) -> Result<Vec<Lot>, StoreError> {
        lots::open(self.conn(), product).await
    }

    async fn product_lots(&mut self, product: ProductId) -> Result<Vec<Lot>, StoreError> {
        lots::of_product(self.conn(), product).await
    }

    async fn find_lot(&mut self, id: LotId) -> Result<Option<Lot>, StoreError> {
        lots::find(self.conn(), id).await
    }

    async fn lot_of_purchase_line(
        &mut self,
        line: PurchaseLineId,
    ) -> Result<Option<Lot>, StoreError> {
        lots::of_purchase_line(self.conn(), line).await
    }

    async fn insert_lot(&mut self, lot: NewLot) -> Result<Lot, StoreError> {
        lots::insert(self.conn(), lot).await
    }

    async fn take_from_lot(
        &mut self,
        lot: LotId,
        quantity: Quantity,
        value: Money,
    ) -> Result<(), StoreError> {
        lots::take(self.conn(), lot, quantity, value).await
    }

    async fn return_to_lot(
        &mut self,
        lot: LotId,
        quantity: Quantity,
        value: Money,
    ) -> Result<(), StoreError> {
        lots::put_back(self.conn(), lot, quantity, value).await
    }

    async fn set_stock(&mut self, product: ProductId, on_hand: Quantity) -> Result<(), StoreError> {
        stock::set_stock(self.conn(), product, on_hand).await
    }

    async fn last_unit_cost(&mut self, product: ProductId) -> Result<Option<Money>, StoreError> {
        lots::last_unit_cost(self.conn(), product).await
    }

    async fn reorder_levels(
        &mut self,
        product: Option<ProductId>,
        location: Option<pos_domain::ids::LocationId>,
    ) -> Result<Vec<(ProductId, pos_domain::ids::LocationId, Quantity)>, StoreError> {
        let mut sql =
            "SELECT product_id, location_id, level_e3 FROM reorder_levels WHERE 1 = 1".to_owned();
        let mut values: Vec<sea_orm::Value> = Vec::new();
        if let Some(product) = product {
            sql.push_str(" AND product_id = ?");
            values.push(product.get().into());
        }
        if let Some(location) = location {
            sql.push_str(" AND location_id = ?");
            values.push(location.get().into());
        }
        sql.push_str(" ORDER BY product_id, location_id");
        crate::raw::rows(self.conn(), &sql, values)
            .await?
            .iter()
            .map(|row| {
                Ok((
                    ProductId::new(crate::raw::get(row, "product_id")?),
                    pos_domain::ids::LocationId::new(crate::raw::get(row, "location_id")?),
                    Quantity::from_thousandths(crate::raw::get(row, "level_e3")?),
                ))
            })
            .collect()
    }

    async fn set_reorder_level(
        &mut self,
        product: ProductId,
        location: pos_domain::ids::LocationId,
        level: Option<Quantity>,
    ) -> Result<(), StoreError> {
        let conn = self.conn();
        let key: Vec<sea_orm::Value> = vec![product.get().into(), location.get().into()];
        crate::raw::execute(
            conn,
            "DELETE FROM reorder_levels WHERE product_id = ? AND location_id = ?",
            key.clone(),
        )
        .await?;
        if let Some(level) = level {
            let mut values = key;
            values.push(level.thousandths().into());
            crate::raw::execute(
                conn,
                "INSERT INTO reorder_levels (product_id, location_id, level_e3) VALUES (?, ?, ?)",
                values,
            )
            .await?;
        }
        Ok(())
    }

    async fn stock_values_at(
        &mut self,
        product: Option<ProductId>,
        locations: &[pos_domain::ids::LocationId],
    ) -> Result<Vec<StockValue>, StoreError> {
        stock::stock_values(self.conn(), product, locations).await
    }

    async fn insert_movement(&mut self, movement: NewMovement) -> Result<Movement, StoreError> {
        movements::insert(self.conn(), movement).await
    }

    async fn list_movements(
        &mut self,
        query: &ListQuery<MovementFilter, ()>,
    ) -> Result<Page<Movement>, StoreError> {
        movements::list(self.conn(), query).await
    }
}
