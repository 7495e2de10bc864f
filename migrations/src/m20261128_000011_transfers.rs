//! Transfers between locations, books per location and who works where.
//!
//! - `transfers` and `transfer_lines`: a move of products from one location to another, in
//!   steps (created, shipped, received in full or in part, cancelled before shipping). A line
//!   keeps what was asked for and, once shipped, what arrived and what was reported short; the
//!   rest is in transit.
//! - `transit_lots`: the units a shipment took from the source's lots, one row per lot taken
//!   from, with that lot's cost and FIFO age, until they are received or reported short. The
//!   in-transit account equals their remaining value.
//! - `journal_lines.location_id` and `inventory_movements.location_id`: where each line and
//!   each stock change belongs; everything so far belongs to the default store. `ledger_daily`
//!   is keyed per location too, so the books answer per store from the day sums.
//! - `user_locations`: the stores a user works at (none: every store, as before).
//! - `reorder_levels`: a product's reorder level at one location, beside its shop-wide one.

use crate::conventions::{
    add_column, foreign_key, id, index, instant, instant_null, rebuild, unique, with_table_options,
};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, integer, string_len, string_len_null};
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Transfers {
    Table,
    Id,
    FromLocationId,
    ToLocationId,
    Status,
    Note,
    CreatedBy,
    CreatedAt,
    ShippedAt,
    ClosedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum TransferLines {
    Table,
    Id,
    TransferId,
    LineNo,
    ProductId,
    QuantityE3,
    ReceivedE3,
    ShortE3,
}

#[derive(DeriveIden, Clone, Copy)]
enum TransitLots {
    Table,
    Id,
    TransferId,
    ProductId,
    OriginLotId,
    UnitCostCents,
    AgedAt,
    ShippedE3,
    RemainingE3,
    RemainingValueCents,
}

#[derive(DeriveIden, Clone, Copy)]
enum UserLocations {
    Table,
    UserId,
    LocationId,
}

#[derive(DeriveIden, Clone, Copy)]
enum ReorderLevels {
    Table,
    ProductId,
    LocationId,
    LevelE3,
}

#[derive(DeriveIden, Clone, Copy)]
enum Lots {
    Table,
    ProductId,
    LocationId,
    RemainingE3,
    RemainingValueCents,
}

#[derive(DeriveIden, Clone, Copy)]
enum JournalLines {
    Table,
    LocationId,
}

#[derive(DeriveIden, Clone, Copy)]
enum InventoryMovements {
    Table,
    LocationId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Locations {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Products {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

fn transfers() -> TableCreateStatement {
    use Transfers as T;
    Table::create()
        .table(T::Table)
        .col(id(T::Id))
        .col(big_integer(T::FromLocationId))
        .col(big_integer(T::ToLocationId))
        .col(string_len(T::Status, 20))
        .col(string_len_null(T::Note, 500))
        .col(big_integer(T::CreatedBy))
        .col(instant(T::CreatedAt))
        .col(instant_null(T::ShippedAt))
        .col(instant_null(T::ClosedAt))
        .col(instant(T::UpdatedAt))
        .check((
            "ck_transfers_status",
            Expr::col(T::Status).is_in([
                "created",
                "shipped",
                "partially_received",
                "received",
                "cancelled",
            ]),
        ))
        .check((
            "ck_transfers_two_places",
            Expr::col(T::FromLocationId).ne(Expr::col(T::ToLocationId)),
        ))
        .foreign_key(&mut foreign_key(
            "fk_transfers_from",
            (T::Table, T::FromLocationId),
            (Locations::Table, Locations::Id),
            ForeignKeyAction::Restrict,
        ))
        .foreign_key(&mut foreign_key(
            "fk_transfers_to",
            (T::Table, T::ToLocationId),
            (Locations::Table, Locations::Id),
            ForeignKeyAction::Restrict,
        ))
        .foreign_key(&mut foreign_key(
            "fk_transfers_created_by",
            (T::Table, T::CreatedBy),
            (Users::Table, Users::Id),
            ForeignKeyAction::Restrict,
        ))
        .take()
}

fn transfer_lines() -> TableCreateStatement {
    use TransferLines as L;
    Table::create()
        .table(L::Table)
        .col(id(L::Id))
        .col(big_integer(L::TransferId))
        .col(integer(L::LineNo))
        .col(big_integer(L::ProductId))
        .col(big_integer(L::QuantityE3))
        .col(big_integer(L::ReceivedE3).default(0))
        .col(big_integer(L::ShortE3).default(0))
        .check(("ck_transfer_lines_quantity", Expr::col(L::QuantityE3).gt(0)))
        // What arrived and what was reported short never exceed what was shipped.
        .check((
            "ck_transfer_lines_accounted",
            Expr::col(L::ReceivedE3)
                .gte(0)
                .and(Expr::col(L::ShortE3).gte(0))
                .and(
                    Expr::col(L::ReceivedE3)
                        .add(Expr::col(L::ShortE3))
                        .lte(Expr::col(L::QuantityE3)),
                ),
        ))
        .foreign_key(&mut foreign_key(
            "fk_transfer_lines_transfer",
            (L::Table, L::TransferId),
            (Transfers::Table, Transfers::Id),
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut foreign_key(
            "fk_transfer_lines_product",
            (L::Table, L::ProductId),
            (Products::Table, Products::Id),
            ForeignKeyAction::Restrict,
        ))
        .take()
}

fn transit_lots() -> TableCreateStatement {
    use TransitLots as L;
    Table::create()
        .table(L::Table)
        .col(id(L::Id))
        .col(big_integer(L::TransferId))
        .col(big_integer(L::ProductId))
        .col(big_integer(L::OriginLotId))
        .col(big_integer(L::UnitCostCents))
        .col(instant(L::AgedAt))
        .col(big_integer(L::ShippedE3))
        .col(big_integer(L::RemainingE3))
        .col(big_integer(L::RemainingValueCents))
        .check((
            "ck_transit_lots_remaining",
            Expr::col(L::RemainingE3)
                .gte(0)
                .and(Expr::col(L::RemainingE3).lte(Expr::col(L::ShippedE3)))
                .and(Expr::col(L::RemainingValueCents).gte(0)),
        ))
        .foreign_key(&mut foreign_key(
            "fk_transit_lots_transfer",
            (L::Table, L::TransferId),
            (Transfers::Table, Transfers::Id),
            ForeignKeyAction::Restrict,
        ))
        .take()
}

fn user_locations() -> TableCreateStatement {
    use UserLocations as U;
    Table::create()
        .table(U::Table)
        .col(big_integer(U::UserId))
        .col(big_integer(U::LocationId))
        .primary_key(Index::create().col(U::UserId).col(U::LocationId))
        .foreign_key(&mut foreign_key(
            "fk_user_locations_user",
            (U::Table, U::UserId),
            (Users::Table, Users::Id),
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut foreign_key(
            "fk_user_locations_location",
            (U::Table, U::LocationId),
            (Locations::Table, Locations::Id),
            ForeignKeyAction::Restrict,
        ))
        .take()
}

fn reorder_levels() -> TableCreateStatement {
    use ReorderLevels as R;
    Table::create()
        .table(R::Table)
        .col(big_integer(R::ProductId))
        .col(big_integer(R::LocationId))
        .col(big_integer(R::LevelE3))
        .primary_key(Index::create().col(R::ProductId).col(R::LocationId))
        .check(("ck_reorder_levels_level", Expr::col(R::LevelE3).gte(0)))
        .foreign_key(&mut foreign_key(
            "fk_reorder_levels_product",
            (R::Table, R::ProductId),
            (Products::Table, Products::Id),
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut foreign_key(
            "fk_reorder_levels_location",
            (R::Table, R::LocationId),
            (Locations::Table, Locations::Id),
            ForeignKeyAction::Restrict,
        ))
        .take()
}

/// The day sums keyed per location as well as per register (register 0: none).
fn ledger_daily(backend: DbBackend) -> String {
    let options = match backend {
        DbBackend::MySql => " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
        _ => "",
    };
    format!(
        "CREATE TABLE ledger_daily_l (day INTEGER NOT NULL, account_id BIGINT NOT NULL, \
         register_id BIGINT NOT NULL DEFAULT 0, location_id BIGINT NOT NULL DEFAULT 1, \
         debit_cents BIGINT NOT NULL DEFAULT 0, credit_cents BIGINT NOT NULL DEFAULT 0, \
         PRIMARY KEY (day, account_id, register_id, location_id)){options}"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let db = manager.get_connection();
        for table in [
            transfers(),
            transfer_lines(),
            transit_lots(),
            user_locations(),
            reorder_levels(),
        ] {
            manager
                .create_table(with_table_options(table, backend))
                .await?;
        }
        manager
            .create_index(unique(
                "ux_transfer_lines_product",
                TransferLines::Table,
                [TransferLines::TransferId, TransferLines::ProductId],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_transfers_status",
                Transfers::Table,
                [Transfers::Status, Transfers::Id],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_transit_lots_transfer",
                TransitLots::Table,
                [TransitLots::TransferId, TransitLots::ProductId],
            ))
            .await?;
        // What stock is where and what it is worth, summed from the index alone: with a
        // warehouse and stores a year leaves three times the lots, and the valuation, the
        // alerts and the integrity check sum them all (profiled on the demo year: the lots'
        // table scan was most of the valuation's 236 ms p95).
        manager
            .create_index(index(
                "ix_lots_stock",
                Lots::Table,
                [
                    Lots::ProductId,
                    Lots::LocationId,
                    Lots::RemainingE3,
                    Lots::RemainingValueCents,
                ],
            ))
            .await?;
        add_column(
            manager,
            JournalLines::Table,
            big_integer(JournalLines::LocationId).default(1).take(),
        )
        .await?;
        add_column(
            manager,
            InventoryMovements::Table,
            big_integer(InventoryMovements::LocationId)
                .default(1)
                .take(),
        )
        .await?;
        rebuild(
            db,
            backend,
            &[
                ledger_daily(backend),
                "INSERT INTO ledger_daily_l (day, account_id, register_id, location_id, \
                 debit_cents, credit_cents) SELECT day, account_id, register_id, 1, debit_cents, \
                 credit_cents FROM ledger_daily"
                    .to_owned(),
                "DROP TABLE ledger_daily".to_owned(),
                "ALTER TABLE ledger_daily_l RENAME TO ledger_daily".to_owned(),
            ],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let db = manager.get_connection();
        let options = match backend {
            DbBackend::MySql => " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
            _ => "",
        };
        rebuild(
            db,
            backend,
            &[
                format!(
                    "CREATE TABLE ledger_daily_r (day INTEGER NOT NULL, account_id BIGINT NOT \
                     NULL, register_id BIGINT NOT NULL DEFAULT 0, debit_cents BIGINT NOT NULL \
                     DEFAULT 0, credit_cents BIGINT NOT NULL DEFAULT 0, \
                     PRIMARY KEY (day, account_id, register_id)){options}"
                ),
                "INSERT INTO ledger_daily_r (day, account_id, register_id, debit_cents, \
                 credit_cents) SELECT day, account_id, register_id, SUM(debit_cents), \
                 SUM(credit_cents) FROM ledger_daily GROUP BY day, account_id, register_id"
                    .to_owned(),
                "DROP TABLE ledger_daily".to_owned(),
                "ALTER TABLE ledger_daily_r RENAME TO ledger_daily".to_owned(),
            ],
        )
        .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_lots_stock")
                    .table(Lots::Table)
                    .to_owned(),
            )
            .await?;
        for sql in [
            "ALTER TABLE inventory_movements DROP COLUMN location_id",
            "ALTER TABLE journal_lines DROP COLUMN location_id",
            "DROP TABLE reorder_levels",
            "DROP TABLE user_locations",
            "DROP TABLE transit_lots",
            "DROP TABLE transfer_lines",
            "DROP TABLE transfers",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
