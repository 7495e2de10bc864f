//! Held sales: a cart saved at the counter with no stock or ledger effect, priced again when it
//! is completed.

use super::pricing::Discount;
use crate::ids::{CustomerId, HeldSaleId, ProductId, UserId};
use crate::money::Money;
use crate::quantity::Quantity;
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldLine {
    pub product_id: ProductId,
    pub quantity: Quantity,
    pub discount: Option<Discount>,
    /// A manager's price override, kept for completion (checked again then).
    pub unit_price: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldSale {
    pub id: HeldSaleId,
    pub customer_id: Option<CustomerId>,
    pub user_id: UserId,
    pub lines: Vec<HeldLine>,
    pub order_discount: Option<Discount>,
    pub note: Option<String>,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHeldSale {
    pub customer_id: Option<CustomerId>,
    pub user_id: UserId,
    pub lines: Vec<HeldLine>,
    pub order_discount: Option<Discount>,
    pub note: Option<String>,
    pub created_at: OffsetDateTime,
}
