//! The books ([`LedgerRepo`]): the chart of accounts, the journal, its reports, payments and
//! expenses.
//!
//! Calendar dates are stored as Julian day numbers and parties as a kind and an id (see
//! `encoding`). Journal lines carry a copy of their entry's date so that per-account sums over
//! a range read one index without a join.

pub(crate) mod chart;
mod encoding;
mod expenses;
mod journal;
mod payments;
mod reports;

use crate::tx::SeaTx;
use async_trait::async_trait;
use pos_domain::ids::{AccountId, EntryId, ExpenseCategoryId, ExpenseId};
use pos_domain::ledger::accounts::NewAccount;
use pos_domain::ledger::money_events::{
    Expense, ExpenseCategory, ExpenseDraft, ExpenseFilter, NewExpenseCategory, NewPaymentMethod,
    Payment, PaymentDraft, PaymentFilter, PaymentMethod,
};
use pos_domain::ledger::reports::AccountTotals;
use pos_domain::ledger::{
    Account, AccountCode, BalancedEntry, DateRange, JournalEntry, JournalFilter, Party, SourceKind,
};
use pos_domain::paging::{ListQuery, Page, PageRequest};
use pos_domain::ports::{ActivityPage, LedgerRepo};
use pos_domain::{Money, StoreError};
use time::OffsetDateTime;

#[async_trait]
impl LedgerRepo for SeaTx {
    async fn insert_account(&mut self, account: NewAccount) -> Result<Account, StoreError> {
        self.bump_static_version().await?;
        chart::insert_account(self.conn(), account).await
    }

    async fn list_accounts(&mut self) -> Result<Vec<Account>, StoreError> {
        chart::list_accounts(self.conn()).await
    }

    async fn find_account(&mut self, id: AccountId) -> Result<Option<Account>, StoreError> {
        chart::find_account(self.conn(), id).await
    }

    async fn find_account_by_code(
        &mut self,
        code: &AccountCode,
    ) -> Result<Option<Account>, StoreError> {
        chart::find_account_by_code(self.conn(), code).await
    }

    async fn insert_payment_method(
        &mut self,
        method: NewPaymentMethod,
    ) -> Result<PaymentMethod, StoreError> {
        self.bump_static_version().await?;
        chart::insert_payment_method(self.conn(), method).await
    }

    async fn list_payment_methods(&mut self) -> Result<Vec<PaymentMethod>, StoreError> {
        chart::list_payment_methods(self.conn()).await
    }

    async fn find_payment_method(
        &mut self,
        code: &str,
    ) -> Result<Option<PaymentMethod>, StoreError> {
        chart::find_payment_method(self.conn(), code).await
    }

    async fn insert_expense_category(
        &mut self,
        category: NewExpenseCategory,
    ) -> Result<ExpenseCategory, StoreError> {
        chart::insert_expense_category(self.conn(), category).await
    }

    async fn list_expense_categories(&mut self) -> Result<Vec<ExpenseCategory>, StoreError> {
        chart::list_expense_categories(self.conn()).await
    }

    async fn find_expense_category(
        &mut self,
        id: ExpenseCategoryId,
    ) -> Result<Option<ExpenseCategory>, StoreError> {
        chart::find_expense_category(self.conn(), id).await
    }

    async fn post_entry(
        &mut self,
        entry: BalancedEntry,
        at: OffsetDateTime,
    ) -> Result<JournalEntry, StoreError> {
        journal::post(self.conn(), entry, at).await
    }

    async fn post_entries(
        &mut self,
        entries: Vec<BalancedEntry>,
        till: Option<pos_domain::cash::Till>,
        at: OffsetDateTime,
    ) -> Result<Vec<JournalEntry>, StoreError> {
        let returning = self.returning();
        journal::post_many(self.conn(), entries, till, at, returning).await
    }

    async fn find_entry(&mut self, id: EntryId) -> Result<Option<JournalEntry>, StoreError> {
        journal::find(self.conn(), id).await
    }

    async fn list_entries(
        &mut self,
        query: &ListQuery<JournalFilter, ()>,
    ) -> Result<Page<JournalEntry>, StoreError> {
        journal::list(self.conn(), query).await
    }

    async fn entries_for_source(
        &mut self,
        kind: SourceKind,
        id: i64,
    ) -> Result<Vec<JournalEntry>, StoreError> {
        journal::for_source(self.conn(), kind, id).await
    }

    async fn link_reversal(
        &mut self,
        original: EntryId,
        reversal: EntryId,
    ) -> Result<(), StoreError> {
        journal::link_reversal(self.conn(), original, reversal).await
    }

    async fn account_totals_at(
        &mut self,
        range: DateRange,
        locations: &[pos_domain::ids::LocationId],
    ) -> Result<Vec<AccountTotals>, StoreError> {
        reports::account_totals(self.conn(), range, locations).await
    }

    async fn party_balance(
        &mut self,
        account: AccountId,
        party: Party,
    ) -> Result<(Money, Money), StoreError> {
        reports::party_balance(self.conn(), account, party).await
    }

    async fn account_activity(
        &mut self,
        account: AccountId,
        range: DateRange,
        page: PageRequest,
    ) -> Result<ActivityPage, StoreError> {
        reports::account_activity(self.conn(), account, range, page).await
    }

    async fn insert_payment(
        &mut self,
        payment: &PaymentDraft,
        at: OffsetDateTime,
    ) -> Result<Payment, StoreError> {
        payments::insert(self.conn(), payment, at).await
    }

    async fn list_payments(
        &mut self,
        query: &ListQuery<PaymentFilter, ()>,
    ) -> Result<Page<Payment>, StoreError> {
        payments::list(self.conn(), query).await
    }

    async fn insert_expense(
        &mut self,
        expense: &ExpenseDraft,
        at: OffsetDateTime,
    ) -> Result<Expense, StoreError> {
        expenses::insert(self.conn(), expense, at).await
    }

    async fn find_expense(&mut self, id: ExpenseId) -> Result<Option<Expense>, StoreError> {
        expenses::find(self.conn(), id).await
    }

    async fn void_expense(
        &mut self,
        id: ExpenseId,
        entry: EntryId,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        expenses::void(self.conn(), id, entry, at).await
    }

    async fn list_expenses(
        &mut self,
        query: &ListQuery<ExpenseFilter, ()>,
    ) -> Result<(Page<Expense>, Money), StoreError> {
        expenses::list(self.conn(), query).await
    }
}
