//! The integrity check's aggregates ([`IntegrityRepo`]), each summed by the database over all
//! the stored data in one query (two for the open dues), never row by row in Rust.
//!
//! Sums go through `sum_i64` (cast back to a `BIGINT` on MySQL, see `sums`); a sum over no rows
//! is NULL on both backends and read as 0.

use crate::entities::{inventory_movements, journal_lines, lots, products, purchases, sales};
use crate::errors::db_err;
use crate::sums::{sum_i64, sum_sql};
use crate::tx::SeaTx;
use async_trait::async_trait;
use pos_domain::ids::{EntryId, ProductId};
use pos_domain::integrity::StockAudit;
use pos_domain::ledger::Side;
use pos_domain::ports::IntegrityRepo;
use pos_domain::quantity::Quantity;
use pos_domain::{Money, StoreError};
use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, IntoColumnRef, JoinType, Order, Query, SelectStatement,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect,
};

use inventory_movements::Column as M;
use journal_lines::Column as J;
use lots::Column as L;
use products::Column as P;

#[async_trait]
impl IntegrityRepo for SeaTx {
    async fn unbalanced_entries(&mut self) -> Result<Vec<(EntryId, Money, Money)>, StoreError> {
        unbalanced_entries(self.conn()).await
    }

    async fn stock_audit(&mut self) -> Result<Vec<StockAudit>, StoreError> {
        stock_audit(self.conn()).await
    }

    async fn open_dues(&mut self) -> Result<(Money, Money), StoreError> {
        open_dues(self.conn()).await
    }

    async fn report_sums_drift(&mut self) -> Result<Vec<(time::Date, Money, Money)>, StoreError> {
        report_sums_drift(self.conn()).await
    }

    async fn ledger_sums_drift(&mut self) -> Result<Vec<(time::Date, Money, Money)>, StoreError> {
        ledger_sums_drift(self.conn()).await
    }
}

#[derive(FromQueryResult)]
struct DayDrift {
    day: i32,
    lines_total: i64,
    rollup_total: i64,
}

/// Days whose rollup (migration 6) differs from the sale lines in charged total or cost, either
/// way round: each side grouped by day, then compared.
async fn report_sums_drift(
    conn: &DatabaseTransaction,
) -> Result<Vec<(time::Date, Money, Money)>, StoreError> {
    let backend = conn.get_database_backend();
    let signed = |e: &str| sum_sql(backend, e);
    let sql = format!(
        "SELECT l.day AS day, l.total AS lines_total, COALESCE(r.total, 0) AS rollup_total \
         FROM (SELECT sale_date AS day, {t} AS total, {c} AS cost FROM sale_lines \
               GROUP BY sale_date) l \
         LEFT JOIN (SELECT period AS day, {t} AS total, {c} AS cost FROM sales_rollup \
               WHERE grain = 0 AND dim = 0 GROUP BY period) r ON r.day = l.day \
         WHERE r.day IS NULL OR r.total <> l.total OR r.cost <> l.cost \
         UNION ALL \
         SELECT r.period AS day, 0 AS lines_total, r.total_cents AS rollup_total \
         FROM sales_rollup r WHERE r.grain = 0 AND r.dim = 0 AND NOT EXISTS \
               (SELECT 1 FROM sale_lines l WHERE l.sale_date = r.period) \
         ORDER BY day",
        t = signed("total_cents"),
        c = signed("cost_cents"),
    );
    let rows = DayDrift::find_by_statement(sea_orm::Statement::from_string(backend, sql))
        .all(conn)
        .await
        .map_err(db_err)?;
    rows.into_iter()
        .map(|r| {
            Ok((
                crate::days::from_day(r.day)?,
                Money::from_minor_units(r.lines_total),
                Money::from_minor_units(r.rollup_total),
            ))
        })
        .collect()
}

