//! An in-memory adapter of every port, for fast tests and for trying the API without a database.
//!
//! A transaction takes the store's lock for its whole life and works on a copy of the state;
//! commit swaps the copy in, drop throws it away. Transactions are therefore serialised, which
//! gives the same guarantees the SQL adapter gets from its locks.

mod cash;
mod catalog;
mod documents;
mod idempotency;
mod integrity;
mod inventory;
mod ledger;
mod locations;
mod media;
mod parties;
mod purchasing;
mod registers;
mod reports;
mod sales;
mod sessions;
mod state;
mod transfers;
mod users;

pub use media::MemoryMedia;

use async_trait::async_trait;
use pos_domain::StoreError;
use pos_domain::ports::{Store, Tx};
use state::State;
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedMutexGuard};

#[derive(Clone, Default)]
pub struct MemoryStore {
    state: Arc<Mutex<State>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }
}

pub struct MemoryTx {
    guard: OwnedMutexGuard<State>,
    staged: State,
}

#[async_trait]
impl Store for MemoryStore {
    async fn begin(&self) -> Result<Box<dyn Tx>, StoreError> {
        let guard = Arc::clone(&self.state).lock_owned().await;
        let staged = guard.clone();
        Ok(Box::new(MemoryTx { guard, staged }))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        Ok(())
    }

    async fn session_access(
        &self,
        user: pos_domain::ids::UserId,
        family: &str,
    ) -> Result<Option<pos_domain::user::Access>, StoreError> {
        let state = self.state.lock().await;
        let live = state
            .sessions
            .values()
            .any(|s| s.user_id == user && s.family == family && s.revoked_at.is_none());
        let assigned = state
            .user_locations
            .get(&user.get())
            .cloned()
            .unwrap_or_default();
        Ok(state
            .users
            .get(&user.get())
            .filter(|(u, _)| live && u.active)
            .map(|(u, _)| pos_domain::user::Access {
                role: u.role,
                stores: pos_domain::user::Stores::of(u.role, assigned),
            }))
    }
}

#[async_trait]
impl Tx for MemoryTx {
    async fn commit(self: Box<Self>) -> Result<(), StoreError> {
        let MemoryTx { mut guard, staged } = *self;
        *guard = staged;
        Ok(())
    }
}
