//! Refresh-token sessions ([`SessionRepo`]).

use crate::entities::refresh_sessions;
use crate::errors::db_err;
use crate::timestamps::{as_stored, from_micros, from_micros_opt, to_micros};
use crate::tx::SeaTx;
use async_trait::async_trait;
use pos_domain::StoreError;
use pos_domain::ids::{SessionId, UserId};
use pos_domain::ports::SessionRepo;
use pos_domain::session::{NewSession, RefreshSession};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use time::OffsetDateTime;

use refresh_sessions::Column as S;

fn to_session(row: refresh_sessions::Model) -> Result<RefreshSession, StoreError> {
    Ok(RefreshSession {
        id: SessionId::new(row.id),
        user_id: UserId::new(row.user_id),
        family: row.family,
        token_hash: row.token_hash,
        created_at: from_micros(row.created_at)?,
        expires_at: from_micros(row.expires_at)?,
        revoked_at: from_micros_opt(row.revoked_at)?,
    })
}

impl SeaTx {
    /// Stamps `revoked_at` on the live sessions matching `which`; returns how many.
    ///
    /// `revoked_at IS NULL` in the WHERE clause makes each revocation a compare-and-set: of two
    /// transactions racing on one session, only one sees a row affected.
    async fn revoke_where(&self, which: Condition, at: OffsetDateTime) -> Result<u64, StoreError> {
        let result = refresh_sessions::Entity::update_many()
            .col_expr(S::RevokedAt, Expr::value(to_micros(at)))
            .filter(which)
            .filter(S::RevokedAt.is_null())
            .exec(self.conn())
            .await
            .map_err(db_err)?;
        Ok(result.rows_affected)
    }
}

#[async_trait]
impl SessionRepo for SeaTx {
    async fn insert_session(&mut self, session: NewSession) -> Result<RefreshSession, StoreError> {
        let row = refresh_sessions::ActiveModel {
            id: NotSet,
            user_id: Set(session.user_id.get()),
            family: Set(session.family.clone()),
            token_hash: Set(session.token_hash.clone()),
            created_at: Set(to_micros(session.created_at)),
            expires_at: Set(to_micros(session.expires_at)),
            revoked_at: Set(None),
        };
        let id = refresh_sessions::Entity::insert(row)
            .exec(self.conn())
            .await
            .map_err(db_err)?
            .last_insert_id;
        Ok(RefreshSession {
            id: SessionId::new(id),
            user_id: session.user_id,
            family: session.family,
            token_hash: session.token_hash,
            created_at: as_stored(session.created_at),
            expires_at: as_stored(session.expires_at),
            revoked_at: None,
        })
    }

    async fn find_session(
        &mut self,
        token_hash: &str,
    ) -> Result<Option<RefreshSession>, StoreError> {
        refresh_sessions::Entity::find()
            .filter(S::TokenHash.eq(token_hash))
            .one(self.conn())
            .await
            .map_err(db_err)?
            .map(to_session)
            .transpose()
    }

    async fn revoke_session(
        &mut self,
        id: SessionId,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let revoked = self
            .revoke_where(Condition::all().add(S::Id.eq(id.get())), at)
            .await?;
        Ok(revoked == 1)
    }

    async fn revoke_family(&mut self, family: &str, at: OffsetDateTime) -> Result<u64, StoreError> {
        self.revoke_where(Condition::all().add(S::Family.eq(family)), at)
            .await
    }

    async fn revoke_user_sessions(
        &mut self,
        user_id: UserId,
        at: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        self.revoke_where(Condition::all().add(S::UserId.eq(user_id.get())), at)
            .await
    }
}
