//! The raw limit: what this database does on this machine with exactly the writes of a
//! checkout, sent as plain SQL transactions through sqlx, with no application in between (see
//! `sale` for the statements). Run at 1, 4 and 32 connections, each on a register of its own,
//! selling random products and then all one product, so that every checkout figure can also
//! be read as a fraction of what the database itself allows.
//!
//! These transactions really sell: they take units from lots, post to the books and add to
//! the rollups, consistently, so the integrity check at the end of the run stays empty.

mod sale;

use super::{Tally, registers, table_head};
use crate::session::Session;
use crate::stats::{Summary, ms, per_second};
use anyhow::{Context, Result};
use sale::{Db, Flavor, Job, Register};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Connections per level.
pub const LEVELS: [usize; 3] = [1, 4, 32];

/// What the transactions of a row sell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// A random product of the discovered ones per sale.
    Random,
    /// Every sale the same product: its lots are taken one sale at a time.
    OneProduct,
}

impl Variant {
    pub fn label(self) -> &'static str {
        match self {
            Self::Random => "random products",
            Self::OneProduct => "one product",
        }
    }
}

/// One row's result.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    pub connections: usize,
    pub variant: Variant,
    /// Committed sales per second of wall time.
    pub per_second: f64,
}

/// The limit phase's figures, for the checkout phase to compare with.
#[derive(Debug, Default)]
pub struct Limits {
    measured: Vec<Measured>,
}

impl Limits {
    /// The figure `clients` concurrent clients selling `variant` compare with: the level of as
    /// many connections, or else the largest level below (8 clients: 4 connections).
    pub fn for_clients(&self, clients: usize, variant: Variant) -> Option<Measured> {
        self.measured
            .iter()
            .filter(|m| m.variant == variant && m.connections <= clients && m.per_second > 0.0)
            .max_by_key(|m| m.connections)
            .copied()
    }
}

pub struct Plan {
    /// The server's own database.
    pub db_url: String,
    /// Transactions per row.
    pub transactions: usize,
    /// The products random sales pick from.
    pub product_ids: Vec<i64>,
    /// The product of each level's one-product row, by level (falling back to the last): not
    /// the checkout phase's, so that neither drains the other's.
    pub single: Vec<i64>,
}

/// Runs every row and prints the table; returns the figures and the number of failed
/// transactions.
pub async fn run(session: &Arc<Session>, plan: Plan) -> Result<(Limits, usize)> {
    let bench = Bench::prepare(session, plan).await?;
    print_intro(&bench.shared.server, bench.products.len());
    let mut limits = Limits::default();
    let mut errors = 0;
    let mut notes = Vec::new();
    for (level, connections) in LEVELS.into_iter().enumerate() {
        for variant in [Variant::Random, Variant::OneProduct] {
            let Some((measured, failed)) = bench
                .measure(level, connections, variant, &mut notes)
                .await?
            else {
                continue;
            };
            limits.measured.push(measured);
            errors += failed;
        }
    }
    println!();
    for note in notes {
        eprintln!("limit: {note}");
        println!("Note: {note}\n");
    }
    Ok((limits, errors))
}

/// What every row of the run shares.
struct Bench {
    plan: Plan,
    flavor: Flavor,
    /// `L1`, `L2`...: one per connection of the largest level.
    registers: Vec<Register>,
    shared: Arc<sale::Shared>,
    products: Arc<Vec<i64>>,
}

/// One row: how many connections sell what, and how many transactions in all.
struct Row {
    connections: usize,
    variant: Variant,
    /// The product every sale sells (the one-product row).
    single: Option<i64>,
    transactions: usize,
}

/// What a row's clients saw, merged, and how long they took.
struct Sold {
    tally: Tally,
    retries: usize,
    elapsed: Duration,
}

impl Bench {
    /// Makes sure the registers exist, and reads once what every transaction needs.
    async fn prepare(session: &Arc<Session>, plan: Plan) -> Result<Self> {
        let flavor = Flavor::of(&plan.db_url)?;
        let most = LEVELS.iter().copied().max().unwrap_or(1);
        let codes = registers::codes("L", most);
        let ids = registers::ensure(session, &codes, "limit").await?;
        let registers: Vec<Register> = ids
            .into_iter()
            .zip(codes)
            .map(|(id, code)| Register { id, code })
            .collect();
        eprintln!("limit: connecting to {}", redact(&plan.db_url));
        let shared = {
            let db = Db::open(&plan.db_url, flavor, 1).await?;
            let shared = db.shared(flavor).await;
            db.close().await;
            Arc::new(shared?)
        };
        let products = Arc::new(plan.product_ids.clone());
        if products.is_empty() {
            anyhow::bail!("the limit phase has no product to sell");
        }
        Ok(Self {
            plan,
            flavor,
            registers,
            shared,
            products,
        })
    }

    /// Measures one row on a pool of its own and prints it; returns its figure and its
    /// failed transactions, or `None` when the row has nothing to sell.
    async fn measure(
        &self,
        level: usize,
        connections: usize,
        variant: Variant,
        notes: &mut Vec<String>,
    ) -> Result<Option<(Measured, usize)>> {
        let db = Db::open(&self.plan.db_url, self.flavor, connections).await?;
        let Some(row) = self.size(&db, level, connections, variant, notes).await? else {
            db.close().await;
            return Ok(None);
        };
        eprintln!(
            "limit: {connections} connections, {}, {} transactions",
            variant.label(),
            row.transactions
        );
        let (sold, failed) = self.sell(&db, &row).await?;
        db.close().await;
        if let Some(e) = failed {
            return Err(e.context(format!(
                "limit phase, {connections} connections, {}",
                variant.label()
            )));
        }
        let errors = sold.tally.errors;
        Ok(Some((print_row(&row, sold, notes), errors)))
    }

