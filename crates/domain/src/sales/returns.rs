//! Returns: what a returned quantity of a sale line refunds, what it cost, and which lots the
//! units go back to. Every figure is the difference of two cumulative amounts ("what the first
//! n returned units are worth"), so returning a line piece by piece gives exactly what
//! returning it at once would, and the last unit takes what remains: never a cent too many.

use super::sale::{SaleLine, SaleStatus};
use crate::catalog::Percent;
use crate::ids::{CustomerId, LotId, ProductId, SaleId, SaleLineId, UserId};
use crate::money::Money;
use crate::quantity::Quantity;
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReturnError {
    #[error("only {left} of this line can still be returned ({requested} requested)")]
    TooMany { left: Quantity, requested: Quantity },
    #[error("the quantity must be greater than zero")]
    Zero,
    /// A figure of the return would leave the range of an amount (the line's figures bound
    /// them, so only a broken bound gets here).
    #[error("{}", crate::money::OutOfRange)]
    OutOfRange,
}

/// A return as recorded: dated, with what each line gave back, so reports can count returns on
/// the day they happened with exactly the figures the books were posted with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSaleReturn {
    pub sale_id: SaleId,
    /// Where the goods came back.
    pub register_id: crate::ids::RegisterId,
    pub date: Date,
    /// Who took the goods back.
    pub user_id: UserId,
    /// The sale's seller and customer, whose figures the return reduces.
    pub seller_id: UserId,
    pub customer_id: Option<CustomerId>,
    pub lines: Vec<ReturnedLine>,
    /// Taken off the sale's due.
    pub credited: Money,
    /// Paid back.
    pub refunded: Money,
    /// The sale's status after the return.
    pub status: SaleStatus,
    pub at: OffsetDateTime,
}

