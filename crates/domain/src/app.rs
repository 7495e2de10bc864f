//! The application layer: the driving port. Every operation a client can invoke is one method
//! of [`App`], taking a command or query and answering a typed result or a [`ServiceError`];
//! a money-moving use case answers its own error instead, which lists every way it fails
//! (see [`crate::services::error::UseCaseError`]).
//!
//! A method opens its transaction, applies every policy (roles beyond the route's guard, credit
//! limits, the last admin, refund limits, posting authority, reversal rules), commits, and
//! assembles what the caller renders. Adapters that drive the shop (the HTTP crate, the demo
//! generator) parse, call and render; they never open a transaction or name a repository.
//!
//! Money-moving writes run through [`App::once`]: at most one effect per `Idempotency-Key`, the
//! key's record and the rendered reply stored in the effect's own transaction, and a transaction
//! that lost a lock race retried from the start.

pub mod admin;
pub mod auth;
pub mod cash;
pub mod catalog;
pub mod held;
pub mod ledger;
pub mod locations;
mod lookups;
pub mod parties;
pub mod purchasing;
pub mod registers;
pub mod reports;
pub mod sales;
pub mod stock;
pub mod transfers;
pub mod users;

pub use lookups::{
    AccountIndex, account_by_code, account_index, manual_account, method_by_code, method_filter,
};

use crate::catalog::Percent;
use crate::clock::Clock;
use crate::error::{StoreError, Unique};
use crate::idempotency::{IdempotencyKey, IdempotentRecord, Replay, decide};
use crate::ids::UserId;
use crate::money::Money;
use crate::ports::{PoolStatus, Store, Tx};
use crate::services::ServiceError;
use crate::services::error::{OnceError, Refusal};
use std::sync::Arc;
use time::{Date, OffsetDateTime, UtcOffset};

/// What every use case answers when it refuses.
pub type AppResult<T> = Result<T, ServiceError>;

/// The shop's settings that rules depend on.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The most staff may refund on one sale, all its returns together.
    pub staff_refund_limit: Money,
    /// The most staff may take off a sale in discounts, as a percent of its gross.
    pub staff_discount_limit: Percent,
    /// The shop's offset from UTC: documents are dated on the shop's calendar, and reports'
    /// "today" and "this month" are the shop's.
    pub shop_offset: UtcOffset,
    /// The most staff may pay out of a drawer at once; beyond it a manager.
    pub staff_payout_limit: Money,
    /// The most a count may differ from the expected cash for staff to close; beyond it a
    /// manager.
    pub close_tolerance: Money,
}

/// What the application tells its operator about (metrics, in the HTTP adapter).
pub trait Telemetry: Send + Sync {
    /// A transaction of `use_case` lost a lock race (`cause`) and is run again.
    fn transaction_retried(&self, use_case: &str, cause: &str);
}

/// Telemetry that records nothing (tests, the command line).
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Telemetry for Silent {
    fn transaction_retried(&self, _: &str, _: &str) {}
}

/// The shop's application: every use case, over the ports it was built with.
#[derive(Clone)]
pub struct App {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    policy: Arc<Policy>,
    telemetry: Arc<dyn Telemetry>,
}

/// How often a money-moving use case that hit lock contention (a deadlock, a lock wait timeout,
/// a busy database) is run from the start before the client is told to retry.
const ATTEMPTS: usize = 3;

/// A stored reply to a money-moving request: what the first request got, replayed to a retry
/// that carries the same `Idempotency-Key` and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    /// Replayed from the key's record rather than produced now.
    pub replayed: bool,
}

/// Renders a use case's result as the reply to store and send.
pub type Render<'a, T> = &'a (dyn Fn(&T) -> Result<Reply, String> + Sync);

/// The identity of one money-moving request, for [`App::once`].
pub struct Once<'a, T> {
    /// Keys are scoped per user.
    pub user: UserId,
    /// The client's `Idempotency-Key`, if it sent one.
    pub key: Option<IdempotencyKey>,
    /// A hash of what the request asked (method, path, canonical body): the same key with
    /// another request is refused.
    pub request_hash: String,
    /// The use case, as telemetry names it.
    pub use_case: &'a str,
    pub render: Render<'a, T>,
}

