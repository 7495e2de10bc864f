use crate::MemoryTx;
use async_trait::async_trait;
use pos_domain::error::{StoreError, Unique};
use pos_domain::ids::{
    AccountId, EntryId, ExpenseCategoryId, ExpenseId, PaymentId, PaymentMethodId,
};
use pos_domain::ledger::accounts::NewAccount;
use pos_domain::ledger::money_events::{
    Expense, ExpenseCategory, ExpenseDraft, ExpenseFilter, ExpenseVoid, NewExpenseCategory,
    NewPaymentMethod, Payment, PaymentDraft, PaymentFilter, PaymentMethod,
};
use pos_domain::ledger::reports::{AccountTotals, ActivityLine};
use pos_domain::ledger::{
    Account, AccountCode, BalancedEntry, DateRange, JournalEntry, JournalFilter, JournalLine,
    Party, Side, SourceKind,
};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, Order, Page, PageRequest};
use pos_domain::ports::{ActivityPage, LedgerRepo};
use time::OffsetDateTime;

fn in_order<T>(mut rows: Vec<T>, order: Order) -> Vec<T> {
    if order == Order::Desc {
        rows.reverse();
    }
    rows
}

fn cents(amounts: impl Iterator<Item = Money>) -> Money {
    Money::from_minor_units(amounts.map(Money::minor_units).sum())
}

impl MemoryTx {
    /// Posts an entry whose lines that name no location belong to `here`.
    fn post_at(
        &mut self,
        entry: BalancedEntry,
        here: pos_domain::ids::LocationId,
        at: OffsetDateTime,
    ) -> Result<JournalEntry, StoreError> {
        let draft = entry.into_draft();
        for line in &draft.lines {
            self.require_account(line.account_id)?;
        }
        // As the SQL adapter's ledger_daily: a day's debits, and its credits, on an account stay
        // within the range of an amount.
        for line in &draft.lines {
            let day_total: i128 = self
                .staged
                .entries
                .values()
                .filter(|e| e.date == draft.date)
                .flat_map(|e| &e.lines)
                .filter(|l| l.account_id == line.account_id && l.side == line.side)
                .map(|l| i128::from(l.amount.minor_units()))
                .sum::<i128>()
                + draft
                    .lines
                    .iter()
                    .filter(|l| l.account_id == line.account_id && l.side == line.side)
                    .map(|l| i128::from(l.amount.minor_units()))
                    .sum::<i128>();
            if Money::checked_from_minor_units(day_total).is_err() {
                return Err(StoreError::OutOfRange("an account's day total"));
            }
        }
        let posted = JournalEntry {
            id: EntryId::new(self.staged.next_id()),
            date: draft.date,
            memo: draft.memo,
            reverses: (draft.source.kind == SourceKind::Reversal)
                .then_some(draft.source.id)
                .flatten()
                .map(EntryId::new),
            source: draft.source,
            user_id: draft.user_id,
            lines: draft
                .lines
                .into_iter()
                .map(|l| JournalLine {
                    account_id: l.account_id,
                    side: l.side,
                    amount: l.amount,
                    party: l.party,
                    location_id: l.location.unwrap_or(here),
                })
                .collect(),
            reversed_by: None,
            created_at: at,
        };
        self.staged.entries.insert(posted.id.get(), posted.clone());
        Ok(posted)
    }

    fn with_reversal(&self, mut entry: JournalEntry) -> JournalEntry {
        entry.reversed_by = self
            .staged
            .reversals
            .get(&entry.id.get())
            .map(|id| EntryId::new(*id));
        entry
    }

    /// Entries in ledger order: date, then id.
    fn entries_in_order(&self) -> Vec<&JournalEntry> {
        let mut entries: Vec<&JournalEntry> = self.staged.entries.values().collect();
        entries.sort_by_key(|e| (e.date, e.id));
        entries
    }

    pub(crate) fn require_account(&self, id: AccountId) -> Result<(), StoreError> {
        if self.staged.accounts.contains_key(&id.get()) {
            Ok(())
        } else {
            Err(StoreError::MissingReference("account_id"))
        }
    }
}

