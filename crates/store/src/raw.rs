//! Plain SQL that runs unchanged on MySQL and SQLite: a statement, its rows, a column, an
//! insert's id. For the tables written without entities (cash sessions, transfers).

use crate::errors::{corrupt, db_err};
use pos_domain::StoreError;
use sea_orm::{ConnectionTrait, DatabaseTransaction, QueryResult, Statement, Value};

pub(crate) fn statement(conn: &DatabaseTransaction, sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(conn.get_database_backend(), sql, values)
}

pub(crate) async fn rows(
    conn: &DatabaseTransaction,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<QueryResult>, StoreError> {
    conn.query_all_raw(statement(conn, sql, values))
        .await
        .map_err(db_err)
}

pub(crate) fn get<T: sea_orm::TryGetable>(
    row: &QueryResult,
    column: &str,
) -> Result<T, StoreError> {
    row.try_get::<T>("", column).map_err(db_err)
}

/// Runs an `INSERT` and answers the id it gave.
pub(crate) async fn insert(
    conn: &DatabaseTransaction,
    sql: &str,
    values: Vec<Value>,
) -> Result<i64, StoreError> {
    let done = conn
        .execute_raw(statement(conn, sql, values))
        .await
        .map_err(db_err)?;
    i64::try_from(done.last_insert_id()).map_err(|e| corrupt("last insert id", e))
}

/// Runs a statement and answers how many rows it changed.
pub(crate) async fn execute(
    conn: &DatabaseTransaction,
    sql: &str,
    values: Vec<Value>,
) -> Result<u64, StoreError> {
    Ok(conn
        .execute_raw(statement(conn, sql, values))
        .await
        .map_err(db_err)?
        .rows_affected())
}

/// One page of `SELECT {columns} FROM {table} WHERE {filter} ORDER BY {order}`, and how many
/// rows match in all: two statements.
pub(crate) async fn page(
    conn: &DatabaseTransaction,
    (columns, table, filter, order): (&str, &str, &str, &str),
    values: Vec<Value>,
    page: pos_domain::paging::PageRequest,
) -> Result<(Vec<QueryResult>, u64), StoreError> {
    let total: i64 = rows(
        conn,
        &format!("SELECT COUNT(*) AS n FROM {table} WHERE {filter}"),
        values.clone(),
    )
    .await?
    .first()
    .map(|row| get(row, "n"))
    .transpose()?
    .unwrap_or(0);
    let mut paged = values;
    paged.push(i64::from(page.per_page()).into());
    paged.push(i64::try_from(page.offset()).unwrap_or(i64::MAX).into());
    let found = rows(
        conn,
        &format!("SELECT {columns} FROM {table} WHERE {filter} ORDER BY {order} LIMIT ? OFFSET ?"),
        paged,
    )
    .await?;
    Ok((found, u64::try_from(total).unwrap_or(0)))
}
