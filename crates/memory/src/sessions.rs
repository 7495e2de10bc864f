use crate::MemoryTx;
use async_trait::async_trait;
use pos_domain::error::StoreError;
use pos_domain::ids::{SessionId, UserId};
use pos_domain::ports::SessionRepo;
use pos_domain::session::{NewSession, RefreshSession};
use time::OffsetDateTime;

impl MemoryTx {
    fn revoke_where(&mut self, at: OffsetDateTime, pick: impl Fn(&RefreshSession) -> bool) -> u64 {
        let mut revoked = 0;
        for session in self.staged.sessions.values_mut() {
            if session.revoked_at.is_none() && pick(session) {
                session.revoked_at = Some(at);
                revoked += 1;
            }
        }
        revoked
    }
}

#[async_trait]
impl SessionRepo for MemoryTx {
    async fn insert_session(&mut self, new: NewSession) -> Result<RefreshSession, StoreError> {
        let session = RefreshSession {
            id: SessionId::new(self.staged.next_id()),
            user_id: new.user_id,
            family: new.family,
            token_hash: new.token_hash,
            created_at: new.created_at,
            expires_at: new.expires_at,
            revoked_at: None,
        };
        self.staged
            .sessions
            .insert(session.id.get(), session.clone());
        Ok(session)
    }

    async fn find_session(
        &mut self,
        token_hash: &str,
    ) -> Result<Option<RefreshSession>, StoreError> {
        Ok(self
            .staged
            .sessions
            .values()
            .find(|s| s.token_hash == token_hash)
            .cloned())
    }

    async fn revoke_session(
        &mut self,
        id: SessionId,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        Ok(self.revoke_where(at, |s| s.id == id) == 1)
    }

    async fn revoke_family(&mut self, family: &str, at: OffsetDateTime) -> Result<u64, StoreError> {
        Ok(self.revoke_where(at, |s| s.family == family))
    }

    async fn revoke_user_sessions(
        &mut self,
        user_id: UserId,
        at: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        Ok(self.revoke_where(at, |s| s.user_id == user_id))
    }
}
