//! Paying suppliers: a payment pays down what is owed, oldest purchase first unless one is
//! named, and can never pay more than is owed.

use crate::ids::{AccountId, PurchaseId, SupplierId, UserId};
use crate::ledger::{BalancedEntry, EntryDraft, LedgerError, LineDraft, Party, Source, SourceKind};
use crate::money::Money;
use time::Date;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    #[error("the payment ({amount}) is more than is owed ({owed})")]
    Overpaid { amount: Money, owed: Money },
    #[error("purchase {0} has nothing left to pay")]
    NotOpen(PurchaseId),
}

/// Splits `amount` over the open purchases (`(id, due)`, oldest first), or puts it all on
/// `named`. Returns the part paid on each purchase.
pub fn allocate_payment(
    open: &[(PurchaseId, Money)],
    amount: Money,
    named: Option<PurchaseId>,
) -> Result<Vec<(PurchaseId, Money)>, AllocationError> {
    let candidates: Vec<(PurchaseId, Money)> = match named {
        Some(id) => {
            let due = open
                .iter()
                .find(|(p, _)| *p == id)
                .map(|(_, due)| *due)
                .filter(|d| *d > Money::ZERO);
            vec![(id, due.ok_or(AllocationError::NotOpen(id))?)]
        }
        None => open.to_vec(),
    };
    let owed: i64 = candidates.iter().map(|(_, due)| due.minor_units()).sum();
    if amount.minor_units() > owed {
        return Err(AllocationError::Overpaid {
            amount,
            owed: Money::from_minor_units(owed),
        });
    }
    let mut left = amount.minor_units();
    let mut parts = Vec::new();
    for (id, due) in candidates {
        if left == 0 {
            break;
        }
        let part = left.min(due.minor_units());
        if part > 0 {
            parts.push((id, Money::from_minor_units(part)));
            left -= part;
        }
    }
    Ok(parts)
}

/// Dr payables (the supplier), Cr the account of the method paid by.
pub fn supplier_payment_entry(
    supplier: SupplierId,
    payable: AccountId,
    method_account: AccountId,
    amount: Money,
    date: Date,
    payment_id: i64,
    user_id: UserId,
) -> Result<BalancedEntry, LedgerError> {
    BalancedEntry::new(EntryDraft {
        date,
        memo: format!("Payment to supplier {supplier}"),
        source: Source {
            kind: SourceKind::Payment,
            id: Some(payment_id),
        },
        user_id,
        lines: vec![
            LineDraft::debit(payable, amount).with_party(Some(Party::Supplier(supplier))),
            LineDraft::credit(method_account, amount),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(c: i64) -> Money {
        Money::from_minor_units(c)
    }

    const P1: PurchaseId = PurchaseId::new(1);
    const P2: PurchaseId = PurchaseId::new(2);

    #[test]
    fn payments_go_to_the_oldest_purchase_first() {
        let open = [(P1, m(300)), (P2, m(500))];
        assert_eq!(
            allocate_payment(&open, m(400), None),
            Ok(vec![(P1, m(300)), (P2, m(100))])
        );
        assert_eq!(
            allocate_payment(&open, m(200), Some(P2)),
            Ok(vec![(P2, m(200))])
        );
    }

    #[test]
    fn overpaying_is_refused() {
        let open = [(P1, m(300)), (P2, m(500))];
        assert_eq!(
            allocate_payment(&open, m(801), None),
            Err(AllocationError::Overpaid {
                amount: m(801),
                owed: m(800)
            })
        );
        assert_eq!(
            allocate_payment(&open, m(301), Some(P1)),
            Err(AllocationError::Overpaid {
                amount: m(301),
                owed: m(300)
            })
        );
        assert_eq!(
            allocate_payment(&open, m(1), Some(PurchaseId::new(9))),
            Err(AllocationError::NotOpen(PurchaseId::new(9)))
        );
    }
}
