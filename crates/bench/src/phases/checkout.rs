//! Checkout: tills selling at once, each at a register of its own, at rising concurrency, then
//! all on one product; each row also as a share of the raw limit when the limit phase ran.

use super::limit::{Limits, Measured, Variant};
use super::{Tally, discover, join_all, registers, table_head};
use crate::http_client::Connection;
use crate::prng::XorShift;
use crate::session::Session;
use crate::stats::{Summary, ms, per_second, verdict};
use anyhow::Result;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The rows: concurrent clients (each a task with its own keep-alive connection and its own
/// register), and whether they all sell the one product.
const ROWS: [(usize, bool); 4] = [(1, false), (8, false), (32, false), (32, true)];
/// Targets: one client's p50; at 32 registers on random products, a share of the raw limit
/// and a p99; at 32 registers on one product, a throughput or a share of the raw limit.
const TARGET_ONE_CLIENT_P50_MS: u64 = 3;
const TARGET_P99_MS: u64 = 50;
const TARGET_SHARE_OF_LIMIT: f64 = 0.5;
const TARGET_ONE_PRODUCT_PER_SECOND: f64 = 900.0;

/// What the tills sell and how they pay.
pub struct Plan {
    /// Checkouts per row, shared out over its clients.
    pub checkouts: usize,
    /// Products to pick from; must not be empty.
    pub product_ids: Vec<i64>,
    /// The product every sale of the one-product row sells: the most stocked one.
    pub single: Option<i64>,
    /// The payment method code of cash.
    pub method: String,
    /// The cash tendered, enough for any basket; the server gives change.
    pub tender: String,
    /// Whether each sale carries an `Idempotency-Key` of its own.
    pub keys: bool,
}

/// Runs every row and prints it; returns the number of failed checkouts. `limits`: the limit
/// phase's figures, when it ran.
pub async fn run(session: &Arc<Session>, plan: Plan, limits: Option<&Limits>) -> Result<usize> {
    let most = ROWS.iter().map(|(clients, _)| *clients).max().unwrap_or(1);
    let codes = registers::codes("B", most);
    let register_ids = registers::ensure(session, &codes, "checkout").await?;
    let checkout = Checkout {
        session,
        plan: Arc::new(plan),
        run_id: run_id(),
        register_ids,
        limits,
    };
    print_intro(&checkout.plan);
    let mut errors = 0;
    let mut notes = Vec::new();
    for (row_no, (clients, one)) in ROWS.into_iter().enumerate() {
        errors += checkout.row(row_no, clients, one, &mut notes).await?;
    }
    println!();
    for note in notes {
        eprintln!("checkout: {note}");
        println!("Note: {note}\n");
    }
    Ok(errors)
}

/// The section's heading, its description and the table's head.
fn print_intro(plan: &Plan) {
    println!("### Checkout\n");
    println!(
        "`POST /api/sales`: walk-in sales paid in cash, one unit per line, each client on its \
         own keep-alive connection and at a register of its own (`B1`, `B2`..., created if \
         missing), named in the sale's `register_id`. `random`: 1 to 3 distinct products drawn \
         from the {} discovered; `one (#id)`: every sale is one unit of that product, the most \
         stocked, so its lots are taken one sale at a time (the row sells at most its stock). \
         {} Throughput counts completed sales per second of wall time. `refused` are sales \
         declined for insufficient stock; they are not in the latencies. `% of raw limit` is \
         the throughput as a share of the limit phase's committed transactions per second of \
         the same kind (random or one product), 1 client against 1 connection, 8 against 4 and \
         32 against 32; it is empty when the limit phase did not run (it needs `--db-url`).\n",
        plan.product_ids.len(),
        if plan.keys {
            "Each sale carries its own `Idempotency-Key` (`--idempotency-keys`)."
        } else {
            "No `Idempotency-Key` is sent (`--idempotency-keys` sends one per sale)."
        },
    );
    println!(
        "{}",
        table_head(&[
            "clients",
            "products",
            "checkouts",
            "ok",
            "refused",
            "errors",
            "throughput /s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "% of raw limit",
            "target",
        ])
    );
}

/// What every row of the phase shares.
struct Checkout<'a> {
    session: &'a Arc<Session>,
    plan: Arc<Plan>,
    run_id: u32,
    /// `B1`, `B2`...: one per client of the largest row.
    register_ids: Vec<i64>,
    limits: Option<&'a Limits>,
}

/// One row of the table.
struct Row {
    /// Its place in the table.
    no: usize,
    clients: usize,
    /// Whether every sale sells the one product.
    one: bool,
    single: Option<i64>,
    checkouts: usize,
    /// `random` or `one (#id)`.
    products: String,
}

