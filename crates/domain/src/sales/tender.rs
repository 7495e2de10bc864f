//! Settling a total with a mix of payment methods: split tender, change for cash, and what is
//! left owing.

use crate::ledger::money_events::PaymentMethod;
use crate::money::Money;

/// What was received and what is owed, after change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    /// Each method's amount kept (cash net of the change given).
    pub received: Vec<(PaymentMethod, Money)>,
    /// Sum of the tenders as handed over.
    pub tendered: Money,
    /// Given back in cash.
    pub change: Money,
    /// Left owing (on the customer's account).
    pub due: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TenderError {
    #[error("the payments add up to more than an amount can be")]
    OutOfRange,
    #[error("payment {0}: the amount must be greater than zero")]
    ZeroAmount(usize),
    #[error(
        "{over} more than the total was tendered, but only cash can be overpaid and be given change"
    )]
    OverpaidWithoutCash { over: Money },
}

/// Cash is the only method that gives change: a card or wallet payment is for an exact amount.
pub const CASH: &str = "cash";

pub fn settle(
    total: Money,
    tenders: Vec<(PaymentMethod, Money)>,
) -> Result<Settlement, TenderError> {
    if let Some(i) = tenders.iter().position(|(_, m)| *m <= Money::ZERO) {
        return Err(TenderError::ZeroAmount(i));
    }
    // What is tendered, and so the change, stays within the range of an amount.
    let range = |_| TenderError::OutOfRange;
    let tendered = Money::checked_sum(tenders.iter().map(|(_, m)| *m)).map_err(range)?;
    if tendered <= total {
        return Ok(Settlement {
            received: tenders,
            tendered,
            change: Money::ZERO,
            due: total.checked_sub(tendered).map_err(range)?,
        });
    }
    let over = tendered.checked_sub(total).map_err(range)?;
    let is_cash = |(m, _): &&(PaymentMethod, Money)| m.code == CASH;
    let cash =
        Money::checked_sum(tenders.iter().filter(is_cash).map(|(_, a)| *a)).map_err(range)?;
    if cash < over {
        return Err(TenderError::OverpaidWithoutCash { over });
    }
    // Change comes out of the cash tenders, last first.
    let mut change_left = over;
    let mut received = tenders;
    for (_, amount) in received.iter_mut().rev().filter(|(m, _)| m.code == CASH) {
        let taken = change_left.min(*amount);
        // `taken` is at most both, so neither goes below zero.
        *amount = amount.checked_sub(taken).map_err(range)?;
        change_left = change_left.checked_sub(taken).map_err(range)?;
    }
    received.retain(|(_, a)| *a > Money::ZERO);
    Ok(Settlement {
        received,
        tendered,
        change: over,
        due: Money::ZERO,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{AccountId, PaymentMethodId};
    use crate::text::Name;

    fn method(code: &str) -> PaymentMethod {
        PaymentMethod {
            id: PaymentMethodId::new(1),
            code: code.into(),
            name: Name::new(code).unwrap(),
            account_id: AccountId::new(1),
            active: true,
        }
    }

    fn m(c: i64) -> Money {
        Money::from_minor_units(c)
    }

    #[test]
    fn split_tender_with_cash_change() {
        let s = settle(
            m(1_050),
            vec![(method("card"), m(1_000)), (method("cash"), m(100))],
        )
        .unwrap();
        assert_eq!((s.tendered, s.change, s.due), (m(1_100), m(50), m(0)));
        assert_eq!(
            s.received
                .iter()
                .map(|(_, a)| a.minor_units())
                .collect::<Vec<_>>(),
            [1_000, 50]
        );
    }

    #[test]
    fn underpaying_leaves_a_due_and_overpaying_by_card_is_refused() {
        let s = settle(m(1_000), vec![(method("cash"), m(400))]).unwrap();
        assert_eq!(s.due, m(600));
        assert_eq!(
            settle(m(1_000), vec![(method("card"), m(1_001))]),
            Err(TenderError::OverpaidWithoutCash { over: m(1) })
        );
        assert_eq!(
            settle(m(1_000), vec![(method("cash"), m(0))]),
            Err(TenderError::ZeroAmount(0))
        );
        let nothing = settle(m(500), vec![]).unwrap();
        assert_eq!(nothing.due, m(500));
    }
}
