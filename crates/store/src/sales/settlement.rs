//! What moves on a stored sale: paid, credited and refunded cents, each line's returned units,
//! and the status. Amounts move by increments (see `increments`); the CHECKs refuse paying or
//! crediting past the total and returning more than was sold, whatever the callers do.

use crate::entities::{sale_lines, sales};
use crate::errors::db_err;
use crate::increments::{increment, increment_where};
use pos_domain::ids::{SaleId, SaleLineId};
use pos_domain::quantity::Quantity;
use pos_domain::sales::SaleStatus;
use pos_domain::{Money, StoreError};
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
    sale: SaleId,
    lines: &[(SaleLineId, Quantity)],
    credited: Money,
    refunded: Money,
    status: SaleStatus,
) -> Result<(), StoreError> {
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
    for (line, quantity) in lines {
        // Only a line of this sale: another sale's line id is `NotFound`, not a silent change.
        let of_sale = Condition::all()
            .add(L::Id.eq(line.get()))
            .add(L::SaleId.eq(sale.get()));
        increment_where::<sale_lines::Entity>(
            conn,
            of_sale,
            &[(L::ReturnedE3, quantity.thousandths())],
        )
        .await?;
    }
    Ok(())
}
