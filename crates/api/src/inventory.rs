//! Inventory: stock and FIFO valuation, lots, the inventory log, adjustments and counts.

use crate::csv;
use crate::date::iso_date;
use crate::problem::FieldErrors;
use crate::{SortOrder, decimal};
use garde::Validate;
use pos_domain::app::stock::{Adjusted, StockValuation, ValuedStock};
use pos_domain::inventory::adjustments::AdjustmentReason;
use pos_domain::inventory::{Lot, Movement};
use pos_domain::quantity::Quantity;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct StockRow {
    pub product_id: i64,
    #[serde(serialize_with = "csv::text")]
    pub sku: String,
    #[serde(serialize_with = "csv::text")]
    pub name: String,
    /// Units on hand: the sum of the open lots.
    #[schema(value_type = String)]
    pub on_hand: Decimal,
    /// What the open lots cost (FIFO valuation).
    #[schema(value_type = String)]
    pub value: Decimal,
}

/// Stock and FIFO valuation of every product with lots, and the ledger's inventory balance,
/// which always equals the total value.
#[derive(Debug, Serialize, ToSchema)]
pub struct Valuation {
    pub products: Vec<StockRow>,
    #[schema(value_type = String)]
    pub total_value: Decimal,
    /// The inventory account's balance in the ledger.
    #[schema(value_type = String)]
    pub ledger_inventory: Decimal,
}

pub fn valuation_view(v: StockValuation) -> Valuation {
    Valuation {
        products: v.products.into_iter().map(stock_row).collect(),
        total_value: v.total_value.amount(),
        ledger_inventory: v.ledger_inventory.amount(),
    }
}

