//! Paying suppliers: a payment pays down what is owed, oldest purchase first unless one is
//! named, and can never pay more than is owed.

use crate::ids::{AccountId, SupplierId, UserId};
use crate::ledger::{BalancedEntry, EntryDraft, LedgerError, LineDraft, Party, Source, SourceKind};
use crate::money::Money;
use time::Date;

pub use crate::allocation::{AllocationError, allocate_payment};

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
