//! Database errors turned into the port's [`StoreError`], so no caller ever sees a `DbErr`.
//!
//! Unique violations are told apart by the index MySQL names (`... for key 'ux_users_email'`)
//! or the columns SQLite names (`UNIQUE constraint failed: users.email`). A foreign-key
//! violation only means something in context (a delete of a row in use, a product naming a
//! missing brand), so the call sites that can cause one choose the mapping.

use pos_domain::StoreError;
use pos_domain::error::{Referenced, Unique};
use sea_orm::error::{ConnAcquireErr, RuntimeErr, SqlErr, SqlxMySqlError, SqlxSqliteError};
use sea_orm::{DbErr, sqlx};

/// The unique indexes of the schema: MySQL index name, SQLite `table.column`, and what clashed.
const UNIQUE_KEYS: &[(&str, &str, Unique)] = &[
    ("ux_users_email", "users.email", Unique::UserEmail),
    ("ux_users_username", "users.username", Unique::Username),
    ("ux_brands_name", "brands.name_key", Unique::BrandName),
    (
        "ux_categories_name",
        "categories.name_key",
        Unique::CategoryName,
    ),
    (
        "ux_tax_rates_name",
        "tax_rates.name_key",
        Unique::TaxRateName,
    ),
    ("ux_products_sku", "products.sku", Unique::ProductSku),
    (
        "ux_products_barcode",
        "products.barcode",
        Unique::ProductBarcode,
    ),
    ("ux_accounts_code", "accounts.code", Unique::AccountCode),
    ("ux_registers_code", "registers.code", Unique::RegisterCode),
    (
        "ux_cash_sessions_open",
        "cash_sessions.open_register_id",
        Unique::OpenSession,
    ),
    (
        "ux_cash_reasons_code",
        "cash_reasons.code",
        Unique::CashReasonCode,
    ),
    ("ux_locations_code", "locations.code", Unique::LocationCode),
    (
        "ux_payment_methods_code",
        "payment_methods.code",
        Unique::PaymentMethodCode,
    ),
    (
        "ux_expense_categories_name",
        "expense_categories.name_key",
        Unique::ExpenseCategoryName,
    ),
    (
        "ux_idempotency_user_key",
        "idempotency_keys.user_id, idempotency_keys.idem_key",
        Unique::IdempotencyKey,
    ),
    (
        "ux_purchases_supplier_invoice",
        "purchases.supplier_id, purchases.invoice_no",
        Unique::PurchaseInvoice,
    ),
];

/// Foreign keys of the schema, by the name MySQL reports, and the field the port names when the
/// referenced row is missing. Every missing account is `account_id`, the payment's counter
/// account included: one name for one kind of mistake, as every adapter reports it.
const FOREIGN_KEYS: &[(&str, &str)] = &[
    ("fk_products_brand_id", "brand_id"),
    ("fk_products_category_id", "category_id"),
    ("fk_products_tax_rate_id", "tax_rate_id"),
    ("fk_payment_methods_account_id", "account_id"),
    ("fk_expense_categories_account_id", "account_id"),
    ("fk_journal_entries_user_id", "user_id"),
    ("fk_journal_lines_account_id", "account_id"),
    ("fk_payments_method_id", "method_id"),
    ("fk_payments_counter_account_id", "account_id"),
    ("fk_payments_user_id", "user_id"),
    ("fk_expenses_category_id", "category_id"),
    ("fk_expenses_method_id", "method_id"),
    ("fk_expenses_user_id", "user_id"),
    ("fk_purchases_supplier_id", "supplier_id"),
    ("fk_purchases_user_id", "user_id"),
    ("fk_purchase_lines_purchase_id", "purchase_id"),
    ("fk_purchase_lines_product_id", "product_id"),
    ("fk_lots_product_id", "product_id"),
    ("fk_lots_purchase_line_id", "purchase_line_id"),
    ("fk_inventory_movements_product_id", "product_id"),
    ("fk_inventory_movements_user_id", "user_id"),
    ("fk_sales_customer_id", "customer_id"),
    ("fk_sales_user_id", "user_id"),
    ("fk_sale_lines_sale_id", "sale_id"),
    ("fk_sale_lines_product_id", "product_id"),
    ("fk_sale_line_lots_sale_line_id", "sale_line_id"),
    ("fk_sale_line_lots_lot_id", "lot_id"),
    ("fk_sale_payments_sale_id", "sale_id"),
    ("fk_sale_payments_method_id", "method_id"),
    ("fk_held_sales_customer_id", "customer_id"),
    ("fk_held_sales_user_id", "user_id"),
    ("fk_held_sale_lines_held_sale_id", "held_sale_id"),
    ("fk_held_sale_lines_product_id", "product_id"),
];

