//! The HTTP routes, one module per resource, and the table that mounts them.

pub mod admin;
pub mod auth;
pub mod catalog;
pub mod customers;
pub mod health;
pub mod held;
pub mod inventory;
pub mod ledger;
pub mod media;
pub mod parties;
pub mod purchases;
pub mod registers;
pub mod reports;
pub mod sales;
pub mod suppliers;
pub mod users;

#[macro_use]
mod table;

pub use table::{Access, Operation, configure, operations};

use self::reports::{dashboard, sales as report_sales, stock as report_stock};
use crate::metrics;
use catalog::labels::{brands, categories};
use catalog::{images, products, tax_rates};
use ledger::{accounts, expenses, journal, payments, reports as books};

// Every operation of the API, in the order it is mounted: a literal path before a pattern that
// would also match it (`/users/me` before `/users/{id}`). Each handler's `#[utoipa::path]`
// declares its method, its path and the least role it admits (its `bearer` scope, none for a
// public route); this list is the one place that names it, and the app, the spec and the guard
// test are all built from it.
operations! {
    health::health, health::ready,
    metrics::get_metrics,
    auth::login, auth::refresh_token, auth::logout,
    users::list_users, users::create_user, users::get_me, users::update_me,
    report_sales::my_performance, report_sales::my_transactions,
    report_sales::user_performance,
    users::get_user, users::update_user, users::deactivate_user,
    brands::list_brands, brands::create_brand, brands::get_brand, brands::update_brand,
    brands::delete_brand,
    categories::list_categories, categories::create_category, categories::get_category,
    categories::update_category, categories::delete_category,
    tax_rates::list_tax_rates, tax_rates::create_tax_rate, tax_rates::get_tax_rate,
    tax_rates::update_tax_rate, tax_rates::delete_tax_rate,
    products::list_products, products::create_product, products::get_product_by_barcode,
    products::get_product, products::update_product,
    images::upload_product_image, images::delete_product_image,
    media::get_media,
    accounts::list_accounts, accounts::create_account,
    books::statement,
    accounts::list_payment_methods, accounts::create_payment_method,
    accounts::list_expense_categories, accounts::create_expense_category,
    journal::list_journal, journal::post_opening, journal::get_entry, journal::reverse_entry,
    books::balances, books::trial_balance, books::profit_and_loss, books::balance_sheet,
    payments::list_payments, payments::create_payment,
    expenses::list_expenses, expenses::create_expense, expenses::void_expense,
    suppliers::list_suppliers, suppliers::create_supplier, suppliers::get_supplier,
    suppliers::update_supplier, suppliers::set_supplier_active, suppliers::supplied_products,
    suppliers::supplier_dues, suppliers::supplied_product_history,
    suppliers::supplier_transactions, suppliers::pay_supplier_route,
    purchases::list_purchases, purchases::create_purchase, purchases::get_purchase,
    purchases::create_supplier_return,
    inventory::valuation,
    dashboard::dashboard,
    report_sales::financial_summary, report_sales::financial_analysis, report_sales::daily,
    report_sales::top_products, report_sales::products, report_sales::customers,
    report_sales::customer_overview, report_sales::staff, report_sales::payment_methods,
    report_sales::tax,
    report_stock::alerts, report_stock::movement, report_stock::reorder,
    report_stock::detailed,
    inventory::list_movements, inventory::create_adjustment, inventory::create_count,
    inventory::product_lots,
    customers::list_customers, customers::create_customer, customers::get_customer,
    customers::update_customer, customers::set_customer_active, customers::purchased_products,
    customers::customer_sales, customers::pay_customer_due,
    registers::list_registers, registers::create_register_route, registers::get_register,
    registers::update_register,
    sales::list_sales, sales::create_sale, sales::get_sale, sales::receipt,
    sales::create_sale_return,
    held::list_held_sales, held::hold_sale, held::cancel_held_sale, held::complete_held_sale,
    admin::integrity,
}
