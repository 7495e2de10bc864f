//! Existence checks of referenced rows before a write.
//!
//! Why not just let the foreign key fail: SQLite's foreign-key error does not say which key
//! failed, so the port's `MissingReference(field)` could only be reported on MySQL. Checked in
//! the same (serialised) transaction as the write; the foreign keys stay as the backstop.

use crate::errors::db_err;
use pos_domain::StoreError;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::BTreeSet;

/// `MissingReference(field)` unless a row of `E` has every id in `ids` (in `id_column`): one
/// query for any number of ids; none is trivially fine.
pub(crate) async fn ensure_all_exist<E>(
    conn: &DatabaseTransaction,
    id_column: E::Column,
    ids: impl IntoIterator<Item = i64>,
    field: &'static str,
) -> Result<(), StoreError>
where
    E: EntityTrait<Model: Send + Sync>,
{
    let wanted: BTreeSet<i64> = ids.into_iter().collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let found = E::find()
        .filter(id_column.is_in(wanted.iter().copied()))
        .count(conn)
        .await
        .map_err(db_err)?;
    if found == wanted.len() as u64 {
        Ok(())
    } else {
        Err(StoreError::MissingReference(field))
    }
}
