//! Expenses: what the shop spends, by category and method, each posting Dr expense / Cr method.

use super::journal::{EntryView, ReverseInput, posted_view};
use super::payments::positive;
use crate::auth::Caller;
use crate::dto::date::iso_date;
use crate::dto::{Body, SortOrder, decimal};
use crate::idempotency::{Idempotency, created, reply};
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_domain::app::ledger::{ExpenseList, NewExpense, Posted, VoidExpense};
use pos_domain::ids::{ExpenseCategoryId, ExpenseId};
use pos_domain::ledger::money_events::{Expense, ExpenseFilter};
use pos_domain::paging::{ListQuery, PageRequest};
use pos_domain::text::{Name, optional_text};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpenseInput {
    #[garde(length(min = 1, max = 120))]
    #[schema(example = "November rent")]
    pub title: String,
    /// Greater than zero, at most 2 decimals.
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "1200.00", pattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")]
    #[garde(skip)]
    pub amount: Decimal,
    /// See GET /api/expense-categories.
    #[garde(skip)]
    pub category_id: i64,
    /// A payment method code, e.g. `cash`.
    #[garde(length(min = 1, max = 32))]
    #[schema(example = "cash")]
    pub method: String,
    /// Default today.
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub date: Option<Date>,
    #[garde(length(max = 500))]
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

fn expense_view(e: Expense, entry: Option<EntryView>) -> ExpenseView {
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

/// Record an expense. Managers and admins. Honours `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/expenses", tag = "ledger",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    request_body = ExpenseInput,
    responses(
        (status = 201, body = ExpenseView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "Idempotency-Key reused", body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn create_expense(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    body: Body<ExpenseInput>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::validated(&*body);
    let title = errors.check("title", Name::new(&body.title));
    let amount = errors.check("amount", positive(body.amount));
    let note = errors.check("note", optional_text(body.note.as_deref(), 500));
    let (title, amount, note) = errors.values((title, amount, note))?;
    let command = NewExpense {
        title,
        amount,
        category: ExpenseCategoryId::new(body.category_id),
        method: body.method.clone(),
        date: body.date,
        note,
        user: auth.principal().user_id,
    };
    let render = created(render_expense);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.record_expense(command, once).await?))
}

/// An expense with the entry it posted (or the reversal that voided it).
fn render_expense((expense, posted): &(Expense, Posted)) -> Result<ExpenseView, ApiError> {
    Ok(expense_view(expense.clone(), Some(posted_view(posted)?)))
}

/// Void an expense: reverse its journal entry and mark it void, in one transaction. A void
/// expense stays listed with `status: void` and counts in no total or report. Managers and
/// admins. Honours `Idempotency-Key`. This is the only way to undo an expense: the journal's
/// reversal refuses entries that documents posted.
#[utoipa::path(
    post, path = "/api/expenses/{id}/void", tag = "ledger",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    request_body = ReverseInput,
    responses(
        (status = 201, description = "Voided; `entry` is the reversal", body = ExpenseView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Already void (`already_void`)", body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn void_expense(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    id: web::Path<i64>,
    body: Body<ReverseInput>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let command = VoidExpense {
        expense: ExpenseId::new(*id),
        date: body.date,
        memo: body.memo.clone(),
        user: auth.principal().user_id,
    };
    let render = created(render_expense);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.void_expense(command, once).await?))
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
    #[garde(length(max = 32))]
    pub method: Option<String>,
    /// By date then id; default newest first.
    #[garde(skip)]
    pub order: Option<SortOrder>,
    #[garde(range(min = 1))]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
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

/// Expenses with date, category and method filters, and their total. Managers and admins.
#[utoipa::path(
    get, path = "/api/expenses", tag = "ledger",
    params(ExpenseListParams),
    responses((status = 200, body = ExpensePage), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn list_expenses(
    state: web::Data<AppState>,
    _auth: Caller,
    params: web::Query<ExpenseListParams>,
) -> Result<web::Json<ExpensePage>, ApiError> {
    params.validate()?;
    let p = params.into_inner();
    let query = ListQuery {
        filter: ExpenseFilter {
            from: p.from,
            to: p.to,
            category_id: p.category_id.map(ExpenseCategoryId::new),
            method_id: None,
        },
        sort: (),
        order: p.order.unwrap_or(SortOrder::Desc).into(),
        page: PageRequest::new(p.page, p.per_page),
    };
    let ExpenseList { page, total_amount } = state.app.expenses(query, p.method).await?;
    Ok(web::Json(ExpensePage {
        page: page.page,
        per_page: page.per_page,
        total: page.total,
        total_amount: total_amount.amount(),
        data: page
            .items
            .into_iter()
            .map(|e| expense_view(e, None))
            .collect(),
    }))
}
