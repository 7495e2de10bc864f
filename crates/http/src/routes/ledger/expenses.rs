//! Expenses: what the shop spends, by category and method, each posting Dr expense / Cr method.

use super::journal::{EntryView, ReverseInput, post_and_render, post_reversal};
use super::method_by_code;
use super::payments::{method_filter, positive};
use crate::auth::Manager;
use crate::dto::date::iso_date;
use crate::dto::{Body, SortOrder, decimal};
use crate::idempotency::{Idempotency, Produced};
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_domain::ids::{EntryId, ExpenseCategoryId, ExpenseId};
use pos_domain::ledger::SourceKind;
use pos_domain::ledger::money_events::{Expense, ExpenseDraft, ExpenseFilter, expense_entry};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, PageRequest};
use pos_domain::ports::Tx;
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
    security(("bearer" = []))
)]
pub async fn create_expense(
    state: web::Data<AppState>,
    auth: Manager,
    idempotency: Idempotency,
    body: Body<ExpenseInput>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::validated(&*body);
    let title = errors.check("title", Name::new(&body.title));
    let amount = errors.check("amount", positive(body.amount));
    let note = errors.check("note", optional_text(body.note.as_deref(), 500));
    errors.finish()?;
    let (Some(title), Some(amount), Some(note)) = (title, amount, note) else {
        return Err(ApiError::internal("field check passed without values"));
    };
    let user_id = auth.principal().user_id;
    let now = state.now();
    let date = crate::routes::ledger::document_date(&state, body.date)?;
    let input = &*body;
    idempotency
        .run(
            &state,
            user_id,
            body.canonical(),
            async |tx: &mut dyn Tx| {
                let category = tx
                    .find_expense_category(ExpenseCategoryId::new(input.category_id))
                    .await?
                    .ok_or_else(|| {
                        ApiError::validation(
                            "category_id",
                            "no such expense category; see GET /api/expense-categories",
                        )
                    })?;
                let method = method_by_code(tx, "method", &input.method).await?;
                let draft = ExpenseDraft {
                    title: title.clone(),
                    amount,
                    category,
                    method,
                    date,
                    note: note.clone(),
                    user_id,
                };
                let expense = tx.insert_expense(&draft, now).await?;
                let entry = expense_entry(&draft, Some(expense.id))
                    .map_err(|e| ApiError::validation("amount", e))?;
                let entry = post_and_render(tx, entry, now).await?;
                Produced::created(&expense_view(expense, Some(entry)))
            },
        )
        .await
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
    security(("bearer" = []))
)]
pub async fn void_expense(
    state: web::Data<AppState>,
    auth: Manager,
    idempotency: Idempotency,
    id: web::Path<i64>,
    body: Body<ReverseInput>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let user = auth.principal().user_id;
    let now = state.now();
    let date = crate::routes::ledger::document_date(&state, body.date)?;
    let expense_id = ExpenseId::new(*id);
    let memo = body.memo.clone().filter(|m| !m.trim().is_empty());
    let already_void = || ApiError::Conflict {
        code: "already_void",
        detail: format!("Expense {expense_id} is already void. Nothing was changed."),
        errors: Vec::new(),
    };
    idempotency
        .run(&state, user, body.canonical(), async |tx: &mut dyn Tx| {
            let expense = tx
                .find_expense(expense_id)
                .await?
                .ok_or(ApiError::NotFound { what: "expense" })?;
            if expense.voided.is_some() {
                return Err(already_void());
            }
            let posted = tx
                .entries_for_source(SourceKind::Expense, expense_id.get())
                .await?
                .into_iter()
                .find(|e| e.reversed_by.is_none())
                .ok_or_else(|| ApiError::internal("a standing expense without its entry"))?;
            let memo = memo
                .clone()
                .unwrap_or_else(|| format!("Void of expense {expense_id}: {}", expense.title));
            let entry = post_reversal(tx, &posted, date, user, Some(memo), now).await?;
            let entry_id = EntryId::new(entry.id);
            if !tx.void_expense(expense_id, entry_id, now).await? {
                return Err(already_void());
            }
            let voided = tx
                .find_expense(expense_id)
                .await?
                .ok_or(ApiError::NotFound { what: "expense" })?;
            Produced::created(&expense_view(voided, Some(entry)))
        })
        .await
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
    security(("bearer" = []))
)]
pub async fn list_expenses(
    state: web::Data<AppState>,
    _auth: Manager,
    params: web::Query<ExpenseListParams>,
) -> Result<web::Json<ExpensePage>, ApiError> {
    params.validate()?;
    let p = params.into_inner();
    let page = PageRequest::new(p.page, p.per_page);
    let mut tx = state.store.begin_read().await?;
    let Some(method_id) = method_filter(tx.as_mut(), p.method.as_deref()).await? else {
        return Ok(web::Json(ExpensePage {
            data: Vec::new(),
            page: page.page(),
            per_page: page.per_page(),
            total: 0,
            total_amount: Money::ZERO.amount(),
        }));
    };
    let query = ListQuery {
        filter: ExpenseFilter {
            from: p.from,
            to: p.to,
            category_id: p.category_id.map(ExpenseCategoryId::new),
            method_id,
        },
        sort: (),
        order: p.order.unwrap_or(SortOrder::Desc).into(),
        page,
    };
    let (expenses, total_amount) = tx.list_expenses(&query).await?;
    Ok(web::Json(ExpensePage {
        page: expenses.page,
        per_page: expenses.per_page,
        total: expenses.total,
        total_amount: total_amount.amount(),
        data: expenses
            .items
            .into_iter()
            .map(|e| expense_view(e, None))
            .collect(),
    }))
}
