//! The server: reads configuration, opens the store, migrates, seeds the first admin, and
//! serves the API. `main.rs` only parses the command line.

pub mod bootstrap;
pub mod config;
pub mod demo;
pub mod media;
pub mod operator;
pub mod telemetry;

use anyhow::Context;
use config::Config;
use pos_domain::app::{App, Policy};
use pos_domain::ports::Store;
use pos_http::{Api, AppState, SystemClock};
use pos_store::SeaStore;
use std::sync::Arc;

/// The configured storage.
pub enum Storage {
    Sql(SeaStore),
    Memory(pos_memory::MemoryStore),
}

impl Storage {
    pub async fn open(url: &str) -> anyhow::Result<Self> {
        if url == "memory:" {
            return Ok(Storage::Memory(pos_memory::MemoryStore::new()));
        }
        // A fresh clone has no data/ folder yet; SQLite creates the file but not its folder.
        if let Some(path) = sqlite_file(url)
            && let Some(dir) = std::path::Path::new(path).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating the database folder {}", dir.display()))?;
        }
        let store = pos_store::connect(url)
            .await
            .with_context(|| format!("connecting to {}", redact(url)))?;
        Ok(Storage::Sql(store))
    }

    pub fn sql(&self) -> Option<&SeaStore> {
        match self {
            Storage::Sql(store) => Some(store),
            Storage::Memory(_) => None,
        }
    }

    pub fn port(&self) -> Arc<dyn Store> {
        match self {
            Storage::Sql(store) => Arc::new(store.clone()),
            Storage::Memory(store) => Arc::new(store.clone()),
        }
    }
}

/// The file of a `sqlite://` URL, if it names one.
fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// The URL without its password, for logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => {
                    format!("{}://{user}:***@{}", &url[..scheme_end], &url[at + 1..])
                }
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The shop's rules the application applies, from the configuration.
pub fn policy(config: &Config) -> Policy {
    Policy {
        staff_refund_limit: config.http.staff_refund_limit,
        staff_discount_limit: config.http.staff_discount_limit,
        staff_payout_limit: config.http.staff_payout_limit,
        close_tolerance: config.http.close_tolerance,
        shop_offset: config.http.shop_offset,
    }
}

/// The application over `store`, on the wall clock: what the command line drives.
pub fn application(config: &Config, store: Arc<dyn Store>) -> App {
    App::new(store, Arc::new(SystemClock), policy(config))
}

/// Opens and migrates the store, seeds the first admin, and builds the API.
pub async fn build(config: &Config) -> anyhow::Result<(Api, Storage)> {
    let media = media::DiskMedia::new(&config.media_dir);
    // Found now rather than as a 500 on the first upload.
    media.check_writable().with_context(|| {
        format!(
            "the media folder {} (POS_MEDIA_DIR) is not writable",
            config.media_dir
        )
    })?;
    let media = Arc::new(media);
    let storage = Storage::open(&config.database_url).await?;
    if let Some(sql) = storage.sql() {
        sql.migrate_up()
            .await
            .context("applying database migrations")?;
    }
    let store = storage.port();
    bootstrap::ensure_books(store.as_ref())
        .await
        .context("seeding the chart of accounts")?;
    match bootstrap::ensure_first_admin(store.as_ref(), &config.admin, config.http.bcrypt_cost)
        .await?
    {
        bootstrap::Seeded::AlreadyHadUsers => {}
        bootstrap::Seeded::WithConfiguredPassword => {
            tracing::info!(email = %config.admin.email, "created the first admin from POS_ADMIN_*");
        }
        bootstrap::Seeded::WithGeneratedPassword(password) => tracing::warn!(
            login = %config.admin.email,
            %password,
            "created the first admin with a generated password; it is shown only this once: \
             log in and change it (PUT /api/users/me)"
        ),
    }
    if config.ephemeral_secret {
        tracing::warn!(
            "POS_JWT_SECRET is not set: using a random secret, so tokens end at restart \
             (set it; production refuses to start without it)"
        );
    }
    let state = AppState::new(store, media, Arc::new(SystemClock), config.http.clone())
        .context("preparing the HTTP state")?;
    let api = Api::new(state).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((api, storage))
}

/// Forgets Idempotency-Keys past their retention, once an hour, so the table stays small.
fn purge_idempotency_keys_hourly(store: Arc<dyn Store>) {
    actix_web::rt::spawn(async move {
        let mut hourly = actix_web::rt::time::interval(std::time::Duration::from_secs(3600));
        loop {
            hourly.tick().await;
            let before = time::OffsetDateTime::now_utc() - pos_domain::idempotency::RETENTION;
            let purged = async {
                let mut tx = store.begin().await?;
                let n = tx.purge_idempotent(before).await?;
                tx.commit().await?;
                Ok::<_, pos_domain::StoreError>(n)
            };
            match purged.await {
                Ok(n) => tracing::debug!(purged = n, "expired idempotency keys"),
                Err(e) => tracing::warn!(error = %e, "could not purge idempotency keys"),
            }
        }
    });
}

/// Takes the configured address, saying what to do when it cannot.
pub fn bind(host: &str, port: u16) -> anyhow::Result<std::net::TcpListener> {
    std::net::TcpListener::bind((host, port)).map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "another program (another pos-app?) already listens on port {port}: stop it, \
                 or set POS_PORT to a free port"
            ),
            std::io::ErrorKind::PermissionDenied => format!(
                "this user may not listen on port {port}: set POS_PORT to a port above 1023"
            ),
            std::io::ErrorKind::AddrNotAvailable => format!(
                "{host} is not an address of this machine: correct POS_HOST \
                 (127.0.0.1 for this machine only, 0.0.0.0 for every interface)"
            ),
            _ => "check POS_HOST and POS_PORT".to_owned(),
        };
        anyhow::anyhow!("cannot listen on {host}:{port}: {e}; {hint}")
    })
}

/// Serves until interrupted. The address is taken first, so a port in use stops the start
/// before any migration runs or any admin is created.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let listener = bind(&config.host, config.port)?;
    let (api, storage) = build(&config).await?;
    purge_idempotency_keys_hourly(storage.port());
    let address = listener.local_addr()?;
    tracing::info!(
        %address,
        database = %redact(&config.database_url),
        backend = storage.sql().map_or("memory", SeaStore::backend_name),
        "serving; API docs at http://{address}/docs/"
    );
    actix_web::HttpServer::new(move || api.app())
        .listen(listener)?
        .run()
        .await
        .context("running the HTTP server")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact("mysql://root:hunter2@db:3306/pos"),
            "mysql://root:***@db:3306/pos"
        );
        assert_eq!(redact("mysql://root@db/pos"), "mysql://root@db/pos");
        assert_eq!(
            redact("sqlite://data/pos.sqlite?mode=rwc"),
            "sqlite://data/pos.sqlite?mode=rwc"
        );
    }

    #[test]
    fn a_port_in_use_names_pos_port() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let message = bind("127.0.0.1", port).unwrap_err().to_string();
        assert!(
            message.contains(&format!("port {port}")) && message.contains("POS_PORT"),
            "{message}"
        );
    }

    #[test]
    fn sqlite_files_are_found_in_urls() {
        assert_eq!(
            sqlite_file("sqlite://data/pos.sqlite?mode=rwc"),
            Some("data/pos.sqlite")
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("mysql://x"), None);
    }
}
