//! The point of sale's business: types that cannot hold invalid values, the rules that act on
//! them, and the port traits through which the rest of the system is reached.
//!
//! This crate does no I/O. It knows nothing of HTTP, SQL, files, the environment or a runtime:
//! adapters implement the [`ports`].

pub mod allocation;
pub mod app;
pub mod cash;
pub mod catalog;
pub mod clock;
pub mod code;
pub mod contact;
pub mod customers;
pub mod error;
pub mod idempotency;
pub mod ids;
pub mod integrity;
pub mod inventory;
pub mod ledger;
pub mod location;
pub mod money;
pub mod paging;
pub mod ports;
pub mod purchasing;
pub mod quantity;
pub mod register;
pub mod reports;
pub mod sales;
pub mod services;
pub mod session;
pub mod static_data;
pub mod suppliers;
pub mod text;
pub mod transfer;
pub mod user;

pub use error::StoreError;
pub use money::Money;
