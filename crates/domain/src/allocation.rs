//! Paying down debts (purchases owed to suppliers, sales owed by customers): oldest first
//! unless one is named, and never more than is owed.

use crate::money::Money;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    #[error("the payment ({amount}) is more than is owed ({owed})")]
    Overpaid { amount: Money, owed: Money },
    #[error("{0} has nothing left to pay")]
    NotOpen(String),
}

/// Splits `amount` over the open debts (`(id, due)`, oldest first), or puts it all on `named`.
/// Returns the part paid on each.
pub fn allocate_payment<Id: Copy + PartialEq + std::fmt::Display>(
    open: &[(Id, Money)],
    amount: Money,
    named: Option<Id>,
) -> Result<Vec<(Id, Money)>, AllocationError> {
    let candidates: Vec<(Id, Money)> = match named {
        Some(id) => {
            let due = open
                .iter()
                .find(|(p, _)| *p == id)
                .map(|(_, due)| *due)
                .filter(|d| *d > Money::ZERO);
            vec![(
                id,
                due.ok_or_else(|| AllocationError::NotOpen(id.to_string()))?,
            )]
        }
        None => open.to_vec(),
    };
    // A sum beyond the range of an amount is more than any payment, so it owes enough.
    let owed = Money::checked_sum(candidates.iter().map(|(_, due)| *due));
    if let Ok(owed) = owed
        && amount > owed
    {
        return Err(AllocationError::Overpaid { amount, owed });
    }
    let mut left = amount;
    let mut parts = Vec::new();
    for (id, due) in candidates {
        if left.is_zero() {
            break;
        }
        let part = left.min(due);
        if part > Money::ZERO {
            parts.push((id, part));
            // `part` is at most `left`, so this stays within 0..=amount.
            left = left.checked_sub(part).unwrap_or(Money::ZERO);
        }
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::PurchaseId;

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
            Err(AllocationError::NotOpen("9".into()))
        );
    }
}
