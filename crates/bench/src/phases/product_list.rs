//! Product list under load: many clients paging through the catalog for a fixed time.

use super::{Tally, join_all, row, table_head};
use crate::http_client::Connection;
use crate::prng::XorShift;
use crate::session::Session;
use crate::stats::{Summary, ms, per_second};
use anyhow::Result;
use std::sync::Arc;
use std::time::{Duration, Instant};

const CLIENTS: usize = 32;
const DURATION: Duration = Duration::from_secs(10);
const PER_PAGE: usize = 50;
/// Pages are drawn from `1..=PAGES`.
const PAGES: usize = 20;

/// Runs the load and prints its row; returns the number of failed requests.
pub async fn run(session: &Arc<Session>) -> Result<usize> {
    session.renew().await?;
    eprintln!(
        "product list: {CLIENTS} clients for {} s",
        DURATION.as_secs()
    );
    println!("### Product list\n");
    println!(
        "{CLIENTS} clients, each on its own keep-alive connection, for {} s: \
         `GET /api/products?per_page={PER_PAGE}&page=N` with N random in 1..={PAGES}.\n",
        DURATION.as_secs()
    );
    println!(
        "{}",
        table_head(&[
            "clients",
            "requests",
            "errors",
            "throughput /s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
        ])
    );
    let started = Instant::now();
    let deadline = started + DURATION;
    let tasks = (0..CLIENTS)
        .map(|task| tokio::spawn(browse(Arc::clone(session), task, deadline)))
        .collect();
    let tally = join_all(tasks).await?;
    // Requests in flight at the deadline still finish, so the wall time is a bit over DURATION.
    let elapsed = started.elapsed();
    let (p50, p95, p99) = Summary::of(tally.latencies)
        .map(|s| (ms(s.p50), ms(s.p95), ms(s.p99)))
        .unwrap_or_default();
    println!(
        "{}\n",
        row(&[
            &CLIENTS.to_string(),
            &tally.ok.to_string(),
            &tally.errors.to_string(),
            &per_second(tally.ok, elapsed),
            &p50,
            &p95,
            &p99,
        ])
    );
    if let Some(first) = tally.first_error {
        let note = format!("{} errors; the first: {first}", tally.errors);
        eprintln!("product list error: {note}");
        println!("Note: {note}\n");
    }
    Ok(tally.errors)
}

async fn browse(session: Arc<Session>, task: usize, deadline: Instant) -> Result<Tally> {
    // A different seed space from the checkout tills'.
    let mut rng = XorShift::new(0x5052_4f44 << 32 | task as u64);
    let mut connection = Connection::new(session.target().clone());
    let mut tally = Tally::default();
    while Instant::now() < deadline {
        let page = rng.between(1, PAGES);
        let path = format!("/api/products?per_page={PER_PAGE}&page={page}");
        let authorization = session.authorization().await?;
        let started = Instant::now();
        let result = connection
            .send("GET", &path, &[("Authorization", &authorization)], None)
            .await;
        let latency = started.elapsed();
        match result {
            Ok(r) if r.is_success() => {
                tally.ok += 1;
                tally.latencies.push(latency);
            }
            Ok(r) => tally.error(r.describe()),
            Err(e) => tally.error(format!("{e:#}")),
        }
    }
    Ok(tally)
}
