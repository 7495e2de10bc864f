//! Purchases: receiving goods into FIFO lots, and sending some back.

use crate::auth::Caller;
use crate::dto::date::iso_date;
use crate::dto::{Body, Paged, SortOrder, decimal};
use crate::idempotency::{Idempotency, created, reply};
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::routes::ledger::journal::{EntryView, posted_view};
use crate::state::AppState;
use actix_web::web;
use garde::Validate;
use pos_domain::app::purchasing::{
    NewPurchase, PurchaseTender, ReceivedPurchase, ReturnedToSupplier, SupplierReturnCommand,
};
use pos_domain::ids::{ProductId, PurchaseId, PurchaseLineId, SupplierId};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, PageRequest};
use pos_domain::purchasing::{InvoiceNo, Purchase, PurchaseFilter, PurchaseLineDraft};
use pos_domain::quantity::Quantity;
use pos_domain::text::optional_text;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseLineInput {
    #[garde(skip)]
    pub product_id: i64,
    /// Greater than zero, up to 3 decimals.
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "10", pattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")]
    #[garde(skip)]
    pub quantity: Decimal,
    /// Cost per unit, up to 2 decimals.
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "8.50", pattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")]
    #[garde(skip)]
    pub unit_cost: Decimal,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenderInput {
    /// A payment method code, e.g. `cash`.
    #[garde(length(min = 1, max = 32))]
    pub method: String,
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "50.00", pattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")]
    #[garde(skip)]
    pub amount: Decimal,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseInput {
    #[garde(skip)]
    pub supplier_id: i64,
    /// The supplier's invoice number, unique per supplier.
    #[garde(length(min = 1, max = 64))]
    #[schema(example = "PO-2026-001")]
    pub invoice_no: String,
    /// Default today.
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub date: Option<Date>,
    /// One line per product.
    #[garde(length(min = 1, max = 500), dive)]
    pub lines: Vec<PurchaseLineInput>,
    /// Paid at receipt; the rest is owed to the supplier.
    #[serde(default)]
    #[garde(length(max = 10), dive)]
    pub payments: Vec<TenderInput>,
    #[garde(length(max = 500))]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PurchaseLineView {
    pub id: i64,
    pub product_id: i64,
    #[schema(value_type = String)]
    pub quantity: Decimal,
    #[schema(value_type = String)]
    pub unit_cost: Decimal,
    #[schema(value_type = String)]
    pub total: Decimal,
    /// Units sent back so far.
    #[schema(value_type = String)]
    pub returned: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PurchaseView {
    pub id: i64,
    pub supplier_id: i64,
    pub invoice_no: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    pub note: Option<String>,
    pub user_id: i64,
    pub lines: Vec<PurchaseLineView>,
    #[schema(value_type = String)]
    pub total: Decimal,
    #[schema(value_type = String)]
    pub paid: Decimal,
    /// Value of returned goods taken off the debt.
    #[schema(value_type = String)]
    pub credited: Decimal,
    /// Still owed: total - paid - credited.
    #[schema(value_type = String)]
    pub due: Decimal,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

pub fn purchase_view(p: Purchase) -> PurchaseView {
    PurchaseView {
        id: p.id.get(),
        supplier_id: p.supplier_id.get(),
        invoice_no: p.invoice_no.as_str().to_owned(),
        date: p.date,
        note: p.note.clone(),
        user_id: p.user_id.get(),
        total: p.total.amount(),
        paid: p.paid.amount(),
        credited: p.credited.amount(),
        due: p.due().amount(),
        created_at: p.created_at,
        lines: p
            .lines
            .into_iter()
            .map(|l| PurchaseLineView {
                id: l.id.get(),
                product_id: l.product_id.get(),
                quantity: l.quantity.value(),
                unit_cost: l.unit_cost.amount(),
                total: l.total.amount(),
                returned: l.returned.value(),
            })
            .collect(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceivedView {
    pub purchase: PurchaseView,
    /// The entry it posted (none for goods worth nothing).
    pub entry: Option<EntryView>,
}

fn quantity(field: String, errors: &mut FieldErrors, raw: Decimal) -> Option<Quantity> {
    errors.check(
        &field,
        Quantity::new(raw)
            .ok()
            .filter(|q| *q > Quantity::ZERO)
            .ok_or("must be greater than zero, with at most 3 decimals"),
    )
}

/// Receive goods from a supplier: one FIFO lot per line at its cost, stock raised and logged,
/// and Dr inventory / Cr payments and payables posted. Managers and admins. Honours
/// `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/purchases", tag = "purchases",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
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
            crate::routes::ledger::payments::positive(t.amount),
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
    };
    let render = created(render_received);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.receive_purchase(command, once).await?))
}

/// A received purchase with the entry it posted.
fn render_received(received: &ReceivedPurchase) -> Result<ReceivedView, ApiError> {
    Ok(ReceivedView {
        purchase: purchase_view(received.purchase.clone()),
        entry: received.entry.as_ref().map(posted_view).transpose()?,
    })
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PurchaseListParams {
    #[garde(skip)]
    pub supplier_id: Option<i64>,
    /// Only purchases with a line of this product.
    #[garde(skip)]
    pub product_id: Option<i64>,
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub from: Option<Date>,
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub to: Option<Date>,
    /// Only purchases with something still owed.
    #[garde(skip)]
    pub open: Option<bool>,
    /// By date then id; default newest first.
    #[garde(skip)]
    pub order: Option<SortOrder>,
    #[garde(range(min = 1))]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
    pub per_page: Option<u32>,
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

/// Named apart from a sale's return line: two schemas of one name would let the spec describe
/// one with the other.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(as = SupplierReturnLineInput)]
#[serde(deny_unknown_fields)]
pub struct ReturnLineInput {
    #[garde(skip)]
    pub purchase_line_id: i64,
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "2", pattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")]
    #[garde(skip)]
    pub quantity: Decimal,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupplierReturnInput {
    #[garde(length(min = 1, max = 500), dive)]
    pub lines: Vec<ReturnLineInput>,
    /// How any value beyond what is still owed is refunded (default `cash`).
    #[garde(length(min = 1, max = 32))]
    pub refund_method: Option<String>,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub date: Option<Date>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SupplierReturnView {
    pub purchase: PurchaseView,
    /// The cost of the returned units, from their lots.
    #[schema(value_type = String)]
    pub value: Decimal,
    /// Taken off what is owed on the purchase.
    #[schema(value_type = String)]
    pub credited: Decimal,
    /// Refunded by the refund method.
    #[schema(value_type = String)]
    pub refunded: Decimal,
    pub entry: Option<EntryView>,
}

/// Send units of a purchase back to the supplier. They leave the lots their lines created, at
/// those lots' cost; refused when a lot no longer holds them. Managers and admins. Honours
/// `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/purchases/{id}/returns", tag = "purchases",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
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

/// A supplier return: the purchase after it, how its value was settled, and its entry.
fn render_returned(done: &ReturnedToSupplier) -> Result<SupplierReturnView, ApiError> {
    Ok(SupplierReturnView {
        purchase: purchase_view(done.purchase.clone()),
        value: done.value.amount(),
        credited: done.settlement.credited.amount(),
        refunded: done.settlement.refunded.amount(),
        entry: done.entry.as_ref().map(posted_view).transpose()?,
    })
}
