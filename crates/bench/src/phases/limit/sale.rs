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
        let lock = format!(
            "SELECT p.*, l.id AS l_id, l.product_id AS l_product_id, \
             l.purchase_line_id AS l_purchase_line_id, l.received_e3 AS l_received_e3, \
             l.remaining_e3 AS l_remaining_e3, l.unit_cost_cents AS l_unit_cost_cents, \
             l.remaining_value_cents AS l_remaining_value_cents, l.received_at AS l_received_at \
             FROM products p LEFT JOIN lots l ON l.product_id = p.id AND l.remaining_e3 > 0 \
             WHERE p.id IN (?) ORDER BY p.id, l.id{}",
            if mysql { " FOR UPDATE" } else { "" }
        );
        let condition = "WHERE id = ? AND active = ? \
                         AND (SELECT version FROM static_version WHERE id = 1) = ?";
        let take_number = if mysql {
            format!(
                "UPDATE registers SET last_number = LAST_INSERT_ID(last_number + 1) {condition}"
            )
        } else {
            format!(
                "UPDATE registers SET last_number = last_number + 1 {condition} \
                 RETURNING last_number"
            )
        };
        let insert_sale = format!(
            "INSERT INTO sales (register_id, number, invoice_no, sale_date, customer_id, \
             user_id, status, subtotal_cents, discount_cents, tax_cents, total_cents, \
             tendered_cents, change_cents, paid_cents, credited_cents, refunded_cents, note, \
             created_at) VALUES {}",
            marks(18, 1)
        );
        let insert_line = format!(
            "INSERT INTO sale_lines (sale_id, line_no, product_id, quantity_e3, \
             unit_price_cents, tax_rate_e4, tax_mode, gross_cents, line_discount_cents, \
             order_discount_cents, tax_cents, total_cents, returned_e3, sale_date, user_id, \
             customer_id, cost_cents) VALUES {}",
            marks(17, 1)
        );
        let insert_take = format!(
            "INSERT INTO sale_line_lots (sale_line_id, take_no, lot_id, quantity_e3, \
             cost_cents) VALUES {}",
            marks(5, 1)
        );
        let insert_payment = format!(
            "INSERT INTO sale_payments (sale_id, method_id, amount_cents) VALUES {}",
            marks(3, 1)
        );

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
        let rollup = format!(
            "INSERT INTO sales_rollup (grain, dim, period, k, register_id, {}) VALUES \
             {}{rollup_update}",
            SUMMED.join(", "),
            marks(12, ROLLUP_ROWS),
        );

        let update_lots = "UPDATE lots SET remaining_e3 = remaining_e3 - \
                           CASE id WHEN ? THEN ? END, \
                           remaining_value_cents = remaining_value_cents - \
                           CASE id WHEN ? THEN ? END \
                           WHERE id IN (?) AND remaining_e3 >= CASE id WHEN ? THEN ? END \
                           AND remaining_value_cents >= CASE id WHEN ? THEN ? END";
        let update_products =
            "UPDATE products SET stock_e3 = stock_e3 - CASE id WHEN ? THEN ? END WHERE id IN (?)";
        let insert_movement = format!(
            "INSERT INTO inventory_movements (product_id, kind, before_e3, after_e3, \
             reference_id, reason, user_id, at, at_day) VALUES {}",
            marks(9, 1)
        );
        let entries = "INSERT INTO journal_entries (entry_date, memo, source_kind, source_id, \
                       user_id, register_id, created_at) VALUES ";
        let insert_entry = format!("{entries}{}", marks(7, 1));
        let insert_entries_returning = format!("{entries}{} RETURNING id", marks(7, 2));
        let journal_lines = (1..=4)
            .map(|rows| {
                format!(
                    "INSERT INTO journal_lines (entry_id, line_no, account_id, side, \
                     amount_cents, party_kind, party_id, entry_date) VALUES {}",
                    marks(8, rows)
                )
            })
            .map(Arc::<str>::from)
            .collect();
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
        let ledger_daily = (1..=4)
            .map(|rows| {
                format!(
                    "INSERT INTO ledger_daily (day, account_id, register_id, debit_cents, \
                     credit_cents) VALUES {}{daily_update}",
                    marks(5, rows)
                )
            })
            .map(Arc::<str>::from)
            .collect();
        Self {
            lock: lock.into(),
            take_number: take_number.into(),
            insert_sale: insert_sale.into(),
            insert_line: insert_line.into(),
            insert_take: insert_take.into(),
            insert_payment: insert_payment.into(),
            rollup: rollup.into(),
            update_lots: update_lots.into(),
            update_products: update_products.into(),
            insert_movement: insert_movement.into(),
            insert_entry: insert_entry.into(),
            insert_entries_returning: insert_entries_returning.into(),
            journal_lines,
            ledger_daily,
        }
    }
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
            INVENTORY, Job, MAX_TRIES, Outcome, Register, SALES_REVENUE, Sale, Setup, Shared, Sql,
            UNIT, UNTAXED, WALK_IN, micros, retryable, take_cost,
        };
        use crate::prng::XorShift;
        use anyhow::{Context, Result};
        use sea_orm::sqlx::{self, AssertSqlSafe, Row};
        use std::collections::{BTreeMap, HashMap};
        use std::sync::Arc;
        use std::time::Instant;
        use time::OffsetDateTime;

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
            let (sql, setup) = (&shared.sql, &shared.setup);
            let register = sale.register;
            let now = OffsetDateTime::now_utc();
            let at = micros(now);
            let day = now.date().to_julian_day();
            let month = now
                .date()
                .replace_day(1)
                .map_or(day, |first| first.to_julian_day());

            // 2. The product and its open lots, locked.
            let rows = q(&sql.lock)
                .bind(sale.product)
                .fetch_all(&mut *conn)
                .await?;
            let Some(first) = rows.first() else {
                return Err(Failure::Broken(format!(
                    "product {} does not exist",
                    sale.product
                )));
            };
            let price: i64 = first.try_get("price_cents")?;
            let stock: i64 = first.try_get("stock_e3")?;
            let mut open = None;
            for row in &rows {
                let lot: Option<i64> = row.try_get("l_id")?;
                let remaining: Option<i64> = row.try_get("l_remaining_e3")?;
                let value: Option<i64> = row.try_get("l_remaining_value_cents")?;
                if let (Some(lot), Some(remaining), Some(value)) = (lot, remaining, value)
                    && remaining >= UNIT
                {
                    open = Some((lot, remaining, value));
                    break;
                }
            }
            let Some((lot, remaining, value)) = open else {
                return Ok(Outcome::Refused);
            };
            let cost = take_cost(remaining, value);

            // 3. The register's next number.
            let Some(number) = take_number(conn, shared, register.id).await? else {
                return Err(Failure::Broken(format!(
                    "register {} took no number: it is switched off, or the accounts, payment \
                     methods or tax rates changed during the run",
                    register.code
                )));
            };
            let invoice = format!("{}-{number:06}", register.code);

            // 4. The sale: walk-in, untaxed, paid exactly in cash.
            let done = q(&sql.insert_sale)
                .bind(register.id)
                .bind(number)
                .bind(invoice.as_str())
                .bind(day)
                .bind(None::<i64>)
                .bind(setup.user)
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
                .bind(at)
                .execute(&mut *conn)
                .await?;
            let sale_id = inserted(&done);

            // 5. Its line.
            let done = q(&sql.insert_line)
                .bind(sale_id)
                .bind(0_i32)
                .bind(sale.product)
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
                .bind(day)
                .bind(setup.user)
                .bind(None::<i64>)
                .bind(cost)
                .execute(&mut *conn)
                .await?;
            let line_id = inserted(&done);

            // 6. The line's take from the lot.
            q(&sql.insert_take)
                .bind(line_id)
                .bind(0_i32)
                .bind(lot)
                .bind(UNIT)
                .bind(cost)
                .execute(&mut *conn)
                .await?;

            // 7. The cash kept.
            q(&sql.insert_payment)
                .bind(sale_id)
                .bind(setup.cash_method)
                .bind(price)
                .execute(&mut *conn)
                .await?;

            // 8. The rollup, in key order (grain, dim, period, k).
            let mut rollup = q(&sql.rollup);
            for (grain, period) in [(0_i64, day), (1, month)] {
                for (dim, k, lines, quantity, line_cost) in [
                    (0_i64, 0_i64, 1_i64, UNIT, cost),
                    (1, sale.product, 1, UNIT, cost),
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
                        .bind(register.id)
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

            // 9. The lot, only if it still holds what is taken.
            let updated = q(&sql.update_lots)
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

            // 10. The product's stock, relative to the row.
            q(&sql.update_products)
                .bind(sale.product)
                .bind(UNIT)
                .bind(sale.product)
                .execute(&mut *conn)
                .await?;

            // 11. The inventory log.
            q(&sql.insert_movement)
                .bind(sale.product)
                .bind("sale")
                .bind(stock)
                .bind(stock - UNIT)
                .bind(sale_id)
                .bind(invoice.as_str())
                .bind(setup.user)
                .bind(at)
                .bind(day)
                .execute(&mut *conn)
                .await?;

            // 12. The entries (none for what is worth nothing, as the server).
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
            if entries.is_empty() {
                return Ok(Outcome::Sold);
            }
            let ids = insert_entries(conn, shared, &entries, sale_id, register.id, day, at).await?;

            // 13. Their lines; 14. the day sums of their accounts at the register.
            let mut lines = q(&sql.journal_lines[entries.len() * 2 - 1]);
            let mut sums: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
            for (id, (_, entry_lines)) in ids.iter().zip(&entries) {
                for (line_no, (account, side, amount)) in entry_lines.iter().enumerate() {
                    lines = lines
                        .bind(*id)
                        .bind(line_no as i32)
                        .bind(*account)
                        .bind(*side)
                        .bind(*amount)
                        .bind(None::<&str>)
                        .bind(None::<i64>)
                        .bind(day);
                    let sum = sums.entry(*account).or_default();
                    if *side == "debit" {
                        sum.0 += *amount;
                    } else {
                        sum.1 += *amount;
                    }
                }
            }
            lines.execute(&mut *conn).await?;
            let mut daily = q(&sql.ledger_daily[sums.len() - 1]);
            for (account, (debit, credit)) in &sums {
                daily = daily
                    .bind(day)
                    .bind(*account)
                    .bind(register.id)
                    .bind(*debit)
                    .bind(*credit);
            }
            daily.execute(&mut *conn).await?;
            Ok(Outcome::Sold)
        }

        /// The entries' rows, their ids in order: several in one statement with `RETURNING`
        /// where it works, else one insert each (as the server).
        #[allow(clippy::too_many_arguments)]
        async fn insert_entries(
            conn: &mut Conn,
            shared: &Shared,
            entries: &[Entry],
            sale_id: i64,
            register: i64,
            day: i32,
            at: i64,
        ) -> Result<Vec<i64>, Failure> {
            let user = shared.setup.user;
            let bind = |query: Q, memo: &str| {
                query
                    .bind(day)
                    .bind(memo)
                    .bind("sale")
                    .bind(sale_id)
                    .bind(user)
                    .bind(register)
                    .bind(at)
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
