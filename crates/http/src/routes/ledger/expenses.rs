//! Expenses: what the shop spends, by category and method, each posting Dr expense / Cr method.

use crate::auth::Caller;
use crate::dto::{Body, SortOrder};
use crate::idempotency::{Idempotency, created, reply};
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_api::ledger::expenses::*;
use pos_api::ledger::journal::ReverseInput;
use pos_api::ledger::payments::positive;
use pos_domain::app::ledger::{ExpenseList, NewExpense, VoidExpense};
use pos_domain::ids::{ExpenseCategoryId, ExpenseId};
use pos_domain::ledger::money_events::ExpenseFilter;
use pos_domain::paging::{ListQuery, PageRequest};
use pos_domain::text::{Name, optional_text};

/// Record an expense. Managers and admins. Honours `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/expenses", tag = "ledger",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: 1 to 128 printable ASCII characters without spaces, such as a UUID", pattern = "^[!-~]{1,128}$")),
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

/// Void an expense: reverse its journal entry and mark it void, in one transaction. A void
/// expense stays listed with `status: void` and counts in no total or report. Managers and
/// admins. Honours `Idempotency-Key`. This is the only way to undo an expense: the journal's
/// reversal refuses entries that documents posted.
#[utoipa::path(
    post, path = "/api/expenses/{id}/void", tag = "ledger",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: 1 to 128 printable ASCII characters without spaces, such as a UUID", pattern = "^[!-~]{1,128}$")),
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

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    list_expenses, create_expense, void_expense,
}