#[async_trait]
impl LedgerRepo for MemoryTx {
    async fn insert_account(&mut self, new: NewAccount) -> Result<Account, StoreError> {
        if self.staged.accounts.values().any(|a| a.code == new.code) {
            return Err(StoreError::Duplicate(Unique::AccountCode));
        }
        self.staged.static_version += 1;
        let account = Account {
            id: AccountId::new(self.staged.next_id()),
            code: new.code,
            name: new.name,
            kind: new.kind,
            active: true,
        };
        self.staged
            .accounts
            .insert(account.id.get(), account.clone());
        Ok(account)
    }

    async fn list_accounts(&mut self) -> Result<Vec<Account>, StoreError> {
        let mut accounts: Vec<Account> = self.staged.accounts.values().cloned().collect();
        accounts.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(accounts)
    }

    async fn find_account(&mut self, id: AccountId) -> Result<Option<Account>, StoreError> {
        Ok(self.staged.accounts.get(&id.get()).cloned())
    }

    async fn find_account_by_code(
        &mut self,
        code: &AccountCode,
    ) -> Result<Option<Account>, StoreError> {
        Ok(self
            .staged
            .accounts
            .values()
            .find(|a| &a.code == code)
            .cloned())
    }

    async fn insert_payment_method(
        &mut self,
        new: NewPaymentMethod,
    ) -> Result<PaymentMethod, StoreError> {
        self.staged.static_version += 1;
        self.require_account(new.account_id)?;
        if self
            .staged
            .payment_methods
            .values()
            .any(|m| m.code == new.code)
        {
            return Err(StoreError::Duplicate(Unique::PaymentMethodCode));
        }
        let method = PaymentMethod {
            id: PaymentMethodId::new(self.staged.next_id()),
            code: new.code,
            name: new.name,
            account_id: new.account_id,
            active: true,
        };
        self.staged
            .payment_methods
            .insert(method.id.get(), method.clone());
        Ok(method)
    }

    async fn list_payment_methods(&mut self) -> Result<Vec<PaymentMethod>, StoreError> {
        let mut methods: Vec<PaymentMethod> =
            self.staged.payment_methods.values().cloned().collect();
        methods.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(methods)
    }

    async fn find_payment_method(
        &mut self,
        code: &str,
    ) -> Result<Option<PaymentMethod>, StoreError> {
        Ok(self
            .staged
            .payment_methods
            .values()
            .find(|m| m.code == code)
            .cloned())
    }

    async fn insert_expense_category(
        &mut self,
        new: NewExpenseCategory,
    ) -> Result<ExpenseCategory, StoreError> {
        self.require_account(new.account_id)?;
        let taken = self
            .staged
            .expense_categories
            .values()
            .any(|c| c.name.key() == new.name.key());
        if taken {
            return Err(StoreError::Duplicate(Unique::ExpenseCategoryName));
        }
        let category = ExpenseCategory {
            id: ExpenseCategoryId::new(self.staged.next_id()),
            name: new.name,
            account_id: new.account_id,
        };
        self.staged
            .expense_categories
            .insert(category.id.get(), category.clone());
        Ok(category)
    }

    async fn list_expense_categories(&mut self) -> Result<Vec<ExpenseCategory>, StoreError> {
        let mut categories: Vec<ExpenseCategory> =
            self.staged.expense_categories.values().cloned().collect();
        categories.sort_by_key(|c| c.name.as_str().to_lowercase());
        Ok(categories)
    }

    async fn find_expense_category(
        &mut self,
        id: ExpenseCategoryId,
    ) -> Result<Option<ExpenseCategory>, StoreError> {
        Ok(self.staged.expense_categories.get(&id.get()).cloned())
    }

    async fn post_entry(
        &mut self,
        entry: BalancedEntry,
        at: OffsetDateTime,
    ) -> Result<JournalEntry, StoreError> {
        self.post_at(entry, pos_domain::location::DEFAULT_LOCATION, at)
    }

    async fn post_entries(
        &mut self,
        entries: Vec<BalancedEntry>,
        till: Option<pos_domain::cash::Till>,
        at: OffsetDateTime,
    ) -> Result<Vec<JournalEntry>, StoreError> {
        let here = till.map_or(pos_domain::location::DEFAULT_LOCATION, |t| t.location);
        let mut posted = Vec::with_capacity(entries.len());
        for entry in entries {
            let entry = self.post_at(entry, here, at)?;
            if let Some(session) = till.and_then(|t| t.session) {
                self.staged
                    .entry_sessions
                    .insert(entry.id.get(), session.get());
            }
            posted.push(entry);
        }
        Ok(posted)
    }

