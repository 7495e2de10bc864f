//! One walk-in cash sale of one unit as raw SQL: the statements the server's checkout sends
//! for a one-line sale, in its order, with the same SQL text where the server writes SQL by
//! hand, and nothing else (no static-data cache, no pricing, no HTTP, no JSON).
//!
//! 1. `BEGIN` (MySQL: every connection is READ COMMITTED; SQLite: `BEGIN IMMEDIATE`)
//! 2. the product and its open lots, `FOR UPDATE` on MySQL
//! 3. the register's next invoice number, conditional on the static-data version
//! 4. the sale; 5. its line; 6. the line's lot take; 7. the cash payment
//! 8. the sales rollup (12 rows: day and month, per dimension)
//! 9. the lot; 10. the product's stock; 11. the inventory log
//! 12. the two journal entries (sale, cost of sale): one statement with `RETURNING` on MariaDB
//!     and SQLite, one per entry on MySQL
//! 13. their four lines; 14. the ledger's day sums (4 rows)
//! 15. `COMMIT`
//!
//! Everything written keeps the books and the stock consistent, as the server's integrity
//! check verifies: the lot and the product lose the same unit, the log records it, the cost
//! taken is the FIFO share of the lot's value (the server's rule), the inventory account is
//! credited exactly that, both entries balance, and the rollup and the day sums get exactly
//! what the lines carry. Prices are written untaxed (no tax line), as for an untaxed product.
//!
//! The SQL is the same for both backends except where the server's differs; the Rust is written
//! once (the `backend!` macro) and instantiated per database, with concrete sqlx types.

use crate::phases::Tally;
use anyhow::{Context, Result, bail};
use sea_orm::sqlx;
use sea_orm::sqlx::mysql::{MySqlDatabaseError, MySqlPool, MySqlPoolOptions};
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// One unit, in thousandths.
const UNIT: i64 = 1000;
/// `pos_domain::money::MAX_MINOR_UNITS`: the guarded running totals' cap.
const MAX_MINOR_UNITS: i64 = 9_999_999_999_999;
/// Rollup keys of a walk-in sale's customer and of an untaxed line's rate.
const WALK_IN: i64 = 0;
const UNTAXED: i64 = -1;
/// Account codes (`pos_domain::ledger::chart::codes`).
const SALES_REVENUE: &str = "4000";
const COST_OF_GOODS_SOLD: &str = "5000";
const INVENTORY: &str = "1200";
/// Attempts of one transaction before a deadlock, lock wait timeout or SQLITE_BUSY counts as
/// an error.
const MAX_TRIES: u32 = 50;
/// A client stops after this many errors: its connection is probably gone.
const GIVE_UP_AFTER_ERRORS: usize = 20;
/// As the server: how long a SQLite writer waits for the write lock.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(60);

/// Which database the URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    MySql,
    Sqlite,
}

impl Flavor {
    pub fn of(url: &str) -> Result<Self> {
        if url.starts_with("mysql:") {
            Ok(Self::MySql)
        } else if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else {
            bail!("--db-url: expected mysql://... or sqlite://path")
        }
    }
}

/// A register a client sells at.
#[derive(Debug, Clone)]
pub struct Register {
    pub id: i64,
    pub code: String,
}

/// What one client does.
pub struct Job {
    pub transactions: usize,
    /// The products random sales pick from.
    pub products: Arc<Vec<i64>>,
    /// Every sale sells this product instead, if set.
    pub single: Option<i64>,
    pub seed: u64,
}

/// What one client saw.
#[derive(Default)]
pub struct ClientTally {
    /// `ok`: committed sales (latency from the first BEGIN to the COMMIT, retries included);
    /// `refused`: no open lot held a unit (rolled back).
    pub tally: Tally,
    /// Deadlocks, lock wait timeouts and SQLITE_BUSY answered by starting over.
    pub retries: usize,
}

/// What every transaction needs, read once.
pub struct Shared {
    sql: Sql,
    setup: Setup,
    /// The database server and its version, for the report.
    pub server: String,
}

struct Setup {
    /// `static_version.version`, which the number-taking statement checks.
    version: i64,
    /// The seller: the first user.
    user: i64,
    cash_method: i64,
    /// The cash method's account, debited with the sale.
    cash_account: i64,
    revenue: i64,
    cogs: i64,
    inventory: i64,
    /// `INSERT ... RETURNING` works (SQLite, MariaDB 10.5+; not MySQL).
    returning: bool,
}

/// The statements, built once per backend.
struct Sql {
    lock: Arc<str>,
    take_number: Arc<str>,
    insert_sale: Arc<str>,
    insert_line: Arc<str>,
    insert_take: Arc<str>,
    insert_payment: Arc<str>,
    rollup: Arc<str>,
    update_lots: Arc<str>,
    update_products: Arc<str>,
    insert_movement: Arc<str>,
    insert_entry: Arc<str>,
    insert_entries_returning: Arc<str>,
    /// By number of rows less one (1 to 4 rows).
    journal_lines: Vec<Arc<str>>,
    ledger_daily: Vec<Arc<str>>,
}

/// `n` rows of `columns` placeholders: `(?, ?), (?, ?)`.
fn marks(columns: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(", "));
    vec![row; rows].join(", ")
}

