//! Registers (tills) as the unit of concurrency at the counter.
//!
//! - `registers`: each till has a code, a name, an active flag and its own gapless invoice
//!   series (`last_number`, bumped in the sale's transaction, so a rolled-back sale gives its
//!   number back). Register 1, code `INV`, is the default: it takes over the one shop-wide
//!   counter (`sale_counter`, dropped here), so existing sales keep their numbers
//!   (`INV-000042`) and clients that name no register keep working.
//! - `sales.invoice_no`: the printed number, `{code}-{number:06}`, unique across the shop; a
//!   register's code never changes, so neither does a printed number.
//! - `ledger_daily` and `sales_rollup` gain `register_id` in their keys (0 in `ledger_daily`
//!   for postings made at no register), so two registers never add to the same row: sales on
//!   different tills that share no product never wait for each other. Reports sum over it.
//! - `static_version`: one row whose number every change of the chart of accounts, the payment
//!   methods or the tax rates increases, in the changing transaction. Instances cache that
//!   static data and check the number in the statement that takes an invoice number, so a sale
//!   is never priced with a stale tax rate however many instances there are.

use crate::conventions::{
    add_column, foreign_key, id, instant, rebuild, unique, with_table_options,
};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, big_integer_null, boolean, string_len};
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Registers {
    Table,
    Id,
    Code,
    Name,
    Active,
    LastNumber,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum StaticVersion {
    Table,
    Id,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum Sales {
    Table,
    RegisterId,
    InvoiceNo,
    Number,
}

#[derive(DeriveIden, Clone, Copy)]
enum SaleReturns {
    Table,
    RegisterId,
}

#[derive(DeriveIden, Clone, Copy)]
enum JournalEntries {
    Table,
    RegisterId,
}

/// The most registers a shop may have: every day row of the books and the rollup is kept per
/// register, and 100 registers of 20 years of days at the ceiling of an amount still sum within
/// 64 bits (see `pos_domain::register::MAX_REGISTERS`).
fn registers() -> TableCreateStatement {
    use Registers as R;
    Table::create()
        .table(R::Table)
        .col(id(R::Id))
        // Printed before every invoice number of the register; never changes.
        .col(string_len(R::Code, 8))
        .col(string_len(R::Name, 120))
        .col(boolean(R::Active).default(true))
        .col(big_integer(R::LastNumber).default(0))
        .col(instant(R::CreatedAt))
        .col(instant(R::UpdatedAt))
        .check(("ck_registers_last_nonneg", Expr::col(R::LastNumber).gte(0)))
        .take()
}

fn static_version() -> TableCreateStatement {
    Table::create()
        .table(StaticVersion::Table)
        .col(
            ColumnDef::new(StaticVersion::Id)
                .big_integer()
                .not_null()
                .primary_key(),
        )
        .col(big_integer(StaticVersion::Version).default(1))
        .check((
            "ck_static_version_one_row",
            Expr::col(StaticVersion::Id).eq(1),
        ))
        .take()
}

fn ledger_daily() -> String {
    "CREATE TABLE ledger_daily_r (day INTEGER NOT NULL, account_id BIGINT NOT NULL, \
     register_id BIGINT NOT NULL DEFAULT 0, debit_cents BIGINT NOT NULL DEFAULT 0, \
     credit_cents BIGINT NOT NULL DEFAULT 0, \
     PRIMARY KEY (day, account_id, register_id))"
        .to_owned()
}

fn rollup() -> String {
    "CREATE TABLE sales_rollup_r (grain SMALLINT NOT NULL, dim SMALLINT NOT NULL, \
     period INTEGER NOT NULL, k BIGINT NOT NULL, register_id BIGINT NOT NULL, \
     sales BIGINT NOT NULL DEFAULT 0, line_count BIGINT NOT NULL DEFAULT 0, \
     quantity_e3 BIGINT NOT NULL DEFAULT 0, total_cents BIGINT NOT NULL DEFAULT 0, \
     tax_cents BIGINT NOT NULL DEFAULT 0, discount_cents BIGINT NOT NULL DEFAULT 0, \
     cost_cents BIGINT NOT NULL DEFAULT 0, \
     PRIMARY KEY (grain, dim, period, k, register_id))"
        .to_owned()
}

fn mysql_options(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::MySql => " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
        _ => "",
    }
}

/// `INV-000042` for the sales made before registers: the default register's series.
fn invoice_of_number(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::MySql => {
            "UPDATE sales SET invoice_no = CONCAT('INV-', \
             CASE WHEN number < 1000000 THEN LPAD(number, 6, '0') ELSE number END)"
        }
        _ => "UPDATE sales SET invoice_no = 'INV-' || printf('%06d', number)",
    }
}

