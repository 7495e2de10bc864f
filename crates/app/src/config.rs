//! Configuration from the environment (and an optional `.env`), checked once at start.

use anyhow::{Context, bail};
use pos_http::HttpSettings;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Human,
    Json,
}

pub struct Config {
    pub mode: Mode,
    pub host: String,
    pub port: u16,
    /// `sqlite://...`, `mysql://...`, or `memory:` (nothing kept across restarts).
    pub database_url: String,
    pub media_dir: String,
    pub log_format: LogFormat,
    pub admin: AdminSeed,
    pub http: HttpSettings,
    /// True when no JWT secret was configured and a random one was generated.
    pub ephemeral_secret: bool,
}

/// Who the first admin is, on an empty database.
pub struct AdminSeed {
    pub username: String,
    pub email: String,
    /// `None`: generate one and print it once.
    pub password: Option<String>,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/pos.sqlite?mode=rwc";
const MIN_SECRET_BYTES: usize = 32;
/// Placeholders copied from examples are not secrets.
const PLACEHOLDER_SECRETS: [&str; 4] = ["change-me", "changeme", "secret", "your_access_secret"];

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|key| std::env::var(key).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads every setting through `var`, so tests can pass a map instead of the environment.
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let vars = Vars(var);
        let mode = mode(&vars)?;
        let log_format = log_format(&vars)?;
        let (http, ephemeral_secret) = http_settings(&vars, mode)?;
        Ok(Self {
            mode,
            host: vars.or("POS_HOST", "127.0.0.1"),
            port: u16::try_from(vars.number("POS_PORT", 8080)?)
                .context("POS_PORT must fit in 16 bits")?,
            database_url: vars.or("DATABASE_URL", DEFAULT_DATABASE_URL),
            media_dir: vars.or("POS_MEDIA_DIR", "data/media"),
            log_format,
            admin: AdminSeed {
                username: vars.or("POS_ADMIN_USERNAME", "admin"),
                email: vars.or("POS_ADMIN_EMAIL", "admin@example.com"),
                password: vars.get("POS_ADMIN_PASSWORD"),
            },
            http,
            ephemeral_secret,
        })
    }
}

/// The settings by name, read through a lookup (the environment, or a map in tests).
struct Vars<F>(F);

impl<F: Fn(&str) -> Option<String>> Vars<F> {
    fn get(&self, key: &str) -> Option<String> {
        (self.0)(key)
    }

    /// The setting, or `default` when it is not set.
    fn or(&self, key: &str, default: &str) -> String {
        self.get(key).unwrap_or_else(|| default.to_owned())
    }

    /// A whole number, or `default` when it is not set.
    fn number(&self, key: &str, default: u64) -> anyhow::Result<u64> {
        self.get(key).map_or(Ok(default), |v| {
            v.trim()
                .parse()
                .with_context(|| format!("{key} must be a whole number, got {v:?}"))
        })
    }

    fn seconds(&self, key: &str, default: u64) -> anyhow::Result<Duration> {
        Ok(Duration::from_secs(self.number(key, default)?))
    }

    fn small(&self, key: &str, default: u64) -> anyhow::Result<u32> {
        Ok(u32::try_from(self.number(key, default)?)?)
    }

    fn size(&self, key: &str, default: u64) -> anyhow::Result<usize> {
        Ok(usize::try_from(self.number(key, default)?)?)
    }
}

fn mode<F: Fn(&str) -> Option<String>>(vars: &Vars<F>) -> anyhow::Result<Mode> {
    Ok(
        match vars.get("POS_ENV").as_deref().unwrap_or("development") {
            "development" | "dev" => Mode::Development,
            "production" | "prod" => Mode::Production,
            other => bail!("POS_ENV must be development or production, got {other:?}"),
        },
    )
}

fn log_format<F: Fn(&str) -> Option<String>>(vars: &Vars<F>) -> anyhow::Result<LogFormat> {
    Ok(
        match vars.get("POS_LOG_FORMAT").as_deref().unwrap_or("human") {
            "human" => LogFormat::Human,
            "json" => LogFormat::Json,
            other => bail!("POS_LOG_FORMAT must be human or json, got {other:?}"),
        },
    )
}

