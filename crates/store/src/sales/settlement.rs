//! What moves on a stored sale: paid, credited and refunded cents, each line's returned units,
//! and the status. Amounts move by increments (see `increments`); the CHECKs refuse paying or
//! crediting past the total and returning more than was sold, whatever the callers do.

use crate::days::to_day;
use crate::entities::{sale_lines, sale_return_lines, sale_returns, sales};
use crate::errors::{db_err, missing_reference};
use crate::increments::{increment, increment_where};
use crate::timestamps::to_micros;
use pos_domain::ids::SaleId;
use pos_domain::sales::returns::NewSaleReturn;
use pos_domain::{Money, StoreError};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter};

use sale_lines::Column as L;
use sales::Column as S;

pub(crate) async fn add_payment(
    conn: &DatabaseTransaction,
    sale: SaleId,
    amount: Money,
) -> Result<(), StoreError> {
    increment::<sales::Entity>(conn, S::Id, sale.get(), S::PaidCents, amount.minor_units()).await
}

/// The header first, then the lines: the same order as a payment's lock on the sale, so a
/// return and a payment of one sale queue rather than deadlock on MySQL.
pub(crate) async fn record_return(
    conn: &DatabaseTransaction,
    r: &NewSaleReturn,
) -> Result<(), StoreError> {
    let (sale, credited, refunded, status) = (r.sale_id, r.credited, r.refunded, r.status);
    let header = sales::Entity::update_many()
        .col_expr(
            S::CreditedCents,
            Expr::col(S::CreditedCents).add(credited.minor_units()),
        )
        .col_expr(
            S::RefundedCents,
            Expr::col(S::RefundedCents).add(refunded.minor_units()),
        )
        .col_expr(S::Status, Expr::value(status.as_str()))
        .filter(S::Id.eq(sale.get()))
        .exec(conn)
        .await
        .map_err(db_err)?;
    // Matched rows count as affected on MySQL too (sqlx sets CLIENT_FOUND_ROWS).
    if header.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    for line in &r.lines {
        // Only a line of this sale: another sale's line id is `NotFound`, not a silent change.
        let of_sale = Condition::all()
            .add(L::Id.eq(line.sale_line_id.get()))
            .add(L::SaleId.eq(sale.get()));
        increment_where::<sale_lines::Entity>(
            conn,
            of_sale,
            &[(L::ReturnedE3, line.quantity.thousandths())],
        )
        .await?;
    }
    insert_return(conn, r).await
}

/// The dated record reports read.
async fn insert_return(conn: &DatabaseTransaction, r: &NewSaleReturn) -> Result<(), StoreError> {
    let sum = |f: fn(&pos_domain::sales::returns::ReturnedLine) -> Money| -> i64 {
        r.lines.iter().map(|l| f(l).minor_units()).sum()
    };
    let header = sale_returns::ActiveModel {
        id: NotSet,
        sale_id: Set(r.sale_id.get()),
        register_id: Set(r.register_id.get()),
        return_date: Set(to_day(r.date)),
        user_id: Set(r.user_id.get()),
        seller_id: Set(r.seller_id.get()),
        customer_id: Set(r.customer_id.map(|c| c.get())),
        refund_cents: Set(sum(|l| l.refund)),
        tax_cents: Set(sum(|l| l.tax)),
        cost_cents: Set(sum(|l| l.cost)),
        credited_cents: Set(r.credited.minor_units()),
        refunded_cents: Set(r.refunded.minor_units()),
        created_at: Set(to_micros(r.at)),
    };
    let id = sale_returns::Entity::insert(header)
        .exec(conn)
        .await
        .map_err(missing_reference)?
        .last_insert_id;
    let rows = r.lines.iter().map(|l| sale_return_lines::ActiveModel {
        id: NotSet,
        return_id: Set(id),
        sale_line_id: Set(l.sale_line_id.get()),
        product_id: Set(l.product_id.get()),
        tax_rate_e4: Set(l.tax_rate.map(|rate| rate.scaled())),
        quantity_e3: Set(l.quantity.thousandths()),
        refund_cents: Set(l.refund.minor_units()),
        tax_cents: Set(l.tax.minor_units()),
        cost_cents: Set(l.cost.minor_units()),
        restocked: Set(l.restocked),
    });
    if !r.lines.is_empty() {
        sale_return_lines::Entity::insert_many(rows)
            .exec_without_returning(conn)
            .await
            .map_err(missing_reference)?;
    }
    Ok(())
}
