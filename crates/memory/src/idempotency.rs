use crate::MemoryTx;
use async_trait::async_trait;
use pos_domain::error::{StoreError, Unique};
use pos_domain::idempotency::{IdempotencyKey, IdempotentRecord, RETENTION};
use pos_domain::ids::UserId;
use pos_domain::ports::IdempotencyRepo;
use time::OffsetDateTime;

#[async_trait]
impl IdempotencyRepo for MemoryTx {
    async fn find_idempotent(
        &mut self,
        user_id: UserId,
        key: &IdempotencyKey,
    ) -> Result<Option<IdempotentRecord>, StoreError> {
        let found = self
            .staged
            .idempotency
            .iter()
            .find(|r| r.user_id == user_id && &r.key == key);
        Ok(found.cloned())
    }

    async fn save_idempotent(&mut self, record: IdempotentRecord) -> Result<(), StoreError> {
        let expired_before = record.created_at - RETENTION;
        let same = |r: &IdempotentRecord| r.user_id == record.user_id && r.key == record.key;
        self.staged
            .idempotency
            .retain(|r| !(same(r) && r.created_at < expired_before));
        if self.staged.idempotency.iter().any(same) {
            return Err(StoreError::Duplicate(Unique::IdempotencyKey));
        }
        self.staged.idempotency.push(record);
        Ok(())
    }

    async fn purge_idempotent(&mut self, before: OffsetDateTime) -> Result<u64, StoreError> {
        let count = self.staged.idempotency.len();
        self.staged.idempotency.retain(|r| r.created_at >= before);
        Ok((count - self.staged.idempotency.len()) as u64)
    }
}
