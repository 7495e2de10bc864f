//! Calendar days as stored: `INTEGER` Julian day numbers (see `pos-migrations`), and the
//! inclusive date-range filter over them. Used by the books, purchases and the inventory log.

use crate::errors::corrupt;
use pos_domain::StoreError;
use sea_orm::{ColumnTrait, Condition};
use time::{Date, OffsetDateTime, UtcOffset};

/// The storage encoding of a date: exact, sortable, the same integer on both backends.
pub(crate) fn to_day(date: Date) -> i32 {
    date.to_julian_day()
}

pub(crate) fn from_day(day: i32) -> Result<Date, StoreError> {
    Date::from_julian_day(day).map_err(|e| corrupt("date", e))
}

/// The UTC calendar day of an instant, whatever offset it carries.
pub(crate) fn utc_day(at: OffsetDateTime) -> i32 {
    to_day(at.to_offset(UtcOffset::UTC).date())
}

/// Rows whose `column` day lies in the inclusive range; unbounded ends add nothing.
pub(crate) fn in_days<C: ColumnTrait>(
    column: C,
    from: Option<Date>,
    to: Option<Date>,
) -> Condition {
    let mut condition = Condition::all();
    if let Some(from) = from {
        condition = condition.add(column.gte(to_day(from)));
    }
    if let Some(to) = to {
        condition = condition.add(column.lte(to_day(to)));
    }
    condition
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn an_instant_falls_on_its_utc_day() {
        let late_in_dhaka = datetime!(2026-11-25 02:30 +06:00);
        assert_eq!(utc_day(late_in_dhaka), to_day(date!(2026 - 11 - 24)));
        assert_eq!(
            from_day(utc_day(late_in_dhaka)).unwrap(),
            date!(2026 - 11 - 24)
        );
    }
}
