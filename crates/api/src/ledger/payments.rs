//! Payments: money in or out by a method, each posting its journal entry.

use super::journal::{EntryView, posted_view};
use crate::date::iso_date;
use crate::problem::Unrenderable;
use crate::problem::{FieldErrors, Invalid};
use crate::{SortOrder, decimal};
use garde::Validate;
use pos_domain::app::ledger::Posted;
use pos_domain::ledger::money_events::{Direction, Payment};
use pos_domain::money::Money;
use pos_domain::text::optional_text;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

/// `in`: money received; `out`: money paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DirectionDto {
    In,
    Out,
}

impl From<DirectionDto> for Direction {
    fn from(d: DirectionDto) -> Self {
        match d {
            DirectionDto::In => Direction::In,
            DirectionDto::Out => Direction::Out,
        }
    }
}

impl From<Direction> for DirectionDto {
    fn from(d: Direction) -> Self {
        match d {
            Direction::In => DirectionDto::In,
            Direction::Out => DirectionDto::Out,
        }
    }
}

/// A payment with no customer or supplier: money in or out against any account, such as an
/// owner's deposit (`3000`) or a refund from a landlord (`6000`). Customer and supplier
/// payments arrive with customers and suppliers, at `/api/customers/{id}/payments` and
/// `/api/suppliers/{id}/payments`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentInput {
    #[garde(skip)]
    pub direction: DirectionDto,
    /// A payment method code, e.g. `cash`.
    #[garde(length(chars, min = 1, max = 32))]
    #[schema(min_length = 1, max_length = 32)]
    #[schema(example = "cash")]
    pub method: String,
    /// Greater than zero, at most 2 decimals.
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "250.00", pattern = "^(?!0(\\.0+)?$)(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
    #[garde(skip)]
    pub amount: Decimal,
    /// The account on the other side of the money, by code.
    #[garde(length(chars, min = 1, max = 16))]
    #[schema(
        min_length = 1,
        max_length = 16,
        pattern = "^\\s*[A-Za-z0-9.-]{1,16}\\s*$"
    )]
    #[schema(example = "3000")]
    pub account_code: String,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub date: Option<Date>,
    /// A receipt or transaction number.
    #[garde(length(chars, max = 100))]
    #[schema(max_length = 100)]
    pub reference: Option<String>,
    #[garde(length(chars, max = 500))]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentView {
    pub id: i64,
    pub direction: DirectionDto,
    pub method_id: i64,
    #[schema(value_type = String)]
    pub amount: Decimal,
    pub counter_account_id: i64,
    pub reference: Option<String>,
    pub note: Option<String>,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    pub user_id: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// The journal entry it posted (on creation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<EntryView>,
}

/// A payment as listed (without its entry).
pub fn view(p: Payment) -> PaymentView {
    payment_view(p, None)
}

pub fn payment_view(p: Payment, entry: Option<EntryView>) -> PaymentView {
    PaymentView {
        id: p.id.get(),
        direction: p.direction.into(),
        method_id: p.method_id.get(),
        amount: p.amount.amount(),
        counter_account_id: p.counter_account_id.get(),
        reference: p.reference,
        note: p.note,
        date: p.date,
        user_id: p.user_id.get(),
        created_at: p.created_at,
        entry,
    }
}

/// A payment or expense amount: greater than zero, at most 2 decimals.
pub fn positive(amount: Decimal) -> Result<Money, &'static str> {
    Money::non_negative(amount)
        .ok()
        .filter(|m| *m != Money::ZERO)
        .ok_or("must be greater than zero, with at most 2 decimals")
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PaymentListParams {
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub from: Option<Date>,
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub to: Option<Date>,
    #[garde(skip)]
    pub direction: Option<DirectionDto>,
    /// A payment method code.
    #[garde(length(chars, max = 32))]
    #[param(max_length = 32)]
    pub method: Option<String>,
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

/// The fields every payment has: a positive amount, an optional reference and note. Reports
/// every bad field together with those already in `errors`.
pub fn payment_fields(
    mut errors: FieldErrors,
    amount: Decimal,
    reference: Option<&str>,
    note: Option<&str>,
) -> Result<(Money, Option<String>, Option<String>), Invalid> {
    let amount = errors.check("amount", positive(amount));
    let reference = errors.check("reference", optional_text(reference, 100));
    let note = errors.check("note", optional_text(note, 500));
    errors.values((amount, reference, note))
}

/// A payment with the entry it posted.
pub fn render_payment((payment, posted): &(Payment, Posted)) -> Result<PaymentView, Unrenderable> {
    Ok(payment_view(payment.clone(), Some(posted_view(posted)?)))
}
