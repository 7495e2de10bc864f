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
pub mod purchases;
pub mod sales;
pub mod suppliers;
pub mod users;

use crate::auth::rate_limit::LoginLimit;
use actix_governor::Governor;
use actix_web::web::{self, ServiceConfig, delete, get, patch, post, put, resource};
use catalog::labels::{brands, categories};
use catalog::{images, products, tax_rates};
use ledger::{accounts, expenses, journal, payments, reports};

/// Every route of the API. The role each needs is declared by its handler's `Auth<..>`
/// argument; the route-table test in `tests/` checks each one.
pub fn configure(cfg: &mut ServiceConfig, login_limit: &LoginLimit) {
    cfg.service(resource("/health").route(get().to(health::health)))
        .service(resource("/ready").route(get().to(health::ready)))
        .service(
            web::scope("/api")
                .service(
                    resource("/auth/login")
                        .wrap(Governor::new(login_limit))
                        .route(post().to(auth::login)),
                )
                .service(resource("/auth/refresh").route(post().to(auth::refresh_token)))
                .service(resource("/auth/logout").route(post().to(auth::logout)))
                .service(
                    resource("/users")
                        .route(get().to(users::list_users))
                        .route(post().to(users::create_user)),
                )
                .service(
                    resource("/users/me")
                        .route(get().to(users::get_me))
                        .route(put().to(users::update_me)),
                )
                .service(
                    resource("/users/{id}")
                        .route(get().to(users::get_user))
                        .route(patch().to(users::update_user))
                        .route(delete().to(users::deactivate_user)),
                )
                .service(
                    resource("/brands")
                        .route(get().to(brands::list_brands))
                        .route(post().to(brands::create_brand)),
                )
                .service(
                    resource("/brands/{id}")
                        .route(get().to(brands::get_brand))
                        .route(put().to(brands::update_brand))
                        .route(delete().to(brands::delete_brand)),
                )
                .service(
                    resource("/categories")
                        .route(get().to(categories::list_categories))
                        .route(post().to(categories::create_category)),
                )
                .service(
                    resource("/categories/{id}")
                        .route(get().to(categories::get_category))
                        .route(put().to(categories::update_category))
                        .route(delete().to(categories::delete_category)),
                )
                .service(
                    resource("/tax-rates")
                        .route(get().to(tax_rates::list_tax_rates))
                        .route(post().to(tax_rates::create_tax_rate)),
                )
                .service(
                    resource("/tax-rates/{id}")
                        .route(get().to(tax_rates::get_tax_rate))
                        .route(put().to(tax_rates::update_tax_rate))
                        .route(delete().to(tax_rates::delete_tax_rate)),
                )
                .service(
                    resource("/products")
                        .route(get().to(products::list_products))
                        .route(post().to(products::create_product)),
                )
                .service(
                    resource("/products/barcode/{code}")
                        .route(get().to(products::get_product_by_barcode)),
                )
                .service(
                    resource("/products/{id}")
                        .route(get().to(products::get_product))
                        .route(put().to(products::update_product)),
                )
                .service(
                    resource("/products/{id}/image")
                        .route(put().to(images::upload_product_image))
                        .route(delete().to(images::delete_product_image)),
                )
                .service(resource("/media/{key:.+}").route(get().to(media::get_media)))
                .service(
                    resource("/accounts")
                        .route(get().to(accounts::list_accounts))
                        .route(post().to(accounts::create_account)),
                )
                .service(resource("/accounts/{id}/statement").route(get().to(reports::statement)))
                .service(
                    resource("/payment-methods")
                        .route(get().to(accounts::list_payment_methods))
                        .route(post().to(accounts::create_payment_method)),
                )
                .service(
                    resource("/expense-categories")
                        .route(get().to(accounts::list_expense_categories))
                        .route(post().to(accounts::create_expense_category)),
                )
                .service(resource("/journal").route(get().to(journal::list_journal)))
                .service(resource("/journal/opening").route(post().to(journal::post_opening)))
                .service(resource("/journal/{id}").route(get().to(journal::get_entry)))
                .service(resource("/journal/{id}/reverse").route(post().to(journal::reverse_entry)))
                .service(resource("/ledger/balances").route(get().to(reports::balances)))
                .service(resource("/ledger/trial-balance").route(get().to(reports::trial_balance)))
                .service(
                    resource("/ledger/profit-and-loss").route(get().to(reports::profit_and_loss)),
                )
                .service(resource("/ledger/balance-sheet").route(get().to(reports::balance_sheet)))
                .service(
                    resource("/payments")
                        .route(get().to(payments::list_payments))
                        .route(post().to(payments::create_payment)),
                )
                .service(
                    resource("/expenses")
                        .route(get().to(expenses::list_expenses))
                        .route(post().to(expenses::create_expense)),
                )
                .service(
                    resource("/suppliers")
                        .route(get().to(suppliers::list_suppliers))
                        .route(post().to(suppliers::create_supplier)),
                )
                .service(
                    resource("/suppliers/{id}")
                        .route(get().to(suppliers::get_supplier))
                        .route(put().to(suppliers::update_supplier)),
                )
                .service(
                    resource("/suppliers/{id}/active")
                        .route(put().to(suppliers::set_supplier_active)),
                )
                .service(
                    resource("/suppliers/{id}/products")
                        .route(get().to(suppliers::supplied_products)),
                )
                .service(resource("/suppliers/{id}/dues").route(get().to(suppliers::supplier_dues)))
                .service(
                    resource("/suppliers/{id}/products/{product_id}")
                        .route(get().to(suppliers::supplied_product_history)),
                )
                .service(
                    resource("/suppliers/{id}/transactions")
                        .route(get().to(suppliers::supplier_transactions)),
                )
                .service(
                    resource("/suppliers/{id}/payments")
                        .route(post().to(suppliers::pay_supplier_route)),
                )
                .service(
                    resource("/purchases")
                        .route(get().to(purchases::list_purchases))
                        .route(post().to(purchases::create_purchase)),
                )
                .service(resource("/purchases/{id}").route(get().to(purchases::get_purchase)))
                .service(
                    resource("/purchases/{id}/returns")
                        .route(post().to(purchases::create_supplier_return)),
                )
                .service(resource("/inventory").route(get().to(inventory::valuation)))
                .service(
                    resource("/inventory/movements").route(get().to(inventory::list_movements)),
                )
                .service(
                    resource("/inventory/adjustments")
                        .route(post().to(inventory::create_adjustment)),
                )
                .service(resource("/inventory/counts").route(post().to(inventory::create_count)))
                .service(
                    resource("/inventory/{product_id}/lots")
                        .route(get().to(inventory::product_lots)),
                )
                .service(
                    resource("/customers")
                        .route(get().to(customers::list_customers))
                        .route(post().to(customers::create_customer)),
                )
                .service(
                    resource("/customers/{id}")
                        .route(get().to(customers::get_customer))
                        .route(put().to(customers::update_customer)),
                )
                .service(
                    resource("/customers/{id}/active")
                        .route(put().to(customers::set_customer_active)),
                )
                .service(
                    resource("/customers/{id}/products")
                        .route(get().to(customers::purchased_products)),
                )
                .service(
                    resource("/customers/{id}/sales").route(get().to(customers::customer_sales)),
                )
                .service(
                    resource("/customers/{id}/payments")
                        .route(post().to(customers::pay_customer_due)),
                )
                .service(
                    resource("/sales")
                        .route(get().to(sales::list_sales))
                        .route(post().to(sales::create_sale)),
                )
                .service(resource("/sales/{id}").route(get().to(sales::get_sale)))
                .service(resource("/sales/{id}/receipt").route(get().to(sales::receipt)))
                .service(
                    resource("/sales/{id}/returns").route(post().to(sales::create_sale_return)),
                )
                .service(
                    resource("/held-sales")
                        .route(get().to(held::list_held_sales))
                        .route(post().to(held::hold_sale)),
                )
                .service(resource("/held-sales/{id}").route(delete().to(held::cancel_held_sale)))
                .service(
                    resource("/held-sales/{id}/complete")
                        .route(post().to(held::complete_held_sale)),
                )
                .service(resource("/admin/integrity").route(get().to(admin::integrity))),
        );
}