pub fn stock_row(r: ValuedStock) -> StockRow {
    StockRow {
        product_id: r.product_id.get(),
        sku: r.sku,
        name: r.name,
        on_hand: r.on_hand.value(),
        value: r.value.amount(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LotView {
    pub id: i64,
    pub purchase_line_id: Option<i64>,
    #[schema(value_type = String)]
    pub received: Decimal,
    #[schema(value_type = String)]
    pub remaining: Decimal,
    #[schema(value_type = String)]
    pub unit_cost: Decimal,
    #[schema(value_type = String)]
    pub remaining_value: Decimal,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub received_at: OffsetDateTime,
    /// Where its units are.
    pub location_id: i64,
}

/// A product's units and their FIFO value at one location.
#[derive(Debug, Serialize, ToSchema)]
pub struct LocationStockView {
    pub location_id: i64,
    #[schema(value_type = String)]
    pub quantity: Decimal,
    #[schema(value_type = String)]
    pub value: Decimal,
}

pub fn location_stock_view(s: pos_domain::inventory::LocationStock) -> LocationStockView {
    LocationStockView {
        location_id: s.location_id.get(),
        quantity: s.quantity.value(),
        value: s.value.amount(),
    }
}

pub fn lot_view(l: Lot) -> LotView {
    LotView {
        id: l.id.get(),
        purchase_line_id: l.purchase_line_id.map(|p| p.get()),
        received: l.received.value(),
        remaining: l.remaining.value(),
        unit_cost: l.unit_cost.amount(),
        remaining_value: l.remaining_value.amount(),
        received_at: l.received_at,
        location_id: l.location_id.get(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MovementView {
    pub id: i64,
    pub product_id: i64,
    /// `purchase`, `supplier_return`, `adjustment`, `sale`, `sale_return`, `transfer_out`,
    /// `transfer_in`.
    pub kind: String,
    /// Where the units came or went.
    pub location_id: i64,
    /// after - before (negative when stock left).
    #[schema(value_type = String)]
    pub change: Decimal,
    #[schema(value_type = String)]
    pub before: Decimal,
    #[schema(value_type = String)]
    pub after: Decimal,
    /// The purchase (or sale...) that made it.
    pub reference_id: Option<i64>,
    pub reason: Option<String>,
    pub user_id: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
}

pub fn movement_view(m: Movement) -> MovementView {
    let change = Decimal::new(m.movement.change_thousandths(), 3).normalize();
    let mv = m.movement;
    MovementView {
        id: m.id.get(),
        product_id: mv.product_id.get(),
        kind: mv.kind.as_str().to_owned(),
        location_id: mv.location.get(),
        change,
        before: mv.before.value(),
        after: mv.after.value(),
        reference_id: mv.reference_id,
        reason: mv.reason,
        user_id: mv.user_id.get(),
        at: mv.at,
    }
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MovementParams {
    #[garde(skip)]
    pub product_id: Option<i64>,
    /// `purchase`, `supplier_return`, `adjustment`, `sale`, `sale_return`, `transfer_out`,
    /// `transfer_in`.
    #[garde(length(chars, max = 16))]
    #[param(
        max_length = 16,
        pattern = "^(purchase|supplier_return|adjustment|sale|sale_return|transfer_out|transfer_in)$"
    )]
    pub kind: Option<String>,
    /// Only the changes at this location.
    #[garde(skip)]
    pub location_id: Option<i64>,
    /// On the movement's UTC date, inclusive.
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub from: Option<Date>,
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub to: Option<Date>,
    /// Default newest first.
    #[garde(skip)]
    pub order: Option<SortOrder>,
    #[garde(range(min = 1, max = 2147483647))]
    #[param(minimum = 1, maximum = 2147483647)]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

/// Why stock is adjusted.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReasonDto {
    CountCorrection,
    Damage,
    Loss,
    Found,
}

impl From<ReasonDto> for AdjustmentReason {
    fn from(r: ReasonDto) -> Self {
        match r {
            ReasonDto::CountCorrection => AdjustmentReason::CountCorrection,
            ReasonDto::Damage => AdjustmentReason::Damage,
            ReasonDto::Loss => AdjustmentReason::Loss,
            ReasonDto::Found => AdjustmentReason::Found,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentInput {
    #[garde(skip)]
    pub product_id: i64,
    /// Where the units are taken from or found (`GET /api/locations`); the default store when
    /// omitted.
    #[serde(default)]
    #[garde(skip)]
    pub location_id: Option<i64>,
    #[garde(skip)]
    pub reason: ReasonDto,
    /// The change: negative takes units away (damage, loss), positive adds (found).
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "-2", pattern = "^(?!-?0(\\.0+)?$)-?(0|[1-9][0-9]{0,11})(\\.[0-9]{1,3}0{0,13})?$")]
    #[garde(skip)]
    pub change: Decimal,
    /// Cost of each added unit; default: the product's last cost.
    #[serde(default, deserialize_with = "decimal::option_from_str")]
    #[schema(value_type = Option<String>, pattern = "^(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
    #[garde(skip)]
    pub unit_cost: Option<Decimal>,
    #[garde(length(chars, max = 300))]
    #[schema(max_length = 300)]
    pub note: Option<String>,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub date: Option<Date>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdjustedView {
    pub product_id: i64,
    #[schema(value_type = String)]
    pub before: Decimal,
    #[schema(value_type = String)]
    pub after: Decimal,
    /// Value written off (negative) or added (positive).
    #[schema(value_type = String)]
    pub value_change: Decimal,
    pub entry_id: Option<i64>,
}

pub fn adjusted_view(a: Adjusted) -> AdjustedView {
    AdjustedView {
        product_id: a.product_id.get(),
        before: a.before.value(),
        after: a.after.value(),
        value_change: a.value_change.amount(),
        entry_id: a.entry_id.map(|e| e.get()),
    }
}

pub fn signed_thousandths(field: &str, errors: &mut FieldErrors, raw: Decimal) -> Option<i64> {
    errors.check(
        field,
        Quantity::new(raw.abs()).map(|q| {
            if raw.is_sign_negative() {
                -q.thousandths()
            } else {
                q.thousandths()
            }
        }),
    )
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CountLine {
    #[garde(skip)]
    pub product_id: i64,
    /// Units counted on the shelf.
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "17", pattern = "^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,3}0{0,13})?$")]
    #[garde(skip)]
    pub counted: Decimal,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockCountInput {
    /// Where the shelves were counted; each count is against that location's lots. The default
    /// store when omitted.
    #[serde(default)]
    #[garde(skip)]
    pub location_id: Option<i64>,
    #[garde(length(min = 1, max = 1000), dive)]
    #[schema(min_items = 1, max_items = 1000)]
    pub lines: Vec<CountLine>,
    #[garde(length(chars, max = 300))]
    #[schema(max_length = 300)]
    pub note: Option<String>,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub date: Option<Date>,
}

/// A product's reorder level at one location.
#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReorderLevelInput {
    #[garde(skip)]
    pub location_id: i64,
    /// Units, up to 3 decimals; `null` to use the product's shop-wide level there again.
    #[serde(default, deserialize_with = "crate::decimal::option_from_str")]
    #[schema(value_type = Option<String>, example = "5", pattern = "^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,3}0{0,13})?$")]
    #[garde(skip)]
    pub level: Option<Decimal>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReorderLevelView {
    pub location_id: i64,
    #[schema(value_type = String)]
    pub level: Decimal,
}

/// Which location a stock report is about; every location when omitted.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LocationParam {
    #[garde(skip)]
    pub location_id: Option<i64>,
}
