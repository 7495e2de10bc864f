//! What is on the shelf: alerts, movement, reorder advice and the detailed inventory.

use super::{PeriodQuery, PeriodView};
use crate::auth::Manager;
use crate::dto::csv::{self, CsvRow, opt, text};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use pos_domain::ids::ProductId;
use pos_domain::inventory::MovementKind;
use pos_domain::quantity::Quantity;
use pos_domain::reports::{GroupKey, Grouping, Period, SalesScope, StockLevel, reorder_advice};
use pos_domain::services::reports::performance_by;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// A product at or below its reorder level.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertRow {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    #[schema(value_type = String)]
    pub on_hand: Decimal,
    #[schema(value_type = String)]
    pub reorder_level: Decimal,
    /// `out_of_stock` (nothing on hand) or `low` (at or below the reorder level).
    pub alert: String,
}

impl CsvRow for AlertRow {
    const HEADER: &'static [&'static str] = &[
        "product_id",
        "sku",
        "name",
        "on_hand",
        "reorder_level",
        "alert",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.product_id.to_string(),
            text(&self.sku),
            text(&self.name),
            self.on_hand.to_string(),
            self.reorder_level.to_string(),
            self.alert.clone(),
        ]
    }
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

/// Active products whose stock is at or below their reorder level, worst first.
pub async fn alerts_of(tx: &mut dyn pos_domain::ports::Tx) -> Result<AlertsView, ApiError> {
    let mut levels: Vec<StockLevel> = tx
        .stock_levels(true)
        .await?
        .into_iter()
        .filter(|l| l.status == pos_domain::catalog::ProductStatus::Active)
        .collect();
    levels.sort_by_key(|l| {
        (
            !l.out_of_stock(),
            l.on_hand.thousandths() - l.reorder_level.thousandths(),
            l.product_id,
        )
    });
    let out_of_stock = levels.iter().filter(|l| l.out_of_stock()).count() as u64;
    Ok(AlertsView {
        out_of_stock,
        low: levels.len() as u64 - out_of_stock,
        products: levels.iter().map(alert_row).collect(),
    })
}

/// Inventory alerts: active products out of stock or at or below their reorder level.
/// Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/inventory/alerts", tag = "reports",
    responses(
        (status = 200, content((AlertsView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = []))
)]
pub async fn alerts(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Manager,
) -> Result<HttpResponse, ApiError> {
    let mut tx = state.store.begin_read().await?;
    let view = alerts_of(tx.as_mut()).await?;
    Ok(csv::respond(
        &req,
        "inventory-alerts",
        &view,
        &view.products,
    ))
}

