//! The HTTP routes, one module per resource, and the table that mounts them.

pub mod admin;
pub mod auth;
pub mod cash;
pub mod catalog;
pub mod customers;
pub mod health;
pub mod held;
pub mod inventory;
pub mod ledger;
pub mod locations;
pub mod media;
pub mod parties;
pub mod purchases;
pub mod registers;
pub mod reports;
pub mod sales;
pub mod suppliers;
pub mod transfers;
pub mod users;

pub(crate) mod table;

pub use table::{Access, Operation, configure, operations};

use self::reports::{dashboard, sales as report_sales, stock as report_stock};
use crate::metrics;
use catalog::labels::{brands, categories};
use catalog::{images, products, tax_rates};
use ledger::{accounts, expenses, journal, payments, reports as books};

// Every module of operations, in the order it is mounted. Each lists its own handlers, in order,
// at its end (`table::module_operations!`): a literal path before a pattern that would also match it
// (`/users/me` before `/users/{id}`). Each handler's `#[utoipa::path]` declares its method, its
// path and the least role it admits (its `bearer` scope, none for a public route); the app, the
// spec and the guard test are all built from these lists.
table::modules! {
    health, metrics, auth, users, report_sales, brands, categories, tax_rates, products, images,
    media, accounts, books, journal, payments, expenses, suppliers, purchases, inventory,
    dashboard, report_stock, customers, locations, transfers, registers, cash, sales, held, admin,
}