/// MySQL/MariaDB: 1205 lock wait timeout, 1213 deadlock.
const MYSQL_CONTENTION: [u16; 2] = [1205, 1213];
/// SQLite primary result codes (the low byte of extended codes): 5 SQLITE_BUSY, 6 SQLITE_LOCKED.
const SQLITE_CONTENTION: [i32; 2] = [5, 6];

/// The general mapping: contention, duplicates, and everything else as `Backend`.
pub(crate) fn db_err(err: DbErr) -> StoreError {
    if is_contention(&err) {
        return StoreError::Contention(err.to_string());
    }
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(message)) => match unique_key(&message) {
            Some(unique) => StoreError::Duplicate(unique),
            None => StoreError::caused_by(err),
        },
        _ => StoreError::caused_by(err),
    }
}

/// For deletes of brands, categories and tax rates: a foreign-key violation means products
/// still refer to the row (the RESTRICT backstop behind the explicit check).
pub(crate) fn in_use_by_products(err: DbErr) -> StoreError {
    match err.sql_err() {
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => StoreError::InUse(Referenced::ByProducts),
        _ => db_err(err),
    }
}

/// For inserts and updates of rows that reference others: a foreign-key violation names the
/// missing row's field where the backend says which key failed (MySQL). SQLite does not; there
/// the references a client can get wrong (brands, categories, tax rates, accounts) are checked
/// before writing, inside the same serialised transaction, so a violation is a bug: `Backend`.
pub(crate) fn missing_reference(err: DbErr) -> StoreError {
    if let Some(SqlErr::ForeignKeyConstraintViolation(message)) = err.sql_err()
        && let Some((_, column)) = FOREIGN_KEYS.iter().find(|(fk, _)| message.contains(fk))
    {
        return StoreError::MissingReference(column);
    }
    db_err(err)
}

/// For the insert into `entry_reversals`: a clash on its primary key `original_id` means the
/// original entry was already reversed. SQLite names the column; MySQL/MariaDB call every
/// primary key `PRIMARY` (`table.PRIMARY` on MySQL 8), which only this call site, where the
/// table is known, can attribute. The table's other unique index
/// (`ux_entry_reversals_reversal`: one entry reversing two) can only be a bug: `Backend`.
/// A foreign-key violation means an entry that does not exist.
pub(crate) fn reversal_err(err: DbErr) -> StoreError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(message)) if is_reversal_clash(&message) => {
            StoreError::Duplicate(Unique::Reversal)
        }
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => StoreError::MissingReference("entry_id"),
        _ => db_err(err),
    }
}

fn is_reversal_clash(message: &str) -> bool {
    let message = message.trim_end();
    message.ends_with("'PRIMARY'")
        || message.ends_with(".PRIMARY'")
        || message.ends_with(" entry_reversals.original_id")
}

/// A stored value the domain refuses (edited by hand, or written by a buggy version).
pub(crate) fn corrupt(what: &str, err: impl std::fmt::Display) -> StoreError {
    StoreError::backend(format!("corrupt stored {what}: {err}"))
}

fn unique_key(message: &str) -> Option<Unique> {
    let message = message.trim_end();
    UNIQUE_KEYS
        .iter()
        .find(|(index, columns, _)| {
            // MariaDB: `for key 'ux_x'`; MySQL 8: `for key 'table.ux_x'`; SQLite: `failed: t.c`.
            message.ends_with(&format!("'{index}'"))
                || message.ends_with(&format!(".{index}'"))
                || message.ends_with(&format!(" {columns}"))
        })
        .map(|(_, _, unique)| *unique)
}

