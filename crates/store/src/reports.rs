//! The aggregates reports are built from ([`ReportRepo`]): each one grouped SQL query over an
//! index range (see migration 5 for the copied columns and the indexes that make them so).
//!
//! The statements are written as SQL text because they are plain `GROUP BY`s that read better
//! so than as builder chains; they run unchanged on both backends (`?` placeholders, no
//! backend-specific functions) except that MySQL's `SUM` of a `BIGINT` is a `DECIMAL`, which
//! [`sum`] casts back to a 64-bit integer.

use crate::days::{from_day, to_day};
use crate::errors::{corrupt, db_err};
use crate::rollup;
use crate::sums::{count, sum_sql};
use crate::tx::SeaTx;
use async_trait::async_trait;
use pos_domain::catalog::{Percent, ProductStatus};
use pos_domain::ids::{CustomerId, PaymentMethodId, ProductId, UserId};
use pos_domain::inventory::MovementKind;
use pos_domain::ports::{MethodTakings, ReportRepo};
use pos_domain::quantity::Quantity;
use pos_domain::reports::{
    GroupKey, Grouping, Period, ReturnFigures, SalesFigures, SalesScope, StockLevel,
};
use pos_domain::{Money, StoreError};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, FromQueryResult, Statement, Value};
use time::Date;

#[async_trait]
impl ReportRepo for SeaTx {
    async fn sales_by(
        &mut self,
        period: Period,
        scope: &SalesScope,
        by: Grouping,
    ) -> Result<Vec<(GroupKey, SalesFigures)>, StoreError> {
        sales_by(self.conn(), period, scope, by).await
    }

    async fn returns_by(
        &mut self,
        period: Period,
        scope: &SalesScope,
        by: Grouping,
    ) -> Result<Vec<(GroupKey, ReturnFigures)>, StoreError> {
        returns_by(self.conn(), period, scope, by).await
    }

    async fn counter_takings(&mut self, period: Period) -> Result<Vec<MethodTakings>, StoreError> {
        counter_takings(self.conn(), period).await
    }

    async fn stock_changes(
        &mut self,
        period: Period,
    ) -> Result<Vec<(ProductId, MovementKind, Quantity)>, StoreError> {
        stock_changes(self.conn(), period).await
    }

    async fn stock_changes_after(
        &mut self,
        day: Date,
    ) -> Result<Vec<(ProductId, Quantity)>, StoreError> {
        stock_changes_after(self.conn(), day).await
    }

    async fn stock_levels(&mut self, low_only: bool) -> Result<Vec<StockLevel>, StoreError> {
        stock_levels(self.conn(), low_only).await
    }

    async fn customer_names(
        &mut self,
        ids: &[CustomerId],
    ) -> Result<Vec<(CustomerId, String)>, StoreError> {
        customer_names(self.conn(), ids).await
    }

    async fn product_labels(
        &mut self,
        ids: &[ProductId],
    ) -> Result<Vec<(ProductId, String, String)>, StoreError> {
        product_labels(self.conn(), ids).await
    }

    async fn user_labels(
        &mut self,
        ids: &[UserId],
    ) -> Result<Vec<(UserId, String, String)>, StoreError> {
        user_labels(self.conn(), ids).await
    }

    async fn first_time_customers(&mut self, period: Period) -> Result<u64, StoreError> {
        first_time_customers(self.conn(), period).await
    }
}

/// `SUM(expr)` that decodes as `i64` on both backends; `0` over no rows.
fn sum(backend: DbBackend, expr: &str) -> String {
    format!("COALESCE({}, 0)", sum_sql(backend, expr))
}

/// A statement with `?` placeholders (both backends accept them).
fn statement(backend: DbBackend, sql: String, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(backend, sql, values)
}

fn period_values(period: Period) -> Vec<Value> {
    vec![to_day(period.from()).into(), to_day(period.to()).into()]
}

/// `IN (...)` over the registers that stand in the scope's locations.
fn registers_at(values: &mut Vec<Value>, scope: &SalesScope) -> String {
    values.extend(scope.locations.iter().map(|l| l.get().into()));
    format!(
        "(SELECT id FROM registers WHERE location_id IN ({}))",
        vec!["?"; scope.locations.len()].join(", ")
    )
}

