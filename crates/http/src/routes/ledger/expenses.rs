//! Expenses: what the shop spends, by category and method, each posting Dr expense / Cr method.

use super::journal::{EntryView, post_and_render};
use super::payments::{method_filter, positive};
use super::{method_by_code, today};
use crate::auth::Manager;
use crate::dto::date::iso_date;
use crate::dto::{Body, SortOrder, decimal};
use crate::idempotency::{Idempotency, Produced};
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_domain::ids::ExpenseCategoryId;
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
    #[schema(value_type = String, example = "1200.00")]
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
    /// The journal entry it posted (on creation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<EntryView>,
}

fn expense_view(e: Expense, entry: Option<EntryView>) -> ExpenseView {
    ExpenseView {
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
    let date = body.date.unwrap_or_else(|| today(&state));
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

/// A page of expenses and the total of all expenses matching the filters.
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
