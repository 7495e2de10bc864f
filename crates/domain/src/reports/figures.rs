//! The per-group totals storage computes, and the figures derived from them.

use crate::catalog::Percent;
use crate::ids::{CustomerId, ProductId, UserId};
use crate::money::Money;
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

/// Only one seller's or one customer's sales and returns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SalesScope {
    pub seller: Option<UserId>,
    pub customer: Option<CustomerId>,
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

fn cents(m: Money) -> i64 {
    m.minor_units()
}

fn money(c: i64) -> Money {
    Money::from_minor_units(c)
}

impl SalesFigures {
    /// Adds another group's totals (distinct counts add because groups are disjoint).
    pub fn add(&mut self, other: &Self) {
        self.sales += other.sales;
        self.lines += other.lines;
        self.quantity =
            Quantity::from_thousandths(self.quantity.thousandths() + other.quantity.thousandths());
        self.total = money(cents(self.total) + cents(other.total));
        self.tax = money(cents(self.tax) + cents(other.tax));
        self.discount = money(cents(self.discount) + cents(other.discount));
        self.cost = money(cents(self.cost) + cents(other.cost));
    }
}

impl ReturnFigures {
    pub fn add(&mut self, other: &Self) {
        self.returns += other.returns;
        self.quantity =
            Quantity::from_thousandths(self.quantity.thousandths() + other.quantity.thousandths());
        self.refund = money(cents(self.refund) + cents(other.refund));
        self.tax = money(cents(self.tax) + cents(other.tax));
        self.cost = money(cents(self.cost) + cents(other.cost));
    }
}

/// Sales less returns for one group: the figures every report shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Performance {
    pub sold: SalesFigures,
    pub returned: ReturnFigures,
}

impl Performance {
    pub fn add(&mut self, other: &Self) {
        self.sold.add(&other.sold);
        self.returned.add(&other.returned);
    }

    /// Charged before discounts, without tax (the books' revenue account).
    pub fn gross_sales(&self) -> Money {
        money(cents(self.sold.total) - cents(self.sold.tax) + cents(self.sold.discount))
    }

    pub fn discounts(&self) -> Money {
        self.sold.discount
    }

    /// Refunded without tax (the books' returns account).
    pub fn returns(&self) -> Money {
        money(cents(self.returned.refund) - cents(self.returned.tax))
    }

    /// Gross sales - discounts - returns.
    pub fn net_sales(&self) -> Money {
        money(cents(self.sold.total) - cents(self.sold.tax) - cents(self.returns()))
    }

    /// Tax charged less tax refunded.
    pub fn tax(&self) -> Money {
        money(cents(self.sold.tax) - cents(self.returned.tax))
    }

    /// Taken in, tax included, less refunds (what the tills and the dues received net).
    pub fn takings(&self) -> Money {
        money(cents(self.sold.total) - cents(self.returned.refund))
    }

    pub fn cost_of_goods_sold(&self) -> Money {
        money(cents(self.sold.cost) - cents(self.returned.cost))
    }

    pub fn gross_profit(&self) -> Money {
        money(cents(self.net_sales()) - cents(self.cost_of_goods_sold()))
    }

    /// Units sold less units returned.
    pub fn net_quantity(&self) -> Quantity {
        Quantity::from_thousandths(
            self.sold.quantity.thousandths() - self.returned.quantity.thousandths(),
        )
    }

    /// Gross profit as a percentage of net sales, to two places; `None` without net sales.
    pub fn margin(&self) -> Option<Decimal> {
        ratio(cents(self.gross_profit()), cents(self.net_sales()))
    }

    /// Charged per sale, tax included, before returns; `None` without sales.
    pub fn average_basket(&self) -> Option<Money> {
        if self.sold.sales == 0 {
            return None;
        }
        let count = i64::try_from(self.sold.sales).ok()?;
        Some(money(div_round(cents(self.sold.total), count)))
    }
}

/// `n / d` rounded half away from zero.
fn div_round(n: i64, d: i64) -> i64 {
    let (n, d) = (i128::from(n), i128::from(d));
    let q = (2 * n.abs() + d) / (2 * d);
    i64::try_from(if n < 0 { -q } else { q }).unwrap_or(0)
}

/// `part / whole` as a percentage with two decimals; `None` when `whole` is zero.
pub fn ratio(part: i64, whole: i64) -> Option<Decimal> {
    if whole == 0 {
        return None;
    }
    let mut p = Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole);
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
        assert_eq!(ratio(1, 3), Some(Decimal::new(3333, 2)));
        assert_eq!(div_round(-5, 2), -3);
    }
}
