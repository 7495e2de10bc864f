//! Administration: the integrity check and other whole-shop operations.

use crate::app::{App, AppResult};
use crate::integrity::{Discrepancy, check};

impl App {
    /// The integrity check, in one read-only transaction: every journal entry balances; each
    /// product's stock equals its lots and its inventory log; the inventory account equals the
    /// lots' value; receivables and payables equal the open dues; the daily and report sums
    /// equal the lines they sum. An empty list means everything agrees; it refuses nothing.
    pub async fn integrity_check(&self) -> AppResult<Vec<Discrepancy>> {
        self.read(async |tx| Ok(check(tx).await?)).await
    }
}