/// The HTTP adapter's settings, and whether the JWT secret was generated for this run.
fn http_settings<F: Fn(&str) -> Option<String>>(
    vars: &Vars<F>,
    mode: Mode,
) -> anyhow::Result<(HttpSettings, bool)> {
    let (jwt_secret, ephemeral_secret) = jwt_secret(vars, mode)?;
    let bcrypt_cost = bcrypt_cost(vars, mode)?;
    let http = HttpSettings {
        jwt_secret,
        jwt_issuer: vars.or("POS_JWT_ISSUER", "pos"),
        jwt_audience: vars.or("POS_JWT_AUDIENCE", "pos-api"),
        access_ttl: vars.seconds("POS_ACCESS_TTL_SECS", 15 * 60)?,
        refresh_ttl: vars.seconds("POS_REFRESH_TTL_SECS", 14 * 24 * 3600)?,
        bcrypt_cost,
        secure_cookies: vars.get("POS_SECURE_COOKIES").as_deref() != Some("false"),
        login_burst: vars.small("POS_LOGIN_BURST", 20)?,
        login_refill: Duration::from_millis(vars.number("POS_LOGIN_REFILL_MS", 3_000)?),
        login_failures_per_account: vars.small("POS_LOGIN_FAILURES_PER_ACCOUNT", 5)?,
        login_failures_per_address: vars.small("POS_LOGIN_FAILURES_PER_ADDRESS", 20)?,
        login_failure_window: vars.seconds("POS_LOGIN_FAILURE_WINDOW_SECS", 900)?,
        cors_origins: vars
            .or("POS_CORS_ORIGINS", "http://localhost:5173")
            .split(',')
            .map(|o| o.trim().trim_end_matches('/').to_owned())
            .filter(|o| !o.is_empty())
            .collect(),
        max_json_bytes: vars.size("POS_MAX_JSON_BYTES", 64 * 1024)?,
        max_image_bytes: vars.size("POS_MAX_IMAGE_BYTES", 2 * 1024 * 1024)?,
        staff_refund_limit: amount(vars, "POS_STAFF_REFUND_LIMIT", 5_000)?,
        staff_discount_limit: staff_discount_limit(vars)?,
        staff_payout_limit: amount(vars, "POS_STAFF_PAYOUT_LIMIT", 2_000)?,
        close_tolerance: amount(vars, "POS_CLOSE_TOLERANCE", 500)?,
        shop_offset: match vars.get("POS_UTC_OFFSET") {
            None => time::UtcOffset::UTC,
            Some(raw) => parse_offset(&raw).with_context(|| {
                format!("POS_UTC_OFFSET must be an offset like +06:00 or -05:30, got {raw:?}")
            })?,
        },
    };
    Ok((http, ephemeral_secret))
}

/// The JWT secret, and whether it was generated for this run (development only).
fn jwt_secret<F: Fn(&str) -> Option<String>>(
    vars: &Vars<F>,
    mode: Mode,
) -> anyhow::Result<(Vec<u8>, bool)> {
    Ok(match vars.get("POS_JWT_SECRET") {
        Some(secret) => {
            let weak = secret.len() < MIN_SECRET_BYTES
                || PLACEHOLDER_SECRETS.contains(&secret.to_lowercase().as_str());
            if weak && mode == Mode::Production {
                bail!(
                    "POS_JWT_SECRET must be at least {MIN_SECRET_BYTES} random bytes in \
                     production (try: openssl rand -hex 32)"
                );
            }
            (secret.into_bytes(), false)
        }
        None if mode == Mode::Production => bail!(
            "POS_JWT_SECRET is required in production: set it to at least {MIN_SECRET_BYTES} \
             random bytes (try: openssl rand -hex 32)"
        ),
        None => (rand::random::<[u8; 32]>().to_vec(), true),
    })
}

