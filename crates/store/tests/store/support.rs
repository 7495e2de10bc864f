use pos_domain::Money;
use pos_domain::catalog::{LabelDraft, ProductDraft, ProductStatus, Unit};
use pos_domain::quantity::Quantity;
use pos_domain::text::{Email, Name, Sku, Username};
use pos_domain::user::{NewUser, PasswordHash, Role};
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

/// A migrated, empty database of its own on the MySQL/MariaDB server named by
/// `POS_TEST_MYSQL_URL` (e.g. `mysql://root@127.0.0.1:3306`), or `None` when it is unset.
/// Databases are named `pos_t_*` so CI can drop them afterwards.
pub async fn mysql_store() -> Option<SeaStore> {
    use sea_orm::ConnectionTrait;
    let server = std::env::var("POS_TEST_MYSQL_URL").ok()?;
    let server = server.trim_end_matches('/');
    let name = format!("pos_t_store_{}", std::process::id());
    let admin = sea_orm::Database::connect(server).await.unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS `{name}`"))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
        .await
        .unwrap();
    admin.close().await.ok();
    let store = pos_store::connect(&format!("{server}/{name}"))
        .await
        .unwrap();
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

pub fn new_user(username: &str, at: time::OffsetDateTime) -> NewUser {
    NewUser {
        username: Username::new(username).unwrap(),
        email: Email::new(&format!("{username}@shop.test")).unwrap(),
        name: Name::new(username).unwrap(),
        role: Role::Admin,
        password_hash: PasswordHash::from_hash("$2b$04$not-a-real-hash".into()),
        at,
    }
}
