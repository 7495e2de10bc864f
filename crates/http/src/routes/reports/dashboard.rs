//! The main dashboard: today and this month at a glance.

use super::stock::{AlertRow, alerts_of};
use super::{Figures, PeriodView};
use crate::auth::AnyRole;
use crate::problem::{ApiError, Problem};
use crate::routes::ledger::today;
use crate::state::AppState;
use actix_web::web;
use pos_domain::reports::{Period, SalesScope};
use pos_domain::services::reports::{dues, performance};
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
    security(("bearer" = []))
)]
pub async fn dashboard(
    state: web::Data<AppState>,
    _auth: AnyRole,
) -> Result<web::Json<Dashboard>, ApiError> {
    let day = today(&state);
    let mut tx = state.store.begin_read().await?;
    let mut stretch = async |period: Period| -> Result<Stretch, ApiError> {
        let p = performance(tx.as_mut(), period, SalesScope::default()).await?;
        Ok(Stretch {
            period: period.into(),
            figures: Figures::from(&p),
        })
    };
    let today = stretch(Period::day(day)).await?;
    let month = stretch(Period::month_to(day)).await?;
    let (customer_dues, supplier_dues) = dues(tx.as_mut()).await?;
    let mut alerts = alerts_of(tx.as_mut()).await?;
    alerts.products.truncate(10);
    Ok(web::Json(Dashboard {
        today,
        month,
        customer_dues: customer_dues.amount(),
        supplier_dues: supplier_dues.amount(),
        out_of_stock: alerts.out_of_stock,
        low_stock: alerts.low,
        stock_alerts: alerts.products,
    }))
}
