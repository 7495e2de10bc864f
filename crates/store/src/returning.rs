//! `INSERT ... RETURNING`, where the database has it (SQLite, MariaDB 10.5+): the ids of a
//! multi-row insert, in row order, with the insert's own round trip.

use sea_orm::sea_query::InsertStatement;
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr};

/// Runs `insert` and returns the `column` (an auto-increment id) of each row it inserted, in
/// the order of its rows.
pub(crate) async fn insert_ids(
    conn: &DatabaseTransaction,
    insert: &InsertStatement,
    column: &str,
) -> Result<Vec<i64>, DbErr> {
    let mut statement = conn.get_database_backend().build(insert);
    statement.sql.push_str(" RETURNING ");
    statement.sql.push_str(column);
    let rows = conn.query_all_raw(statement).await?;
    rows.iter()
        .map(|row| row.try_get_by_index::<i64>(0))
        .collect()
}
