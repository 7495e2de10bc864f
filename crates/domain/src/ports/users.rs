use crate::error::StoreError;
use crate::ids::UserId;
use crate::paging::{ListQuery, Page};
use crate::user::{
    FailureKey, LoginAttempt, NewUser, PasswordHash, User, UserChanges, UserFilter, UserSort,
};
use async_trait::async_trait;

/// Staff accounts and their login audit trail.
#[async_trait]
pub trait UserRepo: Send {
    /// Fails with `Duplicate(UserEmail | Username)` when either is taken.
    async fn insert_user(&mut self, user: NewUser) -> Result<User, StoreError>;

    async fn find_user(&mut self, id: UserId) -> Result<Option<User>, StoreError>;

    /// The locations the user is assigned to, by id (none: every location).
    async fn user_locations(
        &mut self,
        id: UserId,
    ) -> Result<Vec<crate::ids::LocationId>, StoreError>;

    /// Replaces the user's locations with `locations` (empty: every location).
    async fn set_user_locations(
        &mut self,
        id: UserId,
        locations: &[crate::ids::LocationId],
    ) -> Result<(), StoreError>;

    /// The user whose email or username is `login` (already lower-cased), with the password
    /// hash to check against.
    async fn find_credentials(
        &mut self,
        login: &str,
    ) -> Result<Option<(User, PasswordHash)>, StoreError>;

    async fn password_hash(&mut self, id: UserId) -> Result<Option<PasswordHash>, StoreError>;

    /// The user and their password hash, locking the user's row until the transaction ends
    /// (`FOR UPDATE` on MySQL; SQLite and memory writers are exclusive anyway): a login or a
    /// password change that checked a hash outside the transaction confirms it here, and a
    /// concurrent password reset or deactivation waits for it or is seen by it.
    async fn lock_user(&mut self, id: UserId) -> Result<Option<(User, PasswordHash)>, StoreError>;

    async fn list_users(
        &mut self,
        query: &ListQuery<UserFilter, UserSort>,
    ) -> Result<Page<User>, StoreError>;

    /// Applies the changes and stamps `updated_at`. `NotFound` when there is no such user.
    async fn update_user(
        &mut self,
        id: UserId,
        changes: UserChanges,
        at: time::OffsetDateTime,
    ) -> Result<User, StoreError>;

    async fn count_active_admins(&mut self) -> Result<u64, StoreError>;

    async fn count_users(&mut self) -> Result<u64, StoreError>;

    /// Records an attempt; on success also sets the user's `last_login_at`. Returns its id.
    async fn record_login(&mut self, attempt: LoginAttempt) -> Result<i64, StoreError>;

    /// Turns a recorded failed attempt into a success (the password checked out after it was
    /// recorded) and sets the user's `last_login_at`.
    async fn mark_login_succeeded(
        &mut self,
        attempt: i64,
        user: UserId,
        at: time::OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// The instants of the newest failed logins for `key` since `since`, newest first, at most
    /// `limit` of them. For an identifier, only failures after its latest success count.
    async fn recent_failures(
        &mut self,
        key: FailureKey<'_>,
        since: time::OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<time::OffsetDateTime>, StoreError>;

    /// The most recent attempts, newest first (audit).
    async fn recent_logins(&mut self, limit: u32) -> Result<Vec<LoginAttempt>, StoreError>;
}
