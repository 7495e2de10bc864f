//! What is on the shelf: alerts, movement, reorder advice and the detailed inventory.

use super::PeriodQuery;
use crate::auth::Caller;
use crate::dto::csv;
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::routes::reports::ShopPeriod;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use pos_api::reports::stock::*;
use pos_domain::app::reports as model;
use rust_decimal::Decimal;

/// Inventory alerts: active products out of stock or at or below their reorder level. At one
/// location (`location_id`): its stock against the levels set there (`PUT
/// /api/products/{id}/reorder-levels`), or the products' own levels for what it stocks.
/// Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/inventory/alerts", tag = "reports",
    params(pos_api::inventory::LocationParam),
    responses(
        (status = 200, content((AlertsView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn alerts(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Caller,
    at: web::Query<pos_api::inventory::LocationParam>,
) -> Result<HttpResponse, ApiError> {
    let location = at.location_id.map(pos_domain::ids::LocationId::new);
    if let Some(location) = location {
        auth.reach(&[location])?;
    }
    let view = alerts_view(&state.app.stock_alerts(location).await?);
    csv::respond(&req, "inventory-alerts", &view, &view.products)
}

/// Stock movement: per product, opening stock, what each kind of document moved, and closing
/// stock (opening + movements). Counted on the documents' business days. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/inventory/movement", tag = "reports",
    params(PeriodQuery),
    responses(
        (status = 200, content((MovementView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn movement(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Caller,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let report = state.app.stock_movement(q.period(&state)?).await?;
    let products = report
        .products
        .into_iter()
        .map(|m| MovementRow {
            product_id: m.product.get(),
            sku: m.sku,
            name: m.name,
            opening: m.opening.value(),
            purchased: m.purchased.value(),
            returned_to_suppliers: m.returned_to_suppliers.value(),
            sold: m.sold.value(),
            returned_by_customers: m.returned_by_customers.value(),
            adjusted: m.adjusted.value(),
            closing: m.closing.value(),
        })
        .collect();
    let view = MovementView {
        period: report.period.into(),
        products,
    };
    csv::respond(&req, "inventory-movement", &view, &view.products)
}

/// Reorder recommendations from sales velocity: active products whose stock lasts less than
/// `cover_days` at the window's rate, or is at or below the reorder level. The suggestion
/// tops stock up to `cover_days` of sales, and at least to the reorder level. Managers and
/// admins.
#[utoipa::path(
    get, path = "/api/reports/inventory/reorder", tag = "reports",
    params(ReorderQuery),
    responses(
        (status = 200, content((ReorderView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn reorder(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Caller,
    q: web::Query<ReorderQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::default();
    let mut days = |field: &str, value: Option<u16>, default: u16| {
        let value = value.unwrap_or(default);
        errors.check(
            field,
            (1..=365)
                .contains(&value)
                .then_some(value)
                .ok_or("must be between 1 and 365"),
        )
    };
    let window_days = days("window_days", q.window_days, 30);
    let cover_days = days("cover_days", q.cover_days, 14);
    let (window_days, cover_days) = errors.values((window_days, cover_days))?;
    let query = model::Reorder {
        window_days,
        cover_days,
    };
    let report = state.app.reorder_advice(query).await?;
    let view = ReorderView {
        window: report.window.into(),
        cover_days: report.cover_days,
        products: report.products.into_iter().map(reorder_row).collect(),
    };
    csv::respond(&req, "reorder", &view, &view.products)
}

/// Detailed inventory: every product's stock, FIFO value, average cost, retail value and
/// recent sales. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/inventory/detailed", tag = "reports",
    responses(
        (status = 200, content((DetailedView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn detailed(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Caller,
) -> Result<HttpResponse, ApiError> {
    let report = state.app.detailed_inventory().await?;
    // An empty inventory's totals have always been written `0`.
    let total = |d: Decimal| {
        if report.products.is_empty() {
            Decimal::ZERO
        } else {
            d
        }
    };
    let view = DetailedView {
        total_value: total(report.total_value.amount()),
        total_retail_value: total(report.total_retail_value),
        products: report.products.into_iter().map(detailed_row).collect(),
    };
    csv::respond(&req, "inventory-detailed", &view, &view.products)
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    alerts, movement, reorder, detailed,
}