/// One product's stock over the period, by what moved it (units; negative is out).
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct MovementRow {
    pub product_id: i64,
    pub sku: String,
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

impl CsvRow for MovementRow {
    const HEADER: &'static [&'static str] = &[
        "product_id",
        "sku",
        "name",
        "opening",
        "purchased",
        "returned_to_suppliers",
        "sold",
        "returned_by_customers",
        "adjusted",
        "closing",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.product_id.to_string(),
            text(&self.sku),
            text(&self.name),
            self.opening.to_string(),
            self.purchased.to_string(),
            self.returned_to_suppliers.to_string(),
            self.sold.to_string(),
            self.returned_by_customers.to_string(),
            self.adjusted.to_string(),
            self.closing.to_string(),
        ]
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MovementView {
    pub period: PeriodView,
    /// Products whose stock moved in the period.
    pub products: Vec<MovementRow>,
}

/// Stock movement: per product, opening stock, what each kind of document moved, and closing
/// stock (opening + movements). Counted on the documents' business days. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/inventory/movement", tag = "reports",
    params(PeriodQuery),
    responses(
        (status = 200, content((MovementView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []))
)]
pub async fn movement(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Manager,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let period = q.period(&state)?;
    let mut tx = state.store.begin_read().await?;
    let changes = tx.stock_changes(period).await?;
    let after: BTreeMap<ProductId, Quantity> = tx
        .stock_changes_after(period.to())
        .await?
        .into_iter()
        .collect();
    let levels: BTreeMap<ProductId, StockLevel> = tx
        .stock_levels(false)
        .await?
        .into_iter()
        .map(|l| (l.product_id, l))
        .collect();
    let mut rows: BTreeMap<ProductId, MovementRow> = BTreeMap::new();
    for (product, kind, change) in changes {
        let row = rows.entry(product).or_insert_with(|| MovementRow {
            product_id: product.get(),
            ..MovementRow::default()
        });
        let slot = match kind {
            MovementKind::Purchase => &mut row.purchased,
            MovementKind::SupplierReturn => &mut row.returned_to_suppliers,
            MovementKind::Sale => &mut row.sold,
            MovementKind::SaleReturn => &mut row.returned_by_customers,
            MovementKind::Adjustment => &mut row.adjusted,
        };
        *slot += change.value();
    }
    for (product, row) in &mut rows {
        let now = levels
            .get(product)
            .map_or(Decimal::ZERO, |l| l.on_hand.value());
        // Stock at the end of the period is today's less what moved after it.
        row.closing = now - after.get(product).map_or(Decimal::ZERO, |q| q.value());
        row.opening = row.closing
            - row.purchased
            - row.returned_to_suppliers
            - row.sold
            - row.returned_by_customers
            - row.adjusted;
        if let Some(l) = levels.get(product) {
            row.sku = l.sku.clone();
            row.name = l.name.clone();
        }
    }
    let view = MovementView {
        period: period.into(),
        products: rows.into_values().collect(),
    };
    Ok(csv::respond(
        &req,
        "inventory-movement",
        &view,
        &view.products,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReorderQuery {
    /// Days of sales the rate is measured over, ending today (1 to 365, default 30).
    pub window_days: Option<u16>,
    /// Days of sales the stock should cover after ordering (1 to 365, default 14).
    pub cover_days: Option<u16>,
}

/// A product to reorder.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReorderRow {
    pub product_id: i64,
    pub sku: String,
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

impl CsvRow for ReorderRow {
    const HEADER: &'static [&'static str] = &[
        "product_id",
        "sku",
        "name",
        "on_hand",
        "reorder_level",
        "sold_in_window",
        "daily_rate",
        "days_of_cover",
        "suggested_quantity",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.product_id.to_string(),
            text(&self.sku),
            text(&self.name),
            self.on_hand.to_string(),
            self.reorder_level.to_string(),
            self.sold_in_window.to_string(),
            self.daily_rate.to_string(),
            opt(self.days_of_cover),
            self.suggested_quantity.to_string(),
        ]
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReorderView {
    pub window: PeriodView,
    pub cover_days: u16,
    /// Fewest days of cover first.
    pub products: Vec<ReorderRow>,
}

/// Units sold less returned per product over `period`.
async fn net_sold(
    tx: &mut dyn pos_domain::ports::Tx,
    period: Period,
) -> Result<BTreeMap<ProductId, Quantity>, ApiError> {
    Ok(
        performance_by(tx, period, SalesScope::default(), Grouping::Product)
            .await?
            .into_iter()
            .filter_map(|(k, p)| match k {
                GroupKey::Product(id) => Some((id, p.net_quantity())),
                _ => None,
            })
            .collect(),
    )
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
    security(("bearer" = []))
)]
pub async fn reorder(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Manager,
    q: web::Query<ReorderQuery>,
) -> Result<HttpResponse, ApiError> {
    let window_days = q.window_days.unwrap_or(30);
    let cover_days = q.cover_days.unwrap_or(14);
    for (field, value) in [("window_days", window_days), ("cover_days", cover_days)] {
        if !(1..=365).contains(&value) {
            return Err(ApiError::validation(field, "must be between 1 and 365"));
        }
    }
    let window = Period::ending(crate::routes::ledger::today(&state), window_days);
    let mut tx = state.store.begin_read().await?;
    let sold = net_sold(tx.as_mut(), window).await?;
    let mut rows: Vec<ReorderRow> = tx
        .stock_levels(false)
        .await?
        .into_iter()
        .filter(|l| l.status == pos_domain::catalog::ProductStatus::Active)
        .filter_map(|l| {
            let sold = sold.get(&l.product_id).copied().unwrap_or(Quantity::ZERO);
            reorder_advice(&l, sold, window_days, cover_days).map(|a| ReorderRow {
                product_id: l.product_id.get(),
                sku: l.sku,
                name: l.name,
                on_hand: l.on_hand.value(),
                reorder_level: l.reorder_level.value(),
                sold_in_window: sold.value(),
                daily_rate: a.daily_rate,
                days_of_cover: a.days_of_cover,
                suggested_quantity: a.suggested.value(),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        let cover = |r: &ReorderRow| r.days_of_cover.unwrap_or(Decimal::MAX);
        cover(a)
            .cmp(&cover(b))
            .then(a.product_id.cmp(&b.product_id))
    });
    let view = ReorderView {
        window: window.into(),
        cover_days,
        products: rows,
    };
    Ok(csv::respond(&req, "reorder", &view, &view.products))
}

/// One product's stock, value and selling.
#[derive(Debug, Serialize, ToSchema)]
pub struct DetailedRow {
    pub product_id: i64,
    pub sku: String,
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

impl CsvRow for DetailedRow {
    const HEADER: &'static [&'static str] = &[
        "product_id",
        "sku",
        "name",
        "status",
        "on_hand",
        "reorder_level",
        "value",
        "average_cost",
        "price",
        "retail_value",
        "sold_last_30_days",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.product_id.to_string(),
            text(&self.sku),
            text(&self.name),
            self.status.clone(),
            self.on_hand.to_string(),
            self.reorder_level.to_string(),
            self.value.to_string(),
            opt(self.average_cost),
            self.price.to_string(),
            self.retail_value.to_string(),
            self.sold_last_30_days.to_string(),
        ]
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DetailedView {
    pub products: Vec<DetailedRow>,
    #[schema(value_type = String)]
    pub total_value: Decimal,
    #[schema(value_type = String)]
    pub total_retail_value: Decimal,
}

/// Detailed inventory: every product's stock, FIFO value, average cost, retail value and
/// recent sales. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/inventory/detailed", tag = "reports",
    responses(
        (status = 200, content((DetailedView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = []))
)]
pub async fn detailed(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Manager,
) -> Result<HttpResponse, ApiError> {
    let window = Period::ending(crate::routes::ledger::today(&state), 30);
    let mut tx = state.store.begin_read().await?;
    let sold = net_sold(tx.as_mut(), window).await?;
    let mut total_value = Decimal::ZERO;
    let mut total_retail = Decimal::ZERO;
    let products: Vec<DetailedRow> = tx
        .stock_levels(false)
        .await?
        .into_iter()
        .map(|l| {
            let on_hand = l.on_hand.value();
            let retail = (l.price.amount() * on_hand).round_dp(2);
            total_value += l.value.amount();
            total_retail += retail;
            DetailedRow {
                product_id: l.product_id.get(),
                status: l.status.as_str().to_owned(),
                on_hand,
                reorder_level: l.reorder_level.value(),
                value: l.value.amount(),
                average_cost: (on_hand > Decimal::ZERO)
                    .then(|| (l.value.amount() / on_hand).round_dp(2)),
                price: l.price.amount(),
                retail_value: retail,
                sold_last_30_days: sold.get(&l.product_id).map_or(Decimal::ZERO, |q| q.value()),
                sku: l.sku,
                name: l.name,
            }
        })
        .collect();
    let view = DetailedView {
        products,
        total_value,
        total_retail_value: total_retail,
    };
    Ok(csv::respond(
        &req,
        "inventory-detailed",
        &view,
        &view.products,
    ))
}
