//! The command line (clap): `pos-bench --help`.

use anyhow::{Result, bail};
use clap::{Parser, ValueEnum};
use std::num::NonZeroUsize;

/// Runs against an already running pos-app (filled by `pos-app demo-data`) and prints a
/// Markdown report on stdout; progress goes to stderr. Exits 1 if a request or a raw
/// transaction failed or the integrity check found anything, 2 on a command-line mistake.
#[derive(Debug, Parser)]
#[command(name = "pos-bench", version)]
struct Cli {
    /// The server.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// An admin's username or email.
    #[arg(long, default_value = "admin")]
    login: String,
    /// Its password.
    #[arg(long, env = "POS_BENCH_PASSWORD", hide_env_values = true)]
    password: String,
    /// Measured requests per report endpoint (after 5 warm-up).
    #[arg(long, default_value = "200")]
    requests: NonZeroUsize,
    /// Checkouts per row of the checkout phase.
    #[arg(long, default_value = "2000")]
    checkouts: NonZeroUsize,
    /// Send an Idempotency-Key with every checkout of the checkout phase (the login-storm
    /// phase always sends keys).
    #[arg(long)]
    idempotency_keys: bool,
    /// The server's process id, to report its peak memory from /proc.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Do not sell anything (leaves the data unchanged; skips the limit phase too).
    #[arg(long)]
    skip_checkout: bool,
    /// The server's own database (mysql://user:pw@host/db or sqlite://path): enables the limit
    /// phase, raw-SQL checkout transactions that give the checkout rows their `% of raw limit`.
    #[arg(long, value_parser = database_url)]
    db_url: Option<String>,
    /// Transactions per row of the limit phase.
    #[arg(long, default_value = "3000")]
    limit_transactions: NonZeroUsize,
    /// Run only these phases (default: all but login-storm, and limit only with --db-url).
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Option<Vec<Phase>>,
    /// Sales per row of the login-storm phase.
    #[arg(long, default_value = "300")]
    storm_checkouts: NonZeroUsize,
}

fn database_url(db: &str) -> Result<String, String> {
    if !(db.starts_with("mysql:") || db.starts_with("sqlite:")) {
        return Err(format!("expected mysql://... or sqlite://path, not {db:?}"));
    }
    if db.contains(":memory:") || db.contains("mode=memory") {
        return Err("an in-memory SQLite database is private to its process".to_owned());
    }
    Ok(db.to_owned())
}

#[derive(Debug)]
pub struct Options {
    pub url: String,
    pub login: String,
    pub password: String,
    pub requests: usize,
    pub checkouts: usize,
    pub server_pid: Option<u32>,
    pub skip_checkout: bool,
    /// The phases to run.
    pub phases: Vec<Phase>,
    pub storm_checkouts: usize,
    /// The database the server uses, for the raw-SQL limit phase.
    pub db_url: Option<String>,
    /// Transactions per row of the limit phase.
    pub limit_transactions: usize,
    /// Whether the checkout phase sends an `Idempotency-Key` with each sale.
    pub idempotency_keys: bool,
}

/// A part of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Phase {
    Reports,
    Checkout,
    ProductList,
    LoginStorm,
    /// Raw-SQL checkout transactions straight to the database (needs `--db-url`).
    Limit,
}

/// Parses the command line; usage mistakes print clap's message and exit 2.
pub fn parse() -> Result<Options> {
    options(Cli::parse())
}

fn options(cli: Cli) -> Result<Options> {
    // The limit phase runs by default only when it can: it needs the database's address.
    let phases = match cli.only {
        Some(phases) => phases,
        None if cli.db_url.is_some() => vec![
            Phase::Reports,
            Phase::Limit,
            Phase::Checkout,
            Phase::ProductList,
        ],
        None => vec![Phase::Reports, Phase::Checkout, Phase::ProductList],
    };
    if phases.contains(&Phase::Limit) && cli.db_url.is_none() {
        bail!(
            "the limit phase needs --db-url (the server's own database: mysql://... or \
             sqlite://...)"
        );
    }
    Ok(Options {
        url: cli.url,
        login: cli.login,
        password: cli.password,
        requests: cli.requests.get(),
        checkouts: cli.checkouts.get(),
        server_pid: cli.server_pid,
        skip_checkout: cli.skip_checkout,
        phases,
        storm_checkouts: cli.storm_checkouts.get(),
        db_url: cli.db_url,
        limit_transactions: cli.limit_transactions.get(),
        idempotency_keys: cli.idempotency_keys,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_from(args: &[&str]) -> Result<Options> {
        let cli = Cli::try_parse_from(
            ["pos-bench", "--password", "pw"]
                .into_iter()
                .chain(args.iter().copied()),
        )?;
        options(cli)
    }

    #[test]
    fn phases_default_and_limit_needs_the_database() {
        let plain = parse_from(&[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            plain.phases,
            [Phase::Reports, Phase::Checkout, Phase::ProductList]
        );
        let with_db = parse_from(&["--db-url", "sqlite://x.db"]).unwrap_or_else(|e| panic!("{e}"));
        assert!(with_db.phases.contains(&Phase::Limit));
        assert!(parse_from(&["--only", "limit"]).is_err());
        let only =
            parse_from(&["--only", "checkout,login-storm"]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(only.phases, [Phase::Checkout, Phase::LoginStorm]);
        assert!(parse_from(&["--checkouts", "0"]).is_err());
        assert!(parse_from(&["--db-url", "sqlite::memory:"]).is_err());
    }
}
