//! Payments and expenses, and the rules that turn each into its journal entry.

use super::entry::{BalancedEntry, EntryDraft, LedgerError, LineDraft, Party, Source, SourceKind};
use crate::ids::{AccountId, ExpenseCategoryId, ExpenseId, PaymentId, PaymentMethodId, UserId};
use crate::money::Money;
use crate::text::Name;
use time::{Date, OffsetDateTime};

/// A way to pay, mapped to the account that holds that money. Data, not code: a shop adds one
/// (a new wallet, a bank transfer) without a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentMethod {
    pub id: PaymentMethodId,
    /// Short stable code clients send, e.g. `cash`, `bkash`.
    pub code: String,
    pub name: Name,
    pub account_id: AccountId,
    pub active: bool,
}

/// A kind of expense, mapped to its expense account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpenseCategory {
    pub id: ExpenseCategoryId,
    pub name: Name,
    pub account_id: AccountId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Money received.
    In,
    /// Money paid out.
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

/// A payment or expense finds its journal entry by the entry's source (kind and id); the
/// reference points one way only, so nothing is updated after posting.
///
/// Money received or paid, by one method, with the account on the other side of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentDraft {
    pub direction: Direction,
    pub method: PaymentMethod,
    pub amount: Money,
    pub party: Option<Party>,
    /// What the money settles: receivables for a customer, payables for a supplier, or any
    /// account for a payment without a party (an owner's deposit, a refund from a landlord...).
    pub counter_account_id: AccountId,
    pub reference: Option<String>,
    pub note: Option<String>,
    pub date: Date,
    pub user_id: UserId,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub id: PaymentId,
    pub direction: Direction,
    pub method_id: PaymentMethodId,
    pub amount: Money,
    pub party: Option<Party>,
    pub counter_account_id: AccountId,
    pub reference: Option<String>,
    pub note: Option<String>,
    pub date: Date,
    pub user_id: UserId,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpenseDraft {
    pub title: Name,
    pub amount: Money,
    pub category: ExpenseCategory,
    pub method: PaymentMethod,
    pub date: Date,
    pub note: Option<String>,
    pub user_id: UserId,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expense {
    pub id: ExpenseId,
    pub title: Name,
    pub amount: Money,
    pub category_id: ExpenseCategoryId,
    pub method_id: PaymentMethodId,
    pub date: Date,
    pub note: Option<String>,
    pub user_id: UserId,
    pub created_at: OffsetDateTime,
    /// When the expense was voided and the entry that reversed its posting; `None` while it
    /// stands. A voided expense stays listed but counts in no total.
    pub voided: Option<ExpenseVoid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpenseVoid {
    pub at: OffsetDateTime,
    pub entry_id: crate::ids::EntryId,
}

/// In: Dr the method's account, Cr the counter account. Out: the mirror.
pub fn payment_entry(
    p: &PaymentDraft,
    payment_id: Option<PaymentId>,
) -> Result<BalancedEntry, LedgerError> {
    let (debit, credit) = match p.direction {
        Direction::In => (p.method.account_id, p.counter_account_id),
        Direction::Out => (p.counter_account_id, p.method.account_id),
    };
    let (debit_party, credit_party) = match p.direction {
        Direction::In => (None, p.party),
        Direction::Out => (p.party, None),
    };
    let memo = match (&p.reference, p.direction) {
        (Some(r), Direction::In) => format!("Payment received by {} ({r})", p.method.code),
        (Some(r), Direction::Out) => format!("Payment made by {} ({r})", p.method.code),
        (None, Direction::In) => format!("Payment received by {}", p.method.code),
        (None, Direction::Out) => format!("Payment made by {}", p.method.code),
    };
    BalancedEntry::new(EntryDraft {
        date: p.date,
        memo,
        source: Source {
            kind: SourceKind::Payment,
            id: payment_id.map(PaymentId::get),
        },
        user_id: p.user_id,
        lines: vec![
            LineDraft::debit(debit, p.amount).with_party(debit_party),
            LineDraft::credit(credit, p.amount).with_party(credit_party),
        ],
    })
}

/// Dr the category's expense account, Cr the account of the method it was paid by.
pub fn expense_entry(
    e: &ExpenseDraft,
    expense_id: Option<ExpenseId>,
) -> Result<BalancedEntry, LedgerError> {
    BalancedEntry::new(EntryDraft {
        date: e.date,
        memo: format!("Expense: {}", e.title),
        source: Source {
            kind: SourceKind::Expense,
            id: expense_id.map(ExpenseId::get),
        },
        user_id: e.user_id,
        lines: vec![
            LineDraft::debit(e.category.account_id, e.amount),
            LineDraft::credit(e.method.account_id, e.amount),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::CustomerId;
    use crate::ledger::entry::Side;
    use time::macros::date;

    fn cash() -> PaymentMethod {
        PaymentMethod {
            id: PaymentMethodId::new(1),
            code: "cash".into(),
            name: Name::new("Cash").unwrap(),
            account_id: AccountId::new(10),
            active: true,
        }
    }

    const AR: AccountId = AccountId::new(20);
    const RENT: AccountId = AccountId::new(60);

    #[test]
    fn money_received_from_a_customer_debits_cash_and_credits_receivables() {
        let payment = PaymentDraft {
            direction: Direction::In,
            method: cash(),
            amount: Money::from_minor_units(2_500),
            party: Some(Party::Customer(CustomerId::new(4))),
            counter_account_id: AR,
            reference: Some("R-1".into()),
            note: None,
            date: date!(2026 - 11 - 25),
            user_id: UserId::new(1),
        };
        let entry = payment_entry(&payment, Some(PaymentId::new(9))).unwrap();
        let lines = &entry.draft().lines;
        assert_eq!(
            (lines[0].account_id, lines[0].side),
            (AccountId::new(10), Side::Debit)
        );
        assert_eq!(
            (lines[1].account_id, lines[1].side, lines[1].party),
            (AR, Side::Credit, payment.party)
        );
        assert_eq!(entry.draft().source.id, Some(9));
        let out = PaymentDraft {
            direction: Direction::Out,
            ..payment
        };
        let lines = payment_entry(&out, None).unwrap().into_draft().lines;
        assert_eq!(
            (lines[0].account_id, lines[1].account_id),
            (AR, AccountId::new(10))
        );
    }

    #[test]
    fn an_expense_debits_its_category_and_credits_the_method() {
        let expense = ExpenseDraft {
            title: Name::new("November rent").unwrap(),
            amount: Money::from_minor_units(100_000),
            category: ExpenseCategory {
                id: ExpenseCategoryId::new(1),
                name: Name::new("Rent").unwrap(),
                account_id: RENT,
            },
            method: cash(),
            date: date!(2026 - 11 - 1),
            note: None,
            user_id: UserId::new(1),
        };
        let entry = expense_entry(&expense, None).unwrap();
        assert_eq!(
            entry.draft().lines[0],
            LineDraft::debit(RENT, expense.amount)
        );
        assert_eq!(
            entry.draft().lines[1],
            LineDraft::credit(AccountId::new(10), expense.amount)
        );
    }

    #[test]
    fn a_zero_payment_is_refused_by_the_ledger() {
        let expense = ExpenseDraft {
            title: Name::new("Nothing").unwrap(),
            amount: Money::ZERO,
            category: ExpenseCategory {
                id: ExpenseCategoryId::new(1),
                name: Name::new("Rent").unwrap(),
                account_id: RENT,
            },
            method: cash(),
            date: date!(2026 - 11 - 1),
            note: None,
            user_id: UserId::new(1),
        };
        assert!(matches!(
            expense_entry(&expense, None),
            Err(LedgerError::NonPositiveAmount { .. })
        ));
    }
}

/// Filters of the payment list. Dates are inclusive.
#[derive(Debug, Clone, Default)]
pub struct PaymentFilter {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub direction: Option<Direction>,
    pub method_id: Option<PaymentMethodId>,
    pub party: Option<Party>,
}

/// Filters of the expense list. Dates are inclusive.
#[derive(Debug, Clone, Default)]
pub struct ExpenseFilter {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub category_id: Option<ExpenseCategoryId>,
    pub method_id: Option<PaymentMethodId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPaymentMethod {
    pub code: String,
    pub name: Name,
    pub account_id: AccountId,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExpenseCategory {
    pub name: Name,
    pub account_id: AccountId,
}
