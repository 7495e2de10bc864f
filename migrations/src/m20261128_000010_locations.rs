//! Locations: stores (they have registers and sell) and warehouses (they only hold stock).
//!
//! - `locations`: a code (spelled like a register's, never changed), a name, a kind, an
//!   address, an active flag and its own offset from UTC in minutes (NULL: the shop's). The
//!   default store, id 1 and code `MAIN`, is where everything before locations happened.
//! - `registers.location_id`: the store a register stands in; every register made so far
//!   stands in the default store.
//! - `lots.location_id`: where a lot's units are; every lot so far is at the default store. A
//!   sale takes only the lots of its register's store.

use crate::conventions::{add_column, foreign_key, id, instant, unique, with_table_options};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, boolean, integer_null, string_len, string_len_null};
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Locations {
    Table,
    Id,
    Code,
    Name,
    Kind,
    Address,
    Active,
    UtcOffsetMinutes,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Registers {
    Table,
    LocationId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Lots {
    Table,
    LocationId,
}

fn locations() -> TableCreateStatement {
    use Locations as L;
    Table::create()
        .table(L::Table)
        .col(id(L::Id))
        .col(string_len(L::Code, 8))
        .col(string_len(L::Name, 120))
        .col(string_len(L::Kind, 10))
        .col(string_len_null(L::Address, 500))
        .col(boolean(L::Active).default(true))
        .col(integer_null(L::UtcOffsetMinutes))
        .col(instant(L::CreatedAt))
        .col(instant(L::UpdatedAt))
        .check((
            "ck_locations_kind",
            Expr::col(L::Kind).is_in(["store", "warehouse"]),
        ))
        .check((
            "ck_locations_offset",
            Expr::col(L::UtcOffsetMinutes).between(-1499, 1499),
        ))
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let db = manager.get_connection();
        manager
            .create_table(with_table_options(locations(), backend))
            .await?;
        manager
            .create_index(unique(
                "ux_locations_code",
                Locations::Table,
                [Locations::Code],
            ))
            .await?;
        let now = time::OffsetDateTime::now_utc().unix_timestamp() * 1_000_000;
        db.execute_unprepared(&format!(
            "INSERT INTO locations (id, code, name, kind, active, created_at, updated_at) \
             VALUES (1, 'MAIN', 'Main store', 'store', 1, {now}, {now})"
        ))
        .await?;
        add_column(
            manager,
            Registers::Table,
            big_integer(Registers::LocationId).default(1).take(),
        )
        .await?;
        add_column(
            manager,
            Lots::Table,
            big_integer(Lots::LocationId).default(1).take(),
        )
        .await?;
        if backend == DbBackend::MySql {
            // SQLite cannot add a foreign key to an existing table; there the use case checks
            // the store exists and is one, in the same serialised transaction.
            manager
                .create_foreign_key(
                    foreign_key(
                        "fk_registers_location",
                        (Registers::Table, Registers::LocationId),
                        (Locations::Table, Locations::Id),
                        ForeignKeyAction::Restrict,
                    )
                    .take(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let db = manager.get_connection();
        if backend == DbBackend::MySql {
            db.execute_unprepared("ALTER TABLE registers DROP FOREIGN KEY fk_registers_location")
                .await?;
        }
        db.execute_unprepared("ALTER TABLE registers DROP COLUMN location_id")
            .await?;
        db.execute_unprepared("ALTER TABLE lots DROP COLUMN location_id")
            .await?;
        db.execute_unprepared("DROP TABLE locations").await?;
        Ok(())
    }
}
