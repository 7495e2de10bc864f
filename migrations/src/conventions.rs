//! Column and table conventions shared by every migration (see the crate docs for why).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

/// A `NOT NULL` instant column: microseconds since 1970-01-01T00:00:00Z in a `BIGINT`.
///
/// Why an integer rather than a date type: sea-orm's MySQL `timestamp` drops sub-seconds and
/// ends in 2038, `DATETIME(6)` would need a per-backend column type, and SQLite has no date type
/// at all (text whose format depends on the encoder). An integer round-trips
/// `time::OffsetDateTime` at microsecond precision exactly on both backends, sorts correctly
/// and compares with plain `<`/`>`. The adapter converts at the edge (pos-store `timestamps`).
pub fn instant<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().take()
}

/// A nullable [`instant`] column.
pub fn instant_null<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).big_integer().null().take()
}

/// Table options that only MySQL understands; SQLite's builder would emit them verbatim and
/// fail, so they are added per backend.
pub fn with_table_options(
    mut table: TableCreateStatement,
    backend: DbBackend,
) -> TableCreateStatement {
    if backend == DbBackend::MySql {
        table
            .engine("InnoDB")
            .character_set("utf8mb4")
            .collate("utf8mb4_bin");
    }
    table
}
