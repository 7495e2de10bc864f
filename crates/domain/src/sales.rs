//! The counter: pricing a cart, settling the tender, posting a sale, and returns.

pub mod held;
pub mod postings;
pub mod pricing;
pub mod returns;
pub mod sale;
pub mod tender;

pub use pricing::{CartLine, Discount, PricedCart, PricedLine, PricingError, price_cart};
pub use sale::{NewSale, Sale, SaleFilter, SaleLine, SalePayment, SaleStatus};
pub use tender::{Settlement, TenderError, settle};
