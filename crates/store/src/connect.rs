//! Opening the connection pool, tuned per backend.

use crate::SeaStore;
use crate::errors::{db_err, is_contention};
use pos_domain::StoreError;
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DbBackend};
use std::str::FromStr;
use std::time::Duration;

/// How long a SQLite writer waits for another writer's lock before failing with SQLITE_BUSY
/// (reported as `StoreError::Contention`).
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections to a SQLite file. WAL lets readers run beside the one writer; more connections
/// than this only queue on the file lock.
const SQLITE_FILE_POOL: u32 = 5;
const MYSQL_POOL: u32 = 10;
/// A pooled connection idle this long is pinged before it is handed out.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(30);

/// How long a use case waits for a free pooled connection before giving up (`Contention`).
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// Connects to `mysql://user:pass@host:port/db`, `sqlite://path?mode=rwc` or `sqlite::memory:`.
///
/// Does not migrate: call [`SeaStore::migrate_up`] when the schema should be brought up to date.
pub async fn connect(url: &str) -> Result<SeaStore, StoreError> {
    let mut options = ConnectOptions::new(url);
    options.acquire_timeout(ACQUIRE_TIMEOUT);
    // Ping a pooled connection before handing it out only when it has sat idle long enough to
    // have been dropped by the server or a proxy. The default pings on every acquire: a round
    // trip before every transaction and before every request's session check, for connections
    // that were in use a millisecond ago. A connection that died anyway fails its statement,
    // which the use case's transaction turns into a clean error.
    options.test_before_acquire_if_idle_for(IDLE_BEFORE_PING);
    // A SQLite file keeps a write-ahead log to checkpoint; memory and MySQL do not.
    let mut wal = false;
    let backend = if url.starts_with("sqlite:") {
        wal = !configure_sqlite(&mut options, url)?;
        DbBackend::Sqlite
    } else if url.starts_with("mysql:") {
        options.max_connections(MYSQL_POOL).min_connections(1);
        // Strict mode on every connection, whatever the server's default: the guarded running
        // totals (see `sums::guarded_add`) rely on a NULL into a NOT NULL column failing the
        // statement rather than being stored as 0 with a warning.
        options.map_sqlx_mysql_pool_opts(|pool| {
            pool.after_connect(|conn, _meta| {
                Box::pin(async move {
                    use sea_orm::sqlx::Executor;
                    conn.execute(
                        "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_ALL_TABLES')",
                    )
                    .await?;
                    // Writers run READ COMMITTED (see `SeaStore::begin`); set once here, so a
                    // transaction begins with one statement. Readers ask for REPEATABLE READ.
                    conn.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
                        .await
                        .map(|_| ())
                })
            })
        });
        DbBackend::MySql
    } else {
        return Err(StoreError::backend(format!(
            "unsupported database URL scheme (expected mysql:// or sqlite:): {}",
            redact(url)
        )));
    };
    if backend == DbBackend::MySql {
        probe_mysql(url).await?;
    }
    let db = Database::connect(options)
        .await
        .map_err(|e| match backend {
            DbBackend::Sqlite if !is_contention(&e) => sqlite_unopenable(url, &e),
            _ => db_err(e),
        })?;
    if wal {
        checkpoint_in_background(db.clone());
    }
    let returning = match backend {
        DbBackend::MySql => is_mariadb(&db).await?,
        _ => true,
    };
    tracing::info!(backend = ?backend, returning, "connected to the database");
    Ok(SeaStore::new(db, backend, returning))
}

/// One plain connection before the pool: the pool retries a refused connection until its
/// acquire timeout and then reports only "pool timed out", which reads like a busy database.
/// A single attempt says what went wrong (nothing listening, no such database, wrong password)
/// and what to do about it.
async fn probe_mysql(url: &str) -> Result<(), StoreError> {
    use sea_orm::sqlx::Connection;
    use sea_orm::sqlx::mysql::MySqlConnection;
    let server = MySqlServer::of(url);
    match tokio::time::timeout(ACQUIRE_TIMEOUT, MySqlConnection::connect(url)).await {
        Ok(Ok(connection)) => {
            let _ = connection.close().await;
            Ok(())
        }
        Ok(Err(e)) => Err(StoreError::backend(server.explain(&e))),
        Err(_) => Err(StoreError::backend(format!(
            "no answer from a database server at {} within {} s: check the host and port in \
             DATABASE_URL, and any firewall between",
            server.address,
            ACQUIRE_TIMEOUT.as_secs()
        ))),
    }
}

