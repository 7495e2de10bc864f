//! Checks run against every backend.

use crate::support::next_number;
use crate::support::{dec, label, new_user, product};
use pos_domain::StoreError;
use pos_domain::catalog::{Percent, ProductFilter, TaxMode, TaxRateDraft};
use pos_domain::error::{Referenced, Unique};
use pos_domain::ids::{BrandId, ProductId};
use pos_domain::paging::ListQuery;
use pos_domain::ports::Store;
use pos_domain::quantity::Quantity;
use pos_domain::session::NewSession;
use pos_domain::text::{Barcode, Email, Name};
use pos_domain::user::LoginAttempt;
use pos_store::SeaStore;
use time::macros::datetime;

pub async fn migrations_go_up_down_and_up(store: &SeaStore) {
    const NAMES: [&str; 11] = [
        "m20261125_000001_foundation",
        "m20261125_000002_ledger",
        "m20261125_000003_purchasing",
        "m20261125_000004_sales",
        "m20261125_000005_reporting",
        "m20261125_000006_rollups",
        "m20261127_000007_integrity",
        "m20261128_000008_registers",
        "m20261128_000009_cash_sessions",
        "m20261128_000010_locations",
        "m20261128_000011_transfers",
    ];
    let status = |applied: usize| {
        NAMES
            .iter()
            .enumerate()
            .map(|(i, name)| ((*name).to_owned(), i < applied))
            .collect::<Vec<_>>()
    };
    store.migrate_up().await.unwrap();
    assert_eq!(store.migration_status().await.unwrap(), status(NAMES.len()));
    // Down one step at a time: foreign keys into earlier migrations' tables (users, products)
    // must not stop any step.
    for applied in (0..NAMES.len()).rev() {
        store.migrate_down().await.unwrap();
        assert_eq!(store.migration_status().await.unwrap(), status(applied));
    }
    store.migrate_up().await.unwrap();
    assert_eq!(store.migration_status().await.unwrap(), status(NAMES.len()));
    // The schema is usable after the round trip.
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.count_users().await.unwrap(), 0);
    assert_eq!(tx.list_accounts().await.unwrap(), vec![]);
    assert_eq!(
        tx.purge_idempotent(time::OffsetDateTime::now_utc())
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        tx.list_suppliers(&ListQuery::default())
            .await
            .unwrap()
            .total,
        0
    );
    assert_eq!(tx.stock_values(None).await.unwrap(), vec![]);
    assert_eq!(
        tx.list_customers(&ListQuery::default())
            .await
            .unwrap()
            .total,
        0
    );
    assert_eq!(tx.list_held_sales(None).await.unwrap(), vec![]);
    assert_eq!(tx.cash_reasons().await.unwrap(), vec![]);
    // The counter is seeded again: the first sale is number 1 (given back by the rollback).
    assert_eq!(next_number(&mut *tx).await, 1);
    // Released first: an in-memory SQLite pool has a single connection.
    drop(tx);
    store.ping().await.unwrap();
}

pub async fn values_round_trip_exactly(store: &SeaStore) {
    let created = datetime!(2026-11-25 13:45:07.123456 UTC);
    let later = datetime!(2038-01-19 03:14:08.000001 UTC);

    let mut tx = store.begin().await.unwrap();
    let rate = Percent::new(dec("7.25")).unwrap();
    let draft = TaxRateDraft {
        name: Name::new("VAT").unwrap(),
        rate,
        mode: TaxMode::Inclusive,
    };
    let tax = tx.insert_tax_rate(draft, created).await.unwrap();
    let mut cheap = product("Gum", "GUM-1", "0.10");
    cheap.tax_rate_id = Some(tax.id);
    cheap.reorder_level = Quantity::new(dec("2.125")).unwrap();
    cheap.barcode = Some(Barcode::new("4006381333931").unwrap());
    let cheap = tx.insert_product(cheap, created).await.unwrap();
    let dear = tx
        .insert_product(product("Car", "CAR-1", "1234567.89"), later)
        .await
        .unwrap();
    let user = tx.insert_user(new_user("till", created)).await.unwrap();
    let attempt = LoginAttempt {
        user_id: Some(user.id),
        identifier: "till".into(),
        success: true,
        ip: Some("127.0.0.1".into()),
        user_agent: None,
        at: later,
    };
    tx.record_login(attempt).await.unwrap();
    let session = tx
        .insert_session(NewSession {
            user_id: user.id,
            family: "family".into(),
            token_hash: "hash".into(),
            created_at: created,
            expires_at: later,
        })
        .await
        .unwrap();
    assert!(tx.revoke_session(session.id, later).await.unwrap());
    assert!(
        !tx.revoke_session(session.id, later).await.unwrap(),
        "revoking is compare-and-set"
    );
    tx.commit().await.unwrap();

    let mut tx = store.begin_read().await.unwrap();
    let read_tax = tx.find_tax_rate(tax.id).await.unwrap().unwrap();
    assert_eq!(read_tax, tax);
    assert_eq!(read_tax.rate.value(), dec("7.25"));
    let read_cheap = tx.find_product(cheap.id).await.unwrap().unwrap();
    assert_eq!(read_cheap, cheap);
    assert_eq!(read_cheap.draft.price.to_string(), "0.10");
    assert_eq!(read_cheap.draft.reorder_level.value(), dec("2.125"));
    assert_eq!(read_cheap.created_at, created);
    let by_barcode = tx.find_product_by_barcode("4006381333931").await.unwrap();
    assert_eq!(by_barcode.map(|p| p.id), Some(cheap.id));
    let read_dear = tx.find_product(dear.id).await.unwrap().unwrap();
    assert_eq!(read_dear.draft.price.to_string(), "1234567.89");
    assert_eq!(read_dear.updated_at, later);
    let read_user = tx.find_user(user.id).await.unwrap().unwrap();
    assert_eq!(read_user.last_login_at, Some(later));
    assert_eq!(read_user.created_at, created);
    let logins = tx.recent_logins(10).await.unwrap();
    assert_eq!(logins.len(), 1);
    assert_eq!(logins[0].at, later);
    let read_session = tx.find_session("hash").await.unwrap().unwrap();
    assert_eq!(read_session.revoked_at, Some(later));
    assert_eq!(read_session.created_at, created);
}

