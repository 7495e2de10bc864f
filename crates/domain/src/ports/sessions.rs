use crate::error::StoreError;
use crate::ids::{SessionId, UserId};
use crate::session::{NewSession, RefreshSession};
use async_trait::async_trait;
use time::OffsetDateTime;

/// Refresh-token sessions, stored by token hash only.
#[async_trait]
pub trait SessionRepo: Send {
    async fn insert_session(&mut self, session: NewSession) -> Result<RefreshSession, StoreError>;

    async fn find_session(
        &mut self,
        token_hash: &str,
    ) -> Result<Option<RefreshSession>, StoreError>;

    /// Revokes one session if it is still live; returns whether it was live. Used as a
    /// compare-and-set so two refreshes racing with one token cannot both rotate it.
    async fn revoke_session(
        &mut self,
        id: SessionId,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError>;

    /// Revokes every live session of a family (token reuse detected).
    async fn revoke_family(&mut self, family: &str, at: OffsetDateTime) -> Result<u64, StoreError>;

    /// Revokes every live session of a user (deactivation, password change).
    async fn revoke_user_sessions(
        &mut self,
        user_id: UserId,
        at: OffsetDateTime,
    ) -> Result<u64, StoreError>;
}