/// Where a `mysql://` URL points, for messages.
struct MySqlServer {
    address: String,
    database: String,
}

impl MySqlServer {
    fn of(url: &str) -> Self {
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
        let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
        let (address, path) = rest.split_once('/').unwrap_or((rest, ""));
        let database = path.split('?').next().unwrap_or_default();
        let address = if address.contains(':') || address.is_empty() {
            address.to_owned()
        } else {
            format!("{address}:3306")
        };
        Self {
            address,
            database: database.to_owned(),
        }
    }

    /// What went wrong connecting, and what to do about it.
    fn explain(&self, e: &sea_orm::sqlx::Error) -> String {
        use sea_orm::sqlx::mysql::MySqlDatabaseError;
        let (address, database) = (&self.address, &self.database);
        if let sea_orm::sqlx::Error::Io(io) = e {
            return match io.kind() {
                std::io::ErrorKind::ConnectionRefused => format!(
                    "nothing is listening at {address} (connection refused): start MariaDB or \
                     MySQL there, or correct the host and port in DATABASE_URL"
                ),
                _ => format!("cannot reach a database server at {address}: {io}"),
            };
        }
        let number = match e {
            sea_orm::sqlx::Error::Database(db) => db
                .try_downcast_ref::<MySqlDatabaseError>()
                .map(MySqlDatabaseError::number),
            _ => None,
        };
        match number {
            Some(1049) => format!(
                "the database `{database}` does not exist on {address}: create it with \
                 mysql -uroot -e 'CREATE DATABASE {database} CHARACTER SET utf8mb4' \
                 (or correct its name in DATABASE_URL)"
            ),
            Some(1044) => format!(
                "the user in DATABASE_URL may not use the database `{database}` on {address} \
                 ({e}): grant it, e.g. GRANT ALL ON {database}.* TO that user"
            ),
            Some(1045) => format!(
                "{address} refused the user and password in DATABASE_URL ({e}): correct them"
            ),
            _ => format!("cannot connect to {address}: {e}"),
        }
    }
}

/// A SQLite file that would not open, named, with the likely reason.
fn sqlite_unopenable(url: &str, e: &sea_orm::DbErr) -> StoreError {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    let hint = if !std::path::Path::new(path).exists() && !url.contains("mode=rwc") {
        "it does not exist, and only a URL ending in ?mode=rwc creates it \
         (e.g. DATABASE_URL=sqlite://data/pos.sqlite?mode=rwc)"
    } else {
        "check that the file and its folder exist and that this user may read and write them"
    };
    StoreError::backend(format!(
        "cannot open the SQLite database {path}: {hint} ({e})"
    ))
}

/// How often the SQLite write-ahead log is copied back into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// Copies the SQLite write-ahead log back into the database file every second, off the request
/// path. SQLite's own automatic checkpoint runs inside the commit that takes the log past 1000
/// pages, with its fsyncs, so some sales paid for copying everyone's pages; with this it finds
/// little left to copy. It stays on: it is what lets the log start over from its beginning (with
/// it off, the log grew past 900 MB under load). A PASSIVE checkpoint never waits for readers
/// or the writer; what it cannot copy yet, the next one does. The task ends with its runtime.
fn checkpoint_in_background(db: sea_orm::DatabaseConnection) {
    use sea_orm::{ConnectionTrait, Statement};
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let done = db
                .execute_raw(Statement::from_string(
                    DbBackend::Sqlite,
                    "PRAGMA wal_checkpoint(PASSIVE)",
                ))
                .await;
            if let Err(e) = done {
                if db.ping().await.is_err() {
                    tracing::debug!(error = %e, "the pool is closed: no more checkpoints");
                    return;
                }
                tracing::warn!(error = %e, "WAL checkpoint failed; retried in a second");
            }
        }
    });
}