pub async fn constraint_violations_become_domain_errors(store: &SeaStore) {
    let at = datetime!(2026-11-25 12:00:00 UTC);
    let mut tx = store.begin().await.unwrap();
    let brand = tx.insert_brand(label("Acme"), at).await.unwrap();
    let mut soap = product("Soap", "SOAP-1", "2.50");
    soap.brand_id = Some(brand.id);
    soap.barcode = Some(Barcode::new("123").unwrap());
    let soap = tx.insert_product(soap, at).await.unwrap();
    tx.insert_user(new_user("admin", at)).await.unwrap();
    tx.commit().await.unwrap();

    // Each refusal in its own transaction, rolled back on drop.
    let mut tx = store.begin().await.unwrap();
    let same_sku = product("Other soap", "soap-1", "1.00");
    assert_eq!(
        tx.insert_product(same_sku, at).await.unwrap_err(),
        StoreError::Duplicate(Unique::ProductSku)
    );
    let mut same_barcode = product("Other", "OTHER-1", "1.00");
    same_barcode.barcode = Some(Barcode::new("123").unwrap());
    assert_eq!(
        tx.insert_product(same_barcode, at).await.unwrap_err(),
        StoreError::Duplicate(Unique::ProductBarcode)
    );
    assert_eq!(
        tx.insert_brand(label("ACME"), at).await.unwrap_err(),
        StoreError::Duplicate(Unique::BrandName),
        "names are unique whatever their case"
    );
    let mut same_email = new_user("someone", at);
    same_email.email = Email::new("admin@shop.test").unwrap();
    assert_eq!(
        tx.insert_user(same_email).await.unwrap_err(),
        StoreError::Duplicate(Unique::UserEmail)
    );
    let mut same_username = new_user("admin", at);
    same_username.email = Email::new("other@shop.test").unwrap();
    assert_eq!(
        tx.insert_user(same_username).await.unwrap_err(),
        StoreError::Duplicate(Unique::Username)
    );
    drop(tx);

    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.delete_brand(brand.id).await.unwrap_err(),
        StoreError::InUse(Referenced::ByProducts)
    );
    let mut orphan = product("Orphan", "ORPHAN-1", "1.00");
    orphan.brand_id = Some(BrandId::new(999_999));
    assert_eq!(
        tx.insert_product(orphan.clone(), at).await.unwrap_err(),
        StoreError::MissingReference("brand_id")
    );
    assert_eq!(
        tx.update_product(soap.id, orphan.clone(), at)
            .await
            .unwrap_err(),
        StoreError::MissingReference("brand_id")
    );
    assert_eq!(
        tx.update_product(ProductId::new(999_999), product("X", "X", "1"), at)
            .await
            .unwrap_err(),
        StoreError::NotFound
    );
    assert_eq!(
        tx.delete_brand(BrandId::new(999_999)).await.unwrap_err(),
        StoreError::NotFound
    );
    assert_eq!(
        tx.update_brand(BrandId::new(999_999), label("Nope"), at)
            .await
            .unwrap_err(),
        StoreError::NotFound
    );
    drop(tx);

    // Still intact after the refusals.
    let mut tx = store.begin_read().await.unwrap();
    assert_eq!(tx.find_product(soap.id).await.unwrap(), Some(soap));
}

pub async fn search_is_case_insensitive_and_literal(store: &SeaStore) {
    let at = datetime!(2026-11-25 12:00:00 UTC);
    let mut tx = store.begin().await.unwrap();
    for (name, sku) in [
        ("Blue Pen", "PEN-B"),
        ("blue ink 50%", "INK-50"),
        ("Red pen", "PEN-R"),
    ] {
        tx.insert_product(product(name, sku, "1.00"), at)
            .await
            .unwrap();
    }
    let search = |q: &str| ListQuery {
        filter: ProductFilter {
            q: Some(q.to_owned()),
            ..ProductFilter::default()
        },
        ..ListQuery::default()
    };
    let names = |page: pos_domain::paging::Page<pos_domain::catalog::Product>| {
        page.items
            .into_iter()
            .map(|p| p.draft.name.into_inner())
            .collect::<Vec<_>>()
    };
    let blue = tx.list_products(&search("BLUE")).await.unwrap();
    assert_eq!(blue.total, 2);
    assert_eq!(
        names(blue),
        ["blue ink 50%", "Blue Pen"],
        "names sort case-insensitively"
    );
    assert_eq!(
        names(tx.list_products(&search("50%")).await.unwrap()),
        ["blue ink 50%"]
    );
    assert_eq!(
        tx.list_products(&search("%")).await.unwrap().total,
        1,
        "% is not a wildcard"
    );
    assert_eq!(
        tx.list_products(&search("pen-")).await.unwrap().total,
        2,
        "SKUs are searched"
    );
}
