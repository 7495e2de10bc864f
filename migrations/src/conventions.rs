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

/// A `BIGINT` auto-increment primary key. SQLite only auto-increments an `INTEGER PRIMARY KEY`,
/// which sea-query emits for this definition on SQLite; both are 64-bit.
pub fn id<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .take()
}

/// A `NOT NULL` calendar date: its Julian day number in an `INTEGER`.
///
/// Why: exact and the same on both backends (SQLite has no date type), sortable, and a range of
/// dates is a plain integer range. `time::Date` converts both ways without loss.
pub fn day<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).integer().not_null().take()
}

/// A named index over `columns`, in order.
pub fn index<I: IntoIden>(
    name: &str,
    table: impl IntoIden,
    columns: impl IntoIterator<Item = I>,
) -> IndexCreateStatement {
    let mut index = Index::create().name(name).table(table).take();
    for column in columns {
        index.col(column);
    }
    index
}

/// A named unique index over `columns`: the name is how errors are mapped back to a field.
pub fn unique<I: IntoIden>(
    name: &str,
    table: impl IntoIden,
    columns: impl IntoIterator<Item = I>,
) -> IndexCreateStatement {
    index(name, table, columns).unique().take()
}

/// A named foreign key; updates of referenced keys are always refused (ids never change).
pub fn foreign_key(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::Restrict)
        .take()
}

/// Adds `column` to an existing table.
pub async fn add_column(
    manager: &SchemaManager<'_>,
    table: impl IntoIden + Copy,
    column: ColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).add_column(column).take())
        .await
}

/// Runs the steps that rebuild a table under a new key. On SQLite they run as one batch on one
/// connection: a migration is not in a transaction there, and the pool's other connections may
/// hold an older schema.
pub async fn rebuild(
    db: &SchemaManagerConnection<'_>,
    backend: DbBackend,
    steps: &[String],
) -> Result<(), DbErr> {
    if backend == DbBackend::Sqlite {
        return db
            .execute_unprepared(&format!("BEGIN; {}; COMMIT;", steps.join("; ")))
            .await
            .map(|_| ());
    }
    for step in steps {
        db.execute_unprepared(step).await?;
    }
    Ok(())
}
