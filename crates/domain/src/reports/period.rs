//! The inclusive range of days a report covers.

use time::{Date, Duration};

/// Reports cover at most this many days: enough for three years side by side, small enough
/// that a mistyped year cannot ask the database for a century.
pub const MAX_DAYS: i64 = 3 * 366;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("`from` ({from}) is after `to` ({to})")]
    Reversed { from: Date, to: Date },
    #[error("a report covers at most {MAX_DAYS} days; this range has {0}")]
    TooLong(i64),
}

/// From the first day to the last, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    from: Date,
    to: Date,
}

impl Period {
    pub fn new(from: Date, to: Date) -> Result<Self, PeriodError> {
        if from > to {
            return Err(PeriodError::Reversed { from, to });
        }
        let days = (to - from).whole_days() + 1;
        if days > MAX_DAYS {
            return Err(PeriodError::TooLong(days));
        }
        Ok(Self { from, to })
    }

    /// One day.
    pub fn day(day: Date) -> Self {
        Self { from: day, to: day }
    }

    /// The calendar month that `day` falls in, up to and including `day`.
    pub fn month_to(day: Date) -> Self {
        Self {
            from: day.replace_day(1).unwrap_or(day),
            to: day,
        }
    }

    /// The `days` days that end on `to`.
    pub fn ending(to: Date, days: u16) -> Self {
        let back = i64::from(days.clamp(1, 366)) - 1;
        Self {
            from: to.saturating_sub(Duration::days(back)),
            to,
        }
    }

    pub fn from(&self) -> Date {
        self.from
    }

    pub fn to(&self) -> Date {
        self.to
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).whole_days() + 1
    }

    /// The period of the same length just before this one, for growth figures.
    pub fn previous(&self) -> Self {
        let to = self.from.saturating_sub(Duration::days(1));
        Self {
            from: to.saturating_sub(Duration::days(self.days() - 1)),
            to,
        }
    }

    /// Every day of the period, in order.
    pub fn each_day(&self) -> impl Iterator<Item = Date> + use<> {
        let to = self.to;
        std::iter::successors(Some(self.from), move |d| d.next_day().filter(|n| *n <= to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_period_knows_its_length_and_the_one_before() {
        let march = Period::new(date!(2026 - 03 - 01), date!(2026 - 03 - 31)).unwrap();
        assert_eq!(march.days(), 31);
        let before = march.previous();
        assert_eq!(
            (before.from(), before.to()),
            (date!(2026 - 01 - 29), date!(2026 - 02 - 28))
        );
        assert_eq!(march.each_day().count(), 31);
        assert_eq!(
            Period::month_to(date!(2026 - 03 - 17)).from(),
            date!(2026 - 03 - 01)
        );
        assert_eq!(
            Period::ending(date!(2026 - 03 - 30), 30).from(),
            date!(2026 - 03 - 01)
        );
    }

    #[test]
    fn reversed_and_overlong_ranges_are_refused() {
        assert!(matches!(
            Period::new(date!(2026 - 03 - 02), date!(2026 - 03 - 01)),
            Err(PeriodError::Reversed { .. })
        ));
        assert!(matches!(
            Period::new(date!(2020 - 01 - 01), date!(2026 - 01 - 01)),
            Err(PeriodError::TooLong(_))
        ));
    }
}