/// `SUM(CASE WHEN side = 'debit|credit' THEN amount_cents ELSE 0 END)`: one side's total.
fn side_sum(backend: DbBackend, side: Side) -> Expr {
    let amount = Expr::case(
        Expr::col(J::Side).eq(side.as_str()),
        Expr::col(J::AmountCents),
    )
    .finally(0i64);
    sum_i64(backend, amount)
}

#[derive(FromQueryResult)]
struct EntrySums {
    entry_id: i64,
    debit: i64,
    credit: i64,
}

/// Entries whose lines' debits and credits differ, by entry id: one `GROUP BY` over the lines,
/// keeping the groups whose two sums differ.
async fn unbalanced_entries(
    conn: &DatabaseTransaction,
) -> Result<Vec<(EntryId, Money, Money)>, StoreError> {
    let backend = conn.get_database_backend();
    let rows = journal_lines::Entity::find()
        .select_only()
        .column(J::EntryId)
        .expr_as(side_sum(backend, Side::Debit), "debit")
        .expr_as(side_sum(backend, Side::Credit), "credit")
        .group_by(J::EntryId)
        .having(side_sum(backend, Side::Debit).ne(side_sum(backend, Side::Credit)))
        .order_by_asc(J::EntryId)
        .into_model::<EntrySums>()
        .all(conn)
        .await
        .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            (
                EntryId::new(row.entry_id),
                Money::from_minor_units(row.debit),
                Money::from_minor_units(row.credit),
            )
        })
        .collect())
}

#[derive(FromQueryResult)]
struct StockRow {
    id: i64,
    stock_e3: i64,
    in_lots: Option<i64>,
    logged: Option<i64>,
}

/// Every product with its cached stock, the sum of its lots' remaining units and the sum of
/// its logged changes, by id. The lots and the log are summed per product in derived tables
/// first and then left-joined, so neither multiplies the other's rows; a product without lots
/// or log gets NULL there, read as 0.
fn stock_audit_query(backend: DbBackend) -> SelectStatement {
    let (lot_sums, log_sums) = (Alias::new("lot_sums"), Alias::new("log_sums"));
    let (product_id, sum) = (Alias::new("product_id"), Alias::new("sum_e3"));
    let in_lots = Query::select()
        .column(L::ProductId)
        .expr_as(sum_i64(backend, Expr::col(L::RemainingE3)), sum.clone())
        .from(lots::Entity)
        .group_by_col(L::ProductId)
        .take();
    let change = Expr::col(M::AfterE3).sub(Expr::col(M::BeforeE3));
    let logged = Query::select()
        .column(M::ProductId)
        .expr_as(sum_i64(backend, change), sum.clone())
        .from(inventory_movements::Entity)
        .group_by_col(M::ProductId)
        .take();
    Query::select()
        .column((products::Entity, P::Id))
        .column((products::Entity, P::StockE3))
        .expr_as(Expr::col((lot_sums.clone(), sum.clone())), "in_lots")
        .expr_as(Expr::col((log_sums.clone(), sum)), "logged")
        .from(products::Entity)
        .join_subquery(
            JoinType::LeftJoin,
            in_lots,
            lot_sums.clone(),
            Expr::col((lot_sums, product_id.clone())).equals((products::Entity, P::Id)),
        )
        .join_subquery(
            JoinType::LeftJoin,
            logged,
            log_sums.clone(),
            Expr::col((log_sums, product_id)).equals((products::Entity, P::Id)),
        )
        .order_by((products::Entity, P::Id), Order::Asc)
        .take()
}

async fn stock_audit(conn: &DatabaseTransaction) -> Result<Vec<StockAudit>, StoreError> {
    let query = stock_audit_query(conn.get_database_backend());
    conn.query_all(&query)
        .await
        .map_err(db_err)?
        .iter()
        .map(|row| {
            let row = StockRow::from_query_result(row, "").map_err(db_err)?;
            Ok(StockAudit {
                product_id: ProductId::new(row.id),
                on_hand: Quantity::from_thousandths(row.stock_e3),
                in_lots: Quantity::from_thousandths(row.in_lots.unwrap_or(0)),
                logged_thousandths: row.logged.unwrap_or(0),
            })
        })
        .collect()
}

