//! `pos-bench`: a benchmark harness for a running pos-app. Not a test: it measures report
//! latency, checkout throughput and product-list load, and prints a Markdown section for
//! `docs/benchmarks.md` on stdout (progress and warnings go to stderr).
//!
//! How to run it, against a release build on a quiet machine:
//!
//! ```sh
//! cargo build --release -p pos-app -p pos-bench
//! target/release/pos-app demo-data          # a year of sales in the configured database
//! target/release/pos-app serve &            # note its pid and the admin's password
//! POS_BENCH_PASSWORD=<admin password> target/release/pos-bench --server-pid $! > run.md
//! ```
//!
//! The checkout phase sells thousands of units: run it on a database you can refill with
//! `demo-data`, or pass `--skip-checkout` to leave the data unchanged. With `--db-url` (the
//! server's own database) the limit phase first sends the same writes as raw SQL transactions,
//! and every checkout row is also shown as a share of that limit. `--help` lists the options.
//! The exit status is non-zero when a request or a raw transaction failed or the final
//! integrity check found a discrepancy.

mod args;
mod http_client;
mod phases;
mod prng;
mod session;
mod stats;

use anyhow::{Context, Result, bail};
use args::{Options, Phase};
use http_client::Target;
use phases::{Dates, checkout, discover, limit, login_storm, product_list, reports, server};
use session::Session;
use std::process::ExitCode;
use std::sync::Arc;
use time::OffsetDateTime;
use time::macros::format_description;

// One runtime thread: the harness usually shares the machine with the server, and a single
// thread keeps its own CPU use small and steady. 32 clients are 32 tasks on it; each spends
// almost all its time waiting for the server.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let options = match args::parse() {
        Ok(options) => options,
        Err(e) => {
            eprintln!("pos-bench: {e:#}");
            return ExitCode::from(2);
        }
    };
    match run(options).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("pos-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs every phase; false when a request failed or the integrity check found discrepancies.
async fn run(options: Options) -> Result<bool> {
    let target = Target::parse(&options.url)?;
    let started = OffsetDateTime::now_utc();
    let dates = Dates::new(started.date())?;

    eprintln!("logging in to {} as {:?}", options.url, options.login);
    let session = Arc::new(
        Session::open(target, options.login.clone(), options.password.clone())
            .await
            .context("logging in")?,
    );
    eprintln!("discovering products");
    let catalog = discover::discover(&session)
        .await
        .context("discovering products")?;
    let checkout_method = checkout_method(&options, &catalog)?;

    print_header(&options, started, &dates, &catalog)?;
    if options.phases.contains(&Phase::Reports) {
        reports::run(&session, &dates, options.requests).await?;
    }
    let mut failed_requests = 0;
    if let Some(method) = checkout_method {
        failed_requests += sell(&options, &session, &catalog, method).await?;
    }
    if options.phases.contains(&Phase::ProductList) {
        failed_requests += product_list::run(&session).await?;
    }
    if let Some(pid) = options.server_pid {
        server::memory(pid);
    }
    let consistent = server::integrity(&session).await?;

    if failed_requests > 0 {
        eprintln!("pos-bench: {failed_requests} requests failed; see the notes in the report");
    }
    if !consistent {
        eprintln!("pos-bench: the integrity check found discrepancies");
    }
    Ok(failed_requests == 0 && consistent)
}

/// The cash method's code the checkouts tender, or `None` with `--skip-checkout`; an error
/// when there is nothing to sell or no cash to pay with.
fn checkout_method(options: &Options, catalog: &discover::Catalog) -> Result<Option<String>> {
    if options.skip_checkout {
        return Ok(None);
    }
    if catalog.product_ids.is_empty() {
        bail!(
            "no active product has 50 or more units in stock, so there is nothing to sell; \
             fill the database with `pos-app demo-data`, or pass --skip-checkout"
        );
    }
    Ok(Some(catalog.cash_method.clone().context(
        "the server has no active `cash` payment method (GET /api/payment-methods); \
         checkouts tender cash because only cash may be overpaid",
    )?))
}

/// The selling phases, those asked for: the raw limit, the checkout (against the limit when
/// it ran) and the login storm; returns their failed requests and transactions.
async fn sell(
    options: &Options,
    session: &Arc<Session>,
    catalog: &discover::Catalog,
    method: String,
) -> Result<usize> {
    let wants = |phase| options.phases.contains(&phase);
    // The one-product rows: the checkout phase sells the most stocked product, each level
    // of the limit phase one of the next ones, so that neither drains the other's.
    let most_stocked: Vec<i64> = catalog.by_stock.iter().map(|(id, _)| *id).collect();
    let mut failed_requests = 0;
    let mut limits = None;
    if wants(Phase::Limit) {
        let (measured, failed) = run_limit(options, session, catalog, &most_stocked).await?;
        failed_requests += failed;
        limits = Some(measured);
    }
    let plan = |checkouts, keys| checkout::Plan {
        checkouts,
        product_ids: catalog.product_ids.clone(),
        single: most_stocked.first().copied(),
        method: method.clone(),
        tender: catalog.tender.clone(),
        keys,
    };
    if wants(Phase::Checkout) {
        failed_requests += checkout::run(
            session,
            plan(options.checkouts, options.idempotency_keys),
            limits.as_ref(),
        )
        .await?;
    }
    if wants(Phase::LoginStorm) {
        failed_requests += login_storm::run(
            session,
            plan(options.storm_checkouts, true),
            options.storm_checkouts,
        )
        .await?;
    }
    Ok(failed_requests)
}

/// The limit phase on `--db-url`, its one-product rows on the products after the most
/// stocked one (or on that one when it is the only one).
async fn run_limit(
    options: &Options,
    session: &Arc<Session>,
    catalog: &discover::Catalog,
    most_stocked: &[i64],
) -> Result<(limit::Limits, usize)> {
    let db_url = options
        .db_url
        .clone()
        .context("the limit phase needs --db-url")?;
    let single = if most_stocked.len() > 1 {
        most_stocked
            .iter()
            .skip(1)
            .take(limit::LEVELS.len())
            .copied()
            .collect()
    } else {
        most_stocked.to_vec()
    };
    limit::run(
        session,
        limit::Plan {
            db_url,
            transactions: options.limit_transactions,
            product_ids: catalog.product_ids.clone(),
            single,
        },
    )
    .await
}

/// The report's heading and the run's particulars.
fn print_header(
    options: &Options,
    started: OffsetDateTime,
    dates: &Dates,
    catalog: &discover::Catalog,
) -> Result<()> {
    let when = started.format(format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second] UTC"
    ))?;
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    println!("## Benchmark run {when}\n");
    println!("- server: {}", options.url);
    println!("- client machine: {cpus} CPUs (shared with the server if it runs here)");
    println!(
        "- products discovered: {} active with at least 50 in stock, of {} in the catalog",
        catalog.product_ids.len(),
        catalog.catalog_total
    );
    println!(
        "- periods: TODAY = {}, M30 = {} (30 days), Y = {} (365 days)",
        dates.today, dates.m30, dates.y
    );
    if options.skip_checkout {
        println!("- checkout and limit phases skipped (--skip-checkout)");
    }
    if let Some(db_url) = &options.db_url {
        println!("- database (limit phase): {}", limit::redact(db_url));
    }
    println!();
    Ok(())
}
