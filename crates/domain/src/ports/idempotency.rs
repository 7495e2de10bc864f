use crate::error::StoreError;
use crate::idempotency::{IdempotencyKey, IdempotentRecord};
use crate::ids::UserId;
use async_trait::async_trait;
use time::OffsetDateTime;

/// Remembered responses to money-moving requests.
#[async_trait]
pub trait IdempotencyRepo: Send {
    async fn find_idempotent(
        &mut self,
        user_id: UserId,
        key: &IdempotencyKey,
    ) -> Result<Option<IdempotentRecord>, StoreError>;

    /// Stores the record, replacing an expired one for the same user and key.
    /// `Duplicate(IdempotencyKey)` when a live record exists (a concurrent request won).
    async fn save_idempotent(&mut self, record: IdempotentRecord) -> Result<(), StoreError>;

    /// Forgets records created before `before`; returns how many.
    async fn purge_idempotent(&mut self, before: OffsetDateTime) -> Result<u64, StoreError>;
}
