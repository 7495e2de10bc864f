//! Reports and the dashboard, as typed models.
//!
//! Every report is built here from a handful of port queries that answer grouped rows (per
//! day, product, seller, customer or tax rate; stock levels; account totals), then labelled
//! with one query per kind of label, never one per row. The figures' definitions are
//! `crate::reports`'; the ranking, grouping, growth and averages are made here, so every
//! adapter that drives the shop shows the same report. Periods are resolved by the caller
//! ([`App::today`] for "today"); the reports that always end today (reorder advice, the
//! detailed inventory, the dashboard) take the shop's today themselves.

mod dashboard;
mod sales;
mod stock;

pub use dashboard::{Dashboard, Stretch};
pub use sales::{
    CustomerFigures, CustomerOverview, CustomersReport, DailyReport, DayFigures, FinancialAnalysis,
    MethodFigures, MethodsReport, ProductFigures, ProductRanking, ProductsReport, StaffFigures,
    StaffPerformance, StaffReport, TaxFigures, TaxReport, TopProducts, WALK_IN,
};
pub use stock::{
    DetailedInventory, DetailedLine, MovementLine, MovementReport, Reorder, ReorderLine,
    ReorderReport, StockAlerts,
};
