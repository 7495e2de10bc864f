//! The gapless sale-number sequence: the one row of `sale_counter`.
//!
//! Why not an auto-increment: MySQL hands out auto-increment values outside the transaction,
//! so a rolled-back sale would leave a hole in the invoice numbers. Updating the counter row
//! inside the sale's transaction gives the number back on rollback, and the row lock it takes
//! on MySQL makes a second sale wait until the first commits (then it reads the committed
//! value: an UPDATE always works on the latest version, whatever the isolation level). On
//! SQLite the writer transaction is exclusive already.

use crate::entities::sale_counter;
use crate::errors::db_err;
use pos_domain::StoreError;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect};

use sale_counter::Column as C;

/// The counter's only row, seeded by the migration.
const ROW: i64 = 1;

pub(crate) async fn next(conn: &DatabaseTransaction) -> Result<i64, StoreError> {
    let bumped = sale_counter::Entity::update_many()
        .col_expr(C::LastNumber, Expr::col(C::LastNumber).add(1))
        .filter(C::Id.eq(ROW))
        .exec(conn)
        .await
        .map_err(db_err)?;
    if bumped.rows_affected == 0 {
        return Err(StoreError::Backend(
            "the sale counter row is missing (the sales migration seeds it)".into(),
        ));
    }
    // Read in the same transaction, after our own update: the value we just wrote.
    sale_counter::Entity::find()
        .select_only()
        .column(C::LastNumber)
        .filter(C::Id.eq(ROW))
        .into_tuple::<i64>()
        .one(conn)
        .await
        .map_err(db_err)?
        .ok_or_else(|| StoreError::Backend("the sale counter row vanished".into()))
}
