//! The wire contract of the HTTP API: every request and response body, its JSON (and CSV)
//! format and OpenAPI schema, and the parsing of each request into its domain command.
//!
//! It is its own crate, apart from the actix adapter, because it is the contract: what the
//! generated clients and the spec are made of. It does no I/O and knows nothing of actix, so a
//! Rust client, a test or the benchmark can use the same types. `pos-http` extracts requests into
//! these types, calls the application and renders its answers through them.

pub mod admin;
pub mod auth;
pub mod cash;
pub mod catalog;
pub mod csv;
pub mod date;
pub mod decimal;
pub mod enums;
pub mod held;
pub mod inventory;
pub mod ledger;
pub mod locations;
pub mod page;
pub mod problem;
pub mod purchases;
pub mod registers;
pub mod reports;
pub mod sales;
pub mod transfers;
pub mod users;

pub use page::{Paged, SortOrder};
