//! Transfers on the wire: stock moved between locations, in steps.

use crate::problem::{FieldErrors, Invalid};
use crate::purchases::quantity;
use crate::{SortOrder, decimal};
use garde::Validate;
use pos_domain::ids::{LocationId, ProductId};
use pos_domain::quantity::Quantity;
use pos_domain::transfer::{ReceiptLine, Transfer, TransferStatus};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferLineInput {
    #[garde(skip)]
    pub product_id: i64,
    /// Greater than zero, up to 3 decimals.
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "10", pattern = "^(?!0(\\.0+)?$)(0|[1-9][0-9]{0,11})(\\.[0-9]{1,3}0{0,13})?$")]
    #[garde(skip)]
    pub quantity: Decimal,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferInput {
    /// Where the goods leave from: a store or a warehouse.
    #[garde(skip)]
    pub from_location_id: i64,
    /// Where they go: another store or warehouse.
    #[garde(skip)]
    pub to_location_id: i64,
    /// One line per product.
    #[garde(length(min = 1, max = 500), dive)]
    #[schema(min_items = 1, max_items = 500)]
    pub lines: Vec<TransferLineInput>,
    #[garde(length(chars, max = 500))]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

/// A transfer as asked for: (from, to, note, lines by product).
pub type TransferParts = (
    LocationId,
    LocationId,
    Option<String>,
    Vec<(ProductId, Quantity)>,
);

impl TransferInput {
    pub fn parts(&self) -> Result<TransferParts, Invalid> {
        let mut errors = FieldErrors::validated(self);
        let note = errors.check(
            "note",
            pos_domain::text::optional_text(self.note.as_deref(), 500),
        );
        let mut lines = Vec::with_capacity(self.lines.len());
        for (i, line) in self.lines.iter().enumerate() {
            if let Some(q) = quantity(format!("lines[{i}].quantity"), &mut errors, line.quantity) {
                lines.push((ProductId::new(line.product_id), q));
            }
        }
        let (note,) = errors.values((note,))?;
        Ok((
            LocationId::new(self.from_location_id),
            LocationId::new(self.to_location_id),
            note,
            lines,
        ))
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptLineInput {
    #[garde(skip)]
    pub product_id: i64,
    /// Units that arrived, up to 3 decimals.
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "9", pattern = "^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,3}0{0,13})?$")]
    #[garde(skip)]
    pub received: Decimal,
    /// Units reported missing: they leave the books to shrinkage. The rest of what was shipped
    /// stays in transit for a later receipt.
    #[serde(default, deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "1", pattern = "^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,3}0{0,13})?$")]
    #[garde(skip)]
    pub short: Decimal,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptInput {
    /// One line per product received or short.
    #[garde(length(min = 1, max = 500), dive)]
    #[schema(min_items = 1, max_items = 500)]
    pub lines: Vec<ReceiptLineInput>,
}

fn units(field: String, errors: &mut FieldErrors, raw: Decimal) -> Option<Quantity> {
    errors.check(
        &field,
        Quantity::new(raw).map_err(|_| "must be zero or more, with at most 3 decimals"),
    )
}

impl ReceiptInput {
    pub fn lines(&self) -> Result<Vec<ReceiptLine>, Invalid> {
        let mut errors = FieldErrors::validated(self);
        let mut lines = Vec::with_capacity(self.lines.len());
        for (i, line) in self.lines.iter().enumerate() {
            let received = units(format!("lines[{i}].received"), &mut errors, line.received);
            let short = units(format!("lines[{i}].short"), &mut errors, line.short);
            if let (Some(received), Some(short)) = (received, short) {
                lines.push(ReceiptLine {
                    product_id: ProductId::new(line.product_id),
                    received,
                    short,
                });
            }
        }
        errors.finish()?;
        Ok(lines)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TransferLineView {
    pub product_id: i64,
    /// Asked for and, once shipped, shipped.
    #[schema(value_type = String)]
    pub quantity: Decimal,
    #[schema(value_type = String)]
    pub received: Decimal,
    #[schema(value_type = String)]
    pub short: Decimal,
    /// Shipped and neither received nor reported short.
    #[schema(value_type = String)]
    pub in_transit: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TransferView {
    pub id: i64,
    pub from_location_id: i64,
    pub to_location_id: i64,
    /// `created`, `shipped`, `partially_received`, `received` or `cancelled`.
    pub status: &'static str,
    pub note: Option<String>,
    pub lines: Vec<TransferLineView>,
    pub created_by: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub shipped_at: Option<OffsetDateTime>,
    /// When it was received in full or cancelled.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<OffsetDateTime>,
}

pub fn transfer_view(t: &Transfer) -> TransferView {
    TransferView {
        id: t.id.get(),
        from_location_id: t.from.get(),
        to_location_id: t.to.get(),
        status: t.status.as_str(),
        note: t.note.clone(),
        lines: t
            .lines
            .iter()
            .map(|l| TransferLineView {
                product_id: l.product_id.get(),
                quantity: l.quantity.value(),
                received: l.received.value(),
                short: l.short.value(),
                in_transit: t.in_transit(l.product_id).value(),
            })
            .collect(),
        created_by: t.created_by.get(),
        created_at: t.created_at,
        shipped_at: t.shipped_at,
        closed_at: t.closed_at,
    }
}

/// Where a transfer is.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransferStatusDto {
    Created,
    Shipped,
    PartiallyReceived,
    Received,
    Cancelled,
}

impl From<TransferStatusDto> for TransferStatus {
    fn from(s: TransferStatusDto) -> Self {
        match s {
            TransferStatusDto::Created => TransferStatus::Created,
            TransferStatusDto::Shipped => TransferStatus::Shipped,
            TransferStatusDto::PartiallyReceived => TransferStatus::PartiallyReceived,
            TransferStatusDto::Received => TransferStatus::Received,
            TransferStatusDto::Cancelled => TransferStatus::Cancelled,
        }
    }
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TransferParams {
    #[garde(skip)]
    pub status: Option<TransferStatusDto>,
    /// Transfers from or to this location.
    #[garde(skip)]
    pub location_id: Option<i64>,
    /// By id; default newest first.
    #[garde(skip)]
    pub order: Option<SortOrder>,
    #[garde(range(min = 1, max = 2147483647))]
    #[param(minimum = 1, maximum = 2147483647)]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}
