//! The per-group totals storage computes, and the figures derived from them.

use crate::catalog::Percent;
use crate::ids::{CustomerId, ProductId, UserId};
use crate::money::{Money, OutOfRange};
use crate::quantity::Quantity;
use rust_decimal::Decimal;
use time::Date;

/// What the totals are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    Day,
    Product,
    /// The staff member who made the sale (returns count against the sale's seller).
    Seller,
    /// The sale's customer; walk-in sales form one group.
    Customer,
    /// The line's tax rate; untaxed lines form one group.
    TaxRate,
}

/// One group's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupKey {
    Day(Date),
    Product(ProductId),
    Seller(UserId),
    Customer(Option<CustomerId>),
    TaxRate(Option<Percent>),
}

/// Only one seller's or one customer's sales and returns, at some locations (empty: all).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SalesScope {
    pub seller: Option<UserId>,
    pub customer: Option<CustomerId>,
    /// The stores whose registers made the sales and took the returns; empty for every one.
    pub locations: Vec<crate::ids::LocationId>,
}

/// Sums over sale lines dated in a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SalesFigures {
    /// Distinct sales (transactions).
    pub sales: u64,
    pub lines: u64,
    pub quantity: Quantity,
    /// What the lines were charged, tax included, after every discount.
    pub total: Money,
    pub tax: Money,
    /// Line and order discounts taken off.
    pub discount: Money,
    /// FIFO cost of the units.
    pub cost: Money,
}

/// Sums over return lines dated in a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReturnFigures {
    /// Distinct return records.
    pub returns: u64,
    pub quantity: Quantity,
    /// Refunded, tax included.
    pub refund: Money,
    pub tax: Money,
    /// FIFO cost of the returned units.
    pub cost: Money,
}

/// Report figures add up day totals of at most twenty years (see
/// `crate::app::ledger::MAX_BACKDATE_DAYS`), each of which the store keeps within the range of
/// one amount; so every figure here, and every sum or difference of a few of them, stays below
/// 10^17, far inside the 64 bits `Money::wide_*` refuse past. The zero fallback of [`exact`] is
/// never reached; it keeps these accessors infallible for the many callers that show them.
fn exact(figure: Result<Money, OutOfRange>) -> Money {
    figure.unwrap_or(Money::ZERO)
}

impl SalesFigures {
    /// Adds another group's totals (distinct counts add because groups are disjoint).
    pub fn add(&mut self, other: &Self) -> Result<(), OutOfRange> {
        self.sales += other.sales;
        self.lines += other.lines;
        self.quantity =
            Quantity::from_thousandths(self.quantity.thousandths() + other.quantity.thousandths());
        self.total = self.total.wide_add(other.total)?;
        self.tax = self.tax.wide_add(other.tax)?;
        self.discount = self.discount.wide_add(other.discount)?;
        self.cost = self.cost.wide_add(other.cost)?;
        Ok(())
    }
}

impl ReturnFigures {
    pub fn add(&mut self, other: &Self) -> Result<(), OutOfRange> {
        self.returns += other.returns;
        self.quantity =
            Quantity::from_thousandths(self.quantity.thousandths() + other.quantity.thousandths());
        self.refund = self.refund.wide_add(other.refund)?;
        self.tax = self.tax.wide_add(other.tax)?;
        self.cost = self.cost.wide_add(other.cost)?;
        Ok(())
    }
}

/// Sales less returns for one group: the figures every report shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Performance {
    pub sold: SalesFigures,
    pub returned: ReturnFigures,
}

impl Performance {
    pub fn add(&mut self, other: &Self) -> Result<(), OutOfRange> {
        self.sold.add(&other.sold)?;
        self.returned.add(&other.returned)
    }

    /// Charged before discounts, without tax (the books' revenue account).
    pub fn gross_sales(&self) -> Money {
        exact(
            self.sold
                .total
                .wide_sub(self.sold.tax)
                .and_then(|net| net.wide_add(self.sold.discount)),
        )
    }

    pub fn discounts(&self) -> Money {
        self.sold.discount
    }

    /// Refunded without tax (the books' returns account).
    pub fn returns(&self) -> Money {
        exact(self.returned.refund.wide_sub(self.returned.tax))
    }

