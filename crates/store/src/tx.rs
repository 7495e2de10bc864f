//! One transaction, implementing every repository port (see `users`, `sessions`, `catalog`,
//! `ledger`, `idempotency`, `purchasing`, `inventory`, `customers`, `sales`, `integrity`).

use crate::errors::db_err;
use crate::registers::StaticCache;
use async_trait::async_trait;
use pos_domain::StoreError;
use pos_domain::ports::Tx;
use sea_orm::DatabaseTransaction;
use std::sync::Arc;

/// An open transaction. Dropped without [`Tx::commit`], it rolls back.
pub struct SeaTx {
    txn: DatabaseTransaction,
    statics: Arc<StaticCache>,
    /// `INSERT ... RETURNING` works (SQLite, MariaDB; not MySQL).
    returning: bool,
    /// This transaction changed the static data (see `registers`).
    pub(crate) changed_statics: bool,
    /// SQLite: this process's turn to write, held until the transaction ends (see
    /// `SeaStore::begin`).
    _writer: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl SeaTx {
    pub(crate) fn new(
        txn: DatabaseTransaction,
        statics: Arc<StaticCache>,
        returning: bool,
        writer: Option<tokio::sync::OwnedSemaphorePermit>,
    ) -> Self {
        Self {
            txn,
            statics,
            returning,
            changed_statics: false,
            _writer: writer,
        }
    }

    /// The process's snapshot of the static data.
    pub(crate) fn statics(&self) -> &StaticCache {
        &self.statics
    }

    pub(crate) fn returning(&self) -> bool {
        self.returning
    }

    /// The connection every query of the use case goes through.
    pub(crate) fn conn(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

#[async_trait]
impl Tx for SeaTx {
    async fn commit(self: Box<Self>) -> Result<(), StoreError> {
        self.txn.commit().await.map_err(db_err)
    }
}
