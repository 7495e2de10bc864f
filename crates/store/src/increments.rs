//! Counters that only grow (paid, credited, refunded cents; returned units), moved by an
//! increment in the database (`col = col + ?`), never a read-modify-write, so two changes can
//! never lose one another. CHECK constraints keep them within their totals even when a use case
//! forgot to lock first (a violation is reported as `Backend`: a bug).

use crate::errors::db_err;
use pos_domain::StoreError;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter};

/// `UPDATE table SET column = column + by WHERE id = ?`; `NotFound` when no row has the id.
pub(crate) async fn increment<E: EntityTrait>(
    conn: &DatabaseTransaction,
    id_column: E::Column,
    id: i64,
    column: E::Column,
    by: i64,
) -> Result<(), StoreError> {
    increment_where::<E>(conn, id_column.eq(id).into(), &[(column, by)]).await
}

/// Adds each `(column, by)` to the rows matching `filter` in one UPDATE; `NotFound` when none
/// matches. sqlx connects to MySQL with `CLIENT_FOUND_ROWS`, so a matched row counts as
/// affected even when adding zero leaves it unchanged.
pub(crate) async fn increment_where<E: EntityTrait>(
    conn: &DatabaseTransaction,
    filter: Condition,
    changes: &[(E::Column, i64)],
) -> Result<(), StoreError> {
    let mut update = E::update_many().filter(filter);
    for (column, by) in changes {
        update = update.col_expr(*column, Expr::col(*column).add(*by));
    }
    let result = update.exec(conn).await.map_err(db_err)?;
    if result.rows_affected == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}
