//! Checkout while others hammer the login with wrong passwords: a till must not stall behind
//! password checks (bcrypt is slow by design; no transaction or write lock may be held across
//! it). One till sells alone, then again while `STORMERS` clients send failed logins.

use super::checkout::{Plan, sell_alone};
use super::{Tally, row, table_head};
use crate::http_client::Connection;
use crate::session::Session;
use crate::stats::{Summary, ms, per_second};
use anyhow::Result;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const STORMERS: usize = 4;

/// Runs both rows and prints them; returns the number of failed checkouts.
pub async fn run(session: &Arc<Session>, plan: Plan, checkouts: usize) -> Result<usize> {
    let plan = Arc::new(plan);
    print_intro(checkouts);
    let mut errors = 0;
    for storm in [false, true] {
        errors += measure(session, &plan, checkouts, storm).await?;
    }
    println!();
    Ok(errors)
}

/// The section's heading, its description and the table's head.
fn print_intro(checkouts: usize) {
    println!("### Checkout during a failed-login storm\n");
    println!(
        "One till sells {checkouts} walk-in sales alone, then again while {STORMERS} clients, \
         each from a loopback address of its own (127.0.0.2 and up), send `POST /api/auth/login` \
         with wrong passwords as fast as they are answered (each for a new identifier, so only \
         the per-address limits apply). `logins` counts the storm's answers: 401 (a password was \
         checked) and 429 (refused by a limit before any check).\n"
    );
    println!(
        "{}",
        table_head(&[
            "storm",
            "checkouts ok",
            "errors",
            "throughput /s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "logins 401",
            "logins 429",
        ])
    );
}

/// The storm's answers: 401s, 429s and anything else.
type Counts = Arc<[AtomicUsize; 3]>;

/// One row: the till sells its checkouts, alone or during a storm, and the row is printed;
/// returns its failed checkouts.
async fn measure(
    session: &Arc<Session>,
    plan: &Arc<Plan>,
    checkouts: usize,
    storm: bool,
) -> Result<usize> {
    session.renew().await?;
    let stop = Arc::new(AtomicBool::new(false));
    let counts: Counts = Arc::new([
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    ]);
    let stormers = start_storm(session, if storm { STORMERS } else { 0 }, &stop, &counts);
    let started = Instant::now();
    let tally = sell_alone(
        Arc::clone(session),
        Arc::clone(plan),
        checkouts,
        usize::from(storm),
    )
    .await?;
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    for s in stormers {
        s.join()
            .map_err(|_| anyhow::anyhow!("a stormer thread panicked"))??;
    }
    Ok(print_row(storm, tally, elapsed, &counts))
}

/// Starts `stormers` clients sending failed logins until `stop`. Each on its own thread and
/// runtime: the till's task must not wait behind them in the harness's own scheduler, or the
/// harness would measure itself.
fn start_storm(
    session: &Arc<Session>,
    stormers: usize,
    stop: &Arc<AtomicBool>,
    counts: &Counts,
) -> Vec<std::thread::JoinHandle<Result<()>>> {
    (0..stormers)
        .map(|n| {
            let (session, stop, counts) =
                (Arc::clone(session), Arc::clone(stop), Arc::clone(counts));
            std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?
                    .block_on(hammer(session, n, stop, counts))
            })
        })
        .collect()
}

/// Prints the row's line of the table (and its first error); returns its failed checkouts.
fn print_row(storm: bool, tally: Tally, elapsed: Duration, counts: &Counts) -> usize {
    let (p50, p95, p99, max) = Summary::of(tally.latencies)
        .map(|s| (ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max)))
        .unwrap_or_default();
    println!(
        "{}",
        row(&[
            if storm { "4 clients" } else { "none" },
            &tally.ok.to_string(),
            &tally.errors.to_string(),
            &per_second(tally.ok, elapsed),
            &p50,
            &p95,
            &p99,
            &max,
            &counts[0].load(Ordering::Relaxed).to_string(),
            &counts[1].load(Ordering::Relaxed).to_string(),
        ])
    );
    if let Some(first) = tally.first_error {
        println!("\nNote: {} errors; the first: {first}\n", tally.errors);
    }
    tally.errors
}

/// Sends failed logins until told to stop; counts 401s, 429s and anything else.
async fn hammer(
    session: Arc<Session>,
    n: usize,
    stop: Arc<AtomicBool>,
    counts: Counts,
) -> Result<()> {
    // From an address of its own (127.0.0.2 and up), as an attacker elsewhere would be: the
    // per-address limit then stops the storm without locking the till's own address out.
    let from = std::net::IpAddr::from([127, 0, 0, 2 + u8::try_from(n).unwrap_or(0)]);
    let mut connection = Connection::from_address(session.target().clone(), from);
    let mut i = 0usize;
    while !stop.load(Ordering::Relaxed) {
        i += 1;
        let body = format!(r#"{{"login":"storm-{n}-{i}@example.com","password":"wrong"}}"#);
        let answer = connection
            .send(
                "POST",
                "/api/auth/login",
                &[("Content-Type", "application/json")],
                Some(body.as_bytes()),
            )
            .await;
        let slot = match answer.map(|r| r.status) {
            Ok(401) => 0,
            Ok(429) => 1,
            _ => 2,
        };
        counts[slot].fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}
