//! The checkout math. One rounding rule everywhere: half up, to the cent, per line.
//!
//! For each line, in this order:
//! 1. gross = quantity x unit price (rounded to the cent);
//! 2. the line discount (an amount, or a percent of gross) is taken off;
//! 3. the order discount (an amount, or a percent of the lines after their discounts) is
//!    shared across lines in proportion to what is left of each, by largest remainder so the
//!    shares add up to it exactly;
//! 4. what is left is what the line is charged. With a tax-exclusive rate the tax is that times
//!    the rate and is added on top; with a tax-inclusive rate the tax is the part of it above
//!    `charged x 100 / (100 + rate)`, and nothing is added.
//!
//! So a line's total is never negative, the lines add up to the sale exactly, and a 100 %
//! discount on a tax-inclusive price costs 0.00 and carries 0.00 tax.

use crate::catalog::{Percent, TaxMode};
use crate::ids::ProductId;
use crate::inventory::line_value;
use crate::money::{Money, OutOfRange};
use crate::quantity::Quantity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    Amount(Money),
    Percent(Percent),
}

/// A line as the server prices it: the catalog's (or an authorised override) unit price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartLine {
    pub product_id: ProductId,
    pub quantity: Quantity,
    pub unit_price: Money,
    pub tax: Option<(Percent, TaxMode)>,
    pub discount: Option<Discount>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedLine {
    pub product_id: ProductId,
    pub quantity: Quantity,
    pub unit_price: Money,
    /// The rate and mode the line was taxed at (kept: the rate may change later).
    pub tax_rate: Option<(Percent, TaxMode)>,
    pub gross: Money,
    pub line_discount: Money,
    pub order_discount: Money,
    /// Tax in `total`.
    pub tax: Money,
    /// What the customer pays for the line, tax included.
    pub total: Money,
}

impl PricedLine {
    /// The line's revenue: its total without tax.
    pub fn net(&self) -> Money {
        // Tax is part of the total, so this is within 0..=total.
        self.total.checked_sub(self.tax).unwrap_or(self.total)
    }

    pub fn tax_exclusive(&self) -> bool {
        matches!(self.tax_rate, Some((_, TaxMode::Exclusive)))
    }

