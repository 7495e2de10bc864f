//! The store: a cheap handle on the pool that starts transactions and runs migrations.

use crate::errors::db_err;
use crate::tx::SeaTx;
use async_trait::async_trait;
use pos_domain::StoreError;
use pos_domain::ids::UserId;
use pos_domain::ports::{Store, Tx};
use pos_domain::user::Role;
use pos_migrations::Migrator;
use sea_orm::{ConnectionTrait, IsolationLevel, Statement};
use sea_orm::{
    DatabaseConnection, DbBackend, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::{MigrationStatus, MigratorTrait};

/// The SeaORM store. Cloning shares the pool.
#[derive(Debug, Clone)]
pub struct SeaStore {
    db: DatabaseConnection,
    backend: DbBackend,
}

impl SeaStore {
    pub(crate) fn new(db: DatabaseConnection, backend: DbBackend) -> Self {
        Self { db, backend }
    }

    /// `"mysql"` or `"sqlite"`.
    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            DbBackend::MySql => "mysql",
            DbBackend::Sqlite => "sqlite",
            _ => "unsupported",
        }
    }

    /// Applies every pending migration.
    pub async fn migrate_up(&self) -> Result<(), StoreError> {
        Migrator::up(&self.db, None).await.map_err(db_err)
    }

    /// Rolls back the most recently applied migration (like `sea-orm-cli migrate down`).
    pub async fn migrate_down(&self) -> Result<(), StoreError> {
        Migrator::down(&self.db, Some(1)).await.map_err(db_err)
    }

    /// Every known migration, oldest first, with whether it is applied. Read-only: works
    /// before the first `migrate_up`.
    pub async fn migration_status(&self) -> Result<Vec<(String, bool)>, StoreError> {
        let migrations = Migrator::get_migration_with_status_read_only(&self.db)
            .await
            .map_err(db_err)?;
        Ok(migrations
            .iter()
            .map(|m| (m.name().to_owned(), m.status() == MigrationStatus::Applied))
            .collect())
    }
}

#[async_trait]
impl Store for SeaStore {
    async fn begin(&self) -> Result<Box<dyn Tx>, StoreError> {
        // SQLite cannot lock rows: a deferred transaction that reads and then writes fails with
        // SQLITE_BUSY when another writer got there first. IMMEDIATE takes the write lock up
        // front (waiting up to the busy timeout), so writers queue instead.
        //
        // MySQL writers run READ COMMITTED. Every use case locks the rows it changes first
        // (products, a customer, open purchases) and then reads what those locks protect (lots,
        // sales...). Under the default REPEATABLE READ a plain read sees the snapshot taken at
        // the transaction's first read, which may predate the lock, and would miss what the
        // previous lock holder committed; READ COMMITTED reads the latest committed rows.
        let isolation_level =
            (self.backend_name() == "mysql").then_some(IsolationLevel::ReadCommitted);
        let options = TransactionOptions {
            isolation_level,
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let txn = self.db.begin_with_options(options).await.map_err(db_err)?;
        Ok(Box::new(SeaTx::new(txn)))
    }

    async fn begin_read(&self) -> Result<Box<dyn Tx>, StoreError> {
        // Deferred: with WAL, readers run beside the writer on a consistent snapshot.
        let txn = self.db.begin().await.map_err(db_err)?;
        Ok(Box::new(SeaTx::new(txn)))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.db.ping().await.map_err(db_err)
    }

    async fn session_access(&self, user: UserId, family: &str) -> Result<Option<Role>, StoreError> {
        // One statement on the pool, no transaction: the user's primary key and the family
        // index (ix_refresh_sessions_family) answer it.
        let row = self
            .db
            .query_one_raw(Statement::from_sql_and_values(
                self.backend,
                "SELECT u.role FROM users u WHERE u.id = ? AND u.active = ? AND EXISTS \
                 (SELECT 1 FROM refresh_sessions s WHERE s.family = ? AND s.user_id = u.id \
                 AND s.revoked_at IS NULL)",
                [user.get().into(), true.into(), family.into()],
            ))
            .await
            .map_err(db_err)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let role: String = row.try_get("", "role").map_err(db_err)?;
        role.parse()
            .map(Some)
            .map_err(|e| crate::errors::corrupt("users.role", e))
    }
}
