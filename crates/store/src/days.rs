//! Calendar days as stored: `INTEGER` Julian day numbers (see `pos-migrations`), and the
//! inclusive date-range filter over them. Used by the books, purchases and the inventory log.

use crate::errors::corrupt;
use pos_domain::StoreError;
use sea_orm::{ColumnTrait, Condition};
use time::Date;

/// The storage encoding of a date: exact, sortable, the same integer on both backends.
pub(crate) fn to_day(date: Date) -> i32 {
    date.to_julian_day()
}

pub(crate) fn from_day(day: i32) -> Result<Date, StoreError> {
    Date::from_julian_day(day).map_err(|e| corrupt("date", e))
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
    use time::macros::date;

    #[test]
    fn a_day_round_trips_through_its_number() {
        let day = date!(2026 - 11 - 24);
        assert_eq!(from_day(to_day(day)).unwrap(), day);
        assert_eq!(to_day(day) + 1, to_day(date!(2026 - 11 - 25)));
    }
}
