//! What moves on a stored purchase: paid and credited cents, returned units. Each change is
//! an increment in the database (`col = col + ?`), never a read-modify-write, so two changes
//! can never lose one another; the CHECKs on the tables refuse an overpayment or an
//! over-return even when a use case forgot to lock first (reported as `Backend`: a bug).

use crate::entities::{purchase_lines, purchases};
use crate::errors::db_err;
use pos_domain::ids::{PurchaseId, PurchaseLineId};
use pos_domain::quantity::Quantity;
use pos_domain::{Money, StoreError};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

/// `UPDATE table SET column = column + by WHERE id = ?`; `NotFound` when no row has the id.
/// sqlx connects to MySQL with `CLIENT_FOUND_ROWS`, so a matched row counts as affected even
/// when adding zero leaves it unchanged.
async fn increment<E: EntityTrait>(
    conn: &DatabaseTransaction,
    id_column: E::Column,
    id: i64,
    column: E::Column,
    by: i64,
) -> Result<(), StoreError> {
    let result = E::update_many()
        .col_expr(column, Expr::col(column).add(by))
        .filter(id_column.eq(id))
        .exec(conn)
        .await
        .map_err(db_err)?;
    if result.rows_affected == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub(crate) async fn add_payment(
    conn: &DatabaseTransaction,
    purchase: PurchaseId,
    amount: Money,
) -> Result<(), StoreError> {
    increment::<purchases::Entity>(
        conn,
        purchases::Column::Id,
        purchase.get(),
        purchases::Column::PaidCents,
        amount.minor_units(),
    )
    .await
}

pub(crate) async fn add_credit(
    conn: &DatabaseTransaction,
    purchase: PurchaseId,
    amount: Money,
) -> Result<(), StoreError> {
    increment::<purchases::Entity>(
        conn,
        purchases::Column::Id,
        purchase.get(),
        purchases::Column::CreditedCents,
        amount.minor_units(),
    )
    .await
}

pub(crate) async fn add_returned(
    conn: &DatabaseTransaction,
    line: PurchaseLineId,
    quantity: Quantity,
) -> Result<(), StoreError> {
    increment::<purchase_lines::Entity>(
        conn,
        purchase_lines::Column::Id,
        line.get(),
        purchase_lines::Column::ReturnedE3,
        quantity.thousandths(),
    )
    .await
}