    pub fn discount(&self) -> Money {
        // Both are parts of the line's gross, so their sum is in range.
        self.line_discount
            .checked_add(self.order_discount)
            .unwrap_or(self.gross)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedCart {
    pub lines: Vec<PricedLine>,
    /// Sum of the lines' gross.
    pub subtotal: Money,
    /// Sum of every discount.
    pub discount: Money,
    pub tax: Money,
    pub total: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error("a sale needs at least one line")]
    Empty,
    #[error("line {0}: the quantity must be greater than zero")]
    ZeroQuantity(usize),
    #[error("line {line}: the discount ({discount}) is more than the line ({gross})")]
    LineDiscountTooLarge {
        line: usize,
        discount: Money,
        gross: Money,
    },
    #[error("the order discount ({discount}) is more than the lines ({left})")]
    OrderDiscountTooLarge { discount: Money, left: Money },
    /// A line or the sale's total would leave the range of an amount.
    #[error("{field} {}", crate::money::OutOfRange)]
    OutOfRange { field: String },
}

impl PricingError {
    /// The request field the error is about.
    pub fn field(&self) -> String {
        match self {
            PricingError::Empty => "lines".to_owned(),
            PricingError::ZeroQuantity(i) => format!("lines[{i}].quantity"),
            PricingError::LineDiscountTooLarge { line, .. } => format!("lines[{line}].discount"),
            PricingError::OrderDiscountTooLarge { .. } => "discount".to_owned(),
            PricingError::OutOfRange { field } => field.clone(),
        }
    }
}

fn out_of_range(field: String) -> PricingError {
    PricingError::OutOfRange { field }
}

/// A line's value after its own discount, and that discount.
fn after_line_discount(i: usize, line: &CartLine) -> Result<(Money, Money), PricingError> {
    if line.quantity == Quantity::ZERO {
        return Err(PricingError::ZeroQuantity(i));
    }
    let gross = line_value(line.quantity, line.unit_price)
        .map_err(|_| out_of_range(format!("lines[{i}].quantity")))?;
    let discount = match line.discount {
        None => Money::ZERO,
        Some(Discount::Amount(a)) => a,
        Some(Discount::Percent(p)) => gross.percent(p),
    };
    match gross.checked_sub(discount) {
        Ok(left) if discount <= gross => Ok((left, discount)),
        _ => Err(PricingError::LineDiscountTooLarge {
            line: i,
            discount,
            gross,
        }),
    }
}

/// A line's tax and total, from what is charged for it after every discount.
fn taxed(charged: Money, tax: Option<(Percent, TaxMode)>) -> Result<(Money, Money), OutOfRange> {
    Ok(match tax {
        None => (Money::ZERO, charged),
        Some((rate, TaxMode::Exclusive)) => {
            let tax = charged.percent(rate);
            (tax, charged.checked_add(tax)?)
        }
        Some((rate, TaxMode::Inclusive)) => {
            (charged.checked_sub(charged.without_percent(rate))?, charged)
        }
    })
}

pub fn price_cart(
    lines: &[CartLine],
    order_discount: Option<Discount>,
) -> Result<PricedCart, PricingError> {
    if lines.is_empty() {
        return Err(PricingError::Empty);
    }
    let (after_line, line_discounts): (Vec<Money>, Vec<Money>) = lines
        .iter()
        .enumerate()
        .map(|(i, line)| after_line_discount(i, line))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .unzip();
    let left = Money::checked_sum(after_line.iter().copied())
        .map_err(|_| out_of_range("lines".to_owned()))?;
    let order = match order_discount {
        None => Money::ZERO,
        Some(Discount::Amount(a)) => a,
        Some(Discount::Percent(p)) => left.percent(p),
    };
    if order > left {
        return Err(PricingError::OrderDiscountTooLarge {
            discount: order,
            left,
        });
    }
    let shares = order.split(&after_line);
    let mut priced = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let field = || out_of_range(format!("lines[{i}].quantity"));
        // A share is at most its line's value after its own discount (split's promise).
        let charged = after_line[i].checked_sub(shares[i]).map_err(|_| field())?;
        let (tax, total) = taxed(charged, line.tax).map_err(|_| field())?;
        priced.push(PricedLine {
            product_id: line.product_id,
            quantity: line.quantity,
            unit_price: line.unit_price,
            tax_rate: line.tax,
            gross: after_line[i]
                .checked_add(line_discounts[i])
                .map_err(|_| field())?,
            line_discount: line_discounts[i],
            order_discount: shares[i],
            tax,
            total,
        });
    }
    let sum = |f: fn(&PricedLine) -> Money| {
        Money::checked_sum(priced.iter().map(f)).map_err(|_| out_of_range("lines".to_owned()))
    };
    Ok(PricedCart {
        subtotal: sum(|l| l.gross)?,
        discount: sum(PricedLine::discount)?,
        tax: sum(|l| l.tax)?,
        total: sum(|l| l.total)?,
        lines: priced,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn m(s: &str) -> Money {
        Money::new(Decimal::from_str(s).unwrap()).unwrap()
    }

    fn pct(s: &str) -> Percent {
        Percent::new(Decimal::from_str(s).unwrap()).unwrap()
    }

    fn line(
        qty: &str,
        price: &str,
        tax: Option<(&str, TaxMode)>,
        discount: Option<Discount>,
    ) -> CartLine {
        CartLine {
            product_id: ProductId::new(1),
            quantity: Quantity::new(Decimal::from_str(qty).unwrap()).unwrap(),
            unit_price: m(price),
            tax: tax.map(|(r, mode)| (pct(r), mode)),
            discount,
        }
    }

    struct Case {
        name: &'static str,
        lines: Vec<CartLine>,
        order: Option<Discount>,
        /// (discount, tax, total)
        expect: (&'static str, &'static str, &'static str),
    }

    #[test]
    fn checkout_math_table() {
        use TaxMode::{Exclusive, Inclusive};
        let cases = [
            Case {
                name: "no tax",
                lines: vec![line("3", "19.99", None, None)],
                order: None,
                expect: ("0.00", "0.00", "59.97"),
            },
            Case {
                name: "exclusive 15%",
                lines: vec![line("2", "10.00", Some(("15", Exclusive)), None)],
                order: None,
                expect: ("0.00", "3.00", "23.00"),
            },
            Case {
                name: "inclusive 15%",
                lines: vec![line("1", "115.00", Some(("15", Inclusive)), None)],
                order: None,
                expect: ("0.00", "15.00", "115.00"),
            },
            Case {
                name: "inclusive rounds half up",
                lines: vec![line("1", "9.99", Some(("7.5", Inclusive)), None)],
                order: None,
                expect: ("0.00", "0.70", "9.99"),
            },
            Case {
                name: "line percent discount",
                lines: vec![line(
                    "1",
                    "10.00",
                    Some(("10", Exclusive)),
                    Some(Discount::Percent(pct("25"))),
                )],
                order: None,
                expect: ("2.50", "0.75", "8.25"),
            },
            Case {
                name: "line amount discount",
                lines: vec![line("2", "5.00", None, Some(Discount::Amount(m("1.50"))))],
                order: None,
                expect: ("1.50", "0.00", "8.50"),
            },
            Case {
                name: "order discount shared by largest remainder",
                lines: vec![
                    line("1", "1.00", None, None),
                    line("1", "1.00", None, None),
                    line("1", "1.00", None, None),
                ],
                order: Some(Discount::Amount(m("1.00"))),
                expect: ("1.00", "0.00", "2.00"),
            },
            Case {
                name: "100% off a tax-inclusive price is 0.00",
                lines: vec![line(
                    "1",
                    "9.99",
                    Some(("15", Inclusive)),
                    Some(Discount::Percent(pct("100"))),
                )],
                order: None,
                expect: ("9.99", "0.00", "0.00"),
            },
            Case {
                name: "100% order discount, inclusive",
                lines: vec![line("3", "3.33", Some(("7.25", Inclusive)), None)],
                order: Some(Discount::Percent(pct("100"))),
                expect: ("9.99", "0.00", "0.00"),
            },
            Case {
                name: "fractional quantity",
                lines: vec![line("0.75", "4.99", None, None)],
                order: None,
                expect: ("0.00", "0.00", "3.74"),
            },
        ];
        for case in cases {
            let cart = price_cart(&case.lines, case.order).unwrap();
            let got = (
                cart.discount.to_string(),
                cart.tax.to_string(),
                cart.total.to_string(),
            );
            let want = (
                case.expect.0.to_owned(),
                case.expect.1.to_owned(),
                case.expect.2.to_owned(),
            );
            assert_eq!(got, want, "{}", case.name);
        }
    }

    #[test]
    fn discounts_larger_than_the_goods_are_refused() {
        let too_much = price_cart(
            &[line("1", "5.00", None, Some(Discount::Amount(m("5.01"))))],
            None,
        );
        assert!(matches!(
            too_much,
            Err(PricingError::LineDiscountTooLarge { .. })
        ));
        let order = price_cart(
            &[line("1", "5.00", None, None)],
            Some(Discount::Amount(m("5.01"))),
        );
        assert!(matches!(
            order,
            Err(PricingError::OrderDiscountTooLarge { .. })
        ));
        assert_eq!(price_cart(&[], None), Err(PricingError::Empty));
        assert_eq!(
            price_cart(&[line("0", "1.00", None, None)], None),
            Err(PricingError::ZeroQuantity(0))
        );
    }

    #[test]
    fn shares_add_up_exactly() {
        let c = Money::from_minor_units;
        assert_eq!(c(100).split(&[c(1), c(1), c(1)]), vec![c(34), c(33), c(33)]);
        assert_eq!(c(0).split(&[c(5), c(5)]), vec![c(0), c(0)]);
        assert_eq!(c(7).split(&[c(0), c(10)]), vec![c(0), c(7)]);
    }

    fn arb_line() -> impl Strategy<Value = CartLine> {
        (
            1i64..50_000,
            0i64..1_000_000,
            prop::option::of((0i64..=1_000_000, any::<bool>())),
            prop::option::of(prop_oneof![
                (0i64..=1_000_000).prop_map(|p| (true, p)),
                (0i64..100_000).prop_map(|a| (false, a))
            ]),
        )
            .prop_map(|(qty, price, tax, discount)| CartLine {
                product_id: ProductId::new(1),
                quantity: Quantity::from_thousandths(qty),
                unit_price: Money::from_minor_units(price),
                tax: tax.map(|(r, inclusive)| {
                    (
                        Percent::from_scaled(r),
                        if inclusive {
                            TaxMode::Inclusive
                        } else {
                            TaxMode::Exclusive
                        },
                    )
                }),
                discount: discount.map(|(is_pct, v)| {
                    if is_pct {
                        Discount::Percent(Percent::from_scaled(v))
                    } else {
                        Discount::Amount(Money::from_minor_units(v))
                    }
                }),
            })
    }

    proptest! {
        /// Whatever the cart, the lines add up to the sale exactly, nothing is negative, and a
        /// line's tax never exceeds its total.
        #[test]
        fn lines_always_add_up_to_the_total(lines in prop::collection::vec(arb_line(), 1..6), order_pct in prop::option::of(0i64..=1_000_000)) {
            let order = order_pct.map(|p| Discount::Percent(Percent::from_scaled(p)));
            if let Ok(cart) = price_cart(&lines, order) {
                let sum = |f: fn(&PricedLine) -> i64| cart.lines.iter().map(f).sum::<i64>();
                prop_assert_eq!(sum(|l| l.total.minor_units()), cart.total.minor_units());
                prop_assert_eq!(sum(|l| l.tax.minor_units()), cart.tax.minor_units());
                prop_assert_eq!(sum(|l| l.discount().minor_units()), cart.discount.minor_units());
                for l in &cart.lines {
                    prop_assert!(l.total.minor_units() >= 0 && l.tax.minor_units() >= 0 && l.tax <= l.total);
                    prop_assert!(l.net().minor_units() >= 0);
                    prop_assert_eq!(l.gross.minor_units() - l.discount().minor_units() + if l.tax_exclusive() { l.tax.minor_units() } else { 0 }, l.total.minor_units());
                }
                if order_pct == Some(1_000_000) {
                    prop_assert_eq!(cart.total, Money::ZERO, "100% off is free, never 0.01");
                }
            }
        }
    }
}
