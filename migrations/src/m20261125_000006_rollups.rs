//! Sales summed per day and per month, by what reports group on, kept up to date by every sale.
//!
//! Why: a report over a month of a busy shop groups ~100 000 sale lines, over a year a million;
//! no index makes that a few milliseconds. The rollup holds one row per (day or month, what,
//! key), so a month's report by product reads ~50 000 rows grouped already by day, and a year's
//! reads twelve monthly rows per product plus the days at the edges.
//!
//! `grain` is 0 for a day, 1 for a month (`period` is then the Julian day of its first day).
//! `dim` says what `k` is: 0 everything (`k` 0), 1 a product, 2 a seller, 3 a customer (`k` 0:
//! walk-in), 4 a tax rate in ten-thousandths of a percent (`k` -1: untaxed), 5 a payment
//! method taken at the counter (`total_cents` is what it took). `sales` counts the sales with a
//! line in the group, so it adds up over days and months.
//!
//! The books get the same treatment: `ledger_daily` holds each account's debits and credits per
//! day, kept by every posting, so the trial balance, the P&L and the financial reports sum a few
//! rows per account and day instead of every journal line.
//!
//! Rows for sales and entries made before this step are filled here from `sale_lines`,
//! `sale_payments` and `journal_lines`.

use crate::conventions::{index, with_table_options};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum InventoryMovements {
    Table,
    Kind,
    AtDay,
    ProductId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Sales {
    Table,
    CustomerId,
    TotalCents,
    PaidCents,
    CreditedCents,
}

/// Indexes on earlier tables for the reports that do not read the rollup: stock moved by
/// purchases, adjustments and returns over a range of days (sales' own movements come from the
/// rollup), and what customers owe, summed from the index alone.
fn indexes() -> Vec<IndexCreateStatement> {
    use InventoryMovements as M;
    use Sales as S;
    vec![
        index(
            "ix_inventory_movements_kind_day",
            M::Table,
            [M::Kind, M::AtDay, M::ProductId],
        ),
        index(
            "ix_sales_customer_dues",
            S::Table,
            [S::CustomerId, S::TotalCents, S::PaidCents, S::CreditedCents],
        ),
    ]
}

#[derive(DeriveIden, Clone, Copy)]
enum LedgerDaily {
    Table,
    Day,
    AccountId,
    DebitCents,
    CreditCents,
}

fn ledger_daily() -> TableCreateStatement {
    use LedgerDaily as D;
    Table::create()
        .table(D::Table)
        .col(ColumnDef::new(D::Day).integer().not_null())
        .col(ColumnDef::new(D::AccountId).big_integer().not_null())
        .col(
            ColumnDef::new(D::DebitCents)
                .big_integer()
                .not_null()
                .default(0),
        )
        .col(
            ColumnDef::new(D::CreditCents)
                .big_integer()
                .not_null()
                .default(0),
        )
        .primary_key(
            Index::create()
                .name("pk_ledger_daily")
                .col(D::Day)
                .col(D::AccountId),
        )
        .take()
}

const LEDGER_BACKFILL: &str = "INSERT INTO ledger_daily (day, account_id, debit_cents, credit_cents) \
     SELECT entry_date, account_id, \
     SUM(CASE WHEN side = 'debit' THEN amount_cents ELSE 0 END), \
     SUM(CASE WHEN side = 'credit' THEN amount_cents ELSE 0 END) \
     FROM journal_lines GROUP BY entry_date, account_id";

#[derive(DeriveIden, Clone, Copy)]
enum SalesRollup {
    Table,
    Grain,
    Dim,
    Period,
    K,
    Sales,
    LineCount,
    #[sea_orm(iden = "quantity_e3")]
    QuantityE3,
    TotalCents,
    TaxCents,
    DiscountCents,
    CostCents,
}

fn rollup() -> TableCreateStatement {
    use SalesRollup as R;
    let number = |c: R| ColumnDef::new(c).big_integer().not_null().default(0).take();
    Table::create()
        .table(R::Table)
        .col(ColumnDef::new(R::Grain).small_integer().not_null())
        .col(ColumnDef::new(R::Dim).small_integer().not_null())
        .col(ColumnDef::new(R::Period).integer().not_null())
        .col(ColumnDef::new(R::K).big_integer().not_null())
        .col(number(R::Sales))
        .col(number(R::LineCount))
        .col(number(R::QuantityE3))
        .col(number(R::TotalCents))
        .col(number(R::TaxCents))
        .col(number(R::DiscountCents))
        .col(number(R::CostCents))
        // Clustered in report order: one dimension's periods are one contiguous range.
        .primary_key(
            Index::create()
                .name("pk_sales_rollup")
                .col(R::Grain)
                .col(R::Dim)
                .col(R::Period)
                .col(R::K),
        )
        .take()
}

/// The daily rows of one dimension from the sale lines: `key` is the SQL of the key.
fn daily(dim: i32, key: &str) -> String {
    // A constant key groups by day alone (SQLite reads `GROUP BY 0` as a column position).
    let group = if dim == 0 {
        "sale_date".to_owned()
    } else {
        format!("sale_date, {key}")
    };
    format!(
        "INSERT INTO sales_rollup (grain, dim, period, k, sales, line_count, quantity_e3, \
         total_cents, tax_cents, discount_cents, cost_cents) \
         SELECT 0, {dim}, sale_date, {key}, COUNT(DISTINCT sale_id), COUNT(*), SUM(quantity_e3), \
         SUM(total_cents), SUM(tax_cents), SUM(line_discount_cents + order_discount_cents), \
         SUM(cost_cents) FROM sale_lines GROUP BY {group}"
    )
}

const DAILY_METHODS: &str = "INSERT INTO sales_rollup (grain, dim, period, k, sales, total_cents) \
     SELECT 0, 5, s.sale_date, p.method_id, COUNT(DISTINCT p.sale_id), SUM(p.amount_cents) \
     FROM sale_payments p JOIN sales s ON s.id = p.sale_id GROUP BY s.sale_date, p.method_id";

/// The first day of each month that has daily rows, as Julian days.
async fn months(manager: &SchemaManager<'_>) -> Result<Vec<(i32, i32)>, DbErr> {
    let backend = manager.get_database_backend();
    let rows = manager
        .get_connection()
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT DISTINCT period FROM sales_rollup WHERE grain = 0 ORDER BY period",
        ))
        .await?;
    let mut months: Vec<(i32, i32)> = Vec::new();
    for row in rows {
        let day: i32 = row.try_get_by_index(0)?;
        let date = time::Date::from_julian_day(day)
            .map_err(|e| DbErr::Migration(format!("day {day}: {e}")))?;
        let first = date.replace_day(1).unwrap_or(date).to_julian_day();
        let last = first + i32::from(date.month().length(date.year())) - 1;
        if months.last() != Some(&(first, last)) {
            months.push((first, last));
        }
    }
    Ok(months)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        for table in [rollup(), ledger_daily()] {
            manager
                .create_table(with_table_options(table, backend))
                .await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared(LEDGER_BACKFILL).await?;
        for sql in [
            daily(0, "0"),
            daily(1, "product_id"),
            daily(2, "user_id"),
            daily(3, "COALESCE(customer_id, 0)"),
            daily(4, "COALESCE(tax_rate_e4, -1)"),
            DAILY_METHODS.to_owned(),
        ] {
            db.execute_unprepared(&sql).await?;
        }
        for (first, last) in months(manager).await? {
            db.execute_unprepared(&format!(
                "INSERT INTO sales_rollup (grain, dim, period, k, sales, line_count, \
                 quantity_e3, total_cents, tax_cents, discount_cents, cost_cents) \
                 SELECT 1, dim, {first}, k, SUM(sales), SUM(line_count), SUM(quantity_e3), \
                 SUM(total_cents), SUM(tax_cents), SUM(discount_cents), SUM(cost_cents) \
                 FROM sales_rollup WHERE grain = 0 AND period BETWEEN {first} AND {last} \
                 GROUP BY dim, k"
            ))
            .await?;
        }
        for index in indexes() {
            manager.create_index(index).await?;
        }
        if backend == DbBackend::Sqlite {
            // Fresh statistics, so SQLite's planner picks the rollup's key for range scans.
            db.execute_unprepared("ANALYZE").await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_inventory_movements_kind_day")
                    .table(InventoryMovements::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_sales_customer_dues")
                    .table(Sales::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(LedgerDaily::Table).take())
            .await?;
        manager
            .drop_table(Table::drop().table(SalesRollup::Table).take())
            .await
    }
}
