//! The SeaORM adapter of the point-of-sale ports, on MySQL/MariaDB or SQLite.
//!
//! [`connect`] opens a pool and returns a [`SeaStore`], which implements
//! [`pos_domain::ports::Store`]: every use case runs in one transaction that implements every
//! repository port. Database errors become [`pos_domain::StoreError`] here, never later.
//!
//! Storage encodings (chosen so both backends agree to the last digit):
//! money, quantities and percentages are integers in minor units; instants are microseconds
//! since the Unix epoch (see `timestamps`); calendar dates are Julian day numbers; enums are
//! their domain `as_str()` text.
//!
//! Text comparisons: strings compare exactly (binary collation on MySQL, SQLite's default on
//! SQLite), except that brand, category and tax-rate names are unique ignoring ASCII case,
//! through a folded `name_key` column. Search is a case-insensitive substring match; lists sort
//! by the requested key (names case-insensitively), then by ascending id. SQLite's `lower()`
//! folds ASCII letters only, so on SQLite a search or sort by non-ASCII letters is
//! case-sensitive.

mod cash;
mod catalog;
mod connect;
mod contact;
mod customers;
mod days;
mod documents;
mod entities;
mod errors;
mod idempotency;
mod increments;
mod integrity;
mod inventory;
mod ledger;
mod locations;
mod paging;
mod parties;
mod purchasing;
mod raw;
mod registers;
mod reports;
mod returning;
mod rollup;
mod sales;
mod sessions;
mod store;
mod sums;
mod timestamps;
mod transfers;
mod tx;
mod users;

pub use connect::connect;
pub use store::SeaStore;