impl NewSaleReturn {
    pub fn refund(&self) -> Result<Money, crate::money::OutOfRange> {
        // Each line's refund is a part of that line's total, and the lines' totals add up to
        // the sale's total, which pricing kept in range.
        Money::checked_sum(self.lines.iter().map(|l| l.refund))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnedLine {
    pub sale_line_id: SaleLineId,
    pub product_id: ProductId,
    pub tax_rate: Option<Percent>,
    pub quantity: Quantity,
    pub refund: Money,
    pub tax: Money,
    pub cost: Money,
    /// Back on the shelf (else written off).
    pub restocked: bool,
}

/// What returning some units of a line gives back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineReturn {
    pub quantity: Quantity,
    /// Refund, tax included.
    pub refund: Money,
    /// Of which tax.
    pub tax: Money,
    /// Their FIFO cost.
    pub cost: Money,
    /// Units and cost going back to each lot they came from.
    pub lots: Vec<(LotId, Quantity, Money)>,
}

/// `amount x n / of` for a non-negative `amount`, rounded half up; exactly `amount` when
/// `n >= of` (or `of` is zero).
fn portion(amount: Money, n: i64, of: i64) -> Money {
    if of == 0 || n >= of {
        return amount;
    }
    amount.share(
        Quantity::from_thousandths(n),
        Quantity::from_thousandths(of),
    )
}

/// The cost of the first `n` units returned, and how it splits over the lots. Units go back
/// to the most recently taken lot first.
fn cost_of_first(line: &SaleLine, n: i64) -> Vec<(LotId, i64, Money)> {
    let mut left = n;
    let mut out = Vec::new();
    for take in line.takes.iter().rev() {
        if left == 0 {
            break;
        }
        let units = left.min(take.quantity.thousandths());
        out.push((
            take.lot_id,
            units,
            portion(take.cost, units, take.quantity.thousandths()),
        ));
        left -= units;
    }
    out
}

/// What the units from the `before`th to the `after`th of `amount` (spread over `sold` units)
/// are worth: the difference of two portions of it, each within `0..=amount`.
fn between(amount: Money, before: i64, after: i64, sold: i64) -> Result<Money, ReturnError> {
    portion(amount, after, sold)
        .checked_sub(portion(amount, before, sold))
        .map_err(|_| ReturnError::OutOfRange)
}

pub fn line_return(line: &SaleLine, quantity: Quantity) -> Result<LineReturn, ReturnError> {
    if quantity == Quantity::ZERO {
        return Err(ReturnError::Zero);
    }
    let sold = line.priced.quantity.thousandths();
    let before = line.returned.thousandths();
    let after = before + quantity.thousandths();
    if after > sold {
        return Err(ReturnError::TooMany {
            left: Quantity::from_thousandths(sold - before),
            requested: quantity,
        });
    }
    let refund = between(line.priced.total, before, after, sold)?;
    let tax_back = between(line.priced.tax, before, after, sold)?;
    let was = cost_of_first(line, before);
    let now = cost_of_first(line, after);
    let mut lots = Vec::new();
    let mut cost = Money::ZERO;
    for (lot, units, value) in now {
        let (prev_units, prev_value) = was
            .iter()
            .find(|(l, _, _)| *l == lot)
            .map_or((0, Money::ZERO), |(_, u, v)| (*u, *v));
        if units > prev_units {
            // Both values are portions of the same take's cost, and the lots' parts add up to
            // at most the line's cost: in range.
            let value = value
                .checked_sub(prev_value)
                .map_err(|_| ReturnError::OutOfRange)?;
            lots.push((lot, Quantity::from_thousandths(units - prev_units), value));
            cost = cost
                .checked_add(value)
                .map_err(|_| ReturnError::OutOfRange)?;
        }
    }
    Ok(LineReturn {
        quantity,
        refund,
        tax: tax_back,
        cost,
        lots,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ProductId, SaleLineId};
    use crate::inventory::Take;
    use crate::sales::pricing::PricedLine;

    fn line(returned: i64) -> SaleLine {
        SaleLine {
            id: SaleLineId::new(1),
            priced: PricedLine {
                product_id: ProductId::new(1),
                quantity: Quantity::from_thousandths(3_000),
                unit_price: Money::from_minor_units(334),
                tax_rate: None,
                gross: Money::from_minor_units(1_000),
                line_discount: Money::ZERO,
                order_discount: Money::ZERO,
                tax: Money::from_minor_units(100),
                total: Money::from_minor_units(1_000),
            },
            takes: vec![
                Take {
                    lot_id: LotId::new(1),
                    quantity: Quantity::from_thousandths(1_000),
                    cost: Money::from_minor_units(200),
                },
                Take {
                    lot_id: LotId::new(2),
                    quantity: Quantity::from_thousandths(2_000),
                    cost: Money::from_minor_units(700),
                },
            ],
            returned: Quantity::from_thousandths(returned),
        }
    }

    #[test]
    fn piecewise_returns_add_up_to_the_whole_line() {
        let one = Quantity::from_thousandths(1_000);
        let mut refunds = Vec::new();
        let mut costs = Vec::new();
        for returned in [0, 1_000, 2_000] {
            let r = line_return(&line(returned), one).unwrap();
            refunds.push(r.refund.minor_units());
            costs.push(r.cost.minor_units());
        }
        assert_eq!(refunds, [333, 334, 333]);
        assert_eq!(refunds.iter().sum::<i64>(), 1_000);
        assert_eq!(costs.iter().sum::<i64>(), 900);
        assert_eq!(
            costs,
            [350, 350, 200],
            "the newest lot's units go back first"
        );
        let all = line_return(&line(0), Quantity::from_thousandths(3_000)).unwrap();
        assert_eq!(
            (
                all.refund.minor_units(),
                all.tax.minor_units(),
                all.cost.minor_units()
            ),
            (1_000, 100, 900)
        );
        assert_eq!(all.lots.len(), 2);
    }

    #[test]
    fn returning_more_than_sold_is_refused() {
        assert_eq!(
            line_return(&line(2_500), Quantity::from_thousandths(1_000)),
            Err(ReturnError::TooMany {
                left: Quantity::from_thousandths(500),
                requested: Quantity::from_thousandths(1_000)
            })
        );
        assert_eq!(
            line_return(&line(0), Quantity::ZERO),
            Err(ReturnError::Zero)
        );
    }
}