/// `column = column + delta`, or NULL (refused by the NOT NULL column) past the cap: the
/// server's `sums::guarded_add`, so that the upserts cost what the server's cost.
fn guarded_add(column: &str, delta: &str, cap: &str) -> String {
    format!(
        "{column} = CASE WHEN {column} + {delta} BETWEEN -({cap}) AND ({cap}) \
         THEN {column} + {delta} END"
    )
}

impl Sql {
    fn new(flavor: Flavor) -> Self {
        let mysql = flavor == Flavor::MySql;
        let entries = "INSERT INTO journal_entries (entry_date, memo, source_kind, source_id, \
                       user_id, register_id, created_at) VALUES ";
        Self {
            lock: lock_sql(mysql).into(),
            take_number: take_number_sql(mysql).into(),
            insert_sale: insert_sale_sql().into(),
            insert_line: insert_line_sql().into(),
            insert_take: format!(
                "INSERT INTO sale_line_lots (sale_line_id, take_no, lot_id, quantity_e3, \
                 cost_cents) VALUES {}",
                marks(5, 1)
            )
            .into(),
            insert_payment: format!(
                "INSERT INTO sale_payments (sale_id, method_id, amount_cents) VALUES {}",
                marks(3, 1)
            )
            .into(),
            rollup: rollup_sql(mysql).into(),
            update_lots: UPDATE_LOTS.into(),
            update_products: UPDATE_PRODUCTS.into(),
            insert_movement: format!(
                "INSERT INTO inventory_movements (product_id, kind, before_e3, after_e3, \
                 reference_id, reason, user_id, at, at_day) VALUES {}",
                marks(9, 1)
            )
            .into(),
            insert_entry: format!("{entries}{}", marks(7, 1)).into(),
            insert_entries_returning: format!("{entries}{} RETURNING id", marks(7, 2)).into(),
            journal_lines: journal_lines_sql(),
            ledger_daily: ledger_daily_sql(mysql),
        }
    }
}

/// Statement 2: the product and its open lots, locked on MySQL.
fn lock_sql(mysql: bool) -> String {
    format!(
        "SELECT p.*, l.id AS l_id, l.product_id AS l_product_id, \
         l.purchase_line_id AS l_purchase_line_id, l.received_e3 AS l_received_e3, \
         l.remaining_e3 AS l_remaining_e3, l.unit_cost_cents AS l_unit_cost_cents, \
         l.remaining_value_cents AS l_remaining_value_cents, l.received_at AS l_received_at \
         FROM products p LEFT JOIN lots l ON l.product_id = p.id AND l.remaining_e3 > 0 \
         WHERE p.id IN (?) ORDER BY p.id, l.id{}",
        if mysql { " FOR UPDATE" } else { "" }
    )
}

/// Statement 3: the register's next number, only while the static data has the version read
/// at the start; MySQL hands it back through `LAST_INSERT_ID`, the others with `RETURNING`.
fn take_number_sql(mysql: bool) -> String {
    let condition = "WHERE id = ? AND active = ? \
                     AND (SELECT version FROM static_version WHERE id = 1) = ?";
    if mysql {
        format!("UPDATE registers SET last_number = LAST_INSERT_ID(last_number + 1) {condition}")
    } else {
        format!(
            "UPDATE registers SET last_number = last_number + 1 {condition} \
             RETURNING last_number"
        )
    }
}

/// Statement 4: the sale's row.
fn insert_sale_sql() -> String {
    format!(
        "INSERT INTO sales (register_id, number, invoice_no, sale_date, customer_id, \
         user_id, status, subtotal_cents, discount_cents, tax_cents, total_cents, \
         tendered_cents, change_cents, paid_cents, credited_cents, refunded_cents, note, \
         created_at) VALUES {}",
        marks(18, 1)
    )
}

/// Statement 5: the sale's line.
fn insert_line_sql() -> String {
    format!(
        "INSERT INTO sale_lines (sale_id, line_no, product_id, quantity_e3, \
         unit_price_cents, tax_rate_e4, tax_mode, gross_cents, line_discount_cents, \
         order_discount_cents, tax_cents, total_cents, returned_e3, sale_date, user_id, \
         customer_id, cost_cents) VALUES {}",
        marks(17, 1)
    )
}

/// Statement 8: the rollup's `ROLLUP_ROWS` rows, each sum guarded against overflow (a day's
/// cap, or 31 days' for a month's row) as the server's upsert.
fn rollup_sql(mysql: bool) -> String {
    const SUMMED: [&str; 7] = [
        "sales",
        "line_count",
        "quantity_e3",
        "total_cents",
        "tax_cents",
        "discount_cents",
        "cost_cents",
    ];
    let month_cap = MAX_MINOR_UNITS * 31;
    let cap = format!("CASE WHEN grain = 0 THEN {MAX_MINOR_UNITS} ELSE {month_cap} END");
    let rollup_update = if mysql {
        format!(
            " ON DUPLICATE KEY UPDATE {}",
            SUMMED
                .map(|c| guarded_add(c, &format!("VALUES({c})"), &cap))
                .join(", ")
        )
    } else {
        format!(
            " ON CONFLICT (grain, dim, period, k, register_id) DO UPDATE SET {}",
            SUMMED
                .map(|c| guarded_add(c, &format!("excluded.{c}"), &cap))
                .join(", ")
        )
    };
    format!(
        "INSERT INTO sales_rollup (grain, dim, period, k, register_id, {}) VALUES \
         {}{rollup_update}",
        SUMMED.join(", "),
        marks(12, ROLLUP_ROWS),
    )
}

