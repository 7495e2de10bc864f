//! SeaORM entities, one per table, mirroring `pos-migrations` column for column.
//!
//! They hold the storage encoding, not domain types: ids and instants are `i64` (instants in
//! microseconds since the Unix epoch, see [`crate::timestamps`]), calendar dates are `i32`
//! Julian day numbers, money and quantities are integer minor units, enums are their
//! `as_str()` text. Mapping to the domain happens in the repository modules, which is where a
//! corrupt row is reported.

pub mod accounts;
pub mod brands;
pub mod categories;
pub mod customers;
pub mod entry_reversals;
pub mod expense_categories;
pub mod expenses;
pub mod held_sale_lines;
pub mod held_sales;
pub mod idempotency_keys;
pub mod inventory_movements;
pub mod journal_entries;
pub mod journal_lines;
pub mod login_attempts;
pub mod lots;
pub mod payment_methods;
pub mod payments;
pub mod products;
pub mod purchase_lines;
pub mod purchases;
pub mod refresh_sessions;
pub mod registers;
pub mod sale_line_lots;
pub mod sale_lines;
pub mod sale_payments;
pub mod sale_return_lines;
pub mod sale_returns;
pub mod sales;
pub mod static_version;
pub mod suppliers;
pub mod tax_rates;
pub mod users;