    /// The row's product and number of transactions: the one-product row sells the level's
    /// product, at most its whole units on hand (noted when fewer than asked). `None` when
    /// there is no product for it or nothing to sell.
    async fn size(
        &self,
        db: &Db,
        level: usize,
        connections: usize,
        variant: Variant,
        notes: &mut Vec<String>,
    ) -> Result<Option<Row>> {
        let plan = &self.plan;
        let (single, transactions) = match variant {
            Variant::Random => (None, plan.transactions),
            Variant::OneProduct => {
                let Some(product) = plan.single.get(level).or(plan.single.last()).copied() else {
                    return Ok(None);
                };
                let units = db.units_on_hand(product).await?;
                let transactions = plan.transactions.min(usize::try_from(units).unwrap_or(0));
                if transactions < plan.transactions {
                    notes.push(format!(
                        "{connections} connections, one product: product {product} had \
                         {units} units, so the row sold at most that many"
                    ));
                }
                (Some(product), transactions)
            }
        };
        Ok((transactions > 0).then_some(Row {
            connections,
            variant,
            single,
            transactions,
        }))
    }

    /// Runs the row's clients, one per connection, each with its share of the transactions,
    /// and merges what they saw, once all have finished; also the first client error, if any.
    async fn sell(&self, db: &Db, row: &Row) -> Result<(Sold, Option<anyhow::Error>)> {
        let Row {
            connections,
            variant,
            single,
            transactions,
        } = *row;
        let started = Instant::now();
        let tasks: Vec<_> = (0..connections)
            .map(|task| {
                let share =
                    transactions / connections + usize::from(task < transactions % connections);
                let job = Job {
                    transactions: share,
                    products: Arc::clone(&self.products),
                    single,
                    seed: ((connections as u64) << 32) | ((variant as u64) << 16) | task as u64,
                };
                db.spawn(
                    &self.shared,
                    self.registers[task % self.registers.len()].clone(),
                    job,
                )
            })
            .collect();
        let mut sold = Sold {
            tally: Tally::default(),
            retries: 0,
            elapsed: Duration::ZERO,
        };
        let mut failed = None;
        for task in tasks {
            match task.await.context("a limit client panicked")? {
                Ok(client) => {
                    sold.tally.merge(client.tally);
                    sold.retries += client.retries;
                }
                Err(e) if failed.is_none() => failed = Some(e),
                Err(_) => {}
            }
        }
        sold.elapsed = started.elapsed();
        Ok((sold, failed))
    }
}

/// The section's heading, its description and the table's head.
fn print_intro(server: &str, products: usize) {
    println!("### Raw limit (SQL only)\n");
    println!(
        "The writes of a one-line walk-in cash checkout sent straight to the database ({}) as \
         raw SQL transactions through sqlx, with no application in between: BEGIN, the product \
         and its open lots (locked), the register's next number, the sale, its line, its lot \
         take, its payment, the sales rollup, the lot, the stock, the inventory log, the two \
         journal entries, their lines, the ledger's day sums, COMMIT: 15 statements (16 on \
         MySQL, which has no INSERT ... RETURNING for the two entries), in the server's order. \
         MySQL connections run READ COMMITTED and SQLite transactions `BEGIN IMMEDIATE`, as the \
         server's. Each connection sells at a register of its own (`L1`, `L2`...) and runs its \
         share of the row's transactions back to back; `random products` draws one of the {} \
         discovered products per sale, `one product` sells one unit of the same product every \
         time (at most its stock). Deadlocks, lock wait timeouts and SQLITE_BUSY start the \
         transaction over (`retries`); latencies run from the first BEGIN to the COMMIT; `tx/s` \
         counts committed sales per second of wall time.\n",
        server, products,
    );
    println!(
        "{}",
        table_head(&[
            "connections",
            "variant",
            "transactions",
            "sold",
            "refused",
            "errors",
            "tx/s",
            "p50 ms",
            "p99 ms",
            "retries",
        ])
    );
}

/// Prints the row's line of the table (and notes its first error); returns its figure.
fn print_row(row: &Row, sold: Sold, notes: &mut Vec<String>) -> Measured {
    let Sold {
        tally,
        retries,
        elapsed,
    } = sold;
    let rate = if elapsed.as_secs_f64() > 0.0 {
        tally.ok as f64 / elapsed.as_secs_f64()
    } else {
        0.0
    };
    let (p50, p99) = Summary::of(tally.latencies)
        .map(|s| (ms(s.p50), ms(s.p99)))
        .unwrap_or_default();
    let label = match row.single {
        Some(product) => format!("one product (#{product})"),
        None => row.variant.label().to_owned(),
    };
    println!(
        "{}",
        super::row(&[
            &row.connections.to_string(),
            &label,
            &row.transactions.to_string(),
            &tally.ok.to_string(),
            &tally.refused.to_string(),
            &tally.errors.to_string(),
            &per_second(tally.ok, elapsed),
            &p50,
            &p99,
            &retries.to_string(),
        ])
    );
    if let Some(first) = tally.first_error {
        notes.push(format!(
            "{} connections, {}: {} errors; the first: {first}",
            row.connections,
            row.variant.label(),
            tally.errors
        ));
    }
    Measured {
        connections: row.connections,
        variant: row.variant,
        per_second: rate,
    }
}

/// The URL without its password, for messages and the report.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://***{}", &url[..scheme_end], &url[at..])
        }
        _ => url.to_owned(),
    }
}
