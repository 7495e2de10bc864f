//! Checkout: many tills selling at once, at rising concurrency.

use super::{Tally, join_all, row, table_head};
use crate::http_client::Connection;
use crate::prng::XorShift;
use crate::session::Session;
use crate::stats::{Summary, ms, per_second, verdict};
use anyhow::Result;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Concurrent clients per level; each client is a task with its own keep-alive connection.
const LEVELS: [usize; 3] = [1, 8, 32];
/// The target: p99 within this many milliseconds at `TARGET_CLIENTS` concurrent tills.
const TARGET_P99_MS: u64 = 50;
const TARGET_CLIENTS: usize = 32;

/// What the tills sell and how they pay.
pub struct Plan {
    /// Checkouts per level, shared out over its clients.
    pub checkouts: usize,
    /// Products to pick from; must not be empty.
    pub product_ids: Vec<i64>,
    /// The payment method code of cash.
    pub method: String,
    /// The cash tendered, enough for any basket; the server gives change.
    pub tender: String,
}

/// Runs every level and prints its row; returns the number of failed checkouts.
pub async fn run(session: &Arc<Session>, plan: Plan) -> Result<usize> {
    let plan = Arc::new(plan);
    let run_id = run_id();
    println!("### Checkout\n");
    println!(
        "`POST /api/sales`: walk-in sales of 1 to 3 random products (quantity 1 each) paid in \
         cash, each with its own `Idempotency-Key`. Throughput counts completed sales per \
         second of wall time. `refused` are sales declined for insufficient stock; they are \
         not in the latencies.\n"
    );
    println!(
        "{}",
        table_head(&[
            "clients",
            "checkouts",
            "ok",
            "refused",
            "errors",
            "throughput /s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            &format!("target p99 ≤ {TARGET_P99_MS} ms @{TARGET_CLIENTS}"),
        ])
    );
    let mut errors = 0;
    let mut notes = Vec::new();
    for clients in LEVELS {
        session.renew().await?;
        eprintln!("checkout: {clients} clients");
        let started = Instant::now();
        let tasks = (0..clients)
            .map(|task| {
                // Share the checkouts out evenly; the first few clients take the remainder.
                let share = plan.checkouts / clients + usize::from(task < plan.checkouts % clients);
                let till = Till {
                    session: Arc::clone(session),
                    plan: Arc::clone(&plan),
                    run_id,
                    clients,
                    task,
                };
                tokio::spawn(till.sell(share))
            })
            .collect();
        let tally = join_all(tasks).await?;
        let elapsed = started.elapsed();
        let (p50, p95, p99, target) = match Summary::of(tally.latencies) {
            Some(s) => (
                ms(s.p50),
                ms(s.p95),
                ms(s.p99),
                if clients == TARGET_CLIENTS {
                    verdict(s.p99, TARGET_P99_MS)
                } else {
                    ""
                },
            ),
            None => Default::default(),
        };
        println!(
            "{}",
            row(&[
                &clients.to_string(),
                &plan.checkouts.to_string(),
                &tally.ok.to_string(),
                &tally.refused.to_string(),
                &tally.errors.to_string(),
                &per_second(tally.ok, elapsed),
                &p50,
                &p95,
                &p99,
                target,
            ])
        );
        if let Some(first) = tally.first_error {
            notes.push(format!(
                "{clients} clients: {} errors; the first: {first}",
                tally.errors
            ));
        }
        errors += tally.errors;
    }
    println!();
    for note in notes {
        eprintln!("checkout error: {note}");
        println!("Note: {note}\n");
    }
    Ok(errors)
}

/// One till selling `checkouts` sales on its own (seeded by `seed`), as the login-storm phase
/// measures it.
pub async fn sell_alone(
    session: Arc<Session>,
    plan: Arc<Plan>,
    checkouts: usize,
    seed: usize,
) -> Result<Tally> {
    let till = Till {
        session,
        plan,
        run_id: run_id(),
        clients: 1,
        task: 1000 + seed,
    };
    till.sell(checkouts).await
}

/// One client.
struct Till {
    session: Arc<Session>,
    plan: Arc<Plan>,
    run_id: u32,
    clients: usize,
    task: usize,
}

impl Till {
    async fn sell(self, checkouts: usize) -> Result<Tally> {
        // Seeded by level and task: every run sells the same baskets in the same order.
        let mut rng = XorShift::new(((self.clients as u64) << 32) | self.task as u64);
        let mut connection = Connection::new(self.session.target().clone());
        let mut tally = Tally::default();
        for n in 0..checkouts {
            let body = serde_json::to_vec(&self.basket(&mut rng))?;
            let key = self.idempotency_key(n, &mut rng);
            let authorization = self.session.authorization().await?;
            let headers = [
                ("Authorization", authorization.as_str()),
                ("Content-Type", "application/json"),
                ("Idempotency-Key", key.as_str()),
            ];
            let started = Instant::now();
            let result = connection
                .send("POST", "/api/sales", &headers, Some(&body))
                .await;
            let latency = started.elapsed();
            match result {
                Err(e) => tally.error(format!("{e:#}")),
                // A replay would mean a key collided with an earlier run's: no sale was made.
                Ok(r) if r.is_success() && r.header("Idempotent-Replayed").is_some() => {
                    tally.error(format!("replayed instead of selling (key {key})"));
                }
                Ok(r) if r.is_success() => {
                    tally.ok += 1;
                    tally.latencies.push(latency);
                }
                Ok(r)
                    if matches!(r.status, 409 | 422)
                        && r.problem_code().as_deref() == Some("insufficient_stock") =>
                {
                    tally.refused += 1;
                }
                Ok(r) => tally.error(r.describe()),
            }
        }
        Ok(tally)
    }

    /// A walk-in sale of 1 to 3 distinct random products, one unit each, paid in cash.
    fn basket(&self, rng: &mut XorShift) -> Value {
        let products = &self.plan.product_ids;
        let count = rng.between(1, 3).min(products.len());
        let mut chosen: Vec<i64> = Vec::with_capacity(count);
        while chosen.len() < count {
            let id = products[rng.below(products.len())];
            if !chosen.contains(&id) {
                chosen.push(id);
            }
        }
        let lines: Vec<Value> = chosen
            .iter()
            .map(|id| json!({ "product_id": id, "quantity": "1" }))
            .collect();
        json!({
            "customer_id": null,
            "lines": lines,
            "payments": [{ "method": self.plan.method, "amount": self.plan.tender }],
        })
    }

    /// A UUID-shaped key, unique per run, level, client and checkout. Keys are kept per user for
    /// 48 hours, so the run id matters: a second run with the same seeds would otherwise send
    /// the same key and body and get the first run's sale replayed instead of a new one.
    fn idempotency_key(&self, n: usize, rng: &mut XorShift) -> String {
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{n:012x}",
            self.run_id,
            self.clients,
            self.task,
            rng.next_u64() & 0xffff
        )
    }
}

/// Distinguishes this run's idempotency keys from earlier runs'.
fn run_id() -> u32 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    // Fold the clock with the process id, so two harnesses started together differ too.
    let mixed = XorShift::new(nanos as u64 ^ u64::from(std::process::id())).next_u64();
    (mixed >> 32) as u32
}
