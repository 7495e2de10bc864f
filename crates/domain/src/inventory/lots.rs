use crate::ids::{LotId, ProductId, PurchaseLineId};
use crate::money::Money;
use crate::quantity::Quantity;
use time::OffsetDateTime;

/// Units received together at one cost. Lots are consumed in id order (the sequence that fixes
/// FIFO order): the first received is the first to leave.
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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLot {
    pub product_id: ProductId,
    pub purchase_line_id: Option<PurchaseLineId>,
    pub quantity: Quantity,
    pub unit_cost: Money,
    pub received_at: OffsetDateTime,
}

impl NewLot {
    /// The lot's value: quantity x unit cost, rounded half up to the cent.
    pub fn value(&self) -> Money {
        line_value(self.quantity, self.unit_cost)
    }
}

/// quantity x unit price, rounded half up to the cent. Quantities have 3 decimals and prices 2,
/// so the exact product has 5; the rule is the same everywhere a line is priced.
pub fn line_value(quantity: Quantity, unit: Money) -> Money {
    let exact = i128::from(quantity.thousandths()) * i128::from(unit.minor_units());
    let cents = (exact + 500) / 1000; // both factors are non-negative
    Money::from_minor_units(i64::try_from(cents).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn line_values_round_half_up_to_the_cent() {
        let q = |d| Quantity::new(d).unwrap();
        let m = |d| Money::new(d).unwrap();
        assert_eq!(line_value(q(dec!(3)), m(dec!(19.99))), m(dec!(59.97)));
        assert_eq!(line_value(q(dec!(0.333)), m(dec!(1.00))), m(dec!(0.33)));
        assert_eq!(
            line_value(q(dec!(0.005)), m(dec!(1.00))),
            m(dec!(0.01)),
            "half up"
        );
        assert_eq!(line_value(q(dec!(0.004)), m(dec!(1.00))), m(dec!(0.00)));
    }
}
