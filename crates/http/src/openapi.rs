//! The OpenAPI description, generated from the handlers and DTOs.

use crate::routes::catalog::labels::{brands, categories};
use crate::routes::catalog::{images, products, tax_rates};
use crate::routes::ledger::{accounts, expenses, journal, payments, reports};
use crate::routes::reports::{dashboard, sales as report_sales, stock as report_stock};
use crate::routes::{
    admin, auth, customers, health, held, inventory, media, purchases, registers, sales, suppliers,
    users,
};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "POS API",
        description = "Point-of-sale backend. Money travels as decimal strings (\"19.99\"), \
            written canonically (`-?(0|[1-9][0-9]*)(\\.[0-9]+)?`, no spaces, leading zeros, \
            bare points or minus zero); errors are RFC 9457 problem+json with a stable `code`; \
            every route but login, refresh, health and the docs needs `Authorization: Bearer \
            <access token>`, and is authorised with the user's current role while the token's \
            login is live.\n\n\
            Ceilings: every amount of a document (a price, a line, a payment, a total) is at most \
            99999999999.99 and every quantity (a line, a lot, a product's stock) at most \
            999999999999.999; so are the totals kept per day (an account's debits or credits on \
            one day, a day's sales per product, seller, customer, tax rate and method), and documents \
            are dated at most twenty years back and one day ahead. A request \
            that would take any figure or total past its ceiling is refused whole with 422 \
            `amount_out_of_range` naming the field.",
        license(name = "GPL-3.0-or-later", identifier = "GPL-3.0-or-later"),
    ),
    paths(
        health::health, health::ready,
        auth::login, auth::refresh_token, auth::logout,
        users::list_users, users::create_user, users::get_me, users::update_me,
        users::get_user, users::update_user, users::deactivate_user,
        brands::list_brands, brands::create_brand, brands::get_brand, brands::update_brand,
        brands::delete_brand,
        categories::list_categories, categories::create_category, categories::get_category,
        categories::update_category, categories::delete_category,
        tax_rates::list_tax_rates, tax_rates::create_tax_rate, tax_rates::get_tax_rate,
        tax_rates::update_tax_rate, tax_rates::delete_tax_rate,
        products::list_products, products::create_product, products::get_product,
        products::get_product_by_barcode, products::update_product,
        images::upload_product_image, images::delete_product_image,
        media::get_media,
        accounts::list_accounts, accounts::create_account,
        accounts::list_payment_methods, accounts::create_payment_method,
        accounts::list_expense_categories, accounts::create_expense_category,
        journal::list_journal, journal::get_entry, journal::reverse_entry, journal::post_opening,
        reports::balances, reports::trial_balance, reports::profit_and_loss,
        reports::balance_sheet, reports::statement,
        payments::create_payment, payments::list_payments,
        expenses::create_expense, expenses::list_expenses, expenses::void_expense,
        suppliers::list_suppliers, suppliers::create_supplier, suppliers::get_supplier,
        suppliers::update_supplier, suppliers::set_supplier_active, suppliers::supplied_products,
        suppliers::supplier_dues, suppliers::pay_supplier_route, suppliers::supplied_product_history,
        suppliers::supplier_transactions,
        purchases::create_purchase, purchases::list_purchases, purchases::get_purchase,
        purchases::create_supplier_return,
        inventory::valuation, inventory::product_lots, inventory::list_movements,
        inventory::create_adjustment, inventory::create_count,
        customers::list_customers, customers::create_customer, customers::get_customer,
        customers::update_customer, customers::set_customer_active, customers::purchased_products,
        customers::customer_sales, customers::pay_customer_due,
        registers::list_registers, registers::create_register_route, registers::get_register,
        registers::update_register,
        sales::create_sale, sales::list_sales, sales::get_sale, sales::receipt,
        sales::create_sale_return,
        held::hold_sale, held::list_held_sales, held::complete_held_sale, held::cancel_held_sale,
        admin::integrity, crate::metrics::get_metrics,
        dashboard::dashboard,
        report_sales::financial_summary, report_sales::financial_analysis, report_sales::daily,
        report_sales::top_products, report_sales::products, report_sales::customers,
        report_sales::customer_overview, report_sales::staff, report_sales::user_performance,
        report_sales::my_performance, report_sales::my_transactions,
        report_sales::payment_methods, report_sales::tax,
        report_stock::alerts, report_stock::movement, report_stock::reorder,
        report_stock::detailed,
    ),
    // Schemas used only by query parameters are not collected automatically.
    components(schemas(
        crate::dto::SortOrder,
        crate::routes::catalog::LabelSortKey,
        tax_rates::TaxRateSortKey,
        products::ProductSortKey,
        users::UserSortKey,
        journal::PartyKindDto,
        payments::DirectionDto,
        suppliers::SupplierSortKey,
        customers::CustomerSortKey,
        report_sales::ProductRanking,
    )),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "auth", description = "Log in, refresh and log out"),
        (name = "users", description = "Staff accounts and roles"),
        (name = "brands"), (name = "categories"), (name = "tax rates"),
        (name = "products", description = "The catalog and product images"),
        (name = "ledger", description = "The books: accounts, journal, payments, expenses, reports"),
        (name = "suppliers", description = "Suppliers, what is owed to them, paying them"),
        (name = "purchases", description = "Receiving goods into FIFO lots, and returns to suppliers"),
        (name = "inventory", description = "Stock, FIFO valuation, the inventory log, adjustments and counts"),
        (name = "customers", description = "Customers, credit limits, what they owe, their payments"),
        (name = "registers", description = "Tills: each sells with its own gapless invoice series"),
        (name = "sales", description = "The counter: checkout, held sales, receipts, returns"),
        (name = "reports", description = "Dashboards and reports: every figure summed by the database, with its definition; list reports also answer `Accept: text/csv`"),
        (name = "operations", description = "Health and readiness probes"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("The access_token from POST /api/auth/login"))
                    .build(),
            ),
        );
    }
}

/// The spec as pretty JSON with a trailing newline: the form checked in at openapi/openapi.json.
pub fn spec_json() -> Result<String, serde_json::Error> {
    ApiDoc::openapi().to_pretty_json().map(|mut s| {
        s.push('\n');
        s
    })
}
