//! Transfers: stock moved between locations at its cost, in steps. Managers and admins; each
//! step honours `Idempotency-Key`.

use crate::auth::Caller;
use crate::dto::{Body, Paged};
use crate::idempotency::{Idempotency, created, reply, updated};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::web;
use garde::Validate;
use pos_api::SortOrder;
use pos_api::transfers::*;
use pos_domain::app::transfers::{CreateTransfer, ReceiveTransfer, TransferStep};
use pos_domain::ids::{LocationId, TransferId};
use pos_domain::paging::{ListQuery, PageRequest};
use pos_domain::transfer::{Transfer, TransferFilter};

fn render(t: &Transfer) -> Result<TransferView, ApiError> {
    Ok(transfer_view(t))
}

/// Ask for stock to move from one location to another. Nothing moves until it ships.
#[utoipa::path(
    post, path = "/api/transfers", tag = "transfers",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: 1 to 128 printable ASCII characters without spaces, such as a UUID", pattern = "^[!-~]{1,128}$")),
    request_body = TransferInput,
    responses(
        (status = 201, body = TransferView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn create_transfer(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    body: Body<TransferInput>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let (from, to, note, lines) = body.parts()?;
    let command = CreateTransfer {
        from,
        to,
        note,
        lines,
        user: auth.principal().user_id,
        stores: auth.principal().stores.clone(),
    };
    let render = created(render);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.create_transfer(command, once).await?))
}

/// Ship a created transfer: its units leave the source's lots, oldest first, at their cost, into
/// stock in transit; the cost moves from inventory to inventory in transit.
#[utoipa::path(
    post, path = "/api/transfers/{id}/ship", tag = "transfers",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: 1 to 128 printable ASCII characters without spaces, such as a UUID", pattern = "^[!-~]{1,128}$")),
    responses(
        (status = 200, body = TransferView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Not created any more, or not enough stock at the source", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn ship_transfer(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    id: web::Path<i64>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let step = TransferStep {
        transfer: TransferId::new(*id),
        user: auth.principal().user_id,
        stores: auth.principal().stores.clone(),
    };
    let render = updated(render);
    let once = idempotency.once(step.user, "", &render);
    Ok(reply(state.app.ship_transfer(step, once).await?))
}

/// Receive a shipped transfer, in full or in part: what arrived goes into lots at the
/// destination with the cost and FIFO age of the lots it left; what is reported short goes to
/// shrinkage; the rest stays in transit for a later receipt.
#[utoipa::path(
    post, path = "/api/transfers/{id}/receive", tag = "transfers",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: 1 to 128 printable ASCII characters without spaces, such as a UUID", pattern = "^[!-~]{1,128}$")),
    request_body = ReceiptInput,
    responses(
        (status = 200, body = TransferView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Not in transit", body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn receive_transfer(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    id: web::Path<i64>,
    body: Body<ReceiptInput>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let command = ReceiveTransfer {
        transfer: TransferId::new(*id),
        lines: body.lines()?,
        user: auth.principal().user_id,
        stores: auth.principal().stores.clone(),
    };
    let render = updated(render);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.receive_transfer(command, once).await?))
}

/// Cancel a transfer that has not shipped.
#[utoipa::path(
    post, path = "/api/transfers/{id}/cancel", tag = "transfers",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: 1 to 128 printable ASCII characters without spaces, such as a UUID", pattern = "^[!-~]{1,128}$")),
    responses(
        (status = 200, body = TransferView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Shipped already", body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn cancel_transfer(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    id: web::Path<i64>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let step = TransferStep {
        transfer: TransferId::new(*id),
        user: auth.principal().user_id,
        stores: auth.principal().stores.clone(),
    };
    let render = updated(render);
    let once = idempotency.once(step.user, "", &render);
    Ok(reply(state.app.cancel_transfer(step, once).await?))
}

/// Transfers, newest first by default.
#[utoipa::path(
    get, path = "/api/transfers", tag = "transfers",
    params(TransferParams),
    responses((status = 200, body = Paged<TransferView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn list_transfers(
    state: web::Data<AppState>,
    _auth: Caller,
    params: web::Query<TransferParams>,
) -> Result<web::Json<Paged<TransferView>>, ApiError> {
    params.validate()?;
    let p = params.into_inner();
    let query = ListQuery {
        filter: TransferFilter {
            status: p.status.map(Into::into),
            location: p.location_id.map(LocationId::new),
        },
        sort: (),
        order: p.order.unwrap_or(SortOrder::Desc).into(),
        page: PageRequest::new(p.page, p.per_page),
    };
    Ok(web::Json(Paged::from_page(
        state.app.transfers(query).await?,
        |t| transfer_view(&t),
    )))
}

/// One transfer.
#[utoipa::path(
    get, path = "/api/transfers/{id}", tag = "transfers",
    params(("id" = i64, Path)),
    responses((status = 200, body = TransferView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn get_transfer(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<TransferView>, ApiError> {
    let transfer = state.app.transfer(TransferId::new(*id)).await?;
    Ok(web::Json(transfer_view(&transfer)))
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    list_transfers, create_transfer, get_transfer, ship_transfer, receive_transfer, cancel_transfer,
}