/// Statement 9: the lot loses the unit and its cost, only if it still holds both.
const UPDATE_LOTS: &str = "UPDATE lots SET remaining_e3 = remaining_e3 - \
                           CASE id WHEN ? THEN ? END, \
                           remaining_value_cents = remaining_value_cents - \
                           CASE id WHEN ? THEN ? END \
                           WHERE id IN (?) AND remaining_e3 >= CASE id WHEN ? THEN ? END \
                           AND remaining_value_cents >= CASE id WHEN ? THEN ? END";

/// Statement 10: the product's stock, relative to the row.
const UPDATE_PRODUCTS: &str =
    "UPDATE products SET stock_e3 = stock_e3 - CASE id WHEN ? THEN ? END WHERE id IN (?)";

/// Statement 13: the entries' lines, by number of rows less one (1 to 4 rows).
fn journal_lines_sql() -> Vec<Arc<str>> {
    (1..=4)
        .map(|rows| {
            format!(
                "INSERT INTO journal_lines (entry_id, line_no, account_id, side, \
                 amount_cents, party_kind, party_id, entry_date) VALUES {}",
                marks(8, rows)
            )
        })
        .map(Arc::<str>::from)
        .collect()
}

/// Statement 14: the ledger's day sums, by number of rows less one (1 to 4 rows), each sum
/// guarded against overflow as the server's upsert.
fn ledger_daily_sql(mysql: bool) -> Vec<Arc<str>> {
    let cap = MAX_MINOR_UNITS.to_string();
    let daily_update = if mysql {
        format!(
            " ON DUPLICATE KEY UPDATE {}, {}",
            guarded_add("debit_cents", "VALUES(debit_cents)", &cap),
            guarded_add("credit_cents", "VALUES(credit_cents)", &cap),
        )
    } else {
        format!(
            " ON CONFLICT (day, account_id, register_id) DO UPDATE SET {}, {}",
            guarded_add("debit_cents", "excluded.debit_cents", &cap),
            guarded_add("credit_cents", "excluded.credit_cents", &cap),
        )
    };
    (1..=4)
        .map(|rows| {
            format!(
                "INSERT INTO ledger_daily (day, account_id, register_id, debit_cents, \
                 credit_cents) VALUES {}{daily_update}",
                marks(5, rows)
            )
        })
        .map(Arc::<str>::from)
        .collect()
}

/// Rollup rows of a one-line sale paid with one method: day and month, each for the whole
/// shop, the product, the seller, the customer, the tax rate and the payment method.
const ROLLUP_ROWS: usize = 12;

/// One sale to make.
struct Sale<'a> {
    product: i64,
    register: &'a Register,
}

enum Outcome {
    Sold,
    /// No open lot holds a whole unit: rolled back.
    Refused,
}

/// A journal entry to post: its memo and its two lines (account, side, amount).
type Entry = (String, [(i64, &'static str, i64); 2]);

/// When a sale happens, in the forms its rows store.
#[derive(Clone, Copy)]
struct When {
    /// Microseconds since the epoch.
    at: i64,
    /// The date's Julian day.
    day: i32,
    /// The Julian day of the first of its month.
    month: i32,
}

impl When {
    fn now() -> Self {
        let now = OffsetDateTime::now_utc();
        let at = micros(now);
        let day = now.date().to_julian_day();
        let month = now
            .date()
            .replace_day(1)
            .map_or(day, |first| first.to_julian_day());
        Self { at, day, month }
    }
}

/// What statement 2 read under the lock: the product's price and stock, and the first open lot
/// holding a whole unit, with what taking the unit costs.
struct Picked {
    price: i64,
    stock: i64,
    lot: i64,
    cost: i64,
}

/// A sale read and numbered: what statements 4 to 14 write.
struct Ticket<'a> {
    product: i64,
    register: &'a Register,
    when: When,
    picked: Picked,
    number: i64,
    invoice: String,
}

/// Statement 12's entries: the sale (cash against revenue) and its cost (cost of goods sold
/// against inventory), each only when it is worth something, as the server.
fn journal_entries(setup: &Setup, ticket: &Ticket<'_>) -> Vec<Entry> {
    let Picked { price, cost, .. } = ticket.picked;
    let invoice = &ticket.invoice;
    let mut entries: Vec<Entry> = Vec::with_capacity(2);
    if price > 0 {
        entries.push((
            format!("Sale {invoice}"),
            [
                (setup.cash_account, "debit", price),
                (setup.revenue, "credit", price),
            ],
        ));
    }
    if cost > 0 {
        entries.push((
            format!("Cost of sale {invoice}"),
            [
                (setup.cogs, "debit", cost),
                (setup.inventory, "credit", cost),
            ],
        ));
    }
    entries
}

/// What the entries' lines add to each account's day sums: (debit, credit) by account, in
/// account order (statement 14's row order).
fn day_sums(entries: &[Entry]) -> BTreeMap<i64, (i64, i64)> {
    let mut sums: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for (_, lines) in entries {
        for (account, side, amount) in lines {
            let sum = sums.entry(*account).or_default();
            if *side == "debit" {
                sum.0 += *amount;
            } else {
                sum.1 += *amount;
            }
        }
    }
    sums
}

enum Failure {
    Sql(sqlx::Error),
    /// Something the server would call a bug or a changed setup: not retried.
    Broken(String),
}

impl From<sqlx::Error> for Failure {
    fn from(error: sqlx::Error) -> Self {
        Self::Sql(error)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sql(error) => write!(f, "{error}"),
            Self::Broken(message) => f.write_str(message),
        }
    }
}

/// A deadlock (MySQL 1213), a lock wait timeout (1205) or SQLITE_BUSY / SQLITE_LOCKED: the
/// transaction was rolled back and may simply start over.
fn retryable(failure: &Failure) -> bool {
    let Failure::Sql(sqlx::Error::Database(error)) = failure else {
        return false;
    };
    if let Some(mysql) = error.try_downcast_ref::<MySqlDatabaseError>() {
        return matches!(mysql.number(), 1205 | 1213);
    }
    // SQLite reports its extended result code; the low byte is the primary one.
    sqlx::error::DatabaseError::code(&**error)
        .and_then(|code| code.parse::<i32>().ok())
        .is_some_and(|code| matches!(code & 0xff, 5 | 6))
}

/// The cost of taking one unit of a lot holding `remaining` thousandths worth `value` cents:
/// its share of the value, rounded half up; all of it when the unit is all that is left
/// (`pos_domain::inventory::fifo::take_from_lot`), so a lot's value never drifts from its units.
fn take_cost(remaining: i64, value: i64) -> i64 {
    if remaining == UNIT {
        return value;
    }
    let (value, remaining) = (i128::from(value), i128::from(remaining));
    let share = (value * i128::from(UNIT) + remaining / 2) / remaining;
    i64::try_from(share.min(value)).unwrap_or(0)
}

/// Microseconds since the epoch, as the server stores instants.
fn micros(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos().div_euclid(1000)).unwrap_or(i64::MAX)
}