/// Runs the steps of a table rebuild: one by one on MySQL (each DDL commits anyway), as one
/// transaction in one batch on SQLite.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let db = manager.get_connection();
        for table in [registers(), static_version()] {
            manager
                .create_table(with_table_options(table, backend))
                .await?;
        }
        manager
            .create_index(unique(
                "ux_registers_code",
                Registers::Table,
                [Registers::Code],
            ))
            .await?;
        db.execute_unprepared(
            "INSERT INTO registers (id, code, name, active, last_number, created_at, updated_at) \
             SELECT 1, 'INV', 'Main register', 1, last_number, 0, 0 FROM sale_counter WHERE id = 1",
        )
        .await?;
        db.execute_unprepared("INSERT INTO static_version (id, version) VALUES (1, 1)")
            .await?;

        // Sales: the register and the printed number.
        add_column(
            manager,
            Sales::Table,
            big_integer(Sales::RegisterId).default(1).take(),
        )
        .await?;
        add_column(
            manager,
            Sales::Table,
            string_len(Sales::InvoiceNo, 32).default("").take(),
        )
        .await?;
        db.execute_unprepared(invoice_of_number(backend)).await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ux_sales_number")
                    .table(Sales::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique(
                "ux_sales_register_number",
                Sales::Table,
                [Sales::RegisterId, Sales::Number],
            ))
            .await?;
        manager
            .create_index(unique(
                "ux_sales_invoice_no",
                Sales::Table,
                [Sales::InvoiceNo],
            ))
            .await?;
        add_column(
            manager,
            SaleReturns::Table,
            big_integer(SaleReturns::RegisterId).default(1).take(),
        )
        .await?;
        add_column(
            manager,
            JournalEntries::Table,
            big_integer_null(JournalEntries::RegisterId),
        )
        .await?;
        if backend == DbBackend::MySql {
            // SQLite cannot add a foreign key to an existing table; there the register's row,
            // locked by the counter update in the same transaction, is the guarantee.
            for (table, name) in [
                (Sales::Table.into_iden(), "fk_sales_register_id"),
                (
                    SaleReturns::Table.into_iden(),
                    "fk_sale_returns_register_id",
                ),
                (
                    JournalEntries::Table.into_iden(),
                    "fk_journal_entries_register_id",
                ),
            ] {
                manager
                    .create_foreign_key(
                        foreign_key(
                            name,
                            (table, Sales::RegisterId),
                            (Registers::Table, Registers::Id),
                            ForeignKeyAction::Restrict,
                        )
                        .take(),
                    )
                    .await?;
            }
        }

        // The day rows, keyed per register: each table rebuilt under its own name. On SQLite
        // the steps of one table run as one batch on one connection (this migration is not in
        // a transaction there, and the pool's other connections may hold an older schema).
        let options = mysql_options(backend);
        rebuild(
            db,
            backend,
            &[
                format!("{}{options}", ledger_daily()),
                "INSERT INTO ledger_daily_r (day, account_id, register_id, debit_cents, \
                 credit_cents) SELECT day, account_id, 0, debit_cents, credit_cents \
                 FROM ledger_daily"
                    .to_owned(),
                "DROP TABLE ledger_daily".to_owned(),
                "ALTER TABLE ledger_daily_r RENAME TO ledger_daily".to_owned(),
            ],
        )
        .await?;
        rebuild(
            db,
            backend,
            &[
                format!("{}{options}", rollup()),
                "INSERT INTO sales_rollup_r (grain, dim, period, k, register_id, sales, \
                 line_count, quantity_e3, total_cents, tax_cents, discount_cents, cost_cents) \
                 SELECT grain, dim, period, k, 1, sales, line_count, quantity_e3, total_cents, \
                 tax_cents, discount_cents, cost_cents FROM sales_rollup"
                    .to_owned(),
                "DROP TABLE sales_rollup".to_owned(),
                "ALTER TABLE sales_rollup_r RENAME TO sales_rollup".to_owned(),
            ],
        )
        .await?;
        db.execute_unprepared("DROP TABLE sale_counter").await?;
        if backend == DbBackend::Sqlite {
            db.execute_unprepared("ANALYZE").await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let db = manager.get_connection();
        let others = db
            .query_one_raw(sea_orm_migration::sea_orm::Statement::from_string(
                backend,
                "SELECT COUNT(*) FROM sales WHERE register_id <> 1",
            ))
            .await?
            .map(|row| row.try_get_by_index::<i64>(0))
            .transpose()?
            .unwrap_or(0);
        if others > 0 {
            return Err(DbErr::Migration(format!(
                "{others} sales were made at registers other than the default: their invoice \
                 series cannot fold back into one counter"
            )));
        }
        let options = mysql_options(backend);
        db.execute_unprepared(&format!(
            "CREATE TABLE sale_counter (id BIGINT NOT NULL PRIMARY KEY, \
             last_number BIGINT NOT NULL, CONSTRAINT ck_sale_counter_one_row CHECK (id = 1), \
             CONSTRAINT ck_sale_counter_last_nonneg CHECK (last_number >= 0)){options}"
        ))
        .await?;
        db.execute_unprepared(
            "INSERT INTO sale_counter (id, last_number) SELECT 1, last_number FROM registers \
             WHERE id = 1",
        )
        .await?;
        rebuild(
            db,
            backend,
            &[
                format!(
                    "CREATE TABLE ledger_daily_o (day INTEGER NOT NULL, account_id BIGINT NOT NULL, \
                     debit_cents BIGINT NOT NULL DEFAULT 0, credit_cents BIGINT NOT NULL DEFAULT 0, \
                     PRIMARY KEY (day, account_id)){options}"
                ),
                "INSERT INTO ledger_daily_o (day, account_id, debit_cents, credit_cents) \
                 SELECT day, account_id, SUM(debit_cents), SUM(credit_cents) FROM ledger_daily \
                 GROUP BY day, account_id"
                    .to_owned(),
                "DROP TABLE ledger_daily".to_owned(),
                "ALTER TABLE ledger_daily_o RENAME TO ledger_daily".to_owned(),
            ],
        )
        .await?;
        rebuild(
            db,
            backend,
            &[
                format!(
                    "CREATE TABLE sales_rollup_o (grain SMALLINT NOT NULL, dim SMALLINT NOT NULL, \
                     period INTEGER NOT NULL, k BIGINT NOT NULL, sales BIGINT NOT NULL DEFAULT 0, \
                     line_count BIGINT NOT NULL DEFAULT 0, quantity_e3 BIGINT NOT NULL DEFAULT 0, \
                     total_cents BIGINT NOT NULL DEFAULT 0, tax_cents BIGINT NOT NULL DEFAULT 0, \
                     discount_cents BIGINT NOT NULL DEFAULT 0, cost_cents BIGINT NOT NULL DEFAULT 0, \
                     PRIMARY KEY (grain, dim, period, k)){options}"
                ),
                "INSERT INTO sales_rollup_o (grain, dim, period, k, sales, line_count, \
                 quantity_e3, total_cents, tax_cents, discount_cents, cost_cents) \
                 SELECT grain, dim, period, k, SUM(sales), SUM(line_count), SUM(quantity_e3), \
                 SUM(total_cents), SUM(tax_cents), SUM(discount_cents), SUM(cost_cents) \
                 FROM sales_rollup GROUP BY grain, dim, period, k"
                    .to_owned(),
                "DROP TABLE sales_rollup".to_owned(),
                "ALTER TABLE sales_rollup_o RENAME TO sales_rollup".to_owned(),
            ],
        )
        .await?;
        if backend == DbBackend::MySql {
            for (table, name) in [
                ("sales", "fk_sales_register_id"),
                ("sale_returns", "fk_sale_returns_register_id"),
                ("journal_entries", "fk_journal_entries_register_id"),
            ] {
                db.execute_unprepared(&format!("ALTER TABLE {table} DROP FOREIGN KEY {name}"))
                    .await?;
            }
        }
        for name in ["ux_sales_invoice_no", "ux_sales_register_number"] {
            manager
                .drop_index(Index::drop().name(name).table(Sales::Table).to_owned())
                .await?;
        }
        manager
            .create_index(unique("ux_sales_number", Sales::Table, [Sales::Number]))
            .await?;
        for (table, column) in [
            (Sales::Table.into_iden(), Sales::InvoiceNo.into_iden()),
            (Sales::Table.into_iden(), Sales::RegisterId.into_iden()),
            (
                SaleReturns::Table.into_iden(),
                SaleReturns::RegisterId.into_iden(),
            ),
            (
                JournalEntries::Table.into_iden(),
                JournalEntries::RegisterId.into_iden(),
            ),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).take())
                .await?;
        }
        for table in ["static_version", "registers"] {
            db.execute_unprepared(&format!("DROP TABLE {table}"))
                .await?;
        }
        Ok(())
    }
}
