//! Held sales: carts saved at the counter with no stock or ledger effect, completed (and priced
//! again) or cancelled later.

use crate::sales::{DiscountInput, SaleLineInput, TenderLine};
use garde::Validate;
use pos_domain::app::held::HeldCart;
use pos_domain::ids::CustomerId;
use pos_domain::money::Money;
use pos_domain::sales::Discount;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldInput {
    #[garde(skip)]
    pub customer_id: Option<i64>,
    #[garde(length(min = 1, max = 200), dive)]
    #[schema(min_items = 1, max_items = 200)]
    pub lines: Vec<SaleLineInput>,
    #[serde(default)]
    #[garde(dive)]
    pub order_discount: Option<DiscountInput>,
    #[garde(length(chars, max = 500))]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

pub fn discount_view(d: Option<Discount>) -> Option<DiscountInput> {
    d.map(|d| match d {
        Discount::Amount(a) => DiscountInput {
            amount: Some(a.amount()),
            percent: None,
        },
        Discount::Percent(p) => DiscountInput {
            amount: None,
            percent: Some(p.value()),
        },
    })
}

/// A held line, with the price it would be charged at if completed now.
#[derive(Debug, Serialize, ToSchema)]
pub struct HeldLineView {
    pub product_id: i64,
    #[schema(value_type = String, example = "2")]
    pub quantity: Decimal,
    pub discount: Option<DiscountInput>,
    /// Per unit, before discounts, as labelled on the shelf (tax included or not per the
    /// product's tax rate): the override when `price_override`, otherwise today's catalog
    /// price. Null only when the product no longer exists. Completing the sale prices it again.
    #[schema(value_type = Option<String>, example = "19.99")]
    pub unit_price: Option<Decimal>,
    /// Whether a manager set this line's price.
    pub price_override: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HeldSaleView {
    pub id: i64,
    pub customer_id: Option<i64>,
    pub user_id: i64,
    pub lines: Vec<HeldLineView>,
    pub order_discount: Option<DiscountInput>,
    pub note: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

pub fn held_view(cart: HeldCart) -> HeldSaleView {
    let HeldCart {
        sale: h,
        unit_prices,
    } = cart;
    HeldSaleView {
        id: h.id.get(),
        customer_id: h.customer_id.map(CustomerId::get),
        user_id: h.user_id.get(),
        lines: h
            .lines
            .into_iter()
            .zip(unit_prices)
            .map(|(l, price)| HeldLineView {
                product_id: l.product_id.get(),
                quantity: l.quantity.value(),
                discount: discount_view(l.discount),
                unit_price: price.map(Money::amount),
                price_override: l.unit_price.is_some(),
            })
            .collect(),
        order_discount: discount_view(h.order_discount),
        note: h.note,
        created_at: h.created_at,
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteInput {
    /// The register (till) it happens at; the default register when omitted.
    #[serde(default)]
    #[garde(skip)]
    pub register_id: Option<i64>,
    #[serde(default)]
    #[garde(length(max = 10), dive)]
    #[schema(max_items = 10)]
    pub payments: Vec<TenderLine>,
    /// The total the till shows; refused (409 `total_mismatch`) if prices changed meanwhile.
    #[serde(default, deserialize_with = "crate::decimal::option_from_str")]
    #[schema(value_type = Option<String>, pattern = "^(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
    #[garde(skip)]
    pub expected_total: Option<Decimal>,
}
