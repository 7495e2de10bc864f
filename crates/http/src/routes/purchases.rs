//! Purchases: receiving goods into FIFO lots, and sending some back.

use crate::auth::Caller;
use crate::dto::{Body, Paged, SortOrder};
use crate::idempotency::{Idempotency, created, reply};
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::state::AppState;
use actix_web::web;
use garde::Validate;
use pos_api::purchases::*;
use pos_domain::app::purchasing::{NewPurchase, PurchaseTender, SupplierReturnCommand};
use pos_domain::ids::{LocationId, ProductId, PurchaseId, PurchaseLineId, SupplierId};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, PageRequest};
use pos_domain::purchasing::{InvoiceNo, PurchaseFilter, PurchaseLineDraft};
use pos_domain::text::optional_text;

/// Receive goods from a supplier: one FIFO lot per line at its cost, stock raised and logged,
/// and Dr inventory / Cr payments and payables posted. Managers and admins. Honours
/// `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/purchases", tag = "purchases",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: 1 to 128 printable ASCII characters without spaces, such as a UUID", pattern = "^[!-~]{1,128}$")),
    request_body = PurchaseInput,
    responses(
        (status = 201, body = ReceivedView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "Invoice number already used for this supplier", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn create_purchase(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    body: Body<PurchaseInput>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let mut errors = FieldErrors::validated(&*body);
    let invoice_no = errors.check("invoice_no", InvoiceNo::new(&body.invoice_no));
    let note = errors.check("note", optional_text(body.note.as_deref(), 500));
    let mut lines = Vec::new();
    for (i, line) in body.lines.iter().enumerate() {
        let q = quantity(format!("lines[{i}].quantity"), &mut errors, line.quantity);
        let cost = errors.check(
            &format!("lines[{i}].unit_cost"),
            Money::non_negative(line.unit_cost),
        );
        if let (Some(quantity), Some(unit_cost)) = (q, cost) {
            lines.push(PurchaseLineDraft {
                product_id: ProductId::new(line.product_id),
                quantity,
                unit_cost,
            });
        }
    }
    let mut payments = Vec::new();
    for (i, t) in body.payments.iter().enumerate() {
        if let Some(amount) = errors.check(
            &format!("payments[{i}].amount"),
            pos_api::ledger::payments::positive(t.amount),
        ) {
            payments.push(PurchaseTender {
                method: t.method.clone(),
                amount,
            });
        }
    }
    let (invoice_no, note) = errors.values((invoice_no, note))?;
    let command = NewPurchase {
        supplier: SupplierId::new(body.supplier_id),
        invoice_no,
        date: body.date,
        lines,
        payments,
        note,
        user: auth.principal().user_id,
        location: body
            .location_id
            .map_or(pos_domain::location::DEFAULT_LOCATION, LocationId::new),
        stores: auth.principal().stores.clone(),
    };
    let render = created(render_received);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.receive_purchase(command, once).await?))
}

/// Purchases, filterable by supplier, dates and whether something is owed. Managers and admins.
#[utoipa::path(
    get, path = "/api/purchases", tag = "purchases",
    params(PurchaseListParams),
    responses((status = 200, body = Paged<PurchaseView>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn list_purchases(
    state: web::Data<AppState>,
    _auth: Caller,
    params: web::Query<PurchaseListParams>,
) -> Result<web::Json<Paged<PurchaseView>>, ApiError> {
    params.validate()?;
    let p = params.into_inner();
    let query = ListQuery {
        filter: PurchaseFilter {
            supplier_id: p.supplier_id.map(SupplierId::new),
            from: p.from,
            to: p.to,
            open_only: p.open.unwrap_or(false),
            product_id: p.product_id.map(ProductId::new),
        },
        sort: (),
        order: p.order.unwrap_or(SortOrder::Desc).into(),
        page: PageRequest::new(p.page, p.per_page),
    };
    Ok(web::Json(Paged::from_page(
        state.app.list_purchases(query).await?,
        purchase_view,
    )))
}

/// One purchase with its items. Managers and admins.
#[utoipa::path(
    get, path = "/api/purchases/{id}", tag = "purchases",
    params(("id" = i64, Path)),
    responses((status = 200, body = PurchaseView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn get_purchase(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<PurchaseView>, ApiError> {
    let purchase = state.app.purchase(PurchaseId::new(*id)).await?;
    Ok(web::Json(purchase_view(purchase)))
}

/// Send units of a purchase back to the supplier. They leave the lots their lines created, at
/// those lots' cost; refused when a lot no longer holds them. Managers and admins. Honours
/// `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/purchases/{id}/returns", tag = "purchases",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: 1 to 128 printable ASCII characters without spaces, such as a UUID", pattern = "^[!-~]{1,128}$")),
    request_body = SupplierReturnInput,
    responses(
        (status = 201, body = SupplierReturnView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "The lot no longer holds the units", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn create_supplier_return(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    id: web::Path<i64>,
    body: Body<SupplierReturnInput>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let mut errors = FieldErrors::validated(&*body);
    let mut lines = Vec::new();
    for (i, line) in body.lines.iter().enumerate() {
        if let Some(q) = quantity(format!("lines[{i}].quantity"), &mut errors, line.quantity) {
            lines.push((PurchaseLineId::new(line.purchase_line_id), q));
        }
    }
    errors.finish()?;
    let command = SupplierReturnCommand {
        purchase: PurchaseId::new(*id),
        lines,
        refund_method: body.refund_method.clone(),
        date: body.date,
        user: auth.principal().user_id,
    };
    let render = created(render_returned);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.return_to_supplier(command, once).await?))
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    list_purchases, create_purchase, get_purchase, create_supplier_return,
}
