//! The command line, parsed by hand.

use anyhow::{Context, Result, bail};

pub const USAGE: &str = "usage: pos-bench [options]

Runs against an already running pos-app (filled by `pos-app demo-data`) and prints a Markdown
report on stdout; progress goes to stderr.

  --url URL          the server (default http://127.0.0.1:8080)
  --login LOGIN      an admin's username or email (default admin)
  --password PW      its password (default: the POS_BENCH_PASSWORD environment variable)
  --requests N       measured requests per report endpoint (default 200, after 5 warm-up)
  --checkouts N      checkouts per row of the checkout phase (default 2000)
  --idempotency-keys send an Idempotency-Key with every checkout of the checkout phase
                     (default: none; the login-storm phase always sends keys)
  --server-pid PID   the server's process id, to report its peak memory from /proc
  --skip-checkout    do not sell anything (leaves the data unchanged; skips the limit
                     phase too)
  --db-url URL       the server's own database (mysql://user:pw@host/db or
                     sqlite://path): enables the limit phase, raw-SQL checkout
                     transactions that give the checkout phase its `% of raw limit`
  --limit-transactions N  transactions per row of the limit phase (default 3000)
  --only PHASES      run only these phases, comma-separated, of: reports, limit,
                     checkout, product-list, login-storm (default: all but login-storm,
                     and limit only with --db-url)
  --storm-checkouts N  sales per row of the login-storm phase (default 300)
  --help             this text
";

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Reports,
    Checkout,
    ProductList,
    LoginStorm,
    /// Raw-SQL checkout transactions straight to the database (needs `--db-url`).
    Limit,
}

impl Phase {
    fn parse(name: &str) -> Result<Self> {
        Ok(match name.trim() {
            "reports" => Phase::Reports,
            "checkout" => Phase::Checkout,
            "product-list" => Phase::ProductList,
            "login-storm" => Phase::LoginStorm,
            "limit" => Phase::Limit,
            other => bail!("--only: unknown phase {other:?}\n\n{USAGE}"),
        })
    }
}

/// What the command line asks for.
pub enum Command {
    Run(Options),
    Help,
}

/// Parses the arguments after the program name. Accepts `--flag value` and `--flag=value`.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command> {
    let mut url = "http://127.0.0.1:8080".to_owned();
    let mut login = "admin".to_owned();
    let mut password = None;
    let mut requests = 200;
    let mut checkouts = 2000;
    let mut server_pid = None;
    let mut skip_checkout = false;
    let mut only: Option<Vec<Phase>> = None;
    let mut storm_checkouts = 300;
    let mut db_url = None;
    let mut limit_transactions = 3000;
    let mut idempotency_keys = false;

    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg, None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .with_context(|| format!("{flag} needs a value\n\n{USAGE}"))
        };
        match flag.as_str() {
            "--url" => url = value()?,
            "--login" => login = value()?,
            "--password" => password = Some(value()?),
            "--requests" => requests = count(&flag, &value()?)?,
            "--checkouts" => checkouts = count(&flag, &value()?)?,
            "--server-pid" => {
                let pid = value()?;
                server_pid = Some(
                    pid.parse()
                        .with_context(|| format!("--server-pid: {pid:?} is not a process id"))?,
                );
            }
            "--skip-checkout" => skip_checkout = true,
            "--only" => {
                only = Some(
                    value()?
                        .split(',')
                        .map(Phase::parse)
                        .collect::<Result<_>>()?,
                );
            }
            "--storm-checkouts" => storm_checkouts = count(&flag, &value()?)?,
            "--db-url" => {
                let db = value()?;
                if !(db.starts_with("mysql:") || db.starts_with("sqlite:")) {
                    bail!("--db-url: expected mysql://... or sqlite://path, not {db:?}");
                }
                if db.contains(":memory:") || db.contains("mode=memory") {
                    bail!("--db-url: an in-memory SQLite database is private to its process");
                }
                db_url = Some(db);
            }
            "--limit-transactions" => limit_transactions = count(&flag, &value()?)?,
            "--idempotency-keys" => idempotency_keys = true,
            "--help" | "-h" => return Ok(Command::Help),
            other => bail!("unknown argument {other:?}\n\n{USAGE}"),
        }
    }

    // The limit phase runs by default only when it can: it needs the database's address.
    let phases = match only {
        Some(phases) => phases,
        None if db_url.is_some() => vec![
            Phase::Reports,
            Phase::Limit,
            Phase::Checkout,
            Phase::ProductList,
        ],
        None => vec![Phase::Reports, Phase::Checkout, Phase::ProductList],
    };
    if phases.contains(&Phase::Limit) && db_url.is_none() {
        bail!(
            "the limit phase needs --db-url (the server's own database: mysql://... or \
             sqlite://...)\n\n{USAGE}"
        );
    }

    let password = match password {
        Some(p) => p,
        None => std::env::var("POS_BENCH_PASSWORD").map_err(|_| {
            anyhow::anyhow!(
                "no password: pass --password PW or set POS_BENCH_PASSWORD \
                 (the admin's password, e.g. the one pos-app logged as `created the first admin`)"
            )
        })?,
    };
    Ok(Command::Run(Options {
        url,
        login,
        password,
        requests,
        checkouts,
        server_pid,
        skip_checkout,
        phases,
        storm_checkouts,
        db_url,
        limit_transactions,
        idempotency_keys,
    }))
}

fn count(flag: &str, text: &str) -> Result<usize> {
    match text.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => bail!("{flag}: {text:?} is not a positive whole number"),
    }
}
