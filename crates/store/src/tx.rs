//! One transaction, implementing every repository port (see `users`, `sessions`, `catalog`,
//! `ledger`, `idempotency`, `purchasing`, `inventory`, `customers`, `sales`, `integrity`).

use crate::errors::db_err;
use async_trait::async_trait;
use pos_domain::StoreError;
use pos_domain::ports::Tx;
use sea_orm::DatabaseTransaction;

/// An open transaction. Dropped without [`Tx::commit`], it rolls back.
pub struct SeaTx {
    txn: DatabaseTransaction,
}

impl SeaTx {
    pub(crate) fn new(txn: DatabaseTransaction) -> Self {
        Self { txn }
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