    /// Gross sales - discounts - returns.
    pub fn net_sales(&self) -> Money {
        exact(
            self.sold
                .total
                .wide_sub(self.sold.tax)
                .and_then(|net| net.wide_sub(self.returns())),
        )
    }

    /// Tax charged less tax refunded.
    pub fn tax(&self) -> Money {
        exact(self.sold.tax.wide_sub(self.returned.tax))
    }

    /// Taken in, tax included, less refunds (what the tills and the dues received net).
    pub fn takings(&self) -> Money {
        exact(self.sold.total.wide_sub(self.returned.refund))
    }

    pub fn cost_of_goods_sold(&self) -> Money {
        exact(self.sold.cost.wide_sub(self.returned.cost))
    }

    pub fn gross_profit(&self) -> Money {
        exact(self.net_sales().wide_sub(self.cost_of_goods_sold()))
    }

    /// Units sold less units returned.
    pub fn net_quantity(&self) -> Quantity {
        Quantity::from_thousandths(
            self.sold.quantity.thousandths() - self.returned.quantity.thousandths(),
        )
    }

    /// Gross profit as a percentage of net sales, to two places; `None` without net sales.
    pub fn margin(&self) -> Option<Decimal> {
        ratio(self.gross_profit(), self.net_sales())
    }

    /// Charged per sale, tax included, before returns; `None` without sales.
    pub fn average_basket(&self) -> Option<Money> {
        self.sold.total.average(self.sold.sales)
    }
}

/// `part / whole` as a percentage with two decimals; `None` when `whole` is zero.
pub fn ratio(part: Money, whole: Money) -> Option<Decimal> {
    if whole.is_zero() {
        return None;
    }
    let mut p = part.amount() * Decimal::ONE_HUNDRED / whole.amount();
    p = p.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(c: i64) -> Money {
        Money::from_minor_units(c)
    }

    #[test]
    fn net_sales_and_profit_follow_the_books_definitions() {
        // Two sales: 115.00 charged with 15.00 tax after a 10.00 discount, cost 60.00;
        // one return refunding 23.00 with 3.00 tax, cost 12.00.
        let p = Performance {
            sold: SalesFigures {
                sales: 2,
                lines: 3,
                quantity: Quantity::from_thousandths(5_000),
                total: m(11_500),
                tax: m(1_500),
                discount: m(1_000),
                cost: m(6_000),
            },
            returned: ReturnFigures {
                returns: 1,
                quantity: Quantity::from_thousandths(1_000),
                refund: m(2_300),
                tax: m(300),
                cost: m(1_200),
            },
        };
        assert_eq!(p.gross_sales(), m(11_000));
        assert_eq!(p.returns(), m(2_000));
        assert_eq!(p.net_sales(), m(8_000));
        assert_eq!(p.tax(), m(1_200));
        assert_eq!(p.cost_of_goods_sold(), m(4_800));
        assert_eq!(p.gross_profit(), m(3_200));
        assert_eq!(p.margin(), Some(Decimal::new(4000, 2)));
        assert_eq!(p.average_basket(), Some(m(5_750)));
        assert_eq!(p.net_quantity(), Quantity::from_thousandths(4_000));
    }

    #[test]
    fn empty_groups_have_no_ratios() {
        let p = Performance::default();
        assert_eq!(p.margin(), None);
        assert_eq!(p.average_basket(), None);
        assert_eq!(ratio(m(1), m(3)), Some(Decimal::new(3333, 2)));
    }

    proptest::proptest! {
        /// The ratio of two amounts is the ratio of their cents, to the last rounded digit.
        #[test]
        fn a_ratio_of_amounts_is_the_ratio_of_their_cents(
            part in -crate::money::MAX_MINOR_UNITS..=crate::money::MAX_MINOR_UNITS,
            whole in -crate::money::MAX_MINOR_UNITS..=crate::money::MAX_MINOR_UNITS,
        ) {
            proptest::prop_assume!(whole != 0);
            let of_cents = (Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole))
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            proptest::prop_assert_eq!(ratio(m(part), m(whole)), Some(of_cents));
        }
    }
}
