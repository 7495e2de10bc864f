//! Payments: money in or out by a method, each posting its journal entry.

use crate::auth::Caller;
use crate::dto::{Body, Paged, SortOrder};
use crate::idempotency::{Idempotency, created, reply};
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_api::ledger::payments::*;
use pos_domain::app::ledger::NewPayment;
use pos_domain::ledger::money_events::PaymentFilter;
use pos_domain::paging::{ListQuery, PageRequest};

/// Record money received or paid. Staff record money received; money paid out, and any
/// payment against an expense account (an expense), need a manager. Honours `Idempotency-Key`.
///
/// The counter account may not be a control account (inventory, receivables, payables, tax,
/// revenue, returns, discounts, cost of goods sold, inventory gains and shrinkage, opening
/// balances): those are posted only by their documents, and naming one is refused with 422 and
/// a code saying which routes post it (`posted_by_stock_documents`, `posted_by_sales`, ...).
#[utoipa::path(
    post, path = "/api/payments", tag = "ledger",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: 1 to 128 printable ASCII characters without spaces, such as a UUID", pattern = "^[!-~]{1,128}$")),
    request_body = PaymentInput,
    responses(
        (status = 201, body = PaymentView),
        (status = 401, body = Problem),
        (status = 403, description = "Money out, or an expense account, and the caller is staff", body = Problem),
        (status = 409, description = "Idempotency-Key reused", body = Problem),
        (status = 422, description = "Invalid fields, or a control account (`posted_by_*`)", body = Problem),
    ),
    security(("bearer" = ["staff"]))
)]
pub async fn create_payment(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    body: Body<PaymentInput>,
) -> Result<HttpResponse, ApiError> {
    let errors = FieldErrors::validated(&*body);
    let (amount, reference, note) = payment_fields(
        errors,
        body.amount,
        body.reference.as_deref(),
        body.note.as_deref(),
    )?;
    let command = NewPayment {
        direction: body.direction.into(),
        method: body.method.clone(),
        amount,
        account_code: body.account_code.clone(),
        date: body.date,
        reference,
        note,
        user: auth.principal().user_id,
        role: auth.principal().role,
    };
    let render = created(render_payment);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.record_payment(command, once).await?))
}

/// Payments, filterable by dates, direction and method. Managers and admins.
#[utoipa::path(
    get, path = "/api/payments", tag = "ledger",
    params(PaymentListParams),
    responses((status = 200, body = Paged<PaymentView>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn list_payments(
    state: web::Data<AppState>,
    _auth: Caller,
    params: web::Query<PaymentListParams>,
) -> Result<web::Json<Paged<PaymentView>>, ApiError> {
    params.validate()?;
    let p = params.into_inner();
    let query = ListQuery {
        filter: PaymentFilter {
            from: p.from,
            to: p.to,
            direction: p.direction.map(Into::into),
            method_id: None,
            party: None,
        },
        sort: (),
        order: p.order.unwrap_or(SortOrder::Desc).into(),
        page: PageRequest::new(p.page, p.per_page),
    };
    let payments = state.app.payments(query, p.method).await?;
    Ok(web::Json(Paged::from_page(payments, |p| {
        payment_view(p, None)
    })))
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    list_payments, create_payment,
}