/// Adds the scope's conditions on `seller` and `customer` columns, and on the register a row
/// was made at: `register` is a column holding it, or `sale_id` for the sale lines (whose sale
/// holds it).
fn scoped(
    sql: &mut String,
    values: &mut Vec<Value>,
    scope: &SalesScope,
    seller: &str,
    customer: &str,
    register: &str,
) {
    if let Some(user) = scope.seller {
        sql.push_str(&format!(" AND {seller} = ?"));
        values.push(user.get().into());
    }
    if let Some(c) = scope.customer {
        sql.push_str(&format!(" AND {customer} = ?"));
        values.push(c.get().into());
    }
    if !scope.locations.is_empty() {
        let registers = registers_at(values, scope);
        if register == "sale_id" {
            sql.push_str(&format!(
                " AND sale_id IN (SELECT id FROM sales WHERE register_id IN {registers})"
            ));
        } else {
            sql.push_str(&format!(" AND {register} IN {registers}"));
        }
    }
}

fn key(by: Grouping, raw: Option<i64>) -> Result<GroupKey, StoreError> {
    let required = || raw.ok_or_else(|| corrupt("report group", "NULL key"));
    Ok(match by {
        Grouping::Day => {
            let day = i32::try_from(required()?).map_err(|e| corrupt("day", e))?;
            GroupKey::Day(from_day(day)?)
        }
        Grouping::Product => GroupKey::Product(ProductId::new(required()?)),
        Grouping::Seller => GroupKey::Seller(UserId::new(required()?)),
        Grouping::Customer => GroupKey::Customer(raw.map(CustomerId::new)),
        Grouping::TaxRate => GroupKey::TaxRate(raw.map(Percent::from_scaled)),
    })
}

#[derive(FromQueryResult)]
struct SalesRow {
    k: Option<i64>,
    sales: i64,
    line_count: i64,
    quantity: i64,
    total: i64,
    tax: i64,
    discount: i64,
    cost: i64,
}

fn figures(r: SalesRow) -> Result<SalesFigures, StoreError> {
    Ok(SalesFigures {
        sales: count(r.sales)?,
        lines: count(r.line_count)?,
        quantity: Quantity::from_thousandths(r.quantity),
        total: Money::from_minor_units(r.total),
        tax: Money::from_minor_units(r.tax),
        discount: Money::from_minor_units(r.discount),
        cost: Money::from_minor_units(r.cost),
    })
}

/// From the rollup when it can answer (every report's question), else from the sale lines.
async fn sales_by(
    conn: &DatabaseTransaction,
    period: Period,
    scope: &SalesScope,
    by: Grouping,
) -> Result<Vec<(GroupKey, SalesFigures)>, StoreError> {
    match rollup::plan(scope, by) {
        Some(plan) => sales_from_rollup(conn, period, &plan, by, scope).await,
        None => sales_from_lines(conn, period, scope, by).await,
    }
}

/// `WHERE dim = ? AND (ranges) [AND k = ?]` over the rollup's primary key.
/// The rollup rows for a period: the `WHERE` (with its values) and the sign each row's sums
/// take, `1` or a `CASE` giving `-1` for rows taken away (see `rollup::signed_ranges`). The
/// sign's numbers are computed here, never user input, so they are written inline.
struct RollupRows {
    filter: String,
    values: Vec<Value>,
    sign: String,
}

fn rollup_filter(dim: rollup::Dim, period: Period, by_day: bool, only: Option<i64>) -> RollupRows {
    let mut values: Vec<Value> = vec![(dim as i64).into()];
    let signed = rollup::signed_ranges(period, by_day);
    let ranges: Vec<String> = signed
        .iter()
        .map(|(grain, first, last, _)| {
            values.extend([(*grain).into(), (*first).into(), (*last).into()]);
            "(grain = ? AND period BETWEEN ? AND ?)".to_owned()
        })
        .collect();
    let mut filter = format!("dim = ? AND ({})", ranges.join(" OR "));
    if let Some(k) = only {
        filter.push_str(" AND k = ?");
        values.push(k.into());
    }
    let minus: Vec<String> = signed
        .iter()
        .filter(|(.., sign)| *sign < 0)
        .map(|(grain, first, last, _)| {
            format!("(grain = {grain} AND period BETWEEN {first} AND {last})")
        })
        .collect();
    let sign = if minus.is_empty() {
        "1".to_owned()
    } else {
        format!("(CASE WHEN {} THEN -1 ELSE 1 END)", minus.join(" OR "))
    };
    RollupRows {
        filter,
        values,
        sign,
    }
}