    async fn find_entry(&mut self, id: EntryId) -> Result<Option<JournalEntry>, StoreError> {
        Ok(self
            .staged
            .entries
            .get(&id.get())
            .cloned()
            .map(|e| self.with_reversal(e)))
    }

    async fn list_entries(
        &mut self,
        query: &ListQuery<JournalFilter, ()>,
    ) -> Result<Page<JournalEntry>, StoreError> {
        let f = &query.filter;
        let range = DateRange {
            from: f.from,
            to: f.to,
        };
        let matching: Vec<JournalEntry> = self
            .entries_in_order()
            .into_iter()
            .filter(|e| range.contains(e.date))
            .filter(|e| f.source_kind.is_none_or(|k| e.source.kind == k))
            .filter(|e| {
                f.account_id
                    .is_none_or(|a| e.lines.iter().any(|l| l.account_id == a))
            })
            .filter(|e| {
                f.party
                    .is_none_or(|p| e.lines.iter().any(|l| l.party == Some(p)))
            })
            .cloned()
            .collect();
        let page = Page::slice(in_order(matching, query.order), query.page);
        Ok(page.map(|e| self.with_reversal(e)))
    }

    async fn entries_for_source(
        &mut self,
        kind: SourceKind,
        id: i64,
    ) -> Result<Vec<JournalEntry>, StoreError> {
        let found: Vec<JournalEntry> = self
            .staged
            .entries
            .values()
            .filter(|e| e.source.kind == kind && e.source.id == Some(id))
            .cloned()
            .collect();
        Ok(found.into_iter().map(|e| self.with_reversal(e)).collect())
    }

    async fn link_reversal(
        &mut self,
        original: EntryId,
        reversal: EntryId,
    ) -> Result<(), StoreError> {
        if !self.staged.entries.contains_key(&original.get())
            || !self.staged.entries.contains_key(&reversal.get())
        {
            return Err(StoreError::MissingReference("entry_id"));
        }
        if self.staged.reversals.contains_key(&original.get()) {
            return Err(StoreError::Duplicate(Unique::Reversal));
        }
        self.staged.reversals.insert(original.get(), reversal.get());
        Ok(())
    }

    async fn account_totals_at(
        &mut self,
        range: DateRange,
        locations: &[pos_domain::ids::LocationId],
    ) -> Result<Vec<AccountTotals>, StoreError> {
        let accounts = self.list_accounts().await?;
        let lines: Vec<&JournalLine> = self
            .staged
            .entries
            .values()
            .filter(|e| range.contains(e.date))
            .flat_map(|e| e.lines.iter())
            .filter(|l| locations.is_empty() || locations.contains(&l.location_id))
            .collect();
        Ok(accounts
            .into_iter()
            .map(|account| {
                let side = |side: Side| {
                    cents(
                        lines
                            .iter()
                            .filter(|l| l.account_id == account.id && l.side == side)
                            .map(|l| l.amount),
                    )
                };
                AccountTotals {
                    debit: side(Side::Debit),
                    credit: side(Side::Credit),
                    account,
                }
            })
            .collect())
    }

    async fn party_balance(
        &mut self,
        account: AccountId,
        party: Party,
    ) -> Result<(Money, Money), StoreError> {
        let lines: Vec<&JournalLine> = self
            .staged
            .entries
            .values()
            .flat_map(|e| e.lines.iter())
            .filter(|l| l.account_id == account && l.party == Some(party))
            .collect();
        let side = |side: Side| cents(lines.iter().filter(|l| l.side == side).map(|l| l.amount));
        Ok((side(Side::Debit), side(Side::Credit)))
    }

