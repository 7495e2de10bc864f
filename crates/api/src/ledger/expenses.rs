//! Expenses: what the shop spends, by category and method, each posting Dr expense / Cr method.

use super::journal::{EntryView, posted_view};
use crate::date::iso_date;
use crate::problem::Unrenderable;
use crate::{SortOrder, decimal};
use garde::Validate;
use pos_domain::app::ledger::Posted;
use pos_domain::ledger::money_events::Expense;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpenseInput {
    #[garde(length(chars, min = 1, max = 120))]
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    )]
    #[schema(example = "November rent")]
    pub title: String,
    /// Greater than zero, at most 2 decimals.
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "1200.00", pattern = "^(?!0(\\.0+)?$)(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
    #[garde(skip)]
    pub amount: Decimal,
    /// See GET /api/expense-categories.
    #[garde(skip)]
    pub category_id: i64,
    /// A payment method code, e.g. `cash`.
    #[garde(length(chars, min = 1, max = 32))]
    #[schema(min_length = 1, max_length = 32)]
    #[schema(example = "cash")]
    pub method: String,
    /// Default today.
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub date: Option<Date>,
    #[garde(length(chars, max = 500))]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExpenseView {
    pub id: i64,
    pub title: String,
    #[schema(value_type = String)]
    pub amount: Decimal,
    pub category_id: i64,
    pub method_id: i64,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    pub note: Option<String>,
    pub user_id: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// `standing`, or `void` once voided (a void expense counts in no total).
    pub status: ExpenseStatus,
    /// When it was voided.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub voided_at: Option<OffsetDateTime>,
    /// The entry that reversed its posting, once voided.
    pub void_entry_id: Option<i64>,
    /// The journal entry it posted (on creation), or the reversal (on void).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<EntryView>,
}

/// Whether an expense stands or was voided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExpenseStatus {
    Standing,
    Void,
}

pub fn expense_view(e: Expense, entry: Option<EntryView>) -> ExpenseView {
    ExpenseView {
        status: if e.voided.is_some() {
            ExpenseStatus::Void
        } else {
            ExpenseStatus::Standing
        },
        voided_at: e.voided.map(|v| v.at),
        void_entry_id: e.voided.map(|v| v.entry_id.get()),
        id: e.id.get(),
        title: e.title.into_inner(),
        amount: e.amount.amount(),
        category_id: e.category_id.get(),
        method_id: e.method_id.get(),
        date: e.date,
        note: e.note,
        user_id: e.user_id.get(),
        created_at: e.created_at,
        entry,
    }
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExpenseListParams {
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub from: Option<Date>,
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub to: Option<Date>,
    #[garde(skip)]
    pub category_id: Option<i64>,
    /// A payment method code.
    #[garde(length(chars, max = 32))]
    #[param(max_length = 32)]
    pub method: Option<String>,
    /// By date then id; default newest first.
    #[garde(skip)]
    pub order: Option<SortOrder>,
    #[garde(range(min = 1, max = 2147483647))]
    #[param(minimum = 1, maximum = 2147483647)]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

/// A page of expenses (void ones included) and the total of the standing ones matching the
/// filters.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExpensePage {
    pub data: Vec<ExpenseView>,
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
    /// The sum of every matching expense, across all pages.
    #[schema(value_type = String)]
    pub total_amount: Decimal,
}

/// An expense with the entry it posted (or the reversal that voided it).
pub fn render_expense((expense, posted): &(Expense, Posted)) -> Result<ExpenseView, Unrenderable> {
    Ok(expense_view(expense.clone(), Some(posted_view(posted)?)))
}
