use crate::error::StoreError;
use crate::ids::EntryId;
use crate::integrity::StockAudit;
use crate::money::Money;
use async_trait::async_trait;

/// Aggregates for the integrity check, computed by the store over all its data.
#[async_trait]
pub trait IntegrityRepo: Send {
    /// Entries whose debits and credits differ: (entry, debits, credits).
    async fn unbalanced_entries(&mut self) -> Result<Vec<(EntryId, Money, Money)>, StoreError>;
    /// Every product's cached stock, the sum of its lots and the sum of its logged changes,
    /// ordered by product id.
    async fn stock_audit(&mut self) -> Result<Vec<StockAudit>, StoreError>;
    /// What customers owe on their sales and what is owed to suppliers on purchases:
    /// sums of total - paid - credited.
    async fn open_dues(&mut self) -> Result<(Money, Money), StoreError>;
    /// Days whose stored per-account sums (if the adapter keeps any) differ from the journal:
    /// (day, the lines' debits, the stored debits), both ways.
    /// Days whose stored report sums (if the adapter keeps any) differ from their sale lines:
    /// (day, the lines' charged total, the report sums' total). Adapters that compute reports
    /// from the sales themselves return none.
    async fn ledger_sums_drift(&mut self) -> Result<Vec<(time::Date, Money, Money)>, StoreError>;
    async fn report_sums_drift(&mut self) -> Result<Vec<(time::Date, Money, Money)>, StoreError>;
}
