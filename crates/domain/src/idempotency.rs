//! Idempotent money calls: a client retrying a POST with the same `Idempotency-Key` gets the
//! first response again, and the effect happens once.
//!
//! The key's record is written in the same transaction as the effect, with the response. A
//! concurrent duplicate therefore either sees the committed record (and replays it) or fails
//! on the key's unique index (and then replays it): there is never a second effect, and never a
//! record without its effect.

use crate::ids::UserId;
use std::fmt;
use time::{Duration, OffsetDateTime};

/// How long a key is remembered. The promise to clients is at least 24 hours.
pub const RETENTION: Duration = Duration::hours(48);

/// A client-chosen key: 1 to 128 printable ASCII characters (a UUID is typical).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an Idempotency-Key is 1 to 128 printable ASCII characters, such as a UUID")]
pub struct InvalidKey;

impl IdempotencyKey {
    pub fn new(raw: &str) -> Result<Self, InvalidKey> {
        let ok = (1..=128).contains(&raw.len()) && raw.chars().all(|c| c.is_ascii_graphic());
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidKey)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A remembered request and the response it got. Keys are scoped per user, so two users can
/// never collide or read each other's responses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotentRecord {
    pub user_id: UserId,
    pub key: IdempotencyKey,
    /// SHA-256 (hex) of the method, path and canonical JSON body.
    pub request_hash: String,
    pub status: u16,
    pub body: String,
    pub created_at: OffsetDateTime,
}

/// What to do with a request carrying a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replay<'a> {
    /// First time: run it and remember the response.
    Fresh,
    /// Seen with the same request: answer what was answered then.
    Same(&'a IdempotentRecord),
    /// Seen with a different request: refuse, the key was reused by mistake.
    Conflict,
}

pub fn decide<'a>(
    existing: Option<&'a IdempotentRecord>,
    request_hash: &str,
    now: OffsetDateTime,
) -> Replay<'a> {
    match existing {
        Some(record) if now - record.created_at > RETENTION => Replay::Fresh,
        Some(record) if record.request_hash == request_hash => Replay::Same(record),
        Some(_) => Replay::Conflict,
        None => Replay::Fresh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(hash: &str) -> IdempotentRecord {
        IdempotentRecord {
            user_id: UserId::new(1),
            key: IdempotencyKey::new("k-1").unwrap(),
            request_hash: hash.into(),
            status: 201,
            body: "{}".into(),
            created_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn same_request_replays_and_another_request_conflicts() {
        let r = record("abc");
        let soon = OffsetDateTime::UNIX_EPOCH + Duration::hours(1);
        assert_eq!(decide(Some(&r), "abc", soon), Replay::Same(&r));
        assert_eq!(decide(Some(&r), "xyz", soon), Replay::Conflict);
        assert_eq!(decide(None, "abc", soon), Replay::Fresh);
    }

    #[test]
    fn keys_are_remembered_for_at_least_a_day() {
        let r = record("abc");
        let day = OffsetDateTime::UNIX_EPOCH + Duration::hours(24);
        assert_eq!(decide(Some(&r), "abc", day), Replay::Same(&r));
        let later = OffsetDateTime::UNIX_EPOCH + RETENTION + Duration::seconds(1);
        assert_eq!(decide(Some(&r), "abc", later), Replay::Fresh);
    }

    #[test]
    fn keys_are_short_printable_ascii() {
        assert!(IdempotencyKey::new("0b7c6f1e-2f3a-4c5d-9e8f-1a2b3c4d5e6f").is_ok());
        assert_eq!(IdempotencyKey::new(""), Err(InvalidKey));
        assert_eq!(IdempotencyKey::new("has space"), Err(InvalidKey));
        assert_eq!(IdempotencyKey::new(&"k".repeat(129)), Err(InvalidKey));
    }
}