/// The server's database: a pool of one backend or the other.
pub enum Db {
    MySql(MySqlPool),
    Sqlite(SqlitePool),
}

impl Db {
    /// A pool of `connections` connections, all opened before it is returned, set up as the
    /// server sets up its own (MySQL: strict mode and READ COMMITTED; SQLite: foreign keys,
    /// WAL, synchronous NORMAL and a 5 s busy timeout).
    pub async fn open(url: &str, flavor: Flavor, connections: usize) -> Result<Self> {
        let size = u32::try_from(connections.max(1)).unwrap_or(u32::MAX);
        Ok(match flavor {
            Flavor::MySql => Self::MySql(
                MySqlPoolOptions::new()
                    .max_connections(size)
                    .min_connections(size)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            use sea_orm::sqlx::Executor;
                            conn.execute(
                                "SET SESSION sql_mode = CONCAT_WS(',', \
                                 NULLIF(@@SESSION.sql_mode, ''), 'STRICT_ALL_TABLES')",
                            )
                            .await?;
                            conn.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
                                .await
                                .map(|_| ())
                        })
                    })
                    .connect(url)
                    .await
                    .context("connecting to the MySQL database (--db-url)")?,
            ),
            Flavor::Sqlite => {
                let options = SqliteConnectOptions::from_str(url)
                    .context("--db-url: not a SQLite URL")?
                    .foreign_keys(true)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal);
                Self::Sqlite(
                    SqlitePoolOptions::new()
                        .max_connections(size)
                        .min_connections(size)
                        .acquire_timeout(ACQUIRE_TIMEOUT)
                        .connect_with(options)
                        .await
                        .context("opening the SQLite database (--db-url)")?,
                )
            }
        })
    }

    pub async fn close(&self) {
        match self {
            Self::MySql(pool) => pool.close().await,
            Self::Sqlite(pool) => pool.close().await,
        }
    }

    /// Reads what every transaction needs: the static-data version, a seller, the cash method
    /// and the accounts a sale posts to.
    pub async fn shared(&self, flavor: Flavor) -> Result<Shared> {
        match self {
            Self::MySql(pool) => mysql::shared(pool, flavor).await,
            Self::Sqlite(pool) => sqlite::shared(pool, flavor).await,
        }
    }

    /// A product's whole units on hand now.
    pub async fn units_on_hand(&self, product: i64) -> Result<i64> {
        let stock = match self {
            Self::MySql(pool) => mysql::stock_e3(pool, product).await?,
            Self::Sqlite(pool) => sqlite::stock_e3(pool, product).await?,
        };
        Ok(stock.div_euclid(UNIT))
    }

    /// Starts one client on a connection of its own.
    pub fn spawn(
        &self,
        shared: &Arc<Shared>,
        register: Register,
        job: Job,
    ) -> tokio::task::JoinHandle<Result<ClientTally>> {
        match self {
            Self::MySql(pool) => tokio::spawn(mysql::client(
                pool.clone(),
                Arc::clone(shared),
                register,
                job,
            )),
            Self::Sqlite(pool) => tokio::spawn(sqlite::client(
                pool.clone(),
                Arc::clone(shared),
                register,
                job,
            )),
        }
    }
}