impl Checkout<'_> {
    /// Measures and prints one row (or notes why it has nothing to sell); returns its failed
    /// checkouts.
    async fn row(
        &self,
        no: usize,
        clients: usize,
        one: bool,
        notes: &mut Vec<String>,
    ) -> Result<usize> {
        let single = match (one, self.plan.single) {
            (false, _) => None,
            (true, Some(product)) => Some(product),
            (true, None) => {
                notes.push("no product for the one-product row".to_owned());
                return Ok(0);
            }
        };
        self.session.renew().await?;
        let checkouts = self.checkouts(clients, single, notes).await?;
        if checkouts == 0 {
            return Ok(0);
        }
        let products = match single {
            Some(product) => format!("one (#{product})"),
            None => "random".to_owned(),
        };
        eprintln!("checkout: {clients} clients, {products} products");
        let row = Row {
            no,
            clients,
            one,
            single,
            checkouts,
            products,
        };
        let started = Instant::now();
        let tally = self.sell(&row).await?;
        let elapsed = started.elapsed();
        Ok(self.print_row(&row, tally, elapsed, notes))
    }

    /// The row's checkouts: the one-product row sells at most what its product holds now
    /// (noted when fewer than asked).
    async fn checkouts(
        &self,
        clients: usize,
        single: Option<i64>,
        notes: &mut Vec<String>,
    ) -> Result<usize> {
        let Some(product) = single else {
            return Ok(self.plan.checkouts);
        };
        let units = discover::units_on_hand(self.session, product).await?;
        let checkouts = self.plan.checkouts.min(usize::try_from(units).unwrap_or(0));
        if checkouts < self.plan.checkouts {
            notes.push(format!(
                "{clients} clients, one product: product {product} had {units} units, \
                 so the row sold at most that many"
            ));
        }
        Ok(checkouts)
    }

    /// Runs the row's tills, each at a register of its own with its share of the checkouts,
    /// and merges what they saw.
    async fn sell(&self, row: &Row) -> Result<Tally> {
        let (clients, checkouts) = (row.clients, row.checkouts);
        let tasks = (0..clients)
            .map(|task| {
                // Share the checkouts out evenly; the first few clients take the remainder.
                let share = checkouts / clients + usize::from(task < checkouts % clients);
                let till = Till {
                    session: Arc::clone(self.session),
                    plan: Arc::clone(&self.plan),
                    run_id: self.run_id,
                    row: row.no,
                    clients,
                    task,
                    register: self
                        .register_ids
                        .get(task % self.register_ids.len().max(1))
                        .copied(),
                    single: row.single,
                    keys: self.plan.keys,
                };
                tokio::spawn(till.sell(share))
            })
            .collect();
        join_all(tasks).await
    }

    /// Prints the row's line of the table, against the raw limit of the same kind when it
    /// was measured (and notes its first error); returns its failed checkouts.
    fn print_row(
        &self,
        row: &Row,
        tally: Tally,
        elapsed: Duration,
        notes: &mut Vec<String>,
    ) -> usize {
        let throughput = if elapsed.as_secs_f64() > 0.0 {
            tally.ok as f64 / elapsed.as_secs_f64()
        } else {
            0.0
        };
        let summary = Summary::of(tally.latencies);
        let (p50, p95, p99) = summary
            .map(|s| (ms(s.p50), ms(s.p95), ms(s.p99)))
            .unwrap_or_default();
        let variant = if row.one {
            Variant::OneProduct
        } else {
            Variant::Random
        };
        let limit = self
            .limits
            .and_then(|l| l.for_clients(row.clients, variant));
        let share = limit.map_or_else(String::new, |m| {
            format!(
                "{:.1} % of {:.1}/s ({} conn.)",
                100.0 * throughput / m.per_second,
                m.per_second,
                m.connections
            )
        });
        println!(
            "{}",
            super::row(&[
                &row.clients.to_string(),
                &row.products,
                &row.checkouts.to_string(),
                &tally.ok.to_string(),
                &tally.refused.to_string(),
                &tally.errors.to_string(),
                &per_second(tally.ok, elapsed),
                &p50,
                &p95,
                &p99,
                &share,
                &target(row.clients, row.one, throughput, summary, limit),
            ])
        );
        if let Some(first) = tally.first_error {
            notes.push(format!(
                "{} clients, {} products: {} errors; the first: {first}",
                row.clients, row.products, tally.errors
            ));
        }
        tally.errors
    }
}

