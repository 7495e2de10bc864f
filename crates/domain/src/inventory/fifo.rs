//! The FIFO rule: which lots a quantity leaves from, and at what cost.

use crate::ids::LotId;
use crate::money::Money;
use crate::quantity::Quantity;

/// What a lot holds now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LotBalance {
    pub lot_id: LotId,
    pub remaining: Quantity,
    pub remaining_value: Money,
}

/// Units taken from one lot and their cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Take {
    pub lot_id: LotId,
    pub quantity: Quantity,
    pub cost: Money,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("only {available} in stock, {requested} requested")]
pub struct InsufficientStock {
    pub requested: Quantity,
    pub available: Quantity,
}

/// The cost of taking `quantity` of a lot: its share of the remaining value, rounded half up to
/// the cent; all of what remains when it takes everything. The lot's value therefore always
/// stays exact and never goes negative.
pub fn take_from_lot(lot: &LotBalance, quantity: Quantity) -> Result<Take, InsufficientStock> {
    if quantity > lot.remaining {
        return Err(InsufficientStock {
            requested: quantity,
            available: lot.remaining,
        });
    }
    let cost = if quantity == lot.remaining {
        lot.remaining_value
    } else {
        lot.remaining_value.share(quantity, lot.remaining)
    };
    Ok(Take {
        lot_id: lot.lot_id,
        quantity,
        cost,
    })
}

/// Takes `quantity` from `lots` (oldest first, as given), or refuses with what is available.
/// Never takes more than a lot holds.
pub fn allocate(lots: &[LotBalance], quantity: Quantity) -> Result<Vec<Take>, InsufficientStock> {
    let available: i128 = lots
        .iter()
        .map(|l| i128::from(l.remaining.thousandths()))
        .sum();
    let mut wanted = quantity.thousandths();
    if i128::from(wanted) > available {
        return Err(InsufficientStock {
            requested: quantity,
            // Less than what was asked for, so within range.
            available: Quantity::checked_from_thousandths(available).unwrap_or(quantity),
        });
    }
    let mut takes = Vec::new();
    for lot in lots {
        if wanted == 0 {
            break;
        }
        let here = wanted.min(lot.remaining.thousandths());
        if here == 0 {
            continue;
        }
        takes.push(take_from_lot(lot, Quantity::from_thousandths(here))?);
        wanted -= here;
    }
    Ok(takes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lot(id: i64, units: i64, value_cents: i64) -> LotBalance {
        LotBalance {
            lot_id: LotId::new(id),
            remaining: Quantity::from_thousandths(units * 1000),
            remaining_value: Money::from_minor_units(value_cents),
        }
    }

    fn q(units: i64) -> Quantity {
        Quantity::from_thousandths(units * 1000)
    }

    #[test]
    fn the_oldest_lot_goes_first() {
        let lots = [lot(1, 5, 500), lot(2, 10, 1_200)];
        let takes = allocate(&lots, q(7)).unwrap();
        assert_eq!(
            takes,
            vec![
                Take {
                    lot_id: LotId::new(1),
                    quantity: q(5),
                    cost: Money::from_minor_units(500)
                },
                Take {
                    lot_id: LotId::new(2),
                    quantity: q(2),
                    cost: Money::from_minor_units(240)
                },
            ]
        );
    }

    #[test]
    fn taking_more_than_stock_is_refused_with_what_is_available() {
        let lots = [lot(1, 2, 200), lot(2, 1, 150)];
        assert_eq!(
            allocate(&lots, q(4)),
            Err(InsufficientStock {
                requested: q(4),
                available: q(3)
            })
        );
    }

    #[test]
    fn partial_takes_round_and_the_last_unit_takes_the_rest() {
        // 3 units for 10.00: 3.33 + 3.33 + 3.34, never 9.99 or 10.01.
        let mut l = lot(1, 3, 1_000);
        let mut costs = Vec::new();
        for _ in 0..3 {
            let take = take_from_lot(&l, q(1)).unwrap();
            costs.push(take.cost.minor_units());
            l.remaining = Quantity::from_thousandths(l.remaining.thousandths() - 1000);
            l.remaining_value =
                Money::from_minor_units(l.remaining_value.minor_units() - take.cost.minor_units());
        }
        assert_eq!(costs, [333, 334, 333]);
        assert_eq!(costs.iter().sum::<i64>(), 1_000);
    }

    /// The reference model: unit by unit (in thousandths), from the front.
    fn reference(lots: &[(i64, i64)], wanted: i64) -> Option<Vec<(usize, i64)>> {
        if lots.iter().map(|l| l.0).sum::<i64>() < wanted {
            return None;
        }
        let mut left: Vec<i64> = lots.iter().map(|l| l.0).collect();
        let mut taken = vec![0i64; lots.len()];
        for _ in 0..wanted {
            let i = left.iter().position(|r| *r > 0)?;
            left[i] -= 1;
            taken[i] += 1;
        }
        Some(
            taken
                .into_iter()
                .enumerate()
                .filter(|(_, t)| *t > 0)
                .collect(),
        )
    }

    proptest! {
        #[test]
        fn allocation_matches_the_unit_by_unit_model_and_never_overdraws(
            lots in prop::collection::vec((0i64..5_000, 0i64..1_000_000), 0..6),
            wanted in 0i64..12_000,
        ) {
            let balances: Vec<LotBalance> = lots
                .iter()
                .enumerate()
                .map(|(i, (units, value))| LotBalance { lot_id: LotId::new(i as i64), remaining: Quantity::from_thousandths(*units), remaining_value: Money::from_minor_units(*value) })
                .collect();
            let result = allocate(&balances, Quantity::from_thousandths(wanted));
            match reference(&lots, wanted) {
                None => prop_assert!(result.is_err()),
                Some(expected) => {
                    let takes = result.unwrap();
                    let got: Vec<(usize, i64)> = takes.iter().map(|t| (t.lot_id.get() as usize, t.quantity.thousandths())).collect();
                    prop_assert_eq!(got, expected);
                    for t in &takes {
                        let lot = &balances[t.lot_id.get() as usize];
                        prop_assert!(t.quantity <= lot.remaining);
                        prop_assert!(t.cost.minor_units() >= 0 && t.cost <= lot.remaining_value);
                        if t.quantity == lot.remaining {
                            prop_assert_eq!(t.cost, lot.remaining_value);
                        }
                    }
                }
            }
        }
    }
}
