use pos_domain::Money;
use pos_domain::catalog::{LabelDraft, ProductDraft, ProductStatus, Unit};
use pos_domain::quantity::Quantity;
use pos_domain::text::{Name, Sku};
use pos_store::SeaStore;
use rust_decimal::Decimal;
use std::str::FromStr;

/// A migrated, empty in-memory SQLite store.
pub async fn sqlite_memory_store() -> SeaStore {
    let store = pos_store::connect("sqlite::memory:").await.unwrap();
    assert_eq!(store.backend_name(), "sqlite");
    store.migrate_up().await.unwrap();
    store
}

/// The MySQL store named by `POS_TEST_MYSQL_URL`, rolled all the way down and migrated up
/// again so every run starts empty.
pub async fn mysql_store() -> Option<SeaStore> {
    let url = std::env::var("POS_TEST_MYSQL_URL").ok()?;
    let store = pos_store::connect(&url).await.unwrap();
    reset(&store).await;
    Some(store)
}

pub async fn reset(store: &SeaStore) {
    while store
        .migration_status()
        .await
        .unwrap()
        .iter()
        .any(|(_, applied)| *applied)
    {
        store.migrate_down().await.unwrap();
    }
    store.migrate_up().await.unwrap();
}

pub fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

pub fn label(name: &str) -> LabelDraft {
    LabelDraft {
        name: Name::new(name).unwrap(),
        description: None,
    }
}

pub fn product(name: &str, sku: &str, price: &str) -> ProductDraft {
    ProductDraft {
        name: Name::new(name).unwrap(),
        sku: Sku::new(sku).unwrap(),
        barcode: None,
        brand_id: None,
        category_id: None,
        tax_rate_id: None,
        price: Money::new(dec(price)).unwrap(),
        reorder_level: Quantity::ZERO,
        unit: Unit::Piece,
        status: ProductStatus::Active,
        description: None,
    }
}