pub(crate) fn is_contention(err: &DbErr) -> bool {
    let runtime = match err {
        // Every pooled connection stayed busy for the whole acquire timeout.
        DbErr::ConnectionAcquire(ConnAcquireErr::Timeout) => return true,
        DbErr::Conn(runtime) | DbErr::Exec(runtime) | DbErr::Query(runtime) => runtime,
        _ => return false,
    };
    let RuntimeErr::SqlxError(sqlx_err) = runtime else {
        return false;
    };
    match sqlx_err.as_ref() {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(db) => {
            if let Some(mysql) = db.try_downcast_ref::<SqlxMySqlError>() {
                MYSQL_CONTENTION.contains(&mysql.number())
            } else if db.try_downcast_ref::<SqlxSqliteError>().is_some() {
                // `code()` is SQLite's extended result code; its low byte is the primary code.
                db.code()
                    .and_then(|code| code.parse::<i32>().ok())
                    .is_some_and(|code| SQLITE_CONTENTION.contains(&(code & 0xff)))
            } else {
                false
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_violations_are_recognised_on_every_backend() {
        let cases = [
            (
                "Duplicate entry 'a@b.c' for key 'ux_users_email'",
                Unique::UserEmail,
            ),
            (
                "Duplicate entry 'x' for key 'products.ux_products_sku'",
                Unique::ProductSku,
            ),
            (
                "UNIQUE constraint failed: products.barcode",
                Unique::ProductBarcode,
            ),
            (
                "UNIQUE constraint failed: categories.name_key",
                Unique::CategoryName,
            ),
            (
                "Duplicate entry '1000' for key 'ux_accounts_code'",
                Unique::AccountCode,
            ),
            (
                "UNIQUE constraint failed: payment_methods.code",
                Unique::PaymentMethodCode,
            ),
            (
                "Duplicate entry 'rent' for key 'ux_expense_categories_name'",
                Unique::ExpenseCategoryName,
            ),
            (
                "UNIQUE constraint failed: idempotency_keys.user_id, idempotency_keys.idem_key",
                Unique::IdempotencyKey,
            ),
            (
                "Duplicate entry '7-k1' for key 'ux_idempotency_user_key'",
                Unique::IdempotencyKey,
            ),
            (
                "Duplicate entry '3-INV-1' for key 'ux_purchases_supplier_invoice'",
                Unique::PurchaseInvoice,
            ),
            (
                "UNIQUE constraint failed: purchases.supplier_id, purchases.invoice_no",
                Unique::PurchaseInvoice,
            ),
        ];
        for (message, expected) in cases {
            assert_eq!(unique_key(message), Some(expected), "{message}");
        }
    }

    #[test]
    fn a_duplicate_value_that_looks_like_an_index_name_does_not_fool_the_match() {
        let message = "Duplicate entry 'ux_products_sku' for key 'ux_brands_name'";
        assert_eq!(unique_key(message), Some(Unique::BrandName));
    }

    #[test]
    fn no_foreign_key_name_contains_another() {
        // Keys are found by substring in the backend's message: one name inside another would
        // report the wrong field.
        for (outer, _) in FOREIGN_KEYS {
            for (inner, _) in FOREIGN_KEYS {
                assert!(
                    outer == inner || !outer.contains(inner),
                    "{inner} in {outer}"
                );
            }
        }
    }

    #[test]
    fn unknown_unique_indexes_are_not_guessed() {
        assert_eq!(
            unique_key("UNIQUE constraint failed: refresh_sessions.token_hash"),
            None
        );
        // Primary keys are only attributed where the table is known (`reversal_err`).
        assert_eq!(unique_key("Duplicate entry '5' for key 'PRIMARY'"), None);
    }

    #[test]
    fn second_reversals_are_recognised_on_every_backend() {
        assert!(is_reversal_clash("Duplicate entry '5' for key 'PRIMARY'"));
        assert!(is_reversal_clash(
            "Duplicate entry '5' for key 'entry_reversals.PRIMARY'"
        ));
        assert!(is_reversal_clash(
            "UNIQUE constraint failed: entry_reversals.original_id"
        ));
        assert!(!is_reversal_clash(
            "Duplicate entry '6' for key 'ux_entry_reversals_reversal'"
        ));
        assert!(!is_reversal_clash(
            "UNIQUE constraint failed: entry_reversals.reversal_id"
        ));
    }
}
