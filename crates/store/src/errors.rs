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
];

/// Product columns that reference another table, by the foreign key MySQL names.
const PRODUCT_REFERENCES: &[(&str, &str)] = &[
    ("fk_products_brand_id", "brand_id"),
    ("fk_products_category_id", "category_id"),
    ("fk_products_tax_rate_id", "tax_rate_id"),
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
            None => StoreError::Backend(err.to_string()),
        },
        _ => StoreError::Backend(err.to_string()),
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

/// For product writes: a foreign-key violation names the missing brand, category or tax rate
/// where the backend says which (MySQL). SQLite does not, but the explicit existence checks run
/// first inside the same serialised transaction, so there it can only be a bug: `Backend`.
pub(crate) fn missing_product_reference(err: DbErr) -> StoreError {
    if let Some(SqlErr::ForeignKeyConstraintViolation(message)) = err.sql_err()
        && let Some((_, column)) = PRODUCT_REFERENCES
            .iter()
            .find(|(fk, _)| message.contains(fk))
    {
        return StoreError::MissingReference(column);
    }
    db_err(err)
}

/// A stored value the domain refuses (edited by hand, or written by a buggy version).
pub(crate) fn corrupt(what: &str, err: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("corrupt stored {what}: {err}"))
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

fn is_contention(err: &DbErr) -> bool {
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
    fn unknown_unique_indexes_are_not_guessed() {
        assert_eq!(
            unique_key("UNIQUE constraint failed: refresh_sessions.token_hash"),
            None
        );
    }
}
