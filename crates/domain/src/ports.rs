//! The driven ports: what the business needs from storage and media, as traits.
//!
//! Every use case runs inside one transaction: `let mut tx = store.begin().await?; ...;
//! tx.commit().await?`. Dropping a transaction without committing rolls it back, so an early
//! return on error can never leave half a change behind. Reads go through a transaction too,
//! so every query of a use case sees one consistent state.
//!
//! The ports are object safe (`async_trait`), so the HTTP layer holds one `Arc<dyn Store>` and
//! every adapter (SeaORM on MySQL or SQLite, in-memory) plugs in at start-up.

pub mod cash;
pub mod catalog;
mod idempotency;
pub mod integrity;
pub mod inventory;
pub mod ledger;
mod locations;
mod media;
pub mod purchasing;
mod registers;
pub mod reports;
pub mod sales;
mod sessions;
mod transfers;
mod users;

pub use cash::CashRepo;
pub use catalog::CatalogRepo;
pub use idempotency::IdempotencyRepo;
pub use integrity::IntegrityRepo;
pub use inventory::{InventoryRepo, StockOut, StockValue};
pub use ledger::{ActivityPage, LedgerRepo};
pub use locations::LocationRepo;
pub use media::{MediaError, MediaStore};
pub use purchasing::{PurchasingRepo, SuppliedProduct, SupplierTotals};
pub use registers::RegisterRepo;
pub use reports::{MethodTakings, ReportRepo};
pub use sales::{CustomerRepo, CustomerTotals, PurchasedProduct, SalesRepo};
pub use sessions::SessionRepo;
pub use transfers::TransferRepo;
pub use users::UserRepo;

use crate::error::StoreError;
use async_trait::async_trait;

/// The storage a shop runs on.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Starts a transaction for a use case that may write. Writers are serialised where the
    /// backend cannot lock rows (SQLite), so a read-modify-write inside one is never lost.
    async fn begin(&self) -> Result<Box<dyn Tx>, StoreError>;

    /// Starts a transaction that only reads. Adapters may let these run concurrently.
    async fn begin_read(&self) -> Result<Box<dyn Tx>, StoreError> {
        self.begin().await
    }

    /// Answers when the backend is reachable (readiness probe).
    async fn ping(&self) -> Result<(), StoreError>;

    /// The current role and locations of `user` while the login `family` is live: the user
    /// exists and is active, and some refresh session of that login is unrevoked. `None` once
    /// the login was ended (logout, reuse detected), the password changed or the user was
    /// deactivated. Asked on every authenticated request, outside any transaction: one indexed
    /// lookup, so every instance on the database sees a change on the very next request.
    async fn session_access(
        &self,
        user: crate::ids::UserId,
        family: &str,
    ) -> Result<Option<crate::user::Access>, StoreError>;

    /// The connection pool's figures now, for metrics. `None` where there is no pool (the
    /// in-memory adapter).
    fn pool_status(&self) -> Option<PoolStatus> {
        None
    }
}

/// A connection pool at one moment, as `GET /metrics` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStatus {
    /// Connections lent out (a transaction or a query holds them).
    pub in_use: u32,
    /// Open connections waiting in the pool.
    pub idle: u32,
    /// Since start, transactions that found no idle connection when they began, so waited for
    /// one to be returned or opened.
    pub waits: u64,
}

/// One transaction: every repository, then commit. Dropped uncommitted, it rolls back.
#[async_trait]
pub trait Tx:
    UserRepo
    + SessionRepo
    + CatalogRepo
    + LedgerRepo
    + IdempotencyRepo
    + InventoryRepo
    + PurchasingRepo
    + CustomerRepo
    + SalesRepo
    + RegisterRepo
    + LocationRepo
    + TransferRepo
    + CashRepo
    + IntegrityRepo
    + ReportRepo
    + Send
{
    async fn commit(self: Box<Self>) -> Result<(), StoreError>;
}
