//! Sending goods back to a supplier: the units leave the very lot the purchase line created, at
//! that lot's cost; what the goods were worth first reduces what is still owed on the purchase,
//! and any rest is refunded by a payment method.

use crate::ids::{AccountId, SupplierId, UserId};
use crate::ledger::{BalancedEntry, EntryDraft, LedgerError, LineDraft, Party, Source, SourceKind};
use crate::money::{Money, OutOfRange};
use time::Date;

/// How a return's value is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReturnSettlement {
    /// Taken off what the shop owes on the purchase.
    pub credited: Money,
    /// Paid back to the shop.
    pub refunded: Money,
}

/// Splits a return's `value` (an amount, not negative) into what comes off the purchase's
/// `due` and what is refunded; refused if a figure leaves the range of an amount.
pub fn settle_return(value: Money, due: Money) -> Result<ReturnSettlement, OutOfRange> {
    let credited = value.min(due.max(Money::ZERO));
    Ok(ReturnSettlement {
        credited,
        refunded: value.checked_sub(credited)?,
    })
}

/// Dr payables (the supplier) for the credit and the refund method's account for the refund;
/// Cr inventory for the value. `None` for worthless goods.
pub fn supplier_return_entry(
    settlement: ReturnSettlement,
    supplier: SupplierId,
    accounts: (AccountId, AccountId),
    refund_account: AccountId,
    date: Date,
    return_id: i64,
    user_id: UserId,
) -> Result<Option<BalancedEntry>, LedgerError> {
    let (inventory, payable) = accounts;
    let value = settlement
        .credited
        .checked_add(settlement.refunded)
        .map_err(|_| LedgerError::OutOfRange)?;
    if value.is_zero() {
        return Ok(None);
    }
    let mut lines = Vec::new();
    if settlement.credited != Money::ZERO {
        lines.push(
            LineDraft::debit(payable, settlement.credited)
                .with_party(Some(Party::Supplier(supplier))),
        );
    }
    if settlement.refunded != Money::ZERO {
        lines.push(LineDraft::debit(refund_account, settlement.refunded));
    }
    lines.push(LineDraft::credit(inventory, value));
    BalancedEntry::new(EntryDraft {
        date,
        memo: format!("Goods returned to supplier {supplier}"),
        source: Source {
            kind: SourceKind::SupplierReturn,
            id: Some(return_id),
        },
        user_id,
        lines,
    })
    .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_return_first_reduces_what_is_owed_then_is_refunded() {
        let m = Money::from_minor_units;
        assert_eq!(
            settle_return(m(300), m(1_000)),
            Ok(ReturnSettlement {
                credited: m(300),
                refunded: m(0)
            })
        );
        assert_eq!(
            settle_return(m(300), m(100)),
            Ok(ReturnSettlement {
                credited: m(100),
                refunded: m(200)
            })
        );
        assert_eq!(
            settle_return(m(300), m(0)),
            Ok(ReturnSettlement {
                credited: m(0),
                refunded: m(300)
            })
        );
    }
}
