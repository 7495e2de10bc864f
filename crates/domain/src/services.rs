//! Use cases that span several ports: receiving goods, paying suppliers, returning goods,
//! adjusting stock. Each runs inside the caller's transaction and either does everything or
//! returns an error (and the caller drops the transaction, which undoes everything).
//!
//! They are plain async functions over `&mut dyn Tx`: no runtime, no I/O of their own.

pub mod error;
pub mod purchasing;
pub mod registers;
pub mod reports;
pub mod sales;
pub mod stock;

pub use error::ServiceError;
