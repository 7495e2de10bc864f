//! A completed sale as stored.

use super::pricing::{PricedCart, PricedLine};
use super::tender::Settlement;
use crate::ids::{CustomerId, PaymentMethodId, RegisterId, SaleId, SaleLineId, UserId};
use crate::inventory::Take;
use crate::money::Money;
use crate::quantity::Quantity;
use std::fmt;
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SaleStatus {
    Completed,
    PartiallyRefunded,
    Refunded,
}

impl SaleStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SaleStatus::Completed => "completed",
            SaleStatus::PartiallyRefunded => "partially_refunded",
            SaleStatus::Refunded => "refunded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            SaleStatus::Completed,
            SaleStatus::PartiallyRefunded,
            SaleStatus::Refunded,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

impl fmt::Display for SaleStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A sale about to be stored: priced, settled, and with each line's FIFO takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSale {
    pub register_id: RegisterId,
    /// Its place in the register's gapless series.
    pub number: i64,
    /// The printed number: the register's code and `number` (see
    /// [`crate::register::invoice_number`]), unique across the shop.
    pub invoice_no: String,
    pub date: Date,
    pub customer_id: Option<CustomerId>,
    pub user_id: UserId,
    pub cart: PricedCart,
    /// Per line, the lots its units left and their cost.
    pub takes: Vec<Vec<Take>>,
    pub settlement: Settlement,
    pub note: Option<String>,
    pub at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleLine {
    pub id: SaleLineId,
    pub priced: PricedLine,
    /// The lots its units left, oldest first, and their cost.
    pub takes: Vec<Take>,
    /// Units returned so far.
    pub returned: Quantity,
}

impl SaleLine {
    /// The FIFO cost of the line's units. The sale's whole cost was refused out of range when
    /// it was made, and a line's takes are a part of it, so the sum is always in range; the
    /// zero fallback is never reached.
    pub fn cost(&self) -> Money {
        Money::checked_sum(self.takes.iter().map(|t| t.cost)).unwrap_or(Money::ZERO)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalePayment {
    pub method_id: PaymentMethodId,
    /// Kept (cash net of change).
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sale {
    pub id: SaleId,
    pub register_id: RegisterId,
    pub number: i64,
    pub invoice_no: String,
    pub date: Date,
    pub customer_id: Option<CustomerId>,
    pub user_id: UserId,
    pub status: SaleStatus,
    pub lines: Vec<SaleLine>,
    pub subtotal: Money,
    pub discount: Money,
    pub tax: Money,
    pub total: Money,
    pub tendered: Money,
    pub change: Money,
    /// Paid at the counter (after change) and by later due payments.
    pub paid: Money,
    /// Taken off what is owed by returns.
    pub credited: Money,
    /// Paid back to the customer by returns.
    pub refunded: Money,
    pub payments: Vec<SalePayment>,
    pub note: Option<String>,
    pub created_at: OffsetDateTime,
}

impl Sale {
    pub fn invoice_no(&self) -> String {
        self.invoice_no.clone()
    }

    /// Still owed by the customer.
    pub fn due(&self) -> Money {
        // Each figure is stored within the range of an amount (and paid and credited never
        // pass the total), so the difference fits 64 bits exactly: `wide_sub` never refuses
        // it, and the fallback is never reached.
        self.total
            .wide_sub(self.paid)
            .and_then(|left| left.wide_sub(self.credited))
            .unwrap_or(Money::ZERO)
    }
}

#[derive(Debug, Clone, Default)]
pub struct SaleFilter {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub customer_id: Option<CustomerId>,
    pub user_id: Option<UserId>,
    pub status: Option<SaleStatus>,
    /// Sales with a payment by this method.
    pub method_id: Option<PaymentMethodId>,
    /// Only sales with something owed.
    pub open_only: bool,
    /// Only sales with a line of this product.
    pub product_id: Option<crate::ids::ProductId>,
}
