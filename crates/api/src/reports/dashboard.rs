//! The main dashboard: today and this month at a glance.

use super::stock::AlertRow;
use super::{Figures, PeriodView};
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
    /// The open cash sessions, and over and short of the sessions closed today.
    pub cash: crate::cash::CashTodayView,
}