async fn sales_from_rollup(
    conn: &DatabaseTransaction,
    period: Period,
    plan: &rollup::Plan,
    by: Grouping,
    scope: &SalesScope,
) -> Result<Vec<(GroupKey, SalesFigures)>, StoreError> {
    let b = conn.get_database_backend();
    let column = if plan.by_day { "period" } else { "k" };
    let RollupRows {
        mut filter,
        mut values,
        sign,
    } = rollup_filter(plan.dim, period, plan.by_day, plan.only);
    // The rollup is keyed per register: a store's rows are its registers'.
    if !scope.locations.is_empty() {
        let registers = registers_at(&mut values, scope);
        filter.push_str(&format!(" AND register_id IN {registers}"));
    }
    let signed = |c: &str| sum(b, &format!("{c} * {sign}"));
    let sql = format!(
        "SELECT {column} AS k, {} AS sales, {} AS line_count, {} AS quantity, {} AS total, \
         {} AS tax, {} AS discount, {} AS cost FROM sales_rollup WHERE {filter} \
         GROUP BY {column} HAVING {} <> 0 ORDER BY {column}",
        signed("sales"),
        signed("line_count"),
        signed("quantity_e3"),
        signed("total_cents"),
        signed("tax_cents"),
        signed("discount_cents"),
        signed("cost_cents"),
        signed("line_count"),
    );
    let rows = SalesRow::find_by_statement(statement(b, sql, values))
        .all(conn)
        .await
        .map_err(db_err)?;
    rows.into_iter()
        .map(|mut r| {
            // The rollup's stand-ins for "no customer" and "no tax rate".
            r.k = match (by, r.k) {
                (Grouping::Customer, Some(rollup::WALK_IN)) => None,
                (Grouping::TaxRate, Some(rollup::UNTAXED)) => None,
                (_, k) => k,
            };
            let key = key(by, r.k)?;
            Ok((key, figures(r)?))
        })
        .collect()
}

async fn sales_from_lines(
    conn: &DatabaseTransaction,
    period: Period,
    scope: &SalesScope,
    by: Grouping,
) -> Result<Vec<(GroupKey, SalesFigures)>, StoreError> {
    let b = conn.get_database_backend();
    let column = match by {
        Grouping::Day => "sale_date",
        Grouping::Product => "product_id",
        Grouping::Seller => "user_id",
        Grouping::Customer => "customer_id",
        Grouping::TaxRate => "tax_rate_e4",
    };
    let mut sql = format!(
        "SELECT {column} AS k, COUNT(DISTINCT sale_id) AS sales, COUNT(*) AS line_count, \
         {} AS quantity, {} AS total, {} AS tax, {} AS discount, {} AS cost \
         FROM sale_lines WHERE sale_date BETWEEN ? AND ?",
        sum(b, "quantity_e3"),
        sum(b, "total_cents"),
        sum(b, "tax_cents"),
        sum(b, "line_discount_cents + order_discount_cents"),
        sum(b, "cost_cents"),
    );
    let mut values = period_values(period);
    scoped(
        &mut sql,
        &mut values,
        scope,
        "user_id",
        "customer_id",
        "sale_id",
    );
    sql.push_str(&format!(" GROUP BY {column} ORDER BY {column}"));
    let rows = SalesRow::find_by_statement(statement(b, sql, values))
        .all(conn)
        .await
        .map_err(db_err)?;
    rows.into_iter()
        .map(|r| Ok((key(by, r.k)?, figures(r)?)))
        .collect()
}

#[derive(FromQueryResult)]
struct ReturnsRow {
    k: Option<i64>,
    returns: i64,
    quantity: i64,
    refund: i64,
    tax: i64,
    cost: i64,
}

