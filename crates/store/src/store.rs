//! The store: a cheap handle on the pool that starts transactions and runs migrations.

use crate::errors::db_err;
use crate::registers::StaticCache;
use crate::tx::SeaTx;
use async_trait::async_trait;
use pos_domain::StoreError;
use pos_domain::ids::UserId;
use pos_domain::ports::{PoolStatus, Store, Tx};
use pos_domain::user::Role;
use pos_migrations::Migrator;
use sea_orm::{ConnectionTrait, DatabaseConnectionType, IsolationLevel, Statement};
use sea_orm::{
    DatabaseConnection, DbBackend, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::{MigrationStatus, MigratorTrait};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// How long a SQLite writer waits for this process's previous writers, as long as SQLite's own
/// busy timeout (`connect`).
const WRITER_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The SeaORM store. Cloning shares the pool.
#[derive(Debug, Clone)]
pub struct SeaStore {
    db: DatabaseConnection,
    backend: DbBackend,
    /// Transactions that found no idle pooled connection when they began (see [`PoolStatus`]).
    waits: Arc<AtomicU64>,
    /// The process's snapshot of the static data, shared by every transaction.
    statics: Arc<StaticCache>,
    /// Whether `INSERT ... RETURNING` works: SQLite and MariaDB, not MySQL.
    returning: bool,
    /// SQLite: one writer transaction at a time in this process, queued in arrival order.
    writer: Option<Arc<tokio::sync::Semaphore>>,
}

impl SeaStore {
    pub(crate) fn new(db: DatabaseConnection, backend: DbBackend, returning: bool) -> Self {
        Self {
            db,
            backend,
            waits: Arc::default(),
            statics: Arc::default(),
            returning,
            writer: (backend == DbBackend::Sqlite)
                .then(|| Arc::new(tokio::sync::Semaphore::new(1))),
        }
    }

    /// Calls `record` with the SQL of every statement the store runs from now on (BEGIN and
    /// COMMIT aside, which sqlx issues itself): how the statement budget of a checkout is
    /// tested.
    pub fn on_statement(&mut self, record: impl Fn(&str) + Send + Sync + 'static) {
        self.db
            .set_metric_callback(move |info: &sea_orm::metric::Info<'_>| {
                record(&info.statement.sql)
            });
    }

    /// The pool's open and idle connections, asked of sqlx (no I/O).
    fn pool_figures(&self) -> Option<(u32, usize)> {
        match &self.db.inner {
            DatabaseConnectionType::SqlxMySqlPoolConnection(_) => {
                let pool = self.db.get_mysql_connection_pool();
                Some((pool.size(), pool.num_idle()))
            }
            DatabaseConnectionType::SqlxSqlitePoolConnection(_) => {
                let pool = self.db.get_sqlite_connection_pool();
                Some((pool.size(), pool.num_idle()))
            }
            _ => None,
        }
    }

    /// Counts a transaction about to begin with no idle connection to take: it waits for one
    /// to be returned, or for a new one to be opened.
    fn note_acquire(&self) {
        if self.pool_figures().is_some_and(|(_, idle)| idle == 0) {
            self.waits.fetch_add(1, Ordering::Relaxed);
        }
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
        // Every MySQL connection is READ COMMITTED from the start (`connect`), so beginning
        // costs one statement, not a `SET TRANSACTION` before it as well.
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        //
        // SQLite has one writer at a time anyway. Writers of this process wait their turn here,
        // in arrival order, instead of in SQLite's busy handler, which sleeps and retries with
        // back-off (1, 2, 5 ... 100 ms): under load that sleeping made the slowest sales wait
        // hundreds of milliseconds while the file was free. Other processes on the same file
        // still meet the busy timeout.
        let writer = match &self.writer {
            Some(turn) => Some(
                tokio::time::timeout(WRITER_WAIT, Arc::clone(turn).acquire_owned())
                    .await
                    .map_err(|_| {
                        StoreError::Contention(format!(
                            "another writer held the database for {} s",
                            WRITER_WAIT.as_secs()
                        ))
                    })?
                    .map_err(StoreError::caused_by)?,
            ),
            None => None,
        };
        self.note_acquire();
        let txn = self.db.begin_with_options(options).await.map_err(db_err)?;
        Ok(Box::new(SeaTx::new(
            txn,
            self.statics.clone(),
            self.returning,
            writer,
        )))
    }

    async fn begin_read(&self) -> Result<Box<dyn Tx>, StoreError> {
        // Deferred: with WAL, readers run beside the writer on a consistent snapshot. On MySQL
        // a reader asks for REPEATABLE READ: one snapshot for all its statements.
        let isolation_level =
            (self.backend == DbBackend::MySql).then_some(IsolationLevel::RepeatableRead);
        let options = TransactionOptions {
            isolation_level,
            ..TransactionOptions::default()
        };
        self.note_acquire();
        let txn = self.db.begin_with_options(options).await.map_err(db_err)?;
        Ok(Box::new(SeaTx::new(
            txn,
            self.statics.clone(),
            self.returning,
            None,
        )))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.db.ping().await.map_err(db_err)
    }

    fn pool_status(&self) -> Option<PoolStatus> {
        let (size, idle) = self.pool_figures()?;
        let idle = u32::try_from(idle).unwrap_or(u32::MAX).min(size);
        Some(PoolStatus {
            in_use: size - idle,
            idle,
            waits: self.waits.load(Ordering::Relaxed),
        })
    }

    async fn session_access(
        &self,
        user: UserId,
        family: &str,
    ) -> Result<Option<pos_domain::user::Access>, StoreError> {
        // One statement on the pool, no transaction: the user's primary key and the family
        // index (ix_refresh_sessions_family) answer it.
        let row = self
            .db
            .query_one_raw(Statement::from_sql_and_values(
                self.backend,
                // The locations ride along as one comma-separated list (GROUP_CONCAT is the
                // same on both backends): still one statement per request.
                "SELECT u.role, (SELECT GROUP_CONCAT(l.location_id) FROM user_locations l \
                 WHERE l.user_id = u.id) AS locations FROM users u WHERE u.id = ? \
                 AND u.active = ? AND EXISTS (SELECT 1 FROM refresh_sessions s \
                 WHERE s.family = ? AND s.user_id = u.id AND s.revoked_at IS NULL)",
                [user.get().into(), true.into(), family.into()],
            ))
            .await
            .map_err(db_err)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let role: String = row.try_get("", "role").map_err(db_err)?;
        let role: Role = role
            .parse()
            .map_err(|e| crate::errors::corrupt("users.role", e))?;
        let listed: Option<String> = row.try_get("", "locations").map_err(db_err)?;
        let locations = listed
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .filter(|id| !id.is_empty())
            .map(|id| {
                id.parse()
                    .map(pos_domain::ids::LocationId::new)
                    .map_err(|e| crate::errors::corrupt("user_locations.location_id", e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(pos_domain::user::Access {
            role,
            stores: pos_domain::user::Stores::of(role, locations),
        }))
    }
}
