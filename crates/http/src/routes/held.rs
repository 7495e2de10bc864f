//! Held sales: carts saved at the counter with no stock or ledger effect, completed (and priced
//! again) or cancelled later.

use crate::auth::Caller;
use crate::dto::{Body, PageParams, Paged};
use crate::idempotency::{Idempotency, created, reply};
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_api::held::*;
use pos_api::sales::{checkout_lines, discount, sold_detail, tenders};
use pos_domain::app::held::HoldSale;
use pos_domain::app::sales::{Cart, Sell};
use pos_domain::ids::{CustomerId, HeldSaleId, RegisterId};
use pos_domain::money::Money;
use pos_domain::sales::held::HeldLine;
use pos_domain::text::optional_text;

/// Hold a cart: saved as is, with no stock taken and nothing posted.
#[utoipa::path(
    post, path = "/api/held-sales", tag = "sales",
    request_body = HoldInput,
    responses((status = 201, body = HeldSaleView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn hold_sale(
    state: web::Data<AppState>,
    auth: Caller,
    body: Body<HoldInput>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::validated(&*body);
    let lines = checkout_lines(&mut errors, &body.lines);
    let order_discount = discount("order_discount", &mut errors, &body.order_discount);
    let note = errors.check("note", optional_text(body.note.as_deref(), 500));
    let (order_discount, note) = errors.values((order_discount, note))?;
    let principal = auth.principal();
    let command = HoldSale {
        customer: body.customer_id.map(CustomerId::new),
        lines: lines
            .into_iter()
            .map(|l| HeldLine {
                product_id: l.product_id,
                quantity: l.quantity,
                discount: l.discount,
                unit_price: l.unit_price,
            })
            .collect(),
        order_discount,
        note,
        user: principal.user_id,
        role: principal.role,
    };
    let held = state.app.hold_sale(command).await?;
    Ok(HttpResponse::Created().json(held_view(held)))
}

/// Held sales, newest first.
#[utoipa::path(
    get, path = "/api/held-sales", tag = "sales",
    params(PageParams),
    responses((status = 200, body = Paged<HeldSaleView>), (status = 401, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn list_held_sales(
    state: web::Data<AppState>,
    _auth: Caller,
    page: web::Query<PageParams>,
) -> Result<web::Json<Paged<HeldSaleView>>, ApiError> {
    page.validate()?;
    let held = state.app.held_sales().await?;
    Ok(web::Json(Paged::slice(held, &page, held_view)))
}

/// Complete a held sale: priced again from today's catalog, paid, and sold as by POST
/// /api/sales. The held sale is gone afterwards; two tills cannot both complete it.
/// Honours `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/held-sales/{id}/complete", tag = "sales",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: 1 to 128 printable ASCII characters without spaces, such as a UUID", pattern = "^[!-~]{1,128}$")),
    request_body = CompleteInput,
    responses(
        (status = 201, body = pos_api::sales::SaleDetail),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["staff"]))
)]
pub async fn complete_held_sale(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    id: web::Path<i64>,
    body: Body<CompleteInput>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::validated(&*body);
    let tenders = tenders(&mut errors, &body.payments);
    let expected_total =
        errors.check_opt("expected_total", body.expected_total, Money::non_negative);
    let (expected_total,) = errors.values((expected_total,))?;
    let principal = auth.principal();
    let command = Sell {
        register: body.register_id.map(RegisterId::new),
        cart: Cart::Held(HeldSaleId::new(*id)),
        tenders,
        expected_total,
        user: principal.user_id,
        role: principal.role,
        stores: auth.principal().stores.clone(),
    };
    let render = created(sold_detail);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.checkout(command, once).await?))
}

/// Cancel a held sale.
#[utoipa::path(
    delete, path = "/api/held-sales/{id}", tag = "sales",
    params(("id" = i64, Path)),
    responses((status = 204, description = "Cancelled"), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn cancel_held_sale(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    state.app.discard_held_sale(HeldSaleId::new(*id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    list_held_sales, hold_sale, cancel_held_sale, complete_held_sale,
}