async fn returns_by(
    conn: &DatabaseTransaction,
    period: Period,
    scope: &SalesScope,
    by: Grouping,
) -> Result<Vec<(GroupKey, ReturnFigures)>, StoreError> {
    let b = conn.get_database_backend();
    let column = match by {
        Grouping::Day => "r.return_date",
        Grouping::Product => "l.product_id",
        Grouping::Seller => "r.seller_id",
        Grouping::Customer => "r.customer_id",
        Grouping::TaxRate => "l.tax_rate_e4",
    };
    let mut sql = format!(
        "SELECT {column} AS k, COUNT(DISTINCT r.id) AS returns, {} AS quantity, \
         {} AS refund, {} AS tax, {} AS cost \
         FROM sale_return_lines l JOIN sale_returns r ON r.id = l.return_id \
         WHERE r.return_date BETWEEN ? AND ?",
        sum(b, "l.quantity_e3"),
        sum(b, "l.refund_cents"),
        sum(b, "l.tax_cents"),
        sum(b, "l.cost_cents"),
    );
    let mut values = period_values(period);
    scoped(
        &mut sql,
        &mut values,
        scope,
        "r.seller_id",
        "r.customer_id",
        "r.register_id",
    );
    sql.push_str(&format!(" GROUP BY {column} ORDER BY {column}"));
    let rows = ReturnsRow::find_by_statement(statement(b, sql, values))
        .all(conn)
        .await
        .map_err(db_err)?;
    rows.into_iter()
        .map(|r| {
            Ok((
                key(by, r.k)?,
                ReturnFigures {
                    returns: count(r.returns)?,
                    quantity: Quantity::from_thousandths(r.quantity),
                    refund: Money::from_minor_units(r.refund),
                    tax: Money::from_minor_units(r.tax),
                    cost: Money::from_minor_units(r.cost),
                },
            ))
        })
        .collect()
}

#[derive(FromQueryResult)]
struct TakingsRow {
    method_id: i64,
    sales: i64,
    amount: i64,
}

async fn counter_takings(
    conn: &DatabaseTransaction,
    period: Period,
) -> Result<Vec<MethodTakings>, StoreError> {
    let b = conn.get_database_backend();
    let RollupRows {
        filter,
        values,
        sign,
    } = rollup_filter(rollup::Dim::Method, period, false, None);
    let sql = format!(
        "SELECT k AS method_id, {} AS sales, {} AS amount FROM sales_rollup WHERE {filter} \
         GROUP BY k HAVING {} <> 0 ORDER BY k",
        sum(b, &format!("sales * {sign}")),
        sum(b, &format!("total_cents * {sign}")),
        sum(b, &format!("sales * {sign}")),
    );
    let rows = TakingsRow::find_by_statement(statement(b, sql, values))
        .all(conn)
        .await
        .map_err(db_err)?;
    rows.into_iter()
        .map(|r| {
            Ok(MethodTakings {
                method_id: PaymentMethodId::new(r.method_id),
                sales: count(r.sales)?,
                amount: Money::from_minor_units(r.amount),
            })
        })
        .collect()
}

#[derive(FromQueryResult)]
struct ChangeRow {
    product_id: i64,
    kind: String,
    change: i64,
}

/// The kinds of movement read from the log; sales (one movement per sale line, most of the
/// log) come from the rollup's units sold instead, which are the same units.
const LOGGED_KINDS: &str = "('purchase', 'supplier_return', 'adjustment', 'sale_return')";

/// Units sold per product in the rollup's ranges.
async fn units_sold(
    conn: &DatabaseTransaction,
    ranges: &[(i64, i32, i32)],
) -> Result<Vec<(ProductId, Quantity)>, StoreError> {
    let b = conn.get_database_backend();
    let mut values: Vec<Value> = vec![(rollup::Dim::Product as i64).into()];
    let clauses: Vec<&str> = ranges
        .iter()
        .map(|(grain, first, last)| {
            values.extend([(*grain).into(), (*first).into(), (*last).into()]);
            "(grain = ? AND period BETWEEN ? AND ?)"
        })
        .collect();
    if clauses.is_empty() {
        return Ok(Vec::new());
    }
    let sql = quote_alias(
        b,
        format!(
            "SELECT k AS product_id, {} AS \"change\" FROM sales_rollup WHERE dim = ? AND ({}) \
             GROUP BY k ORDER BY k",
            sum(b, "quantity_e3"),
            clauses.join(" OR ")
        ),
    );
    let rows = ProductChangeRow::find_by_statement(statement(b, sql, values))
        .all(conn)
        .await
        .map_err(db_err)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                ProductId::new(r.product_id),
                Quantity::from_thousandths(r.change),
            )
        })
        .collect())
}

