//! Purchases: receiving goods into FIFO lots, and sending some back.

use crate::date::iso_date;
use crate::ledger::journal::{EntryView, posted_view};
use crate::problem::FieldErrors;
use crate::problem::Unrenderable;
use crate::{SortOrder, decimal};
use garde::Validate;
use pos_domain::app::purchasing::{ReceivedPurchase, ReturnedToSupplier};
use pos_domain::purchasing::Purchase;
use pos_domain::quantity::Quantity;
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
    #[schema(value_type = String, example = "10", pattern = "^(?!0(\\.0+)?$)(0|[1-9][0-9]{0,11})(\\.[0-9]{1,3}0{0,13})?$")]
    #[garde(skip)]
    pub quantity: Decimal,
    /// Cost per unit, up to 2 decimals.
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "8.50", pattern = "^(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
    #[garde(skip)]
    pub unit_cost: Decimal,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenderInput {
    /// A payment method code, e.g. `cash`.
    #[garde(length(chars, min = 1, max = 32))]
    #[schema(min_length = 1, max_length = 32)]
    pub method: String,
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "50.00", pattern = "^(?!0(\\.0+)?$)(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
    #[garde(skip)]
    pub amount: Decimal,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseInput {
    #[garde(skip)]
    pub supplier_id: i64,
    /// Where the goods are received, a store or a warehouse (`GET /api/locations`); the
    /// default store when omitted.
    #[serde(default)]
    #[garde(skip)]
    pub location_id: Option<i64>,
    /// The supplier's invoice number, unique per supplier.
    #[garde(length(chars, min = 1, max = 64))]
    #[schema(
        min_length = 1,
        max_length = 64,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    )]
    #[schema(example = "PO-2026-001")]
    pub invoice_no: String,
    /// Default today.
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub date: Option<Date>,
    /// One line per product.
    #[garde(length(min = 1, max = 500), dive)]
    #[schema(min_items = 1, max_items = 500)]
    pub lines: Vec<PurchaseLineInput>,
    /// Paid at receipt; the rest is owed to the supplier.
    #[serde(default)]
    #[garde(length(max = 10), dive)]
    #[schema(max_items = 10)]
    pub payments: Vec<TenderInput>,
    #[garde(length(chars, max = 500))]
    #[schema(max_length = 500)]
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

pub fn quantity(field: String, errors: &mut FieldErrors, raw: Decimal) -> Option<Quantity> {
    errors.check(
        &field,
        Quantity::new(raw)
            .ok()
            .filter(|q| *q > Quantity::ZERO)
            .ok_or("must be greater than zero, with at most 3 decimals"),
    )
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
    #[garde(range(min = 1, max = 2147483647))]
    #[param(minimum = 1, maximum = 2147483647)]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
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
    #[schema(value_type = String, example = "2", pattern = "^(?!0(\\.0+)?$)(0|[1-9][0-9]{0,11})(\\.[0-9]{1,3}0{0,13})?$")]
    #[garde(skip)]
    pub quantity: Decimal,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupplierReturnInput {
    #[garde(length(min = 1, max = 500), dive)]
    #[schema(min_items = 1, max_items = 500)]
    pub lines: Vec<ReturnLineInput>,
    /// How any value beyond what is still owed is refunded (default `cash`).
    #[garde(length(chars, min = 1, max = 32))]
    #[schema(min_length = 1, max_length = 32)]
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

/// A received purchase with the entry it posted.
pub fn render_received(received: &ReceivedPurchase) -> Result<ReceivedView, Unrenderable> {
    Ok(ReceivedView {
        purchase: purchase_view(received.purchase.clone()),
        entry: received.entry.as_ref().map(posted_view).transpose()?,
    })
}

/// A supplier return: the purchase after it, how its value was settled, and its entry.
pub fn render_returned(done: &ReturnedToSupplier) -> Result<SupplierReturnView, Unrenderable> {
    Ok(SupplierReturnView {
        purchase: purchase_view(done.purchase.clone()),
        value: done.value.amount(),
        credited: done.settlement.credited.amount(),
        refunded: done.settlement.refunded.amount(),
        entry: done.entry.as_ref().map(posted_view).transpose()?,
    })
}
