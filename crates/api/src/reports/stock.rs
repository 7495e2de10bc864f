//! What is on the shelf: alerts, movement, reorder advice and the detailed inventory.

use super::PeriodView;
use crate::csv;
use pos_domain::app::reports as model;
use pos_domain::reports::StockLevel;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A product at or below its reorder level.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct AlertRow {
    pub product_id: i64,
    #[serde(serialize_with = "csv::text")]
    pub sku: String,
    #[serde(serialize_with = "csv::text")]
    pub name: String,
    #[schema(value_type = String)]
    pub on_hand: Decimal,
    #[schema(value_type = String)]
    pub reorder_level: Decimal,
    /// `out_of_stock` (nothing on hand) or `low` (at or below the reorder level).
    pub alert: String,
}

pub fn alert_row(l: &StockLevel) -> AlertRow {
    AlertRow {
        product_id: l.product_id.get(),
        sku: l.sku.clone(),
        name: l.name.clone(),
        on_hand: l.on_hand.value(),
        reorder_level: l.reorder_level.value(),
        alert: if l.out_of_stock() {
            "out_of_stock"
        } else {
            "low"
        }
        .to_owned(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlertsView {
    pub out_of_stock: u64,
    pub low: u64,
    /// Out of stock first, then by how far below the reorder level.
    pub products: Vec<AlertRow>,
}

/// The alerts as shown: the counts, and the products worst first.
pub fn alerts_view(alerts: &model::StockAlerts) -> AlertsView {
    AlertsView {
        out_of_stock: alerts.out_of_stock,
        low: alerts.low,
        products: alerts.products.iter().map(alert_row).collect(),
    }
}

/// One product's stock over the period, by what moved it (units; negative is out).
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct MovementRow {
    pub product_id: i64,
    #[serde(serialize_with = "csv::text")]
    pub sku: String,
    #[serde(serialize_with = "csv::text")]
    pub name: String,
    #[schema(value_type = String)]
    pub opening: Decimal,
    #[schema(value_type = String)]
    pub purchased: Decimal,
    #[schema(value_type = String)]
    pub returned_to_suppliers: Decimal,
    #[schema(value_type = String)]
    pub sold: Decimal,
    #[schema(value_type = String)]
    pub returned_by_customers: Decimal,
    #[schema(value_type = String)]
    pub adjusted: Decimal,
    #[schema(value_type = String)]
    pub closing: Decimal,
}

/// Named apart from the inventory log's `MovementView` (one name, one schema in the spec).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StockMovementReport)]
pub struct MovementView {
    pub period: PeriodView,
    /// Products whose stock moved in the period.
    pub products: Vec<MovementRow>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReorderQuery {
    /// Days of sales the rate is measured over, ending today (1 to 365, default 30).
    #[param(minimum = 1, maximum = 365)]
    pub window_days: Option<u16>,
    /// Days of sales the stock should cover after ordering (1 to 365, default 14).
    #[param(minimum = 1, maximum = 365)]
    pub cover_days: Option<u16>,
}

/// A product to reorder.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ReorderRow {
    pub product_id: i64,
    #[serde(serialize_with = "csv::text")]
    pub sku: String,
    #[serde(serialize_with = "csv::text")]
    pub name: String,
    #[schema(value_type = String)]
    pub on_hand: Decimal,
    #[schema(value_type = String)]
    pub reorder_level: Decimal,
    /// Units sold less returned in the window.
    #[schema(value_type = String)]
    pub sold_in_window: Decimal,
    #[schema(value_type = String)]
    pub daily_rate: Decimal,
    /// Days the stock lasts at that rate; null when it did not sell.
    #[schema(value_type = Option<String>)]
    pub days_of_cover: Option<Decimal>,
    /// Whole units to order.
    #[schema(value_type = String)]
    pub suggested_quantity: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReorderView {
    pub window: PeriodView,
    pub cover_days: u16,
    /// Fewest days of cover first.
    pub products: Vec<ReorderRow>,
}

pub fn reorder_row(line: model::ReorderLine) -> ReorderRow {
    let (l, a) = (line.level, line.advice);
    ReorderRow {
        product_id: l.product_id.get(),
        sku: l.sku,
        name: l.name,
        on_hand: l.on_hand.value(),
        reorder_level: l.reorder_level.value(),
        sold_in_window: line.sold_in_window.value(),
        daily_rate: a.daily_rate,
        days_of_cover: a.days_of_cover,
        suggested_quantity: a.suggested.value(),
    }
}

/// One product's stock, value and selling.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct DetailedRow {
    pub product_id: i64,
    #[serde(serialize_with = "csv::text")]
    pub sku: String,
    #[serde(serialize_with = "csv::text")]
    pub name: String,
    pub status: String,
    #[schema(value_type = String)]
    pub on_hand: Decimal,
    #[schema(value_type = String)]
    pub reorder_level: Decimal,
    /// FIFO value of the open lots, and per unit.
    #[schema(value_type = String)]
    pub value: Decimal,
    #[schema(value_type = Option<String>)]
    pub average_cost: Option<Decimal>,
    #[schema(value_type = String)]
    pub price: Decimal,
    /// Stock on hand at the shelf price.
    #[schema(value_type = String)]
    pub retail_value: Decimal,
    /// Units sold less returned in the last 30 days.
    #[schema(value_type = String)]
    pub sold_last_30_days: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DetailedView {
    pub products: Vec<DetailedRow>,
    #[schema(value_type = String)]
    pub total_value: Decimal,
    #[schema(value_type = String)]
    pub total_retail_value: Decimal,
}

pub fn detailed_row(line: model::DetailedLine) -> DetailedRow {
    let l = line.level;
    DetailedRow {
        product_id: l.product_id.get(),
        status: l.status.as_str().to_owned(),
        on_hand: l.on_hand.value(),
        reorder_level: l.reorder_level.value(),
        value: l.value.amount(),
        average_cost: line.average_cost,
        price: l.price.amount(),
        retail_value: line.retail_value,
        sold_last_30_days: line.sold_last_30_days.value(),
        sku: l.sku,
        name: l.name,
    }
}
