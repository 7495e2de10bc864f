//! Stock adjustments: a count correction, damage, loss or found goods. A decrease leaves FIFO
//! lots at their cost (Dr shrinkage, Cr inventory); an increase makes a new lot at a given or
//! the last cost (Dr inventory, Cr inventory gains).

use super::fifo::{InsufficientStock, LotBalance, Take, allocate};
use super::lots::line_value;
use crate::ids::{AccountId, UserId};
use crate::ledger::{BalancedEntry, EntryDraft, LedgerError, LineDraft, Source, SourceKind};
use crate::money::Money;
use crate::quantity::Quantity;
use std::fmt;
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdjustmentReason {
    /// A count found a different quantity than the books.
    CountCorrection,
    Damage,
    Loss,
    /// Units turned up that the books did not have.
    Found,
}

impl AdjustmentReason {
    pub fn as_str(self) -> &'static str {
        match self {
            AdjustmentReason::CountCorrection => "count_correction",
            AdjustmentReason::Damage => "damage",
            AdjustmentReason::Loss => "loss",
            AdjustmentReason::Found => "found",
        }
    }

    /// Damage and loss only take stock away; found only adds; a count may go either way.
    pub fn allows(self, increase: bool) -> bool {
        match self {
            AdjustmentReason::CountCorrection => true,
            AdjustmentReason::Damage | AdjustmentReason::Loss => !increase,
            AdjustmentReason::Found => increase,
        }
    }
}

impl fmt::Display for AdjustmentReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an adjustment does to a product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdjustmentPlan {
    /// Units leave these lots; their cost is written off.
    Decrease { takes: Vec<Take>, cost: Money },
    /// A new lot of this quantity at this unit cost; its value is recognised as a gain.
    Increase {
        quantity: Quantity,
        unit_cost: Money,
        value: Money,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdjustmentError {
    #[error(transparent)]
    InsufficientStock(#[from] InsufficientStock),
    #[error("a {reason} adjustment cannot {direction} stock")]
    WrongDirection {
        reason: AdjustmentReason,
        direction: &'static str,
    },
    #[error("no unit cost is known for this product: give `unit_cost`")]
    NoCost,
    #[error("the change is zero")]
    NoChange,
    #[error("the change's value {}", crate::money::OutOfRange)]
    OutOfRange,
}

/// Plans a change of `delta_thousandths` (negative: units leave) to a product whose open lots
/// are `lots`, oldest first. An increase uses `unit_cost`, or else `last_cost`.
pub fn plan_adjustment(
    reason: AdjustmentReason,
    delta_thousandths: i64,
    lots: &[LotBalance],
    unit_cost: Option<Money>,
    last_cost: Option<Money>,
) -> Result<AdjustmentPlan, AdjustmentError> {
    if delta_thousandths == 0 {
        return Err(AdjustmentError::NoChange);
    }
    let increase = delta_thousandths > 0;
    if !reason.allows(increase) {
        let direction = if increase { "increase" } else { "decrease" };
        return Err(AdjustmentError::WrongDirection { reason, direction });
    }
    let quantity = Quantity::checked_from_thousandths(i128::from(delta_thousandths).abs())
        .map_err(|_| AdjustmentError::OutOfRange)?;
    if increase {
        let unit_cost = unit_cost.or(last_cost).ok_or(AdjustmentError::NoCost)?;
        return Ok(AdjustmentPlan::Increase {
            quantity,
            unit_cost,
            value: line_value(quantity, unit_cost).map_err(|_| AdjustmentError::OutOfRange)?,
        });
    }
    let takes = allocate(lots, quantity)?;
    let cost = Money::checked_sum(takes.iter().map(|t| t.cost))
        .map_err(|_| AdjustmentError::OutOfRange)?;
    Ok(AdjustmentPlan::Decrease { takes, cost })
}

/// The accounts stock postings use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockAccounts {
    pub inventory: AccountId,
    pub shrinkage: AccountId,
    pub gain: AccountId,
}

/// The adjustment's journal entry, or `None` when it moved no value (free goods).
pub fn adjustment_entry(
    plan: &AdjustmentPlan,
    accounts: StockAccounts,
    date: Date,
    memo: String,
    adjustment_id: i64,
    user_id: UserId,
) -> Result<Option<BalancedEntry>, LedgerError> {
    let (debit, credit, value) = match plan {
        AdjustmentPlan::Decrease { cost, .. } => (accounts.shrinkage, accounts.inventory, *cost),
        AdjustmentPlan::Increase { value, .. } => (accounts.inventory, accounts.gain, *value),
    };
    if value == Money::ZERO {
        return Ok(None);
    }
    let draft = EntryDraft {
        date,
        memo,
        source: Source {
            kind: SourceKind::Adjustment,
            id: Some(adjustment_id),
        },
        user_id,
        lines: vec![
            LineDraft::debit(debit, value),
            LineDraft::credit(credit, value),
        ],
    };
    BalancedEntry::new(draft).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::LotId;

    fn lots() -> Vec<LotBalance> {
        vec![LotBalance {
            lot_id: LotId::new(1),
            remaining: Quantity::from_thousandths(2_000),
            remaining_value: Money::from_minor_units(1_000),
        }]
    }

    #[test]
    fn damage_takes_fifo_cost_and_found_goods_make_a_lot() {
        let plan = plan_adjustment(AdjustmentReason::Damage, -1_000, &lots(), None, None).unwrap();
        assert!(
            matches!(plan, AdjustmentPlan::Decrease { cost, .. } if cost == Money::from_minor_units(500))
        );
        let found = plan_adjustment(
            AdjustmentReason::Found,
            3_000,
            &lots(),
            None,
            Some(Money::from_minor_units(450)),
        )
        .unwrap();
        assert_eq!(
            found,
            AdjustmentPlan::Increase {
                quantity: Quantity::from_thousandths(3_000),
                unit_cost: Money::from_minor_units(450),
                value: Money::from_minor_units(1_350)
            }
        );
    }

    #[test]
    fn impossible_adjustments_are_refused() {
        assert!(matches!(
            plan_adjustment(AdjustmentReason::Loss, -3_000, &lots(), None, None),
            Err(AdjustmentError::InsufficientStock(_))
        ));
        assert!(matches!(
            plan_adjustment(AdjustmentReason::Damage, 1_000, &lots(), None, None),
            Err(AdjustmentError::WrongDirection { .. })
        ));
        assert_eq!(
            plan_adjustment(AdjustmentReason::Found, 1_000, &[], None, None),
            Err(AdjustmentError::NoCost)
        );
        assert_eq!(
            plan_adjustment(AdjustmentReason::CountCorrection, 0, &lots(), None, None),
            Err(AdjustmentError::NoChange)
        );
    }

    #[test]
    fn a_decrease_posts_shrinkage_against_inventory() {
        let accounts = StockAccounts {
            inventory: AccountId::new(1),
            shrinkage: AccountId::new(2),
            gain: AccountId::new(3),
        };
        let plan = plan_adjustment(AdjustmentReason::Damage, -1_000, &lots(), None, None).unwrap();
        let entry = adjustment_entry(
            &plan,
            accounts,
            time::macros::date!(2026 - 11 - 25),
            "damage".into(),
            9,
            crate::ids::UserId::new(1),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            entry.draft().lines,
            vec![
                LineDraft::debit(AccountId::new(2), Money::from_minor_units(500)),
                LineDraft::credit(AccountId::new(1), Money::from_minor_units(500))
            ]
        );
    }
}
