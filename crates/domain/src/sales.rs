//! The counter: pricing a cart, settling the tender, posting a sale, and returns.

pub mod pricing;
pub mod tender;

pub use pricing::{CartLine, Discount, PricedCart, PricedLine, PricingError, price_cart};
pub use tender::{Settlement, TenderError, settle};