async fn stock_changes(
    conn: &DatabaseTransaction,
    period: Period,
) -> Result<Vec<(ProductId, MovementKind, Quantity)>, StoreError> {
    let b = conn.get_database_backend();
    let sql = format!(
        "SELECT product_id, kind, {} AS \"change\" FROM inventory_movements \
         WHERE kind IN {LOGGED_KINDS} AND at_day BETWEEN ? AND ? \
         GROUP BY product_id, kind ORDER BY product_id, kind",
        sum(b, "after_e3 - before_e3")
    );
    let sql = quote_alias(b, sql);
    let rows = ChangeRow::find_by_statement(statement(b, sql, period_values(period)))
        .all(conn)
        .await
        .map_err(db_err)?;
    let mut out = rows
        .into_iter()
        .map(|r| {
            let kind =
                MovementKind::parse(&r.kind).ok_or_else(|| corrupt("movement kind", &r.kind))?;
            Ok((
                ProductId::new(r.product_id),
                kind,
                Quantity::from_thousandths(r.change),
            ))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    for (product, sold) in units_sold(conn, &rollup::ranges(period, false)).await? {
        out.push((
            product,
            MovementKind::Sale,
            Quantity::from_thousandths(-sold.thousandths()),
        ));
    }
    out.sort_by_key(|(product, kind, _)| (*product, kind.as_str()));
    Ok(out)
}

/// `change` is a reserved word on MySQL (as `lines` is, hence `line_count`): quoted with
/// backticks there, double quotes elsewhere.
fn quote_alias(backend: DbBackend, sql: String) -> String {
    match backend {
        DbBackend::MySql => sql.replace('"', "`"),
        _ => sql,
    }
}

#[derive(FromQueryResult)]
struct ProductChangeRow {
    product_id: i64,
    change: i64,
}

#[derive(FromQueryResult)]
struct LastDay {
    first: Option<i32>,
    last: Option<i32>,
}

async fn stock_changes_after(
    conn: &DatabaseTransaction,
    day: Date,
) -> Result<Vec<(ProductId, Quantity)>, StoreError> {
    let b = conn.get_database_backend();
    let sql = format!(
        "SELECT product_id, {} AS \"change\" FROM inventory_movements \
         WHERE kind IN {LOGGED_KINDS} AND at_day > ? GROUP BY product_id ORDER BY product_id",
        sum(b, "after_e3 - before_e3")
    );
    let sql = quote_alias(b, sql);
    let rows = ProductChangeRow::find_by_statement(statement(b, sql, vec![to_day(day).into()]))
        .all(conn)
        .await
        .map_err(db_err)?;
    let mut changes: std::collections::BTreeMap<ProductId, i64> = rows
        .into_iter()
        .map(|r| (ProductId::new(r.product_id), r.change))
        .collect();
    // Sales after the day: the rollup's ranges from the next day to the last day sold, in
    // spans a period may have.
    let last = LastDay::find_by_statement(statement(
        b,
        "SELECT MIN(period) AS first, MAX(period) AS last FROM sales_rollup \
         WHERE grain = 0 AND dim = 0"
            .to_owned(),
        Vec::new(),
    ))
    .one(conn)
    .await
    .map_err(db_err)?;
    let (first, last) = match last {
        Some(LastDay {
            first: Some(first),
            last: Some(last),
        }) => (Some(from_day(first)?), Some(from_day(last)?)),
        _ => (None, None),
    };
    let mut ranges = Vec::new();
    // From the day after `day`, or the first day anything was sold if that is later: a report
    // asked for a day centuries back reads only the days there are sales on.
    let start = match (day.next_day(), first) {
        (Some(next), Some(first)) => Some(next.max(first)),
        (next, _) => next,
    };
    if let (Some(last), Some(mut from)) = (last, start) {
        while from <= last {
            let to = last
                .min(from.saturating_add(time::Duration::days(pos_domain::reports::MAX_DAYS - 1)));
            let span = Period::new(from, to).map_err(|e| corrupt("period", e))?;
            ranges.extend(rollup::ranges(span, false));
            match to.next_day() {
                Some(next) => from = next,
                None => break,
            }
        }
    }
    for (product, sold) in units_sold(conn, &ranges).await? {
        *changes.entry(product).or_default() -= sold.thousandths();
    }
    Ok(changes
        .into_iter()
        .map(|(p, c)| (p, Quantity::from_thousandths(c)))
        .collect())
}

#[derive(FromQueryResult)]
struct LevelRow {
    id: i64,
    sku: String,
    name: String,
    status: String,
    price_cents: i64,
    reorder_level_e3: i64,
    stock_e3: i64,
    lot_value: i64,
}

/// Products with their lots' value: one pass over products joined to the per-product sums of
/// the open lots (the `ix_lots_product_open` index).
async fn stock_levels(
    conn: &DatabaseTransaction,
    low_only: bool,
) -> Result<Vec<StockLevel>, StoreError> {
    let b = conn.get_database_backend();
    let low = if low_only {
        " WHERE p.stock_e3 <= p.reorder_level_e3"
    } else {
        ""
    };
    let sql = format!(
        "SELECT p.id, p.sku, p.name, p.status, p.price_cents, p.reorder_level_e3, p.stock_e3, \
         COALESCE(v.lot_value, 0) AS lot_value FROM products p LEFT JOIN \
         (SELECT product_id, {} AS lot_value FROM lots WHERE remaining_e3 > 0 GROUP BY product_id) v \
         ON v.product_id = p.id{low} ORDER BY p.id",
        sum(b, "remaining_value_cents")
    );
    let rows = LevelRow::find_by_statement(statement(b, sql, Vec::new()))
        .all(conn)
        .await
        .map_err(db_err)?;
    rows.into_iter()
        .map(|r| {
            Ok(StockLevel {
                product_id: ProductId::new(r.id),
                status: r
                    .status
                    .parse::<ProductStatus>()
                    .map_err(|e| corrupt("product status", e))?,
                sku: r.sku,
                name: r.name,
                price: Money::from_minor_units(r.price_cents),
                reorder_level: Quantity::from_thousandths(r.reorder_level_e3),
                on_hand: Quantity::from_thousandths(r.stock_e3),
                value: Money::from_minor_units(r.lot_value),
            })
        })
        .collect()
}

#[derive(FromQueryResult)]
struct NameRow {
    id: i64,
    name: String,
}

/// Rows of `SELECT {columns} FROM {table} WHERE id IN (ids)`, by id, in chunks so a long
/// list never exceeds a backend's placeholder limit.
async fn rows_by_id<R: FromQueryResult + Send + Sync>(
    conn: &DatabaseTransaction,
    columns: &str,
    table: &str,
    ids: impl Iterator<Item = i64>,
) -> Result<Vec<R>, StoreError> {
    let b = conn.get_database_backend();
    let ids: Vec<i64> = ids.collect();
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let sql = format!("SELECT {columns} FROM {table} WHERE id IN ({marks}) ORDER BY id");
        let values = chunk.iter().map(|id| (*id).into()).collect();
        out.extend(
            R::find_by_statement(statement(b, sql, values))
                .all(conn)
                .await
                .map_err(db_err)?,
        );
    }
    Ok(out)
}

async fn customer_names(
    conn: &DatabaseTransaction,
    ids: &[CustomerId],
) -> Result<Vec<(CustomerId, String)>, StoreError> {
    let rows: Vec<NameRow> =
        rows_by_id(conn, "id, name", "customers", ids.iter().map(|c| c.get())).await?;
    Ok(rows
        .into_iter()
        .map(|r| (CustomerId::new(r.id), r.name))
        .collect())
}

#[derive(FromQueryResult)]
struct LabelRow {
    id: i64,
    sku: String,
    name: String,
}

async fn product_labels(
    conn: &DatabaseTransaction,
    ids: &[ProductId],
) -> Result<Vec<(ProductId, String, String)>, StoreError> {
    let rows: Vec<LabelRow> = rows_by_id(
        conn,
        "id, sku, name",
        "products",
        ids.iter().map(|p| p.get()),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (ProductId::new(r.id), r.sku, r.name))
        .collect())
}

