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
        shop_offset: config.http.shop_offset,
    }
}

/// The application over `store`, on the wall clock: what the command line drives.
pub fn application(config: &Config, store: Arc<dyn Store>) -> App {
    App::new(store, Arc::new(SystemClock), policy(config))
}

/// Opens and migrates the store, seeds the first admin, and builds the API.
pub async fn build(config: &Config) -> anyhow::Result<(Api, Storage)> {
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
    let media = Arc::new(media::DiskMedia::new(&config.media_dir));
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

/// Serves until interrupted.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let (api, storage) = build(&config).await?;
    purge_idempotency_keys_hourly(storage.port());
    let listener = std::net::TcpListener::bind((config.host.as_str(), config.port))
        .with_context(|| format!("binding {}:{}", config.host, config.port))?;
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
    fn sqlite_files_are_found_in_urls() {
        assert_eq!(
            sqlite_file("sqlite://data/pos.sqlite?mode=rwc"),
            Some("data/pos.sqlite")
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("mysql://x"), None);
    }
}
