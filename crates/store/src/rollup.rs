//! The sales rollup (migration 6): each sale adds its figures to one row per day and per month
//! for everything reports group by, in the sale's own transaction, so the rollup is never
//! behind. Reports then read a few thousand pre-grouped rows instead of every sale line.
//!
//! Each register keeps its own rows (migration 8): a sale adds only to rows of its register,
//! whose counter it already holds, so adding to a day's rows adds no lock wait and two
//! registers never share one. Reports sum over registers. Rows are written in key order.

use crate::days::to_day;
use crate::sums::{guarded_add, running_total_err};
use pos_domain::StoreError;
use pos_domain::money::MAX_MINOR_UNITS;
use pos_domain::reports::{Grouping, Period, SalesScope};
use pos_domain::sales::NewSale;
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, Statement, Value};
use std::collections::{BTreeMap, BTreeSet};
use time::Date;

pub(crate) const DAY: i64 = 0;
pub(crate) const MONTH: i64 = 1;

/// What a rollup row's key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Dim {
    All = 0,
    Product = 1,
    Seller = 2,
    Customer = 3,
    TaxRate = 4,
    Method = 5,
}

/// The key stored for a walk-in sale's customer and an untaxed line's rate.
pub(crate) const WALK_IN: i64 = 0;
pub(crate) const UNTAXED: i64 = -1;

#[derive(Debug, Default, Clone, Copy)]
struct Sums {
    sales: i64,
    lines: i64,
    quantity: i64,
    total: i64,
    tax: i64,
    discount: i64,
    cost: i64,
}

fn month_start(day: Date) -> Date {
    day.replace_day(1).unwrap_or(day)
}

/// The rollup rows a sale adds to, keyed by (grain, dimension, period, key).
type RollupRows = BTreeMap<(i64, Dim, i32, i64), Sums>;

/// Adds a sale to the rollup: one multi-row upsert.
pub(crate) async fn add_sale(conn: &DatabaseTransaction, sale: &NewSale) -> Result<(), StoreError> {
    let rows = rows_of(sale);
    // What this sale adds is checked here (its figures are each within range, so the sums over
    // its at most 200 lines fit 64 bits); what it adds to is checked by the guarded sums.
    let within = |grain: i64, s: &Sums| {
        let cap = if grain == DAY {
            MAX_MINOR_UNITS
        } else {
            MAX_MINOR_UNITS * 31
        };
        [s.quantity, s.total, s.tax, s.discount, s.cost]
            .iter()
            .all(|v| v.abs() <= cap)
    };
    if rows.iter().any(|((grain, ..), s)| !within(*grain, s)) {
        return Err(StoreError::OutOfRange("a day's sales total"));
    }
    if rows.is_empty() {
        return Ok(());
    }
    let backend = conn.get_database_backend();
    let sql = upsert_sql(backend, rows.len());
    let values = upsert_values(&rows, sale.register_id.get());
    conn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .map_err(|e| running_total_err(e, "a day's sales total"))?;
    Ok(())
}

/// What one sale adds to each group it falls in, by day and by month.
fn rows_of(sale: &NewSale) -> RollupRows {
    let mut rows = RollupRows::new();
    let mut counted: BTreeSet<(Dim, i64)> = BTreeSet::new();
    let customer = sale.customer_id.map_or(WALK_IN, |c| c.get());
    let periods = [(DAY, sale.date), (MONTH, month_start(sale.date))];
    for (line, takes) in sale.cart.lines.iter().zip(&sale.takes) {
        let rate = line.tax_rate.map_or(UNTAXED, |(r, _)| r.scaled());
        let cost: i64 = takes.iter().map(|t| t.cost.minor_units()).sum();
        for (dim, k) in [
            (Dim::All, 0),
            (Dim::Product, line.product_id.get()),
            (Dim::Seller, sale.user_id.get()),
            (Dim::Customer, customer),
            (Dim::TaxRate, rate),
        ] {
            // A sale counts once per group however many of its lines fall in it.
            let first = counted.insert((dim, k));
            for (grain, period) in periods {
                let s = rows.entry((grain, dim, to_day(period), k)).or_default();
                s.sales += i64::from(first);
                s.lines += 1;
                s.quantity += line.quantity.thousandths();
                s.total += line.total.minor_units();
                s.tax += line.tax.minor_units();
                s.discount += line.line_discount.minor_units() + line.order_discount.minor_units();
                s.cost += cost;
            }
        }
    }
    for (method, amount) in &sale.settlement.received {
        let k = method.id.get();
        let first = counted.insert((Dim::Method, k));
        for (grain, period) in periods {
            let s = rows
                .entry((grain, Dim::Method, to_day(period), k))
                .or_default();
            s.sales += i64::from(first);
            s.total += amount.minor_units();
        }
    }
    rows
}

const SUMMED: [&str; 7] = [
    "sales",
    "line_count",
    "quantity_e3",
    "total_cents",
    "tax_cents",
    "discount_cents",
    "cost_cents",
];