impl App {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, policy: Policy) -> Self {
        Self {
            store,
            clock,
            policy: Arc::new(policy),
            telemetry: Arc::new(Silent),
        }
    }

    pub fn with_telemetry(mut self, telemetry: Arc<dyn Telemetry>) -> Self {
        self.telemetry = telemetry;
        self
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The current time, to the microsecond (what every database stores exactly).
    pub fn now(&self) -> OffsetDateTime {
        let now = self.clock.now();
        now.replace_nanosecond(now.nanosecond() / 1_000 * 1_000)
            .unwrap_or(now)
    }

    /// Today on the shop's calendar.
    pub fn today(&self) -> Date {
        self.now().to_offset(self.policy.shop_offset).date()
    }

    /// A document's date: today (the shop's calendar) when none is given, else the given date
    /// if it is at most twenty years back and at most one day ahead.
    pub fn document_date(&self, date: Option<Date>) -> Result<Date, Refusal> {
        ledger::document_date(self.today(), date)
    }

    /// [`Self::document_date`] on the calendar of a location whose offset from UTC is
    /// `offset` (a store in another time zone dates its documents by its own day).
    pub fn document_date_at(
        &self,
        offset: time::UtcOffset,
        date: Option<Date>,
    ) -> Result<Date, Refusal> {
        ledger::document_date(self.now().to_offset(offset).date(), date)
    }

    /// The calendar offset of a register's store, from the static data (no round trip).
    pub(crate) async fn register_offset(
        &self,
        tx: &mut dyn Tx,
        register: crate::ids::RegisterId,
    ) -> Result<time::UtcOffset, StoreError> {
        let data = tx.static_data(false).await?;
        Ok(data.register_offset(register, self.policy.shop_offset))
    }

    /// Answers when the database is reachable (readiness probe).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.store.ping().await
    }

    /// The connection pool's figures now, where there is a pool.
    pub fn pool_status(&self) -> Option<PoolStatus> {
        self.store.pool_status()
    }

    /// The current role of `user` while the login `family` is live (see
    /// [`Store::session_access`]): one indexed lookup, outside any transaction.
    pub async fn session_access(
        &self,
        user: UserId,
        family: &str,
    ) -> Result<Option<crate::user::Access>, StoreError> {
        self.store.session_access(user, family).await
    }

    /// Runs `query` in a read-only transaction: one consistent state for all its reads.
    pub(crate) async fn read<T>(
        &self,
        query: impl AsyncFnOnce(&mut dyn Tx) -> AppResult<T>,
    ) -> AppResult<T> {
        let mut tx = self.store.begin_read().await?;
        query(tx.as_mut()).await
    }

    /// Runs `change` in one transaction and commits it; an error rolls everything back.
    pub(crate) async fn write<T>(
        &self,
        change: impl AsyncFnOnce(&mut dyn Tx) -> AppResult<T>,
    ) -> AppResult<T> {
        let mut tx = self.store.begin().await?;
        let out = change(tx.as_mut()).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Runs a money-moving `effect` at most once per key: the key's record and the rendered
    /// reply are stored in the same transaction as the effect. A transaction that fails on lock
    /// contention is rolled back and run again, up to [`ATTEMPTS`] times.
    pub(crate) async fn once<T, E: OnceError>(
        &self,
        once: Once<'_, T>,
        effect: impl AsyncFn(&mut dyn Tx, OffsetDateTime) -> Result<T, E>,
    ) -> Result<Reply, E> {
        let mut attempt = 1;
        loop {
            match self.once_attempt(&once, &effect).await {
                Err(e) if attempt < ATTEMPTS => match e.store() {
                    Some(StoreError::Contention(cause)) => {
                        self.telemetry.transaction_retried(once.use_case, cause);
                        attempt += 1;
                    }
                    _ => return Err(e),
                },
                outcome => return outcome,
            }
        }
    }

    async fn once_attempt<T, E: OnceError>(
        &self,
        once: &Once<'_, T>,
        effect: &impl AsyncFn(&mut dyn Tx, OffsetDateTime) -> Result<T, E>,
    ) -> Result<Reply, E> {
        let now = self.now();
        let mut tx = self.store.begin().await?;
        if let Some(key) = &once.key {
            match decide(
                tx.find_idempotent(once.user, key).await?.as_ref(),
                &once.request_hash,
                now,
            ) {
                Replay::Same(record) => return Ok(replayed(record)),
                Replay::Conflict => return Err(E::key_reused()),
                Replay::Fresh => {}
            }
        }
        let out = effect(tx.as_mut(), now).await?;
        let reply = (once.render)(&out).map_err(E::unrenderable)?;
        if let Some(key) = &once.key {
            let record = IdempotentRecord {
                user_id: once.user,
                key: key.clone(),
                request_hash: once.request_hash.clone(),
                status: reply.status,
                body: reply.body.clone(),
                created_at: now,
            };
            match tx.save_idempotent(record).await {
                Ok(()) => {}
                Err(StoreError::Duplicate(Unique::IdempotencyKey)) => {
                    // A concurrent request with this key committed first: undo ours, answer
                    // with theirs.
                    drop(tx);
                    let mut read = self.store.begin_read().await?;
                    let winner = read.find_idempotent(once.user, key).await?;
                    return match decide(winner.as_ref(), &once.request_hash, now) {
                        Replay::Same(record) => Ok(replayed(record)),
                        _ => Err(E::key_reused()),
                    };
                }
                Err(other) => return Err(other.into()),
            }
        }
        tx.commit().await?;
        Ok(reply)
    }
}

fn replayed(record: &IdempotentRecord) -> Reply {
    Reply {
        status: record.status,
        body: record.body.clone(),
        replayed: true,
    }
}
