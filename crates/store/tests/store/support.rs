use pos_domain::Money;
use pos_domain::catalog::{LabelDraft, ProductDraft, ProductStatus, Unit};
use pos_domain::quantity::Quantity;
use pos_domain::text::{Email, Name, Sku, Username};
use pos_domain::user::{NewUser, PasswordHash, Role};
use pos_store::SeaStore;
use rust_decimal::Decimal;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

/// A database file removed (with its WAL files) when the test ends.
pub struct TempDb(PathBuf);

impl TempDb {
    pub fn new() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        Self(std::env::temp_dir().join(format!("pos-store-{}-{nanos}.db", std::process::id())))
    }

    pub fn url(&self) -> String {
        format!("sqlite://{}?mode=rwc", self.0.display())
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

/// A migrated, empty in-memory SQLite store.
pub async fn sqlite_memory_store() -> SeaStore {
    let store = pos_store::connect("sqlite::memory:").await.unwrap();
    assert_eq!(store.backend_name(), "sqlite");
    store.migrate_up().await.unwrap();
    store
}

/// The MySQL/MariaDB server named by `POS_TEST_MYSQL_URL` (e.g. `mysql://root@127.0.0.1:3306`)
/// and this process's database on it, or `None` when the variable is unset. Databases are
/// named `pos_t_*` so CI can drop them afterwards.
fn mysql_server_and_database() -> Option<(String, String)> {
    let server = std::env::var("POS_TEST_MYSQL_URL").ok()?;
    let server = server.trim_end_matches('/').to_owned();
    Some((server, format!("pos_t_store_{}", std::process::id())))
}

/// The URL of the database [`mysql_store`] uses, for a connection of its own beside the store
/// (raw SQL, as a hand edit would run).
pub fn mysql_url() -> Option<String> {
    let (server, name) = mysql_server_and_database()?;
    Some(format!("{server}/{name}"))
}

/// A migrated, empty database of its own on the MySQL/MariaDB server named by
/// `POS_TEST_MYSQL_URL`, or `None` when it is unset.
pub async fn mysql_store() -> Option<SeaStore> {
    use sea_orm::ConnectionTrait;
    let (server, name) = mysql_server_and_database()?;
    let admin = sea_orm::Database::connect(&server).await.unwrap();
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

/// The default register's next invoice number, taken as a checkout takes it (a stale snapshot
/// of the static data is read again, as the checkout's retry does).
pub async fn next_number(tx: &mut dyn pos_domain::ports::Tx) -> i64 {
    for fresh in [false, true] {
        let version = tx.static_data(fresh).await.unwrap().version;
        match tx
            .take_sale_number(pos_domain::register::DEFAULT_REGISTER, version)
            .await
            .unwrap()
        {
            pos_domain::register::Numbering::Taken(n) => return n,
            pos_domain::register::Numbering::Stale => continue,
            pos_domain::register::Numbering::Closed => panic!("the default register is closed"),
        }
    }
    panic!("the static data stays stale")
}
