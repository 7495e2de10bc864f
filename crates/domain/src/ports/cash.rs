//! Cash sessions, their movements and the figures the ledger holds for each.

use crate::cash::{
    CashMovement, CashReason, CashSession, Closing, Direction, NewCashMovement, Opening,
};
use crate::error::StoreError;
use crate::ids::{AccountId, CashSessionId, RegisterId, UserId};
use crate::ledger::SourceKind;
use crate::money::Money;
use crate::paging::{ListQuery, Page};
use async_trait::async_trait;
use time::OffsetDateTime;

/// Which sessions a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionFilter {
    pub register: Option<RegisterId>,
    /// Opened by this user.
    pub user: Option<UserId>,
    /// `Some(true)`: only open ones; `Some(false)`: only closed ones.
    pub open: Option<bool>,
    /// Opened at or after.
    pub from: Option<OffsetDateTime>,
    /// Opened before.
    pub to: Option<OffsetDateTime>,
    /// Closed at or after (so closed).
    pub closed_from: Option<OffsetDateTime>,
    /// Closed before (so closed).
    pub closed_to: Option<OffsetDateTime>,
}

/// One account's sums over the entries one user posted of one kind in a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPosting {
    pub user_id: UserId,
    pub kind: SourceKind,
    pub account_id: AccountId,
    pub debit: Money,
    pub credit: Money,
}

/// How many documents (sales, returns, movements) one user made of one kind in a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionDocuments {
    pub user_id: UserId,
    pub kind: SourceKind,
    pub count: u64,
}

/// A reason as a shop adds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCashReason {
    pub code: String,
    pub name: String,
    pub direction: Direction,
    pub account_id: AccountId,
}

#[async_trait]
pub trait CashRepo: Send {
    /// Locks the register's row until the transaction ends and answers its open session. Every
    /// document at a register and every close take this lock (a sale takes it with its invoice
    /// number), so a close and the documents of its session are never interleaved.
    async fn lock_open_session(
        &mut self,
        register: RegisterId,
    ) -> Result<Option<CashSession>, StoreError>;
    /// The register's open session, read without a lock.
    async fn open_session(
        &mut self,
        register: RegisterId,
    ) -> Result<Option<CashSession>, StoreError>;
    async fn find_cash_session(
        &mut self,
        id: CashSessionId,
    ) -> Result<Option<CashSession>, StoreError>;
    /// `Duplicate(Unique::OpenSession)` when the register already has an open session.
    async fn insert_cash_session(&mut self, opening: Opening) -> Result<CashSession, StoreError>;
    /// Takes the register's next Z number (gapless: the register's row is locked until the
    /// transaction ends, and a rollback gives it back).
    async fn take_z_number(&mut self, register: RegisterId) -> Result<i64, StoreError>;
    /// Closes the open session `id`. `NotFound` when it is not open.
    async fn close_cash_session(
        &mut self,
        id: CashSessionId,
        closing: Closing,
    ) -> Result<CashSession, StoreError>;
    /// Sessions, newest first.
    async fn list_cash_sessions(
        &mut self,
        query: ListQuery<SessionFilter, ()>,
    ) -> Result<Page<CashSession>, StoreError>;
    /// Each account's sums over the session's entries, per user and kind of source.
    async fn session_postings(
        &mut self,
        id: CashSessionId,
    ) -> Result<Vec<SessionPosting>, StoreError>;
    /// How many documents of each kind each user made in the session.
    async fn session_documents(
        &mut self,
        id: CashSessionId,
    ) -> Result<Vec<SessionDocuments>, StoreError>;
    /// The documents whose entries were posted in the session (sales, returns, cash movements,
    /// the close): their kind and id, in the order they were posted.
    async fn session_sources(
        &mut self,
        id: CashSessionId,
    ) -> Result<Vec<(SourceKind, i64)>, StoreError>;
    /// Entries tagged with a session they cannot belong to: one that does not exist, another
    /// register's, or one not open when they were posted (before it opened, after it closed).
    async fn misplaced_session_entries(
        &mut self,
    ) -> Result<Vec<(crate::ids::EntryId, CashSessionId)>, StoreError>;
    /// Every reason, by code.
    async fn cash_reasons(&mut self) -> Result<Vec<CashReason>, StoreError>;
    /// `Duplicate(Unique::CashReasonCode)` when the code is taken.
    async fn insert_cash_reason(&mut self, reason: NewCashReason)
    -> Result<CashReason, StoreError>;
    /// Records a movement; its entry is posted with its id as the source id.
    async fn insert_cash_movement(
        &mut self,
        movement: NewCashMovement,
    ) -> Result<CashMovement, StoreError>;
    /// A session's movements, in order.
    async fn session_movements(
        &mut self,
        id: CashSessionId,
    ) -> Result<Vec<CashMovement>, StoreError>;
}
