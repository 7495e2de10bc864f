//! Purchasing: receiving goods from suppliers into FIFO lots, paying for them, and sending some
//! back.

pub mod payments;
pub mod purchase;
pub mod returns;

pub use purchase::{
    InvoiceNo, PricedPurchase, Purchase, PurchaseDraft, PurchaseError, PurchaseFilter,
    PurchaseLine, PurchaseLineDraft, price_purchase, purchase_entry,
};