/// The verdicts of a row's targets, or nothing for a row without one.
fn target(
    clients: usize,
    one: bool,
    throughput: f64,
    summary: Option<Summary>,
    limit: Option<Measured>,
) -> String {
    let met = |ok: bool| if ok { "met" } else { "missed" };
    let share_met = limit.map(|m| throughput >= TARGET_SHARE_OF_LIMIT * m.per_second);
    let share_text = format!("≥ {:.0} % of raw limit", TARGET_SHARE_OF_LIMIT * 100.0);
    match (clients, one) {
        (1, false) => format!(
            "p50 ≤ {TARGET_ONE_CLIENT_P50_MS} ms: {}",
            summary.map_or("no sale", |s| verdict(s.p50, TARGET_ONE_CLIENT_P50_MS))
        ),
        (32, false) => format!(
            "{share_text}: {}; p99 ≤ {TARGET_P99_MS} ms: {}",
            share_met.map_or("not measured", met),
            summary.map_or("no sale", |s| verdict(s.p99, TARGET_P99_MS))
        ),
        (32, true) => {
            let fast = throughput >= TARGET_ONE_PRODUCT_PER_SECOND;
            let outcome = match share_met {
                None if !fast => "missed (raw limit not measured)",
                share => met(fast || share == Some(true)),
            };
            format!("≥ {TARGET_ONE_PRODUCT_PER_SECOND:.0}/s or {share_text}: {outcome}")
        }
        _ => String::new(),
    }
}

/// One till selling `checkouts` sales on its own at the default register (seeded by `seed`),
/// each with its own `Idempotency-Key`, as the login-storm phase measures it.
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
        row: 0,
        clients: 1,
        task: 1000 + seed,
        register: None,
        single: None,
        keys: true,
    };
    till.sell(checkouts).await
}

/// One client.
struct Till {
    session: Arc<Session>,
    plan: Arc<Plan>,
    run_id: u32,
    /// The row of the table, so that two rows with as many clients differ in seed and keys.
    row: usize,
    clients: usize,
    task: usize,
    /// The register it sells at; the default one when `None`.
    register: Option<i64>,
    /// The product every sale sells, instead of random ones.
    single: Option<i64>,
    /// Whether each sale carries an `Idempotency-Key`.
    keys: bool,
}

impl Till {
    async fn sell(self, checkouts: usize) -> Result<Tally> {
        // Seeded by row and task: every run sells the same baskets in the same order.
        let mut rng = XorShift::new(
            ((self.clients as u64) << 32) | ((self.row as u64) << 24) | self.task as u64,
        );
        let mut connection = Connection::new(self.session.target().clone());
        let mut tally = Tally::default();
        for n in 0..checkouts {
            let body = serde_json::to_vec(&self.basket(&mut rng))?;
            let key = if self.keys {
                Some(self.idempotency_key(n, &mut rng))
            } else {
                None
            };
            let authorization = self.session.authorization().await?;
            let mut headers = vec![
                ("Authorization", authorization.as_str()),
                ("Content-Type", "application/json"),
            ];
            if let Some(key) = &key {
                headers.push(("Idempotency-Key", key.as_str()));
            }
            let started = Instant::now();
            let result = connection
                .send("POST", "/api/sales", &headers, Some(&body))
                .await;
            let latency = started.elapsed();
            match result {
                Err(e) => tally.error(format!("{e:#}")),
                // A replay would mean a key collided with an earlier run's: no sale was made.
                Ok(r) if r.is_success() && r.header("Idempotent-Replayed").is_some() => {
                    tally.error(format!(
                        "replayed instead of selling (key {})",
                        key.as_deref().unwrap_or("none")
                    ));
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

    /// A walk-in sale paid in cash, one unit per line: of 1 to 3 distinct random products, or
    /// of the till's one product; at the till's register when it has one.
    fn basket(&self, rng: &mut XorShift) -> Value {
        let chosen: Vec<i64> = match self.single {
            Some(product) => vec![product],
            None => {
                let products = &self.plan.product_ids;
                let count = rng.between(1, 3).min(products.len());
                let mut chosen: Vec<i64> = Vec::with_capacity(count);
                while chosen.len() < count {
                    let id = products[rng.below(products.len())];
                    if !chosen.contains(&id) {
                        chosen.push(id);
                    }
                }
                chosen
            }
        };
        let lines: Vec<Value> = chosen
            .iter()
            .map(|id| json!({ "product_id": id, "quantity": "1" }))
            .collect();
        let mut body = json!({
            "customer_id": null,
            "lines": lines,
            "payments": [{ "method": self.plan.method, "amount": self.plan.tender }],
        });
        if let Some(register) = self.register {
            body["register_id"] = json!(register);
        }
        body
    }

    /// A UUID-shaped key, unique per run, row, client and checkout. Keys are kept per user for
    /// 48 hours, so the run id matters: a second run with the same seeds would otherwise send
    /// the same key and body and get the first run's sale replayed instead of a new one.
    fn idempotency_key(&self, n: usize, rng: &mut XorShift) -> String {
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{n:012x}",
            self.run_id,
            (self.row << 8) | self.clients,
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
