//! The main dashboard: today and this month at a glance.

use super::Figures;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::web;
use pos_api::reports::dashboard::*;
use pos_api::reports::stock::alert_row;
use pos_domain::app::reports as model;

/// The main dashboard: today's and this month's sales, profit, transactions and average
/// basket (definitions as in the reports) at some stores (`location_ids`; by default every
/// store the caller works at), dues, and stock alerts. Every role.
#[utoipa::path(
    get, path = "/api/dashboard", tag = "reports",
    params(pos_api::locations::LocationsParam),
    responses((status = 200, body = Dashboard), (status = 401, body = Problem), (status = 403, description = "A location the caller does not work at", body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn dashboard(
    state: web::Data<AppState>,
    auth: Caller,
    locations: web::Query<pos_api::locations::LocationsParam>,
) -> Result<web::Json<Dashboard>, ApiError> {
    let locations = auth.reach(&locations.ids()?)?;
    let d = state.app.dashboard(&locations).await?;
    let stretch = |s: model::Stretch| Stretch {
        period: s.period.into(),
        figures: Figures::from(&s.figures),
    };
    Ok(web::Json(Dashboard {
        today: stretch(d.today),
        month: stretch(d.month),
        customer_dues: d.customer_dues.amount(),
        supplier_dues: d.supplier_dues.amount(),
        out_of_stock: d.alerts.out_of_stock,
        low_stock: d.alerts.low,
        stock_alerts: d.alerts.products.iter().map(alert_row).collect(),
        cash: pos_api::cash::cash_today_view(&d.cash)?,
    }))
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    dashboard,
}