/// The multi-row upsert of `count` rollup rows, adding to existing rows with guarded sums.
fn upsert_sql(backend: DbBackend, count: usize) -> String {
    let marks = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; count].join(", ");
    // Day rows stay within the range of an amount (or quantity); month rows hold at most 31
    // days of them. Past that the guarded sum is NULL and the NOT NULL column refuses the sale.
    let cap = format!(
        "CASE WHEN grain = 0 THEN {MAX_MINOR_UNITS} ELSE {} END",
        MAX_MINOR_UNITS * 31
    );
    let update = match backend {
        DbBackend::MySql => format!(
            " ON DUPLICATE KEY UPDATE {}",
            SUMMED
                .map(|c| guarded_add(c, &format!("VALUES({c})"), &cap))
                .join(", ")
        ),
        _ => format!(
            " ON CONFLICT (grain, dim, period, k, register_id) DO UPDATE SET {}",
            SUMMED
                .map(|c| guarded_add(c, &format!("excluded.{c}"), &cap))
                .join(", ")
        ),
    };
    format!(
        "INSERT INTO sales_rollup (grain, dim, period, k, register_id, {}) \
         VALUES {marks}{update}",
        SUMMED.join(", ")
    )
}

fn upsert_values(rows: &RollupRows, register: i64) -> Vec<Value> {
    let mut values: Vec<Value> = Vec::with_capacity(rows.len() * 12);
    for ((grain, dim, period, k), s) in rows {
        values.extend([
            (*grain).into(),
            (*dim as i64).into(),
            (*period).into(),
            (*k).into(),
            register.into(),
            s.sales.into(),
            s.lines.into(),
            s.quantity.into(),
            s.total.into(),
            s.tax.into(),
            s.discount.into(),
            s.cost.into(),
        ]);
    }
    values
}

/// How a grouped question maps onto the rollup: the dimension to read, an optional key to keep,
/// and whether rows group by period (days) or by key. `None`: the rollup cannot answer it
/// (a scope on one dimension grouped by another) and the sale lines must be read.
pub(crate) struct Plan {
    pub dim: Dim,
    pub only: Option<i64>,
    pub by_day: bool,
}

pub(crate) fn plan(scope: &SalesScope, by: Grouping) -> Option<Plan> {
    let by_dim = match by {
        Grouping::Day => None,
        Grouping::Product => Some(Dim::Product),
        Grouping::Seller => Some(Dim::Seller),
        Grouping::Customer => Some(Dim::Customer),
        Grouping::TaxRate => Some(Dim::TaxRate),
    };
    let scoped = match (scope.seller, scope.customer) {
        (None, None) => None,
        (Some(u), None) => Some((Dim::Seller, u.get())),
        (None, Some(c)) => Some((Dim::Customer, c.get())),
        (Some(_), Some(_)) => return None,
    };
    match (scoped, by_dim) {
        (None, None) => Some(Plan {
            dim: Dim::All,
            only: None,
            by_day: true,
        }),
        (None, Some(dim)) => Some(Plan {
            dim,
            only: None,
            by_day: false,
        }),
        (Some((dim, k)), None) => Some(Plan {
            dim,
            only: Some(k),
            by_day: true,
        }),
        (Some((dim, k)), Some(by)) if dim == by => Some(Plan {
            dim,
            only: Some(k),
            by_day: false,
        }),
        _ => None,
    }
}

