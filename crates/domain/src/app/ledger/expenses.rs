//! Expenses: what the shop spends, by category and method, each posting Dr expense / Cr method.

use super::error::ExpenseError;
use super::journal::{Posted, post, post_reversal};
use crate::app::lookups::{method_by_code, method_filter};
use crate::app::{App, AppResult, Once, Reply};
use crate::ids::{ExpenseCategoryId, ExpenseId, UserId};
use crate::ledger::SourceKind;
use crate::ledger::money_events::{Expense, ExpenseDraft, ExpenseFilter, expense_entry};
use crate::money::Money;
use crate::paging::{ListQuery, Page};
use crate::text::Name;
use time::Date;

/// Record an expense.
#[derive(Debug, Clone)]
pub struct NewExpense {
    pub title: Name,
    pub amount: Money,
    pub category: ExpenseCategoryId,
    /// A payment method code.
    pub method: String,
    pub date: Option<Date>,
    pub note: Option<String>,
    pub user: UserId,
}

/// Void an expense: reverse its entry and mark it void.
#[derive(Debug, Clone)]
pub struct VoidExpense {
    pub expense: ExpenseId,
    pub date: Option<Date>,
    pub memo: Option<String>,
    pub user: UserId,
}

/// A page of expenses and the total of the standing ones matching the filter.
#[derive(Debug, Clone)]
pub struct ExpenseList {
    pub page: Page<Expense>,
    pub total_amount: Money,
}

impl App {
    /// Records an expense and posts Dr expense category / Cr the method's account.
    pub async fn record_expense(
        &self,
        command: NewExpense,
        once: Once<'_, (Expense, Posted)>,
    ) -> Result<Reply, ExpenseError> {
        let date = self.document_date(command.date)?;
        self.once(once, async |tx, now| {
            let category = tx
                .find_expense_category(command.category)
                .await?
                .ok_or_else(|| ExpenseError::Invalid {
                    field: "category_id".to_owned(),
                    message: "no such expense category; see GET /api/expense-categories".to_owned(),
                })?;
            let method = method_by_code(tx, "method", &command.method).await?;
            let draft = ExpenseDraft {
                title: command.title.clone(),
                amount: command.amount,
                category,
                method,
                date,
                note: command.note.clone(),
                user_id: command.user,
            };
            let expense = tx.insert_expense(&draft, now).await?;
            let entry = expense_entry(&draft, Some(expense.id))?;
            Ok((expense, post(tx, entry, now).await?))
        })
        .await
    }

    /// Voids an expense: reverses its journal entry and marks it void, in one transaction. A
    /// void expense counts in no total or report. 409 `already_void` the second time.
    pub async fn void_expense(
        &self,
        command: VoidExpense,
        once: Once<'_, (Expense, Posted)>,
    ) -> Result<Reply, ExpenseError> {
        let date = self.document_date(command.date)?;
        let id = command.expense;
        let memo = command.memo.filter(|m| !m.trim().is_empty());
        self.once(once, async |tx, now| {
            let expense = tx
                .find_expense(id)
                .await?
                .ok_or(ExpenseError::NotFound("expense"))?;
            if expense.voided.is_some() {
                return Err(ExpenseError::AlreadyVoid(id));
            }
            let posted = tx
                .entries_for_source(SourceKind::Expense, id.get())
                .await?
                .into_iter()
                .find(|e| e.reversed_by.is_none())
                .ok_or_else(|| {
                    ExpenseError::Internal("a standing expense without its entry".into())
                })?;
            let memo = memo
                .clone()
                .unwrap_or_else(|| format!("Void of expense {id}: {}", expense.title));
            let reversal = post_reversal(tx, &posted, date, command.user, Some(memo), now).await?;
            if !tx.void_expense(id, reversal.entry.id, now).await? {
                return Err(ExpenseError::AlreadyVoid(id));
            }
            let voided = tx
                .find_expense(id)
                .await?
                .ok_or(ExpenseError::NotFound("expense"))?;
            Ok((voided, reversal))
        })
        .await
    }

    /// Expenses (void ones included) with date, category and method filters, and the total of
    /// the standing ones. A method code that names no method matches nothing.
    pub async fn expenses(
        &self,
        query: ListQuery<ExpenseFilter, ()>,
        method: Option<String>,
    ) -> AppResult<ExpenseList> {
        self.read(async |tx| {
            let Some(method_id) = method_filter(tx, method.as_deref()).await? else {
                return Ok(ExpenseList {
                    page: Page::slice(Vec::new(), query.page),
                    total_amount: Money::ZERO,
                });
            };
            let query = ListQuery {
                filter: ExpenseFilter {
                    method_id,
                    ..query.filter
                },
                ..query
            };
            let (page, total_amount) = tx.list_expenses(&query).await?;
            Ok(ExpenseList { page, total_amount })
        })
        .await
    }
}
