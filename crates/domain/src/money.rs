//! Money: exact decimal amounts in the shop's currency, never floating point.

use crate::catalog::Percent;
use crate::quantity::Quantity;
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

    /// `self + other` for balances and report totals, which may pass the range of one
    /// document's amount: exact, refused only past 64 bits. A balance sums at most twenty years
    /// of bounded day totals, so it fits; a figure past that is refused, never wrapped.
    pub fn wide_add(self, other: Money) -> Result<Money, OutOfRange> {
        self.0.checked_add(other.0).map(Money).ok_or(OutOfRange)
    }

    /// `self - other` for balances and report totals (see [`Money::wide_add`]).
    pub fn wide_sub(self, other: Money) -> Result<Money, OutOfRange> {
        self.0.checked_sub(other.0).map(Money).ok_or(OutOfRange)
    }

    /// The sum of balances or report totals (see [`Money::wide_add`]).
    pub fn wide_sum(amounts: impl IntoIterator<Item = Money>) -> Result<Money, OutOfRange> {
        let sum: i128 = amounts.into_iter().map(|m| i128::from(m.0)).sum();
        i64::try_from(sum).map(Money).map_err(|_| OutOfRange)
    }

    /// Whether this is zero.
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Whether this is below zero.
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// `-self`: always in range, since the range is symmetric.
    pub fn negated(self) -> Money {
        Money(-self.0)
    }

    /// `self x quantity` (a line's value: unit price times quantity), rounded half away from
    /// zero to the cent, refused out of range.
    pub fn times(self, quantity: Quantity) -> Result<Money, OutOfRange> {
        let exact = i128::from(quantity.thousandths()) * i128::from(self.0);
        Self::checked_from_minor_units(round_div(exact, 1000))
    }

    /// `rate` percent of a non-negative amount, rounded half up to the cent. A rate is at most
    /// 100 %, so the result is at most `self` and always in range.
    pub fn percent(self, rate: Percent) -> Money {
        let exact = i128::from(self.0) * i128::from(rate.scaled());
        i64::try_from((exact + 500_000) / 1_000_000).map_or(self, Money)
    }

    /// The part of a non-negative `self` that is not a `rate` percent added on top (what a
    /// tax-inclusive amount is without its tax): `self x 100 / (100 + rate)`, rounded half up.
    /// At most `self`, so always in range.
    pub fn without_percent(self, rate: Percent) -> Money {
        let scale: i128 = 1_000_000;
        let denominator = scale + i128::from(rate.scaled());
        let exact = i128::from(self.0) * scale;
        Self::checked_from_minor_units((exact * 2 + denominator) / (denominator * 2))
            .unwrap_or(self)
    }

    /// `self / count` (an average), rounded half away from zero to the cent; `None` for a
    /// count of zero. Never larger than `self` in size, so always in range.
    pub fn average(self, count: u64) -> Option<Money> {
        if count == 0 {
            return None;
        }
        let (n, d) = (i128::from(self.0), i128::from(count));
        let q = (2 * n.abs() + d) / (2 * d);
        i64::try_from(if n < 0 { -q } else { q }).ok().map(Money)
    }

    /// The share of a non-negative `self` that `part` is of `whole` (the value of some units
    /// of a lot), rounded half up and never more than `self`. A `whole` of zero has no share.
    pub fn share(self, part: Quantity, whole: Quantity) -> Money {
        let (part, whole) = (
            i128::from(part.thousandths()),
            i128::from(whole.thousandths()),
        );
        if whole <= 0 {
            return Money::ZERO;
        }
        let value = i128::from(self.0);
        let share = (value * part + whole / 2) / whole;
        i64::try_from(share.min(value)).map_or(self, Money)
    }

    /// Splits a non-negative `self` over non-negative `weights` in proportion, by largest
    /// remainder: the shares add up to `self` exactly, and none exceeds its weight when `self`
    /// is at most the sum of the weights. Ties go to the earlier weight, so the split is
    /// deterministic.
    pub fn split(self, weights: &[Money]) -> Vec<Money> {
        let total: i128 = weights.iter().map(|w| i128::from(w.0)).sum();
        if total == 0 || self.0 == 0 {
            return vec![Money::ZERO; weights.len()];
        }
        let mut shares = Vec::with_capacity(weights.len());
        let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
        for (i, w) in weights.iter().enumerate() {
            let exact = i128::from(self.0) * i128::from(w.0);
            shares.push(i64::try_from(exact / total).unwrap_or(0));
            remainders.push((exact % total, i));
        }
        let mut left = self.0 - shares.iter().sum::<i64>();
        remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, i) in remainders {
            if left == 0 {
                break;
            }
            shares[i] += 1;
            left -= 1;
        }
        shares.into_iter().map(Money).collect()
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

