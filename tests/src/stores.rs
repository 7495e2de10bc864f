//! Fresh, empty stores of each kind for one test.

use pos_domain::ports::Store;
use sea_orm::{ConnectionTrait, Database};
use std::sync::Arc;

/// The env var naming a MariaDB/MySQL server for the contract and concurrency tests, e.g.
/// `mysql://root@127.0.0.1:3306`. Unset: those tests are skipped (`cargo test` needs no service).
pub const MYSQL_ENV: &str = "POS_TEST_MYSQL_URL";

/// Every database the tests create starts with this, so CI can drop leftovers.
pub const MYSQL_DB_PREFIX: &str = "pos_t_";

pub fn memory() -> Arc<dyn Store> {
    Arc::new(pos_memory::MemoryStore::new())
}

/// A migrated SQLite database in a fresh temporary file (a file, not `:memory:`, so the pool's
/// several connections see one database, as in production).
pub async fn sqlite() -> Arc<dyn Store> {
    let store = pos_store::connect(&sqlite_url())
        .await
        .expect("open sqlite");
    store.migrate_up().await.expect("migrate sqlite");
    Arc::new(store)
}

/// Stops a MariaDB test run without `POS_TEST_MYSQL_URL`: such tests are `#[ignore]`d, so this
/// only happens when they are asked for (`--include-ignored`) on a machine without the database.
pub fn no_mysql() -> ! {
    panic!("{MYSQL_ENV} is not set: the MariaDB tests need it, e.g. mysql://root@127.0.0.1:3306")
}

/// The URL of a fresh SQLite file (created on first connect), for tests that open it
/// themselves, several times or with options.
pub fn sqlite_url() -> String {
    let path = std::env::temp_dir().join(format!("pos-test-{}.sqlite", uuid::Uuid::new_v4()));
    format!("sqlite://{}?mode=rwc", path.display())
}

/// The URL of a new, empty database of its own on the MySQL server named by [`MYSQL_ENV`], or
/// `None` when the variable is unset.
pub async fn mysql_url() -> Option<String> {
    let server = std::env::var(MYSQL_ENV).ok()?;
    let server = server.trim_end_matches('/');
    let name = format!("{MYSQL_DB_PREFIX}{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(server)
        .await
        .expect("connect to the MySQL server");
    admin
        .execute_unprepared(&format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
        .await
        .expect("create the test database");
    admin.close().await.ok();
    Some(format!("{server}/{name}"))
}

/// A migrated, empty database of its own on the MySQL server named by [`MYSQL_ENV`], or `None`
/// when the variable is unset.
pub async fn mysql() -> Option<Arc<dyn Store>> {
    let store = pos_store::connect(&mysql_url().await?)
        .await
        .expect("connect to test db");
    store.migrate_up().await.expect("migrate mysql");
    Some(Arc::new(store))
}
