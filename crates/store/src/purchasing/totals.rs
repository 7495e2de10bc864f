//! What was bought from a supplier, summed by the database (one aggregate query each).

use crate::entities::{purchase_lines, purchases};
use crate::errors::{corrupt, db_err};
use crate::sums::{count, sum_i64};
use pos_domain::ids::{ProductId, SupplierId};
use pos_domain::ports::{SuppliedProduct, SupplierTotals};
use pos_domain::quantity::Quantity;
use pos_domain::{Money, StoreError};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult, JoinType,
    QueryFilter, QueryOrder, QuerySelect, RelationDef,
};

use purchase_lines::Column as L;
use purchases::Column as P;

/// One supplier's purchases summed; the sums are NULL over no purchases.
#[derive(FromQueryResult)]
struct PurchaseSums {
    purchases: i64,
    total: Option<i64>,
    paid: Option<i64>,
    credited: Option<i64>,
}

pub(crate) async fn of_supplier(
    conn: &DatabaseTransaction,
    supplier: SupplierId,
) -> Result<SupplierTotals, StoreError> {
    let backend = conn.get_database_backend();
    let sums = purchases::Entity::find()
        .select_only()
        .expr_as(Func::count(Expr::col(P::Id)), "purchases")
        .expr_as(sum_i64(backend, Expr::col(P::TotalCents)), "total")
        .expr_as(sum_i64(backend, Expr::col(P::PaidCents)), "paid")
        .expr_as(sum_i64(backend, Expr::col(P::CreditedCents)), "credited")
        .filter(P::SupplierId.eq(supplier.get()))
        .into_model::<PurchaseSums>()
        .one(conn)
        .await
        .map_err(db_err)?
        .ok_or_else(|| StoreError::Backend("an aggregate query returned no row".into()))?;
    // Over no purchases the sums are NULL: zero.
    let total = sums.total.unwrap_or(0);
    let paid = sums.paid.unwrap_or(0);
    let credited = sums.credited.unwrap_or(0);
    let due = total
        .checked_sub(paid)
        .and_then(|rest| rest.checked_sub(credited))
        .ok_or_else(|| corrupt("supplier totals", "overflow"))?;
    Ok(SupplierTotals {
        purchases: count(sums.purchases)?,
        purchased: Money::from_minor_units(total),
        paid: Money::from_minor_units(paid),
        credited: Money::from_minor_units(credited),
        due: Money::from_minor_units(due),
    })
}

pub(crate) async fn supplied_products(
    conn: &DatabaseTransaction,
    supplier: SupplierId,
) -> Result<Vec<SuppliedProduct>, StoreError> {
    let backend = conn.get_database_backend();
    let purchase: RelationDef = purchase_lines::Entity::belongs_to(purchases::Entity)
        .from(L::PurchaseId)
        .to(P::Id)
        .into();
    // Qualified: both tables have a `total_cents`.
    let line = |column: L| Expr::col((purchase_lines::Entity, column));
    let rows: Vec<(i64, i64, i64, i64, i64)> = purchase_lines::Entity::find()
        .select_only()
        .column(L::ProductId)
        .expr_as(sum_i64(backend, line(L::QuantityE3)), "quantity")
        .expr_as(sum_i64(backend, line(L::ReturnedE3)), "returned")
        .expr_as(sum_i64(backend, line(L::TotalCents)), "total")
        .expr_as(Func::count_distinct(line(L::PurchaseId)), "purchases")
        .join(JoinType::InnerJoin, purchase)
        .filter(P::SupplierId.eq(supplier.get()))
        .group_by(L::ProductId)
        .order_by_asc(L::ProductId)
        .into_tuple()
        .all(conn)
        .await
        .map_err(db_err)?;
    rows.into_iter()
        .map(|(product, quantity, returned, total, purchases)| {
            Ok(SuppliedProduct {
                product_id: ProductId::new(product),
                quantity: Quantity::from_thousandths(quantity),
                returned: Quantity::from_thousandths(returned),
                total: Money::from_minor_units(total),
                purchases: count(purchases)?,
            })
        })
        .collect()
}