/// MariaDB (10.5 and later) has `INSERT ... RETURNING`; MySQL does not.
async fn is_mariadb(db: &sea_orm::DatabaseConnection) -> Result<bool, StoreError> {
    use sea_orm::{ConnectionTrait, Statement};
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::MySql, "SELECT VERSION()"))
        .await
        .map_err(db_err)?;
    let version: String = match row {
        Some(row) => row.try_get_by_index(0).map_err(db_err)?,
        None => return Ok(false),
    };
    let Some((numbers, _)) = version.split_once("-MariaDB") else {
        return Ok(false);
    };
    let mut parts = numbers.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    Ok((major, minor) >= (10, 5))
}

/// Sizes the pool and sets every connection's pragmas; answers whether the database is in
/// memory.
fn configure_sqlite(options: &mut ConnectOptions, url: &str) -> Result<bool, StoreError> {
    let parsed = SqliteConnectOptions::from_str(url)
        .map_err(|err| StoreError::backend(format!("invalid SQLite URL: {err}")))?;
    let in_memory = is_in_memory(&parsed, url);
    if in_memory {
        // Each connection to `sqlite::memory:` would be a database of its own, and the database
        // vanishes with its last connection: keep exactly one, forever.
        options
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None);
    } else {
        options.max_connections(SQLITE_FILE_POOL).min_connections(1);
    }
    // Applied by sqlx to every connection the pool opens, not just the first.
    options.map_sqlx_sqlite_opts(move |opts| {
        let opts = opts.foreign_keys(true).busy_timeout(SQLITE_BUSY_TIMEOUT);
        if in_memory {
            // WAL needs a file; an in-memory database keeps its own journal.
            opts
        } else {
            // WAL: readers never block the writer nor each other. NORMAL sync is durable
            // against application crashes and the recommended pairing with WAL.
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
        }
    });
    Ok(in_memory)
}

fn is_in_memory(parsed: &SqliteConnectOptions, url: &str) -> bool {
    // sqlx renames `:memory:` to a private shared-cache name, so the URL is checked as well.
    url.contains(":memory:")
        || url.contains("mode=memory")
        || parsed
            .get_filename()
            .to_string_lossy()
            .starts_with("file:sqlx-in-memory-")
}

/// The URL without its password, for error messages and logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://***{}", &url[..scheme_end], &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            redact("mysql://root:secret@db:3306/pos"),
            "mysql://***@db:3306/pos"
        );
        assert_eq!(redact("sqlite://pos.db"), "sqlite://pos.db");
    }

    #[test]
    fn mysql_urls_name_their_server_and_database() {
        let server = MySqlServer::of("mysql://root:secret@db.internal/shop?ssl-mode=disabled");
        assert_eq!(
            (server.address.as_str(), server.database.as_str()),
            ("db.internal:3306", "shop")
        );
        let server = MySqlServer::of("mysql://root@127.0.0.1:3307/pos");
        assert_eq!(server.address, "127.0.0.1:3307");
    }

    /// The error with its causes, as `pos-app` prints it.
    fn chain(e: &StoreError) -> String {
        let mut text = e.to_string();
        let mut cause = std::error::Error::source(e);
        while let Some(c) = cause {
            text = format!("{text}: {c}");
            cause = c.source();
        }
        text
    }

    #[tokio::test]
    async fn a_refused_mysql_connection_says_so_at_once() {
        // A port nothing listens on: bound, then released.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let started = std::time::Instant::now();
        let Err(e) = connect(&format!("mysql://root@127.0.0.1:{port}/pos")).await else {
            panic!("connected to a closed port");
        };
        let message = chain(&e);
        assert!(
            message.contains(&format!("nothing is listening at 127.0.0.1:{port}"))
                && message.contains("DATABASE_URL"),
            "{message}"
        );
        assert!(
            started.elapsed() < ACQUIRE_TIMEOUT,
            "it waited for the pool"
        );
    }

    #[tokio::test]
    async fn an_unopenable_sqlite_file_is_named_with_the_fix() {
        let dir = std::env::temp_dir().join(format!("pos-missing-{}", std::process::id()));
        let file = dir.join("pos.sqlite");
        let Err(e) = connect(&format!("sqlite://{}", file.display())).await else {
            panic!("opened a file that does not exist without mode=rwc");
        };
        let message = chain(&e);
        assert!(
            message.contains(&file.display().to_string()) && message.contains("?mode=rwc"),
            "{message}"
        );
    }
}