fn bcrypt_cost<F: Fn(&str) -> Option<String>>(vars: &Vars<F>, mode: Mode) -> anyhow::Result<u32> {
    let bcrypt_cost = vars.small("POS_BCRYPT_COST", 12)?;
    if !(4..=31).contains(&bcrypt_cost) {
        bail!("POS_BCRYPT_COST must be between 4 and 31, got {bcrypt_cost}");
    }
    if mode == Mode::Production && bcrypt_cost < 10 {
        bail!("POS_BCRYPT_COST below 10 is too weak for production");
    }
    Ok(bcrypt_cost)
}

/// An amount setting (`50.00`), `default_cents` when unset.
fn amount<F: Fn(&str) -> Option<String>>(
    vars: &Vars<F>,
    name: &str,
    default_cents: i64,
) -> anyhow::Result<pos_domain::money::Money> {
    let Some(raw) = vars.get(name) else {
        return Ok(pos_domain::money::Money::from_minor_units(default_cents));
    };
    raw.trim()
        .parse::<rust_decimal::Decimal>()
        .ok()
        .and_then(|d| pos_domain::money::Money::non_negative(d).ok())
        .with_context(|| format!("{name} must be an amount like 50.00, got {raw:?}"))
}

fn staff_discount_limit<F: Fn(&str) -> Option<String>>(
    vars: &Vars<F>,
) -> anyhow::Result<pos_domain::catalog::Percent> {
    let Some(raw) = vars.get("POS_STAFF_DISCOUNT_LIMIT_PERCENT") else {
        return Ok(pos_domain::catalog::Percent::from_scaled(20 * 10_000));
    };
    raw.trim()
        .parse::<rust_decimal::Decimal>()
        .ok()
        .and_then(|d| pos_domain::catalog::Percent::new(d).ok())
        .with_context(|| {
            format!("POS_STAFF_DISCOUNT_LIMIT_PERCENT must be a percent from 0 to 100, got {raw:?}")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> anyhow::Result<Config> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn development_starts_with_nothing_configured() {
        let c = config(&[]).unwrap();
        assert_eq!(c.mode, Mode::Development);
        assert_eq!((c.host.as_str(), c.port), ("127.0.0.1", 8080));
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert!(c.ephemeral_secret);
        assert_eq!(c.http.jwt_secret.len(), 32);
    }

    #[test]
    fn production_refuses_to_start_without_a_real_secret() {
        assert!(config(&[("POS_ENV", "production")]).is_err());
        assert!(config(&[("POS_ENV", "production"), ("POS_JWT_SECRET", "change-me")]).is_err());
        assert!(config(&[("POS_ENV", "production"), ("POS_JWT_SECRET", "short")]).is_err());
        let secret = "0123456789abcdef0123456789abcdef";
        let c = config(&[("POS_ENV", "production"), ("POS_JWT_SECRET", secret)]).unwrap();
        assert!(!c.ephemeral_secret);
    }

    #[test]
    fn bad_numbers_are_reported_by_name() {
        let err = config(&[("POS_PORT", "eighty")]).err().unwrap();
        assert!(err.to_string().contains("POS_PORT"), "{err}");
    }
}

/// `+06:00`, `-05:30` or `Z`: the shop's fixed offset from UTC.
fn parse_offset(raw: &str) -> Option<time::UtcOffset> {
    let raw = raw.trim();
    if raw.eq_ignore_ascii_case("z") || raw == "+00:00" {
        return Some(time::UtcOffset::UTC);
    }
    let (sign, rest) = match raw.split_at_checked(1)? {
        ("+", rest) => (1, rest),
        ("-", rest) => (-1, rest),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
    if !(0..=59).contains(&m) {
        return None;
    }
    time::UtcOffset::from_hms(sign * h, sign * m, 0).ok()
}

#[cfg(test)]
mod offset_tests {
    use super::parse_offset;

    #[test]
    fn offsets_parse_with_their_sign() {
        assert_eq!(parse_offset("+06:00").map(|o| o.whole_minutes()), Some(360));
        assert_eq!(
            parse_offset("-05:30").map(|o| o.whole_minutes()),
            Some(-330)
        );
        assert_eq!(parse_offset("Z").map(|o| o.whole_minutes()), Some(0));
        assert_eq!(parse_offset("6"), None);
        assert_eq!(parse_offset("+06:75"), None);
    }
}
