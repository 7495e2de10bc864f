//! Refresh-token sessions and the rotation rule that detects a stolen token.
//!
//! A login starts a *family*. Each refresh revokes the presented token and issues its successor
//! in the same family. A revoked token presented again means two parties hold the family (one of
//! them a thief), so the whole family is revoked and both must log in again.

use crate::ids::{SessionId, UserId};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshSession {
    pub id: SessionId,
    pub user_id: UserId,
    /// Shared by every token descended from one login.
    pub family: String,
    /// SHA-256 of the token, hex. The token itself is never stored.
    pub token_hash: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub user_id: UserId,
    pub family: String,
    pub token_hash: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

/// What to do with a presented refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshVerdict {
    /// Rotate: revoke this one and issue a successor in the same family.
    Rotate,
    /// Past its expiry: refuse.
    Expired,
    /// Already revoked: someone replayed it. Revoke the whole family and refuse.
    Reused,
}

pub fn assess_refresh(session: &RefreshSession, now: OffsetDateTime) -> RefreshVerdict {
    if session.revoked_at.is_some() {
        RefreshVerdict::Reused
    } else if now >= session.expires_at {
        RefreshVerdict::Expired
    } else {
        RefreshVerdict::Rotate
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    fn session(revoked: bool) -> RefreshSession {
        let t0 = OffsetDateTime::UNIX_EPOCH;
        RefreshSession {
            id: SessionId::new(1),
            user_id: UserId::new(1),
            family: "f".into(),
            token_hash: "h".into(),
            created_at: t0,
            expires_at: t0 + Duration::days(7),
            revoked_at: revoked.then_some(t0 + Duration::hours(1)),
        }
    }

    #[test]
    fn a_live_token_rotates() {
        let now = OffsetDateTime::UNIX_EPOCH + Duration::days(1);
        assert_eq!(assess_refresh(&session(false), now), RefreshVerdict::Rotate);
    }

    #[test]
    fn a_revoked_token_presented_again_is_reuse() {
        let now = OffsetDateTime::UNIX_EPOCH + Duration::days(1);
        assert_eq!(assess_refresh(&session(true), now), RefreshVerdict::Reused);
    }

    #[test]
    fn an_expired_token_is_refused() {
        let now = OffsetDateTime::UNIX_EPOCH + Duration::days(7);
        assert_eq!(
            assess_refresh(&session(false), now),
            RefreshVerdict::Expired
        );
    }
}