/// `SUM(total - paid - credited)`.
fn due<C: IntoColumnRef>(backend: DbBackend, total: C, paid: C, credited: C) -> Expr {
    let due = Expr::col(total)
        .sub(Expr::col(paid))
        .sub(Expr::col(credited));
    sum_i64(backend, due)
}

/// What customers owe on their sales (walk-in sales excluded) and what is owed on purchases:
/// the sums of total - paid - credited.
async fn open_dues(conn: &DatabaseTransaction) -> Result<(Money, Money), StoreError> {
    use purchases::Column as B;
    use sales::Column as S;
    let backend = conn.get_database_backend();
    let customers: Option<Option<i64>> = sales::Entity::find()
        .select_only()
        .expr_as(
            due(backend, S::TotalCents, S::PaidCents, S::CreditedCents),
            "due",
        )
        .filter(S::CustomerId.is_not_null())
        .into_tuple()
        .one(conn)
        .await
        .map_err(db_err)?;
    let suppliers: Option<Option<i64>> = purchases::Entity::find()
        .select_only()
        .expr_as(
            due(backend, B::TotalCents, B::PaidCents, B::CreditedCents),
            "due",
        )
        .into_tuple()
        .one(conn)
        .await
        .map_err(db_err)?;
    let money = |sum: Option<Option<i64>>| Money::from_minor_units(sum.flatten().unwrap_or(0));
    Ok((money(customers), money(suppliers)))
}

/// Days whose `ledger_daily` rows (migration 6) differ from the journal lines, per account in
/// debits or credits, either way round; reported as the day's debits on each side.
async fn ledger_sums_drift(
    conn: &DatabaseTransaction,
) -> Result<Vec<(time::Date, Money, Money)>, StoreError> {
    let backend = conn.get_database_backend();
    let signed = |e: &str| sum_sql(backend, e);
    let debit = signed("CASE WHEN side = 'debit' THEN amount_cents ELSE 0 END");
    let credit = signed("CASE WHEN side = 'credit' THEN amount_cents ELSE 0 END");
    // Summed over registers: each register keeps its own rows of a day (migration 8).
    let sum_debit = signed("debit_cents");
    let sum_credit = signed("credit_cents");
    let sql = format!(
        "SELECT j.day AS day, j.debit AS lines_total, COALESCE(d.debit_cents, 0) AS rollup_total \
         FROM (SELECT entry_date AS day, account_id, {debit} AS debit, {credit} AS credit \
               FROM journal_lines GROUP BY entry_date, account_id) j \
         LEFT JOIN (SELECT day, account_id, {sum_debit} AS debit_cents, \
               {sum_credit} AS credit_cents FROM ledger_daily GROUP BY day, account_id) d \
               ON d.day = j.day AND d.account_id = j.account_id \
         WHERE d.day IS NULL OR d.debit_cents <> j.debit OR d.credit_cents <> j.credit \
         UNION ALL \
         SELECT d.day AS day, 0 AS lines_total, d.debit_cents AS rollup_total \
         FROM ledger_daily d WHERE (d.debit_cents <> 0 OR d.credit_cents <> 0) AND NOT EXISTS \
               (SELECT 1 FROM journal_lines l WHERE l.entry_date = d.day \
                AND l.account_id = d.account_id) \
         ORDER BY day"
    );
    let rows = DayDrift::find_by_statement(sea_orm::Statement::from_string(backend, sql))
        .all(conn)
        .await
        .map_err(db_err)?;
    rows.into_iter()
        .map(|r| {
            Ok((
                crate::days::from_day(r.day)?,
                Money::from_minor_units(r.lines_total),
                Money::from_minor_units(r.rollup_total),
            ))
        })
        .collect()
}