/// The rollup ranges that cover `period` exactly: whole months from the monthly rows, the days
/// at either edge from the daily rows. As `(grain, first, last)` in stored periods.
pub(crate) fn ranges(period: Period, by_day: bool) -> Vec<(i64, i32, i32)> {
    let (from, to) = (period.from(), period.to());
    if by_day {
        return vec![(DAY, to_day(from), to_day(to))];
    }
    let mut out = Vec::new();
    let mut day = from;
    while day <= to {
        let first = month_start(day);
        let last = first
            .replace_day(first.month().length(first.year()))
            .unwrap_or(first);
        if day == first && last <= to {
            out.push((MONTH, to_day(first), to_day(first)));
        } else {
            out.push((DAY, to_day(day), to_day(last.min(to))));
        }
        match last.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    // Adjacent ranges of one grain merge into one, so MySQL reads as few ranges as possible.
    let mut merged: Vec<(i64, i32, i32)> = Vec::new();
    for r in out {
        match merged.last_mut() {
            Some(last) if last.0 == r.0 && (r.0 == MONTH || last.2 + 1 == r.1) => last.2 = r.2,
            _ => merged.push(r),
        }
    }
    merged
}

/// A range of rollup rows to add (`+1`) or to take away (`-1`).
pub(crate) type SignedRange = (i64, i32, i32, i64);

/// Like [`ranges`], but a month the period covers only partly is read as its monthly row less
/// the days outside the period when those are fewer than the days inside: a year ending on the
/// 25th reads November's monthly row less the 26th to the 30th (rows that do not exist yet)
/// instead of 25 daily rows per product. Monthly rows always equal the sum of their days: both
/// are written by the same statement.
pub(crate) fn signed_ranges(period: Period, by_day: bool) -> Vec<SignedRange> {
    let plain = ranges(period, by_day);
    if by_day {
        return plain.into_iter().map(|(g, a, b)| (g, a, b, 1)).collect();
    }
    let mut out = Vec::new();
    for (grain, first, last) in plain {
        let (Ok(a), Ok(b)) = (Date::from_julian_day(first), Date::from_julian_day(last)) else {
            out.push((grain, first, last, 1));
            continue;
        };
        let month_first = month_start(a);
        let month_last = month_first
            .replace_day(month_first.month().length(month_first.year()))
            .unwrap_or(month_first);
        let inside = i64::from(last - first) + 1;
        let outside = i64::from(to_day(month_last) - to_day(month_first)) + 1 - inside;
        // Only a part of one month, touching one of its ends, with fewer days outside.
        let one_month = grain == DAY && month_start(b) == month_first;
        let touches_end = a == month_first || b == month_last;
        if one_month && touches_end && outside < inside {
            out.push((MONTH, to_day(month_first), to_day(month_first), 1));
            if a > month_first {
                out.push((DAY, to_day(month_first), first - 1, -1));
            }
            if b < month_last {
                out.push((DAY, last + 1, to_day(month_last), -1));
            }
        } else {
            out.push((grain, first, last, 1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn p(from: Date, to: Date) -> Period {
        Period::new(from, to).unwrap()
    }

    #[test]
    fn a_year_reads_whole_months_and_the_days_at_its_edges() {
        let r = ranges(p(date!(2025 - 11 - 26), date!(2026 - 11 - 25)), false);
        assert_eq!(
            r,
            vec![
                (
                    DAY,
                    to_day(date!(2025 - 11 - 26)),
                    to_day(date!(2025 - 11 - 30))
                ),
                (
                    MONTH,
                    to_day(date!(2025 - 12 - 01)),
                    to_day(date!(2026 - 10 - 01))
                ),
                (
                    DAY,
                    to_day(date!(2026 - 11 - 01)),
                    to_day(date!(2026 - 11 - 25))
                ),
            ]
        );
    }

    #[test]
    fn mostly_covered_months_read_the_month_less_the_days_outside() {
        let r = signed_ranges(p(date!(2025 - 11 - 26), date!(2026 - 11 - 25)), false);
        let day = |d: Date| to_day(d);
        assert_eq!(
            r,
            vec![
                (
                    DAY,
                    day(date!(2025 - 11 - 26)),
                    day(date!(2025 - 11 - 30)),
                    1
                ),
                (
                    MONTH,
                    day(date!(2025 - 12 - 01)),
                    day(date!(2026 - 10 - 01)),
                    1
                ),
                (
                    MONTH,
                    day(date!(2026 - 11 - 01)),
                    day(date!(2026 - 11 - 01)),
                    1
                ),
                (
                    DAY,
                    day(date!(2026 - 11 - 26)),
                    day(date!(2026 - 11 - 30)),
                    -1
                ),
            ]
        );
        // Inside one month, away from both ends: days only.
        let mid = signed_ranges(p(date!(2026 - 03 - 05), date!(2026 - 03 - 28)), false);
        assert_eq!(
            mid,
            vec![(
                DAY,
                day(date!(2026 - 03 - 05)),
                day(date!(2026 - 03 - 28)),
                1
            )]
        );
        // From the 3rd to the month's end: the month less the 1st and 2nd.
        let tail = signed_ranges(p(date!(2026 - 03 - 03), date!(2026 - 03 - 31)), false);
        assert_eq!(
            tail,
            vec![
                (
                    MONTH,
                    day(date!(2026 - 03 - 01)),
                    day(date!(2026 - 03 - 01)),
                    1
                ),
                (
                    DAY,
                    day(date!(2026 - 03 - 01)),
                    day(date!(2026 - 03 - 02)),
                    -1
                ),
            ]
        );
    }

    #[test]
    fn short_and_daily_periods_read_days_only() {
        let days = ranges(p(date!(2026 - 03 - 05), date!(2026 - 03 - 20)), false);
        assert_eq!(
            days,
            vec![(
                DAY,
                to_day(date!(2026 - 03 - 05)),
                to_day(date!(2026 - 03 - 20))
            )]
        );
        let whole = ranges(p(date!(2026 - 02 - 01), date!(2026 - 02 - 28)), false);
        assert_eq!(
            whole,
            vec![(
                MONTH,
                to_day(date!(2026 - 02 - 01)),
                to_day(date!(2026 - 02 - 01))
            )]
        );
        let by_day = ranges(p(date!(2026 - 01 - 01), date!(2026 - 12 - 31)), true);
        assert_eq!(
            by_day,
            vec![(
                DAY,
                to_day(date!(2026 - 01 - 01)),
                to_day(date!(2026 - 12 - 31))
            )]
        );
    }
}
