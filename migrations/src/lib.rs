//! The database schema, as ordered sea-orm-migration steps that run unchanged on MySQL/MariaDB
//! and SQLite.
//!
//! Encoding rules every migration follows, so both backends store the same exact values:
//! - money, quantities and percentages are `BIGINT` integers in fixed minor units (cents,
//!   thousandths, ten-thousandths of a percent): SQLite would read `DECIMAL` through `f64`;
//! - instants are `BIGINT` microseconds since the Unix epoch, UTC (see [`conventions::instant`]);
//! - on MySQL every table is InnoDB, `utf8mb4` with the binary collation `utf8mb4_bin`, so
//!   uniqueness and ordering compare strings exactly as SQLite's default `BINARY` collation does;
//! - calendar dates of the books are `INTEGER` Julian day numbers (see [`conventions::day`]).

pub use sea_orm_migration::prelude::*;

pub mod conventions;
mod m20261125_000001_foundation;
mod m20261125_000002_ledger;
mod m20261125_000003_purchasing;
mod m20261125_000004_sales;
mod m20261125_000005_reporting;
mod m20261125_000006_rollups;
mod m20261127_000007_integrity;
mod m20261128_000008_registers;
mod m20261128_000009_cash_sessions;
mod m20261128_000010_locations;
mod m20261128_000011_transfers;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_foundation::Migration),
            Box::new(m20261125_000002_ledger::Migration),
            Box::new(m20261125_000003_purchasing::Migration),
            Box::new(m20261125_000004_sales::Migration),
            Box::new(m20261125_000005_reporting::Migration),
            Box::new(m20261125_000006_rollups::Migration),
            Box::new(m20261127_000007_integrity::Migration),
            Box::new(m20261128_000008_registers::Migration),
            Box::new(m20261128_000009_cash_sessions::Migration),
            Box::new(m20261128_000010_locations::Migration),
            Box::new(m20261128_000011_transfers::Migration),
        ]
    }
}
