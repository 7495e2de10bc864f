//! Money: exact decimal amounts in the shop's currency, never floating point.

use rust_decimal::Decimal;
use std::fmt;

/// Number of decimal places every amount carries (cents).
pub const MONEY_SCALE: u32 = 2;

/// An exact amount of money with at most two decimal places.
///
/// Amounts are stored as integer minor units (cents) in every database so that SQLite and MySQL
/// agree to the cent; [`Money::minor_units`] and [`Money::from_minor_units`] are that encoding.
/// Held as integer minor units, the storage encoding, so that no conversion can narrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

impl Default for Money {
    fn default() -> Self {
        Money::ZERO
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("an amount has at most {MONEY_SCALE} decimal places; got {0}")]
    TooPrecise(Decimal),
    #[error("the amount must not be negative; got {0}")]
    Negative(Decimal),
    #[error("the amount {0} is too large")]
    TooLarge(Decimal),
}

/// Amounts must stay below 10^11 (so at most 99,999,999,999.99): a hundred billion a day on
/// one account is more than any shop turns over, and with documents dated at most twenty years
/// back (see the HTTP layer's `document_date`) every balance, and every sum of balances over a
/// hundred accounts, fits 64 bits exactly.
const LIMIT_MAJOR: i64 = 100_000_000_000;

/// The largest amount, in minor units: 99,999,999,999.99. Every figure of a document (a
/// price, a line, a payment, a total) and every stored day total (an account's debits or
/// credits on one day, a day's sales of a product...) stays within plus or minus this, so that
/// any sum a report reads (at most a few thousand days of day totals) fits 64 bits exactly.
pub const MAX_MINOR_UNITS: i64 = LIMIT_MAJOR * 100 - 1;

/// A computed figure left the documented range (see [`MAX_MINOR_UNITS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "is out of range: amounts are at most 99999999999.99 and quantities at most 999999999999.999"
)]
pub struct OutOfRange;

impl Money {
    /// Zero, written with its two decimals ("0.00") like every other amount.
    pub const ZERO: Money = Money(0);

    /// An amount, refused if it has more than two decimal places or is out of range.
    pub fn new(amount: Decimal) -> Result<Self, MoneyError> {
        let normalized = amount.normalize();
        if normalized.scale() > MONEY_SCALE {
            return Err(MoneyError::TooPrecise(amount));
        }
        if normalized.abs() >= Decimal::from(LIMIT_MAJOR) {
            return Err(MoneyError::TooLarge(amount));
        }
        let mut value = normalized;
        value.rescale(MONEY_SCALE);
        // Below 10^13 at two decimals: the mantissa is below 10^15 and fits.
        i64::try_from(value.mantissa())
            .map(Self)
            .map_err(|_| MoneyError::TooLarge(amount))
    }

    /// A price or other amount that may not be negative.
    pub fn non_negative(amount: Decimal) -> Result<Self, MoneyError> {
        let money = Self::new(amount)?;
        if money.0 < 0 {
            return Err(MoneyError::Negative(amount));
        }
        Ok(money)
    }

    /// An amount computed in minor units, refused when it leaves the documented range.
    pub fn checked_from_minor_units(cents: impl Into<i128>) -> Result<Self, OutOfRange> {
        let cents = cents.into();
        if cents.abs() > i128::from(MAX_MINOR_UNITS) {
            return Err(OutOfRange);
        }
        i64::try_from(cents)
            .map(Self::from_minor_units)
            .map_err(|_| OutOfRange)
    }

    /// `self + other`, refused out of range.
    pub fn checked_add(self, other: Money) -> Result<Money, OutOfRange> {
        Self::checked_from_minor_units(
            i128::from(self.minor_units()) + i128::from(other.minor_units()),
        )
    }

    /// `self - other`, refused out of range.
    pub fn checked_sub(self, other: Money) -> Result<Money, OutOfRange> {
        Self::checked_from_minor_units(
            i128::from(self.minor_units()) - i128::from(other.minor_units()),
        )
    }

    /// The sum of `amounts`, refused if it (or any amount) leaves the range.
    pub fn checked_sum(amounts: impl IntoIterator<Item = Money>) -> Result<Money, OutOfRange> {
        Self::checked_from_minor_units(
            amounts
                .into_iter()
                .map(|m| i128::from(m.minor_units()))
                .sum::<i128>(),
        )
    }

