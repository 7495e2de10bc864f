use crate::error::StoreError;
use crate::ids::{AccountId, EntryId, ExpenseCategoryId, ExpenseId};
use crate::ledger::accounts::{Account, AccountCode, NewAccount};
use crate::ledger::entry::{BalancedEntry, DateRange, JournalEntry, JournalFilter, Party};
use crate::ledger::money_events::{
    Expense, ExpenseCategory, ExpenseDraft, ExpenseFilter, NewExpenseCategory, NewPaymentMethod,
    Payment, PaymentDraft, PaymentFilter, PaymentMethod,
};
use crate::ledger::reports::{AccountTotals, ActivityLine};
use crate::money::Money;
use crate::paging::{ListQuery, Page, PageRequest};
use async_trait::async_trait;
use time::OffsetDateTime;

/// One page of an account's lines, with what came before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityPage {
    /// Sum of the account's debits before the page: every line dated before the range, and
    /// the lines of the range that earlier pages hold.
    pub debit_before: Money,
    /// The same for credits.
    pub credit_before: Money,
    /// The page, in ledger order: date, then entry id, then line order.
    pub lines: Vec<ActivityLine>,
    /// Lines of the account in the range, across all pages.
    pub total: u64,
}

/// The books: accounts, journal entries, payments, expenses.
///
/// Entries are immutable: there is no update or delete. `post_entry` fails with
/// `MissingReference("account_id")` when a line names no existing account. Payments and
/// expenses find their entry through the entry's source.
#[async_trait]
pub trait LedgerRepo: Send {
    /// `Duplicate(AccountCode)` when the code is taken.
    async fn insert_account(&mut self, account: NewAccount) -> Result<Account, StoreError>;
    /// Every account, ordered by code.
    async fn list_accounts(&mut self) -> Result<Vec<Account>, StoreError>;
    async fn find_account(&mut self, id: AccountId) -> Result<Option<Account>, StoreError>;
    async fn find_account_by_code(
        &mut self,
        code: &AccountCode,
    ) -> Result<Option<Account>, StoreError>;

    /// `Duplicate(PaymentMethodCode)` when the code is taken.
    async fn insert_payment_method(
        &mut self,
        method: NewPaymentMethod,
    ) -> Result<PaymentMethod, StoreError>;
    /// Every payment method, ordered by code.
    async fn list_payment_methods(&mut self) -> Result<Vec<PaymentMethod>, StoreError>;
    async fn find_payment_method(
        &mut self,
        code: &str,
    ) -> Result<Option<PaymentMethod>, StoreError>;

    /// `Duplicate(ExpenseCategoryName)` when the name is taken.
    async fn insert_expense_category(
        &mut self,
        category: NewExpenseCategory,
    ) -> Result<ExpenseCategory, StoreError>;
    /// Every expense category, ordered by name.
    async fn list_expense_categories(&mut self) -> Result<Vec<ExpenseCategory>, StoreError>;
    async fn find_expense_category(
        &mut self,
        id: ExpenseCategoryId,
    ) -> Result<Option<ExpenseCategory>, StoreError>;

    async fn post_entry(
        &mut self,
        entry: BalancedEntry,
        at: OffsetDateTime,
    ) -> Result<JournalEntry, StoreError>;
    /// Posts entries made at a till (`None`: at none), in order. The register keys the day
    /// sums they add to, so postings at two registers never write one row; the cash session
    /// tags each entry, so a session's expected cash is read from the ledger. Adapters that
    /// can should batch it: a statement per kind of row, not per entry.
    async fn post_entries(
        &mut self,
        entries: Vec<BalancedEntry>,
        till: Option<crate::cash::Till>,
        at: OffsetDateTime,
    ) -> Result<Vec<JournalEntry>, StoreError> {
        let _ = till;
        let mut posted = Vec::with_capacity(entries.len());
        for entry in entries {
            posted.push(self.post_entry(entry, at).await?);
        }
        Ok(posted)
    }
    async fn find_entry(&mut self, id: EntryId) -> Result<Option<JournalEntry>, StoreError>;
    /// Entries matching the filter, by date then id in the given order.
    async fn list_entries(
        &mut self,
        query: &ListQuery<JournalFilter, ()>,
    ) -> Result<Page<JournalEntry>, StoreError>;
    /// Entries posted for a source (an expense, a payment...), oldest first.
    async fn entries_for_source(
        &mut self,
        kind: crate::ledger::SourceKind,
        id: i64,
    ) -> Result<Vec<JournalEntry>, StoreError>;
    /// Records that `reversal` reverses `original`. `Duplicate(Reversal)` when `original` was
    /// already reversed: the check that makes a double reversal impossible, even under races.
    async fn link_reversal(
        &mut self,
        original: EntryId,
        reversal: EntryId,
    ) -> Result<(), StoreError>;

    /// The debit and credit sums of every account over the range (accounts without lines
    /// included, with zeros), ordered by code.
    async fn account_totals(&mut self, range: DateRange) -> Result<Vec<AccountTotals>, StoreError> {
        self.account_totals_at(range, &[]).await
    }
    /// [`Self::account_totals`] of the lines that belong to one of `locations` (empty: every
    /// location), so the books answer per store.
    async fn account_totals_at(
        &mut self,
        range: DateRange,
        locations: &[crate::ids::LocationId],
    ) -> Result<Vec<AccountTotals>, StoreError>;
    /// The debit and credit sums, in that order, of every line of `account` concerning
    /// `party` (a party's balance in receivables or payables): one grouped sum, zeros when
    /// there are no such lines.
    async fn party_balance(
        &mut self,
        account: AccountId,
        party: Party,
    ) -> Result<(Money, Money), StoreError>;
    /// One page of an account's lines in the range.
    async fn account_activity(
        &mut self,
        account: AccountId,
        range: DateRange,
        page: PageRequest,
    ) -> Result<ActivityPage, StoreError>;

    async fn insert_payment(
        &mut self,
        payment: &PaymentDraft,
        at: OffsetDateTime,
    ) -> Result<Payment, StoreError>;
    async fn list_payments(
        &mut self,
        query: &ListQuery<PaymentFilter, ()>,
    ) -> Result<Page<Payment>, StoreError>;

    async fn insert_expense(
        &mut self,
        expense: &ExpenseDraft,
        at: OffsetDateTime,
    ) -> Result<Expense, StoreError>;
    async fn find_expense(&mut self, id: ExpenseId) -> Result<Option<Expense>, StoreError>;
    /// Marks the expense void, reversed by `entry`. Returns whether it stood until now (a
    /// compare-and-set: of two racing voids, one wins).
    async fn void_expense(
        &mut self,
        id: ExpenseId,
        entry: EntryId,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError>;
    /// A page of expenses (newest date first with `Order::Desc`), voided ones included, and the
    /// sum of every standing (not voided) expense matching the filter.
    async fn list_expenses(
        &mut self,
        query: &ListQuery<ExpenseFilter, ()>,
    ) -> Result<(Page<Expense>, Money), StoreError>;
}