/// `n / d` rounded half away from zero (`d` > 0).
fn round_div(n: i128, d: i128) -> i128 {
    if n >= 0 {
        (n + d / 2) / d
    } else {
        (n - d / 2) / d
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

    #[test]
    fn a_line_value_rounds_half_away_from_zero_to_the_cent() {
        let q = |d| Quantity::new(d).unwrap();
        let m = |d| Money::new(d).unwrap();
        assert_eq!(m(dec!(19.99)).times(q(dec!(3))), Ok(m(dec!(59.97))));
        assert_eq!(m(dec!(0.05)).times(q(dec!(0.1))), Ok(m(dec!(0.01))));
        assert_eq!(m(dec!(-0.05)).times(q(dec!(0.1))), Ok(m(dec!(-0.01))));
        assert_eq!(m(dec!(99999999999.99)).times(q(dec!(2))), Err(OutOfRange));
    }

    #[test]
    fn percentages_and_shares_round_half_up_and_never_exceed_the_whole() {
        let c = Money::from_minor_units;
        let rate = |d| Percent::new(d).unwrap();
        assert_eq!(c(1_000).percent(rate(dec!(12.5))), c(125));
        assert_eq!(c(5).percent(rate(dec!(10))), c(1)); // 0.5 cent rounds up
        assert_eq!(c(999).percent(rate(dec!(100))), c(999));
        assert_eq!(c(1_100).without_percent(rate(dec!(10))), c(1_000));
        assert_eq!(c(1_000).without_percent(rate(dec!(12.5))), c(889)); // 888.88...
        assert_eq!(c(1).without_percent(rate(dec!(100))), c(1)); // 0.5 cent rounds up
        assert_eq!(c(999).without_percent(rate(dec!(0))), c(999));
        assert_eq!(c(11_500).average(2), Some(c(5_750)));
        assert_eq!(c(5).average(2), Some(c(3)));
        assert_eq!(c(-5).average(2), Some(c(-3))); // half away from zero
        assert_eq!(c(10).average(3), Some(c(3)));
        assert_eq!(c(10).average(0), None);
        let q = |d| Quantity::new(d).unwrap();
        assert_eq!(c(100).share(q(dec!(1)), q(dec!(3))), c(33));
        assert_eq!(c(100).share(q(dec!(2)), q(dec!(3))), c(67));
        assert_eq!(c(100).share(q(dec!(1)), Quantity::ZERO), Money::ZERO);
    }

    proptest! {
        #[test]
        fn a_split_adds_up_exactly_and_no_share_exceeds_its_weight(
            weights in proptest::collection::vec(0i64..=MAX_MINOR_UNITS / 100, 1..20),
            fraction in 0u32..=100,
        ) {
            let weights: Vec<Money> = weights.into_iter().map(Money::from_minor_units).collect();
            let whole = Money::checked_sum(weights.iter().copied()).unwrap();
            let amount = Money::from_minor_units(whole.minor_units() / 100 * i64::from(fraction));
            let shares = amount.split(&weights);
            prop_assert_eq!(Money::checked_sum(shares.iter().copied()), Ok(amount));
            for (share, weight) in shares.iter().zip(&weights) {
                prop_assert!(share <= weight && !share.is_negative());
            }
        }

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