/// The transaction and its client loop, for the `Db` and `Conn` types of the module it is
/// expanded in, which also defines `begin`, `take_number`, `inserted` and `server_version`.
macro_rules! backend {
    () => {
        use super::{
            COST_OF_GOODS_SOLD, ClientTally, Entry, Failure, Flavor, GIVE_UP_AFTER_ERRORS,
            INVENTORY, Job, MAX_TRIES, Outcome, Picked, Register, SALES_REVENUE, Sale, Setup,
            Shared, Sql, Ticket, UNIT, UNTAXED, WALK_IN, When, day_sums, journal_entries,
            retryable, take_cost,
        };
        use crate::prng::XorShift;
        use anyhow::{Context, Result};
        use sea_orm::sqlx::{self, AssertSqlSafe, Row};
        use std::collections::{BTreeMap, HashMap};
        use std::sync::Arc;
        use std::time::Instant;

        type Q = sqlx::query::Query<'static, Db, <Db as sqlx::Database>::Arguments>;

        fn q(sql: &Arc<str>) -> Q {
            sqlx::query(AssertSqlSafe(Arc::clone(sql)))
        }

        /// One client: its share of the transactions, one after another on one connection, at
        /// its own register.
        pub(super) async fn client(
            pool: sqlx::Pool<Db>,
            shared: Arc<Shared>,
            register: Register,
            job: Job,
        ) -> Result<ClientTally> {
            let mut conn = pool
                .acquire()
                .await
                .context("taking a connection from the pool")?;
            let mut rng = XorShift::new(job.seed);
            let mut out = ClientTally::default();
            for _ in 0..job.transactions {
                let product = match job.single {
                    Some(product) => product,
                    None => job.products[rng.below(job.products.len())],
                };
                let sale = Sale {
                    product,
                    register: &register,
                };
                let started = Instant::now();
                let mut tries = 0;
                loop {
                    tries += 1;
                    match attempt(&mut conn, &shared, &sale).await {
                        Ok(Outcome::Sold) => {
                            out.tally.ok += 1;
                            out.tally.latencies.push(started.elapsed());
                            break;
                        }
                        Ok(Outcome::Refused) => {
                            out.tally.refused += 1;
                            break;
                        }
                        Err(failure) if tries < MAX_TRIES && retryable(&failure) => {
                            out.retries += 1;
                        }
                        Err(failure) => {
                            out.tally.error(failure.to_string());
                            break;
                        }
                    }
                }
                if out.tally.errors >= GIVE_UP_AFTER_ERRORS {
                    break;
                }
            }
            Ok(out)
        }

        /// BEGIN, the sale, then COMMIT (or ROLLBACK when refused or failed).
        async fn attempt(
            conn: &mut Conn,
            shared: &Shared,
            sale: &Sale<'_>,
        ) -> Result<Outcome, Failure> {
            let mut tx = begin(conn).await?;
            match sell(&mut tx, shared, sale).await {
                Ok(Outcome::Sold) => {
                    tx.commit().await?;
                    Ok(Outcome::Sold)
                }
                Ok(Outcome::Refused) => {
                    tx.rollback().await?;
                    Ok(Outcome::Refused)
                }
                Err(failure) => {
                    // The failure is what matters; a failed rollback leaves the connection to
                    // roll back on its next use.
                    let _ = tx.rollback().await;
                    Err(failure)
                }
            }
        }

        /// Statements 2 to 14, inside the caller's transaction.
        async fn sell(
            conn: &mut Conn,
            shared: &Shared,
            sale: &Sale<'_>,
        ) -> Result<Outcome, Failure> {
            let when = When::now();
            let Some(picked) = lock_product(conn, &shared.sql, sale.product).await? else {
                return Ok(Outcome::Refused);
            };
            let (number, invoice) = next_invoice(conn, shared, sale.register).await?;
            let ticket = Ticket {
                product: sale.product,
                register: sale.register,
                when,
                picked,
                number,
                invoice,
            };
            let sale_id = insert_sale(conn, shared, &ticket).await?;
            let line_id = insert_line(conn, shared, &ticket, sale_id).await?;
            insert_take(conn, shared, &ticket, line_id).await?;
            insert_payment(conn, shared, &ticket, sale_id).await?;
            add_to_rollup(conn, shared, &ticket).await?;
            take_from_lot(conn, shared, &ticket).await?;
            take_from_stock(conn, shared, &ticket).await?;
            log_movement(conn, shared, &ticket, sale_id).await?;
            post(conn, shared, &ticket, sale_id).await?;
            Ok(Outcome::Sold)
        }

        /// Statement 2, the product and its open lots, locked: the product's price and stock
        /// and the first lot holding a whole unit, or `None` when none does (refused).
        async fn lock_product(
            conn: &mut Conn,
            sql: &Sql,
            product: i64,
        ) -> Result<Option<Picked>, Failure> {
            let rows = q(&sql.lock).bind(product).fetch_all(&mut *conn).await?;
            let Some(first) = rows.first() else {
                return Err(Failure::Broken(format!("product {product} does not exist")));
            };
            let price: i64 = first.try_get("price_cents")?;
            let stock: i64 = first.try_get("stock_e3")?;
            for row in &rows {
                let lot: Option<i64> = row.try_get("l_id")?;
                let remaining: Option<i64> = row.try_get("l_remaining_e3")?;
                let value: Option<i64> = row.try_get("l_remaining_value_cents")?;
                if let (Some(lot), Some(remaining), Some(value)) = (lot, remaining, value)
                    && remaining >= UNIT
                {
                    return Ok(Some(Picked {
                        price,
                        stock,
                        lot,
                        cost: take_cost(remaining, value),
                    }));
                }
            }
            Ok(None)
        }

        /// Statement 3, the register's next number, and the invoice number made of it.
        async fn next_invoice(
            conn: &mut Conn,
            shared: &Shared,
            register: &Register,
        ) -> Result<(i64, String), Failure> {
            let Some(number) = take_number(conn, shared, register.id).await? else {
                return Err(Failure::Broken(format!(
                    "register {} took no number: it is switched off, or the accounts, payment \
                     methods or tax rates changed during the run",
                    register.code
                )));
            };
            Ok((number, format!("{}-{number:06}", register.code)))
        }

        /// Statement 4, the sale: walk-in, untaxed, paid exactly in cash. Returns its id.
        async fn insert_sale(
            conn: &mut Conn,
            shared: &Shared,
            ticket: &Ticket<'_>,
        ) -> Result<i64, Failure> {
            let price = ticket.picked.price;
            let done = q(&shared.sql.insert_sale)
                .bind(ticket.register.id)
                .bind(ticket.number)
                .bind(ticket.invoice.as_str())
                .bind(ticket.when.day)
                .bind(None::<i64>)
                .bind(shared.setup.user)
                .bind("completed")
                .bind(price)
                .bind(0_i64)
                .bind(0_i64)
                .bind(price)
                .bind(price)
                .bind(0_i64)
                .bind(price)
                .bind(0_i64)
                .bind(0_i64)
                .bind(None::<&str>)
                .bind(ticket.when.at)
                .execute(&mut *conn)
                .await?;
            Ok(inserted(&done))
        }

        /// Statement 5, its line. Returns the line's id.
        async fn insert_line(
            conn: &mut Conn,
            shared: &Shared,
            ticket: &Ticket<'_>,
            sale_id: i64,
        ) -> Result<i64, Failure> {
            let Picked { price, cost, .. } = ticket.picked;
            let done = q(&shared.sql.insert_line)
                .bind(sale_id)
                .bind(0_i32)
                .bind(ticket.product)
                .bind(UNIT)
                .bind(price)
                .bind(None::<i64>)
                .bind(None::<&str>)
                .bind(price)
                .bind(0_i64)
                .bind(0_i64)
                .bind(0_i64)
                .bind(price)
                .bind(0_i64)
                .bind(ticket.when.day)
                .bind(shared.setup.user)
                .bind(None::<i64>)
                .bind(cost)
                .execute(&mut *conn)
                .await?;
            Ok(inserted(&done))
        }

        /// Statement 6, the line's take from the lot.
        async fn insert_take(
            conn: &mut Conn,
            shared: &Shared,
            ticket: &Ticket<'_>,
            line_id: i64,
        ) -> Result<(), Failure> {
            q(&shared.sql.insert_take)
                .bind(line_id)
                .bind(0_i32)
                .bind(ticket.picked.lot)
                .bind(UNIT)
                .bind(ticket.picked.cost)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        /// Statement 7, the cash kept.
        async fn insert_payment(
            conn: &mut Conn,
            shared: &Shared,
            ticket: &Ticket<'_>,
            sale_id: i64,
        ) -> Result<(), Failure> {
            q(&shared.sql.insert_payment)
                .bind(sale_id)
                .bind(shared.setup.cash_method)
                .bind(ticket.picked.price)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        /// Statement 8, the rollup, in key order (grain, dim, period, k): day and month, each
        /// for the shop, the product, the seller, the customer, the tax rate and the payment
        /// method.
        async fn add_to_rollup(
            conn: &mut Conn,
            shared: &Shared,
            ticket: &Ticket<'_>,
        ) -> Result<(), Failure> {
            let setup = &shared.setup;
            let Picked { price, cost, .. } = ticket.picked;
            let mut rollup = q(&shared.sql.rollup);
            for (grain, period) in [(0_i64, ticket.when.day), (1, ticket.when.month)] {
                for (dim, k, lines, quantity, line_cost) in [
                    (0_i64, 0_i64, 1_i64, UNIT, cost),
                    (1, ticket.product, 1, UNIT, cost),
                    (2, setup.user, 1, UNIT, cost),
                    (3, WALK_IN, 1, UNIT, cost),
                    (4, UNTAXED, 1, UNIT, cost),
                    (5, setup.cash_method, 0, 0, 0),
                ] {
                    rollup = rollup
                        .bind(grain)
                        .bind(dim)
                        .bind(period)
                        .bind(k)
                        .bind(ticket.register.id)
                        .bind(1_i64)
                        .bind(lines)
                        .bind(quantity)
                        .bind(price)
                        .bind(0_i64)
                        .bind(0_i64)
                        .bind(line_cost);
                }
            }
            rollup.execute(&mut *conn).await?;
            Ok(())
        }

        /// Statement 9, the lot, only if it still holds what is taken.
        async fn take_from_lot(
            conn: &mut Conn,
            shared: &Shared,
            ticket: &Ticket<'_>,
        ) -> Result<(), Failure> {
            let Picked { lot, cost, .. } = ticket.picked;
            let updated = q(&shared.sql.update_lots)
                .bind(lot)
                .bind(UNIT)
                .bind(lot)
                .bind(cost)
                .bind(lot)
                .bind(lot)
                .bind(UNIT)
                .bind(lot)
                .bind(cost)
                .execute(&mut *conn)
                .await?
                .rows_affected();
            if updated != 1 {
                return Err(Failure::Broken(format!(
                    "lot {lot} no longer holds the unit read under its lock"
                )));
            }
            Ok(())
        }

        /// Statement 10, the product's stock, relative to the row.
        async fn take_from_stock(
            conn: &mut Conn,
            shared: &Shared,
            ticket: &Ticket<'_>,
        ) -> Result<(), Failure> {
            q(&shared.sql.update_products)
                .bind(ticket.product)
                .bind(UNIT)
                .bind(ticket.product)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        /// Statement 11, the inventory log.
        async fn log_movement(
            conn: &mut Conn,
            shared: &Shared,
            ticket: &Ticket<'_>,
            sale_id: i64,
        ) -> Result<(), Failure> {
            let stock = ticket.picked.stock;
            q(&shared.sql.insert_movement)
                .bind(ticket.product)
                .bind("sale")
                .bind(stock)
                .bind(stock - UNIT)
                .bind(sale_id)
                .bind(ticket.invoice.as_str())
                .bind(shared.setup.user)
                .bind(ticket.when.at)
                .bind(ticket.when.day)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        /// Statements 12 to 14: the entries (none for what is worth nothing, as the server),
        /// their lines and the day sums of their accounts at the register.
        async fn post(
            conn: &mut Conn,
            shared: &Shared,
            ticket: &Ticket<'_>,
            sale_id: i64,
        ) -> Result<(), Failure> {
            let entries = journal_entries(&shared.setup, ticket);
            if entries.is_empty() {
                return Ok(());
            }
            let ids = insert_entries(conn, shared, &entries, ticket, sale_id).await?;
            insert_journal_lines(conn, shared, ticket, &entries, &ids).await?;
            add_day_sums(conn, shared, ticket, &day_sums(&entries)).await
        }

        /// Statement 12, the entries' rows; returns their ids in order. Several in one
        /// statement with `RETURNING` where it works, else one insert each (as the server).
        async fn insert_entries(
            conn: &mut Conn,
            shared: &Shared,
            entries: &[Entry],
            ticket: &Ticket<'_>,
            sale_id: i64,
        ) -> Result<Vec<i64>, Failure> {
            let user = shared.setup.user;
            let bind = |query: Q, memo: &str| {
                query
                    .bind(ticket.when.day)
                    .bind(memo)
                    .bind("sale")
                    .bind(sale_id)
                    .bind(user)
                    .bind(ticket.register.id)
                    .bind(ticket.when.at)
            };
            if entries.len() > 1 && shared.setup.returning {
                let mut query = q(&shared.sql.insert_entries_returning);
                for (memo, _) in entries {
                    query = bind(query, memo.as_str());
                }
                let rows = query.fetch_all(&mut *conn).await?;
                let mut ids = Vec::with_capacity(rows.len());
                for row in &rows {
                    ids.push(row.try_get::<i64, _>(0_usize)?);
                }
                if ids.len() != entries.len() {
                    return Err(Failure::Broken(format!(
                        "posted {} entries, got {} ids back",
                        entries.len(),
                        ids.len()
                    )));
                }
                Ok(ids)
            } else {
                let mut ids = Vec::with_capacity(entries.len());
                for (memo, _) in entries {
                    let done = bind(q(&shared.sql.insert_entry), memo.as_str())
                        .execute(&mut *conn)
                        .await?;
                    ids.push(inserted(&done));
                }
                Ok(ids)
            }
        }

        /// Statement 13, the entries' lines, in one statement.
        async fn insert_journal_lines(
            conn: &mut Conn,
            shared: &Shared,
            ticket: &Ticket<'_>,
            entries: &[Entry],
            ids: &[i64],
        ) -> Result<(), Failure> {
            let mut lines = q(&shared.sql.journal_lines[entries.len() * 2 - 1]);
            for (id, (_, entry_lines)) in ids.iter().zip(entries) {
                for (line_no, (account, side, amount)) in entry_lines.iter().enumerate() {
                    lines = lines
                        .bind(*id)
                        .bind(line_no as i32)
                        .bind(*account)
                        .bind(*side)
                        .bind(*amount)
                        .bind(None::<&str>)
                        .bind(None::<i64>)
                        .bind(ticket.when.day);
                }
            }
            lines.execute(&mut *conn).await?;
            Ok(())
        }

        /// Statement 14, the ledger's day sums of the entries' accounts at the register, in
        /// one statement.
        async fn add_day_sums(
            conn: &mut Conn,
            shared: &Shared,
            ticket: &Ticket<'_>,
            sums: &BTreeMap<i64, (i64, i64)>,
        ) -> Result<(), Failure> {
            let mut daily = q(&shared.sql.ledger_daily[sums.len() - 1]);
            for (account, (debit, credit)) in sums {
                daily = daily
                    .bind(ticket.when.day)
                    .bind(*account)
                    .bind(ticket.register.id)
                    .bind(*debit)
                    .bind(*credit);
            }
            daily.execute(&mut *conn).await?;
            Ok(())
        }

        pub(super) async fn shared(pool: &sqlx::Pool<Db>, flavor: Flavor) -> Result<Shared> {
            let mut conn = pool.acquire().await.context("connecting to the database")?;
            let (server, returning) = server_version(&mut conn).await?;
            let version: i64 = sqlx::query::<Db>("SELECT version FROM static_version WHERE id = 1")
                .fetch_optional(&mut *conn)
                .await?
                .context("no static_version row: the database predates registers (migration 8)")?
                .try_get(0_usize)?;
            let user: i64 = sqlx::query::<Db>("SELECT id FROM users ORDER BY id LIMIT 1")
                .fetch_optional(&mut *conn)
                .await?
                .context("no user in the database")?
                .try_get(0_usize)?;
            let cash =
                sqlx::query::<Db>("SELECT id, account_id FROM payment_methods WHERE code = 'cash'")
                    .fetch_optional(&mut *conn)
                    .await?
                    .context("no `cash` payment method in the database")?;
            let cash_method: i64 = cash.try_get(0_usize)?;
            let cash_account: i64 = cash.try_get(1_usize)?;
            let mut accounts: HashMap<String, i64> = HashMap::new();
            for row in sqlx::query::<Db>("SELECT id, code FROM accounts")
                .fetch_all(&mut *conn)
                .await?
            {
                let id: i64 = row.try_get(0_usize)?;
                let code: String = row.try_get(1_usize)?;
                accounts.insert(code, id);
            }
            let account = |code: &str| {
                accounts
                    .get(code)
                    .copied()
                    .with_context(|| format!("no account {code} in the chart of accounts"))
            };
            let setup = Setup {
                version,
                user,
                cash_method,
                cash_account,
                revenue: account(SALES_REVENUE)?,
                cogs: account(COST_OF_GOODS_SOLD)?,
                inventory: account(INVENTORY)?,
                returning,
            };
            Ok(Shared {
                sql: Sql::new(flavor),
                setup,
                server,
            })
        }

        pub(super) async fn stock_e3(pool: &sqlx::Pool<Db>, product: i64) -> Result<i64> {
            let mut conn = pool.acquire().await.context("connecting to the database")?;
            let stock: i64 = sqlx::query::<Db>("SELECT stock_e3 FROM products WHERE id = ?")
                .bind(product)
                .fetch_optional(&mut *conn)
                .await?
                .with_context(|| format!("product {product} does not exist"))?
                .try_get(0_usize)?;
            Ok(stock)
        }
    };
}

mod mysql {
    use sea_orm::sqlx::mysql::{MySql as Db, MySqlConnection as Conn, MySqlQueryResult};

    backend!();

    async fn begin(conn: &mut Conn) -> Result<sqlx::Transaction<'_, Db>, sqlx::Error> {
        sqlx::Connection::begin(conn).await
    }

    /// `LAST_INSERT_ID(expr)` hands the new number back in the statement's own reply.
    async fn take_number(
        conn: &mut Conn,
        shared: &Shared,
        register: i64,
    ) -> Result<Option<i64>, Failure> {
        let done = q(&shared.sql.take_number)
            .bind(register)
            .bind(true)
            .bind(shared.setup.version)
            .execute(&mut *conn)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(None);
        }
        Ok(Some(inserted(&done)))
    }

    fn inserted(done: &MySqlQueryResult) -> i64 {
        i64::try_from(done.last_insert_id()).unwrap_or(i64::MAX)
    }

    /// The server's version, and whether it has `INSERT ... RETURNING` (MariaDB 10.5+).
    async fn server_version(conn: &mut Conn) -> Result<(String, bool)> {
        let version: String = sqlx::query::<Db>("SELECT VERSION()")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0_usize)?;
        let returning = version.split_once("-MariaDB").is_some_and(|(numbers, _)| {
            let mut parts = numbers.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
            let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
            (major, minor) >= (10, 5)
        });
        let name = if version.contains("MariaDB") {
            "MariaDB"
        } else {
            "MySQL"
        };
        Ok((format!("{name} {version}"), returning))
    }
}

mod sqlite {
    use sea_orm::sqlx::sqlite::{Sqlite as Db, SqliteConnection as Conn, SqliteQueryResult};

    backend!();

    /// IMMEDIATE takes the write lock up front (waiting up to the busy timeout), as the
    /// server's writers do.
    async fn begin(conn: &mut Conn) -> Result<sqlx::Transaction<'_, Db>, sqlx::Error> {
        sqlx::Connection::begin_with(conn, "BEGIN IMMEDIATE").await
    }

    async fn take_number(
        conn: &mut Conn,
        shared: &Shared,
        register: i64,
    ) -> Result<Option<i64>, Failure> {
        let row = q(&shared.sql.take_number)
            .bind(register)
            .bind(true)
            .bind(shared.setup.version)
            .fetch_optional(&mut *conn)
            .await?;
        match row {
            Some(row) => Ok(Some(row.try_get::<i64, _>(0_usize)?)),
            None => Ok(None),
        }
    }

    fn inserted(done: &SqliteQueryResult) -> i64 {
        done.last_insert_rowid()
    }

    async fn server_version(conn: &mut Conn) -> Result<(String, bool)> {
        let version: String = sqlx::query::<Db>("SELECT sqlite_version()")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0_usize)?;
        Ok((format!("SQLite {version}"), true))
    }
}