    /// Rebuilds an amount from integer cents, the storage encoding.
    pub fn from_minor_units(cents: i64) -> Self {
        Self(cents)
    }

    /// The amount in integer cents, the storage encoding.
    pub fn minor_units(self) -> i64 {
        self.0
    }

    /// The amount as a decimal, always with its two decimals ("0.00").
    pub fn amount(self) -> Decimal {
        Decimal::new(self.0, MONEY_SCALE)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.amount().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::dec;

    #[test]
    fn amounts_are_kept_to_the_cent() {
        assert_eq!(Money::new(dec!(19.9)).unwrap().to_string(), "19.90");
        assert_eq!(Money::new(dec!(0.10)).unwrap().minor_units(), 10);
        assert_eq!(
            Money::new(dec!(1234567.89)).unwrap().minor_units(),
            123_456_789
        );
    }

    #[test]
    fn every_amount_is_written_with_two_decimals() {
        assert_eq!(Money::ZERO.to_string(), "0.00");
        assert_eq!(Money::default().to_string(), "0.00");
        assert_eq!(Money::from_minor_units(0).to_string(), "0.00");
        assert_eq!(Money::new(dec!(5)).unwrap().to_string(), "5.00");
    }

    #[test]
    fn more_than_two_decimal_places_is_refused() {
        assert_eq!(
            Money::new(dec!(1.005)),
            Err(MoneyError::TooPrecise(dec!(1.005)))
        );
        // Trailing zeros are not extra precision.
        assert!(Money::new(dec!(1.5000)).is_ok());
    }

    #[test]
    fn a_negative_price_is_refused() {
        assert_eq!(
            Money::non_negative(dec!(-0.01)),
            Err(MoneyError::Negative(dec!(-0.01)))
        );
        assert!(Money::non_negative(dec!(0)).is_ok());
    }

    #[test]
    fn absurd_amounts_are_refused() {
        assert!(matches!(
            Money::new(dec!(100000000000)),
            Err(MoneyError::TooLarge(_))
        ));
    }

    #[test]
    fn the_range_ends_at_its_documented_ceiling() {
        let max = Money::checked_from_minor_units(MAX_MINOR_UNITS).unwrap();
        assert_eq!(max.to_string(), "99999999999.99");
        assert_eq!(Money::new(max.amount()), Ok(max));
        assert_eq!(
            Money::checked_from_minor_units(MAX_MINOR_UNITS + 1),
            Err(OutOfRange)
        );
        assert_eq!(
            Money::checked_from_minor_units(-MAX_MINOR_UNITS - 1),
            Err(OutOfRange)
        );
        assert_eq!(max.checked_add(Money::from_minor_units(1)), Err(OutOfRange));
        assert_eq!(
            Money::checked_from_minor_units(i128::from(i64::MAX) * 4),
            Err(OutOfRange)
        );
    }

    proptest! {
        #[test]
        fn checked_sums_are_exact_or_refused(parts in proptest::collection::vec(-MAX_MINOR_UNITS..=MAX_MINOR_UNITS, 0..40)) {
            let exact: i128 = parts.iter().map(|c| i128::from(*c)).sum();
            let sum = Money::checked_sum(parts.iter().map(|c| Money::from_minor_units(*c)));
            if exact.abs() <= i128::from(MAX_MINOR_UNITS) {
                prop_assert_eq!(sum.map(|m| i128::from(m.minor_units())), Ok(exact));
            } else {
                prop_assert_eq!(sum, Err(OutOfRange));
            }
        }

        #[test]
        fn checked_differences_are_exact_or_refused(
            a in -MAX_MINOR_UNITS..=MAX_MINOR_UNITS,
            b in -MAX_MINOR_UNITS..=MAX_MINOR_UNITS,
        ) {
            let exact = i128::from(a) - i128::from(b);
            let difference = Money::from_minor_units(a).checked_sub(Money::from_minor_units(b));
            if exact.abs() <= i128::from(MAX_MINOR_UNITS) {
                prop_assert_eq!(difference.map(|m| i128::from(m.minor_units())), Ok(exact));
            } else {
                prop_assert_eq!(difference, Err(OutOfRange));
            }
        }

        #[test]
        fn minor_units_round_trip_exactly(cents in -MAX_MINOR_UNITS..=MAX_MINOR_UNITS) {
            let money = Money::from_minor_units(cents);
            prop_assert_eq!(money.minor_units(), cents);
            prop_assert_eq!(Money::new(money.amount()).unwrap(), money);
        }
    }
}
