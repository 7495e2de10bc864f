//! Quantities of stock: exact, with up to three decimal places for goods sold by weight or volume.

use rust_decimal::Decimal;
use std::fmt;

pub const QUANTITY_SCALE: u32 = 3;
const MAX_UNITS: i64 = 999_999_999_999;
/// The largest quantity (of a line, a lot, a product's stock, a day's sales of a product), in
/// thousandths: 999,999,999,999.999 units.
pub const MAX_THOUSANDTHS: i64 = MAX_UNITS * 1000 + 999;

/// A non-negative quantity with at most three decimal places, stored as integer thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Quantity(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    #[error("a quantity has at most {QUANTITY_SCALE} decimal places; got {0}")]
    TooPrecise(Decimal),
    #[error("a quantity must not be negative; got {0}")]
    Negative(Decimal),
    #[error("the quantity {0} is too large")]
    TooLarge(Decimal),
}

impl Quantity {
    pub const ZERO: Quantity = Quantity(0);

    pub fn new(value: Decimal) -> Result<Self, QuantityError> {
        let normalized = value.normalize();
        if normalized.scale() > QUANTITY_SCALE {
            return Err(QuantityError::TooPrecise(value));
        }
        if normalized.is_sign_negative() && !normalized.is_zero() {
            return Err(QuantityError::Negative(value));
        }
        if normalized > Decimal::new(MAX_THOUSANDTHS, QUANTITY_SCALE) {
            return Err(QuantityError::TooLarge(value));
        }
        let mut scaled = normalized;
        scaled.rescale(QUANTITY_SCALE);
        // At most MAX_THOUSANDTHS at three decimals: the mantissa fits.
        i64::try_from(scaled.mantissa())
            .map(Self)
            .map_err(|_| QuantityError::TooLarge(value))
    }

    /// A quantity computed in thousandths (stock on hand after a receipt...), refused when it
    /// is negative or above the documented maximum.
    pub fn checked_from_thousandths(
        raw: impl Into<i128>,
    ) -> Result<Self, crate::money::OutOfRange> {
        let raw = raw.into();
        if !(0..=i128::from(MAX_THOUSANDTHS)).contains(&raw) {
            return Err(crate::money::OutOfRange);
        }
        i64::try_from(raw)
            .map(Self::from_thousandths)
            .map_err(|_| crate::money::OutOfRange)
    }

    /// `self + other`, refused above the maximum.
    pub fn checked_add(self, other: Quantity) -> Result<Quantity, crate::money::OutOfRange> {
        Self::checked_from_thousandths(i128::from(self.0) + i128::from(other.0))
    }

    /// `self - other`, refused below zero.
    pub fn checked_sub(self, other: Quantity) -> Result<Quantity, crate::money::OutOfRange> {
        Self::checked_from_thousandths(i128::from(self.0) - i128::from(other.0))
    }

    /// Rebuilds a quantity from integer thousandths, the storage encoding.
    pub fn from_thousandths(raw: i64) -> Self {
        Self(raw)
    }

    /// The quantity in integer thousandths, the storage encoding.
    pub fn thousandths(self) -> i64 {
        self.0
    }

    /// The quantity as a decimal in its shortest exact form ("2.5", "10").
    pub fn value(self) -> Decimal {
        Decimal::new(self.0, QUANTITY_SCALE).normalize()
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn quantities_round_trip_through_thousandths() {
        let q = Quantity::new(dec!(2.5)).unwrap();
        assert_eq!(q.thousandths(), 2500);
        assert_eq!(Quantity::from_thousandths(2500), q);
        assert_eq!(q.to_string(), "2.5");
    }

    #[test]
    fn negative_or_too_precise_quantities_are_refused() {
        assert!(matches!(
            Quantity::new(dec!(-1)),
            Err(QuantityError::Negative(_))
        ));
        assert!(matches!(
            Quantity::new(dec!(0.0001)),
            Err(QuantityError::TooPrecise(_))
        ));
    }
}