#[derive(FromQueryResult)]
struct UserRow {
    id: i64,
    username: String,
    name: String,
}

async fn user_labels(
    conn: &DatabaseTransaction,
    ids: &[UserId],
) -> Result<Vec<(UserId, String, String)>, StoreError> {
    let rows: Vec<UserRow> = rows_by_id(
        conn,
        "id, username, name",
        "users",
        ids.iter().map(|u| u.get()),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (UserId::new(r.id), r.username, r.name))
        .collect())
}

#[derive(FromQueryResult)]
struct CountRow {
    n: i64,
}

/// Customers whose first sale ever is dated in the period. `ix_sales_customer_date` gives each
/// customer's first date from the index alone.
async fn first_time_customers(
    conn: &DatabaseTransaction,
    period: Period,
) -> Result<u64, StoreError> {
    let b = conn.get_database_backend();
    let sql = "SELECT COUNT(*) AS n FROM (SELECT customer_id, MIN(sale_date) AS first_day \
               FROM sales WHERE customer_id IS NOT NULL GROUP BY customer_id) f \
               WHERE f.first_day BETWEEN ? AND ?"
        .to_owned();
    let row = CountRow::find_by_statement(statement(b, sql, period_values(period)))
        .one(conn)
        .await
        .map_err(db_err)?;
    count(row.map_or(0, |r| r.n))
}
