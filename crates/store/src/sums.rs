//! Sums of integer columns (cents, thousandths) that decode as `i64` on both backends.
//!
//! SQLite's `SUM` of integers is an integer. MySQL's `SUM` of a `BIGINT` is a `DECIMAL`, which
//! sqlx refuses to decode as `i64`: there the sum is cast back to `SIGNED` (a `BIGINT`), exact
//! for any sum of stored amounts (each below 10^15 minor units, far from 2^63).

use crate::errors::{corrupt, db_err};
use pos_domain::StoreError;
use sea_orm::sea_query::{Alias, Expr, Func};
use sea_orm::{DbBackend, DbErr};

/// `SUM(values)` as a 64-bit integer (NULL over no rows).
pub(crate) fn sum_i64(backend: DbBackend, values: impl Into<Expr>) -> Expr {
    let sum = Func::sum(values.into());
    match backend {
        DbBackend::MySql => Func::cast_as(sum, Alias::new("SIGNED")).into(),
        _ => sum.into(),
    }
}

/// The same `SUM`, as SQL text, for the statements written as text (reports, rollups).
pub(crate) fn sum_sql(backend: DbBackend, expr: &str) -> String {
    match backend {
        DbBackend::MySql => format!("CAST(SUM({expr}) AS SIGNED)"),
        _ => format!("SUM({expr})"),
    }
}

/// A `COUNT` as the ports' `u64`; a negative count can only be a broken driver.
pub(crate) fn count(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|e| corrupt("count", e))
}

/// `column = column + delta`, or NULL when the result would leave `-cap..=cap`: written into a
/// NOT NULL column, the NULL makes the statement fail instead of storing a total that later
/// sums could not hold. `cap` is a number or an SQL expression. The sum itself cannot overflow:
/// the stored total is within the cap and the delta is one document's figure.
pub(crate) fn guarded_add(column: &str, delta: &str, cap: impl std::fmt::Display) -> String {
    format!(
        "{column} = CASE WHEN {column} + {delta} BETWEEN -({cap}) AND ({cap}) \
         THEN {column} + {delta} END"
    )
}

/// A failed update of a running total: the NULL of [`guarded_add`] (or an arithmetic overflow
/// the backend caught) means the total would leave its range.
pub(crate) fn running_total_err(err: DbErr, what: &'static str) -> StoreError {
    let message = err.to_string();
    let refused = [
        "cannot be null",
        "NOT NULL constraint failed",
        "out of range",
    ]
    .iter()
    .any(|m| message.contains(m));
    if refused {
        StoreError::OutOfRange(what)
    } else {
        db_err(err)
    }
}
