//! What a customer bought, summed by the database (one aggregate query each, exact past 2^31
//! on both backends, see `sums`).

use crate::entities::{sale_lines, sales};
use crate::errors::{corrupt, db_err};
use crate::sums::{count, sum_i64};
use pos_domain::ids::{CustomerId, ProductId};
use pos_domain::ports::{CustomerTotals, PurchasedProduct};
use pos_domain::quantity::Quantity;
use pos_domain::{Money, StoreError};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult, JoinType,
    QueryFilter, QueryOrder, QuerySelect, RelationDef,
};

use sale_lines::Column as L;
use sales::Column as S;

/// One customer's sales summed; the sums are NULL over no sales.
#[derive(FromQueryResult)]
struct SaleSums {
    sales: i64,
    total: Option<i64>,
    paid: Option<i64>,
    credited: Option<i64>,
    refunded: Option<i64>,
}

pub(crate) async fn of_customer(
    conn: &DatabaseTransaction,
    customer: CustomerId,
) -> Result<CustomerTotals, StoreError> {
    let backend = conn.get_database_backend();
    let sums = sales::Entity::find()
        .select_only()
        .expr_as(Func::count(Expr::col(S::Id)), "sales")
        .expr_as(sum_i64(backend, Expr::col(S::TotalCents)), "total")
        .expr_as(sum_i64(backend, Expr::col(S::PaidCents)), "paid")
        .expr_as(sum_i64(backend, Expr::col(S::CreditedCents)), "credited")
        .expr_as(sum_i64(backend, Expr::col(S::RefundedCents)), "refunded")
        .filter(S::CustomerId.eq(customer.get()))
        .into_model::<SaleSums>()
        .one(conn)
        .await
        .map_err(db_err)?
        .ok_or_else(|| StoreError::Backend("an aggregate query returned no row".into()))?;
    // Over no sales the sums are NULL: zero.
    let total = sums.total.unwrap_or(0);
    let paid = sums.paid.unwrap_or(0);
    let credited = sums.credited.unwrap_or(0);
    let due = total
        .checked_sub(paid)
        .and_then(|rest| rest.checked_sub(credited))
        .ok_or_else(|| corrupt("customer totals", "overflow"))?;
    Ok(CustomerTotals {
        sales: count(sums.sales)?,
        total: Money::from_minor_units(total),
        paid: Money::from_minor_units(paid),
        credited: Money::from_minor_units(credited),
        refunded: Money::from_minor_units(sums.refunded.unwrap_or(0)),
        due: Money::from_minor_units(due),
    })
}

pub(crate) async fn purchased_products(
    conn: &DatabaseTransaction,
    customer: CustomerId,
) -> Result<Vec<PurchasedProduct>, StoreError> {
    let backend = conn.get_database_backend();
    let sale: RelationDef = sale_lines::Entity::belongs_to(sales::Entity)
        .from(L::SaleId)
        .to(S::Id)
        .into();
    // Qualified: both tables have a `total_cents`.
    let line = |column: L| Expr::col((sale_lines::Entity, column));
    let rows: Vec<(i64, i64, i64, i64, i64)> = sale_lines::Entity::find()
        .select_only()
        .column(L::ProductId)
        .expr_as(sum_i64(backend, line(L::QuantityE3)), "quantity")
        .expr_as(sum_i64(backend, line(L::ReturnedE3)), "returned")
        .expr_as(sum_i64(backend, line(L::TotalCents)), "total")
        .expr_as(Func::count_distinct(line(L::SaleId)), "sales")
        .join(JoinType::InnerJoin, sale)
        .filter(S::CustomerId.eq(customer.get()))
        .group_by(L::ProductId)
        .order_by_asc(L::ProductId)
        .into_tuple()
        .all(conn)
        .await
        .map_err(db_err)?;
    rows.into_iter()
        .map(|(product, quantity, returned, total, sales)| {
            Ok(PurchasedProduct {
                product_id: ProductId::new(product),
                quantity: Quantity::from_thousandths(quantity),
                returned: Quantity::from_thousandths(returned),
                total: Money::from_minor_units(total),
                sales: count(sales)?,
            })
        })
        .collect()
}
