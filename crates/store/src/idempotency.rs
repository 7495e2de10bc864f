//! Remembered responses to money-moving requests ([`IdempotencyRepo`]).
//!
//! A record is written in the transaction of the effect it remembers, so the unique index on
//! (user, key) is what turns a concurrent duplicate into `Duplicate(IdempotencyKey)`: on MySQL
//! the second insert waits for the first transaction and then clashes; SQLite writers are
//! serialised already.

use crate::entities::idempotency_keys;
use crate::errors::{corrupt, db_err};
use crate::timestamps::{from_micros, to_micros};
use crate::tx::SeaTx;
use async_trait::async_trait;
use pos_domain::StoreError;
use pos_domain::idempotency::{IdempotencyKey, IdempotentRecord, RETENTION};
use pos_domain::ids::UserId;
use pos_domain::ports::IdempotencyRepo;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use time::OffsetDateTime;

use idempotency_keys::Column as K;

fn to_record(row: idempotency_keys::Model) -> Result<IdempotentRecord, StoreError> {
    Ok(IdempotentRecord {
        user_id: UserId::new(row.user_id),
        key: IdempotencyKey::new(&row.idem_key).map_err(|e| corrupt("idempotency key", e))?,
        request_hash: row.request_hash,
        status: u16::try_from(row.status).map_err(|e| corrupt("response status", e))?,
        body: row.body,
        created_at: from_micros(row.created_at)?,
    })
}

impl SeaTx {
    async fn find_idempotent_row(
        &self,
        user_id: UserId,
        key: &IdempotencyKey,
    ) -> Result<Option<idempotency_keys::Model>, StoreError> {
        idempotency_keys::Entity::find()
            .filter(K::UserId.eq(user_id.get()))
            .filter(K::IdemKey.eq(key.as_str()))
            .one(self.conn())
            .await
            .map_err(db_err)
    }
}

#[async_trait]
impl IdempotencyRepo for SeaTx {
    async fn find_idempotent(
        &mut self,
        user_id: UserId,
        key: &IdempotencyKey,
    ) -> Result<Option<IdempotentRecord>, StoreError> {
        self.find_idempotent_row(user_id, key)
            .await?
            .map(to_record)
            .transpose()
    }

    async fn save_idempotent(&mut self, record: IdempotentRecord) -> Result<(), StoreError> {
        // An expired record of the same key gives way. It is read first and deleted by id, not
        // by a `DELETE ... WHERE user_id AND idem_key`: on MySQL, such a delete matching nothing
        // takes a gap lock, and two concurrent first uses of a key would then deadlock on
        // their inserts instead of the second failing cleanly as a duplicate.
        let expired_before = record
            .created_at
            .checked_sub(RETENTION)
            .map_or(i64::MIN, to_micros);
        if let Some(existing) = self
            .find_idempotent_row(record.user_id, &record.key)
            .await?
            && existing.created_at < expired_before
        {
            idempotency_keys::Entity::delete_many()
                .filter(K::Id.eq(existing.id))
                .filter(K::CreatedAt.lt(expired_before))
                .exec(self.conn())
                .await
                .map_err(db_err)?;
        }
        let row = idempotency_keys::ActiveModel {
            id: NotSet,
            user_id: Set(record.user_id.get()),
            idem_key: Set(record.key.as_str().to_owned()),
            request_hash: Set(record.request_hash),
            status: Set(i32::from(record.status)),
            body: Set(record.body),
            created_at: Set(to_micros(record.created_at)),
        };
        idempotency_keys::Entity::insert(row)
            .exec(self.conn())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn purge_idempotent(&mut self, before: OffsetDateTime) -> Result<u64, StoreError> {
        let purged = idempotency_keys::Entity::delete_many()
            .filter(K::CreatedAt.lt(to_micros(before)))
            .exec(self.conn())
            .await
            .map_err(db_err)?;
        Ok(purged.rows_affected)
    }
}
