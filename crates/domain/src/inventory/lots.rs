use crate::ids::{LotId, ProductId, PurchaseLineId};
use crate::money::{Money, OutOfRange};
use crate::quantity::Quantity;
use time::OffsetDateTime;

/// Units received together at one cost. Lots are consumed oldest first: by `received_at`, then
/// id (the sequence among lots received at one instant). A lot moved by a transfer keeps the
/// age of the lot it left, so it leaves before units received later at its new location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lot {
    pub id: LotId,
    pub product_id: ProductId,
    /// The purchase line that brought it in; `None` for a lot found by an adjustment.
    pub purchase_line_id: Option<PurchaseLineId>,
    pub received: Quantity,
    pub remaining: Quantity,
    pub unit_cost: Money,
    /// The cost of the remaining units, exact to the cent. Taking the last unit of a lot takes
    /// exactly this, so rounding never leaves a cent behind or creates one.
    pub remaining_value: Money,
    pub received_at: OffsetDateTime,
    /// Where its units are: a sale takes only its store's lots.
    pub location_id: crate::ids::LocationId,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLot {
    pub product_id: ProductId,
    pub purchase_line_id: Option<PurchaseLineId>,
    pub quantity: Quantity,
    pub unit_cost: Money,
    /// Its FIFO age: when the units were first received (a lot moved by a transfer keeps the
    /// age of the lot it left).
    pub received_at: OffsetDateTime,
    pub location: crate::ids::LocationId,
    /// What the units cost when it is carried over from other lots (a transfer's receipt),
    /// exact to the cent; `None`: quantity x unit cost.
    pub carried_value: Option<Money>,
}

impl NewLot {
    /// The lot's value: what it carries over, or quantity x unit cost, rounded half up to the
    /// cent.
    pub fn value(&self) -> Result<Money, OutOfRange> {
        match self.carried_value {
            Some(value) => Ok(value),
            None => line_value(self.quantity, self.unit_cost),
        }
    }
}

/// quantity x unit price, rounded half up to the cent. Quantities have 3 decimals and prices 2,
/// so the exact product has 5; the rule is the same everywhere a line is priced. Refused when
/// the product leaves the range of an amount (no clamping: the caller names the field).
pub fn line_value(quantity: Quantity, unit: Money) -> Result<Money, OutOfRange> {
    unit.times(quantity)
}

/// A product's units and their FIFO value at one location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocationStock {
    pub location_id: crate::ids::LocationId,
    pub quantity: Quantity,
    pub value: Money,
}

/// Sums lots per location, by location id; locations whose lots are empty are left out.
pub fn stock_by_location(lots: &[Lot]) -> Result<Vec<LocationStock>, OutOfRange> {
    let mut out: Vec<LocationStock> = Vec::new();
    for lot in lots.iter().filter(|l| l.remaining.thousandths() > 0) {
        match out.iter_mut().find(|s| s.location_id == lot.location_id) {
            Some(s) => {
                s.quantity = Quantity::from_thousandths(
                    s.quantity
                        .thousandths()
                        .checked_add(lot.remaining.thousandths())
                        .ok_or(OutOfRange)?,
                );
                s.value = s.value.wide_add(lot.remaining_value)?;
            }
            None => out.push(LocationStock {
                location_id: lot.location_id,
                quantity: lot.remaining,
                value: lot.remaining_value,
            }),
        }
    }
    out.sort_by_key(|s| s.location_id);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn a_line_worth_more_than_an_amount_can_be_is_refused() {
        let q = |d| Quantity::new(d).unwrap();
        let m = |d| Money::new(d).unwrap();
        assert_eq!(
            line_value(q(dec!(9999999999)), m(dec!(99999999999.99))),
            Err(OutOfRange)
        );
        assert_eq!(
            line_value(q(dec!(1000000)), m(dec!(50000000000.00))),
            Err(OutOfRange)
        );
        assert_eq!(
            line_value(q(dec!(1)), m(dec!(99999999999.99))).unwrap(),
            m(dec!(99999999999.99))
        );
    }

    #[test]
    fn line_values_round_half_up_to_the_cent() {
        let q = |d| Quantity::new(d).unwrap();
        let m = |d| Money::new(d).unwrap();
        assert_eq!(
            line_value(q(dec!(3)), m(dec!(19.99))).unwrap(),
            m(dec!(59.97))
        );
        assert_eq!(
            line_value(q(dec!(0.333)), m(dec!(1.00))).unwrap(),
            m(dec!(0.33))
        );
        assert_eq!(
            line_value(q(dec!(0.005)), m(dec!(1.00))).unwrap(),
            m(dec!(0.01)),
            "half up"
        );
        assert_eq!(
            line_value(q(dec!(0.004)), m(dec!(1.00))).unwrap(),
            m(dec!(0.00))
        );
    }
}
