//! The main dashboard: today and this month at a glance.

use super::stock::{AlertRow, alert_row};
use super::{Figures, PeriodView};
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::web;
use pos_domain::app::reports as model;
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

/// One stretch of days on the dashboard.
#[derive(Debug, Serialize, ToSchema)]
pub struct Stretch {
    pub period: PeriodView,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Dashboard {
    /// Today, on the shop's calendar.
    pub today: Stretch,
    /// From the first of this month to today.
    pub month: Stretch,
    /// What customers owe and what the shop owes suppliers, now.
    #[schema(value_type = String)]
    pub customer_dues: Decimal,
    #[schema(value_type = String)]
    pub supplier_dues: Decimal,
    pub out_of_stock: u64,
    pub low_stock: u64,
    /// The ten most urgent stock alerts.
    pub stock_alerts: Vec<AlertRow>,
}

/// The main dashboard: today's and this month's sales, profit, transactions and average
/// basket (definitions as in the reports), dues, and stock alerts. Every role.
#[utoipa::path(
    get, path = "/api/dashboard", tag = "reports",
    responses((status = 200, body = Dashboard), (status = 401, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn dashboard(
    state: web::Data<AppState>,
    _auth: Caller,
) -> Result<web::Json<Dashboard>, ApiError> {
    let d = state.app.dashboard().await?;
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
    }))
}
