//! Products' stock: the row locks that serialise stock changes, the cached stock on hand, and
//! the value of what is in stock.

use crate::catalog::products::to_product;
use crate::entities::{lots, products};
use crate::errors::db_err;
use crate::sums::sum_i64;
use pos_domain::catalog::Product;
use pos_domain::ids::ProductId;
use pos_domain::ports::StockValue;
use pos_domain::quantity::Quantity;
use pos_domain::{Money, StoreError};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::BTreeSet;

use lots::Column as L;
use products::Column as P;

/// Locks the products (those that exist) and returns them by id. On MySQL `FOR UPDATE` with
/// `ORDER BY id` takes the row locks in ascending id order, so two use cases locking
/// overlapping sets queue instead of deadlocking; a second locker waits here until the first
/// commits and then reads the committed rows. SQLite drops the clause: its writer transaction
/// (`BEGIN IMMEDIATE`) is exclusive already.
pub(crate) async fn lock_products(
    conn: &DatabaseTransaction,
    ids: &[ProductId],
) -> Result<Vec<Product>, StoreError> {
    let ids: BTreeSet<i64> = ids.iter().map(|id| id.get()).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    products::Entity::find()
        .filter(P::Id.is_in(ids))
        .order_by_asc(P::Id)
        .lock_exclusive()
        .all(conn)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(to_product)
        .collect()
}

pub(crate) async fn set_stock(
    conn: &DatabaseTransaction,
    product: ProductId,
    on_hand: Quantity,
) -> Result<(), StoreError> {
    // Matched rows count as affected on MySQL too (sqlx sets CLIENT_FOUND_ROWS), so setting
    // the stock it already has is not mistaken for a missing product.
    let result = products::Entity::update_many()
        .col_expr(P::StockE3, Expr::value(on_hand.thousandths()))
        .filter(P::Id.eq(product.get()))
        .exec(conn)
        .await
        .map_err(db_err)?;
    if result.rows_affected == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Per product with lots: the units and value remaining, summed by the database in one
/// `GROUP BY` (exact past 2^31 on both backends, see `sums`).
pub(crate) async fn stock_values(
    conn: &DatabaseTransaction,
    product: Option<ProductId>,
    locations: &[pos_domain::ids::LocationId],
) -> Result<Vec<StockValue>, StoreError> {
    let backend = conn.get_database_backend();
    let mut select = lots::Entity::find()
        .select_only()
        .column(L::ProductId)
        .expr_as(sum_i64(backend, Expr::col(L::RemainingE3)), "on_hand")
        .expr_as(sum_i64(backend, Expr::col(L::RemainingValueCents)), "value");
    if let Some(product) = product {
        select = select.filter(L::ProductId.eq(product.get()));
    }
    if !locations.is_empty() {
        select = select.filter(L::LocationId.is_in(locations.iter().map(|l| l.get())));
    }
    let rows: Vec<(i64, i64, i64)> = select
        .group_by(L::ProductId)
        .order_by_asc(L::ProductId)
        .into_tuple()
        .all(conn)
        .await
        .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|(product, on_hand, value)| StockValue {
            product_id: ProductId::new(product),
            on_hand: Quantity::from_thousandths(on_hand),
            value: Money::from_minor_units(value),
        })
        .collect())
}