    async fn account_activity(
        &mut self,
        account: AccountId,
        range: DateRange,
        page: PageRequest,
    ) -> Result<ActivityPage, StoreError> {
        let before_range = |date| range.from.is_some_and(|f| date < f);
        let mut earlier = Vec::new();
        let mut in_range = Vec::new();
        for entry in self.entries_in_order() {
            for line in entry.lines.iter().filter(|l| l.account_id == account) {
                let activity = ActivityLine {
                    entry_id: entry.id,
                    date: entry.date,
                    memo: entry.memo.clone(),
                    side: line.side,
                    amount: line.amount,
                };
                if before_range(entry.date) {
                    earlier.push(activity);
                } else if range.contains(entry.date) {
                    in_range.push(activity);
                }
            }
        }
        let skipped = usize::try_from(page.offset())
            .unwrap_or(usize::MAX)
            .min(in_range.len());
        earlier.extend(in_range[..skipped].iter().cloned());
        let side = |side: Side| cents(earlier.iter().filter(|l| l.side == side).map(|l| l.amount));
        let total = in_range.len() as u64;
        let lines = in_range
            .into_iter()
            .skip(skipped)
            .take(page.per_page() as usize)
            .collect();
        Ok(ActivityPage {
            debit_before: side(Side::Debit),
            credit_before: side(Side::Credit),
            lines,
            total,
        })
    }

    async fn insert_payment(
        &mut self,
        p: &PaymentDraft,
        at: OffsetDateTime,
    ) -> Result<Payment, StoreError> {
        self.require_account(p.counter_account_id)?;
        let payment = Payment {
            id: PaymentId::new(self.staged.next_id()),
            direction: p.direction,
            method_id: p.method.id,
            amount: p.amount,
            party: p.party,
            counter_account_id: p.counter_account_id,
            reference: p.reference.clone(),
            note: p.note.clone(),
            date: p.date,
            user_id: p.user_id,
            created_at: at,
        };
        self.staged
            .payments
            .insert(payment.id.get(), payment.clone());
        Ok(payment)
    }

    async fn list_payments(
        &mut self,
        query: &ListQuery<PaymentFilter, ()>,
    ) -> Result<Page<Payment>, StoreError> {
        let f = &query.filter;
        let range = DateRange {
            from: f.from,
            to: f.to,
        };
        let mut rows: Vec<Payment> = self
            .staged
            .payments
            .values()
            .filter(|p| range.contains(p.date))
            .filter(|p| f.direction.is_none_or(|d| p.direction == d))
            .filter(|p| f.method_id.is_none_or(|m| p.method_id == m))
            .filter(|p| f.party.is_none_or(|party| p.party == Some(party)))
            .cloned()
            .collect();
        rows.sort_by_key(|p| (p.date, p.id));
        Ok(Page::slice(in_order(rows, query.order), query.page))
    }

    async fn insert_expense(
        &mut self,
        e: &ExpenseDraft,
        at: OffsetDateTime,
    ) -> Result<Expense, StoreError> {
        let expense = Expense {
            id: ExpenseId::new(self.staged.next_id()),
            title: e.title.clone(),
            amount: e.amount,
            category_id: e.category.id,
            method_id: e.method.id,
            date: e.date,
            note: e.note.clone(),
            user_id: e.user_id,
            created_at: at,
            voided: None,
        };
        self.staged
            .expenses
            .insert(expense.id.get(), expense.clone());
        Ok(expense)
    }

    async fn find_expense(&mut self, id: ExpenseId) -> Result<Option<Expense>, StoreError> {
        Ok(self.staged.expenses.get(&id.get()).cloned())
    }

    async fn void_expense(
        &mut self,
        id: ExpenseId,
        entry: EntryId,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        match self.staged.expenses.get_mut(&id.get()) {
            Some(e) if e.voided.is_none() => {
                e.voided = Some(ExpenseVoid {
                    at,
                    entry_id: entry,
                });
                Ok(true)
            }
            Some(_) => Ok(false),
            None => Err(StoreError::NotFound),
        }
    }

    async fn list_expenses(
        &mut self,
        query: &ListQuery<ExpenseFilter, ()>,
    ) -> Result<(Page<Expense>, Money), StoreError> {
        let f = &query.filter;
        let range = DateRange {
            from: f.from,
            to: f.to,
        };
        let mut rows: Vec<Expense> = self
            .staged
            .expenses
            .values()
            .filter(|e| range.contains(e.date))
            .filter(|e| f.category_id.is_none_or(|c| e.category_id == c))
            .filter(|e| f.method_id.is_none_or(|m| e.method_id == m))
            .cloned()
            .collect();
        rows.sort_by_key(|e| (e.date, e.id));
        let total = cents(rows.iter().filter(|e| e.voided.is_none()).map(|e| e.amount));
        Ok((Page::slice(in_order(rows, query.order), query.page), total))
    }
}
