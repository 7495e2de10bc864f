//! Staff accounts, their roles, and the rules that keep a shop administrable.

use crate::ids::UserId;
use crate::text::{Email, Name, Username};
use std::fmt;
use std::str::FromStr;
use time::OffsetDateTime;

/// What a member of staff may do. Ordered by power: `Staff < Manager < Admin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Sells at the counter and takes payments.
    Staff,
    /// Runs the shop: catalog, purchasing, expenses, reports, price overrides.
    Manager,
    /// Everything, including users and settings.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Manager, Role::Staff];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Staff => "staff",
        }
    }

    /// Whether this role includes everything `required` may do.
    pub fn at_least(self, required: Role) -> bool {
        self >= required
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}: expected admin, manager or staff")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "admin" => Ok(Role::Admin),
            "manager" => Ok(Role::Manager),
            "staff" => Ok(Role::Staff),
            other => Err(UnknownRole(other.to_owned())),
        }
    }
}

/// A bcrypt hash of a password. Never a password itself.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    pub fn from_hash(hash: String) -> Self {
        Self(hash)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(..)")
    }
}

/// A password as typed, checked against the length rules. bcrypt only reads the first 72
/// bytes, so a longer password is refused rather than silently truncated.
#[derive(Clone)]
pub struct Password(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("must be at least {} characters long", Password::MIN_CHARS)]
    TooShort,
    #[error(
        "must be at most {} bytes long (bcrypt ignores the rest)",
        Password::MAX_BYTES
    )]
    TooLong,
}

impl Password {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_BYTES: usize = 72;

    pub fn new(raw: String) -> Result<Self, PasswordError> {
        if raw.len() > Self::MAX_BYTES {
            return Err(PasswordError::TooLong);
        }
        if raw.chars().count() < Self::MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        Ok(Self(raw))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(..)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub username: Username,
    pub email: Email,
    pub name: Name,
    pub role: Role,
    pub active: bool,
    pub last_login_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub email: Email,
    pub name: Name,
    pub role: Role,
    pub password_hash: PasswordHash,
    pub at: OffsetDateTime,
}

/// A partial update of a user; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub username: Option<Username>,
    pub email: Option<Email>,
    pub name: Option<Name>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub password_hash: Option<PasswordHash>,
}

impl UserChanges {
    pub fn is_empty(&self) -> bool {
        self.username.is_none()
            && self.email.is_none()
            && self.name.is_none()
            && self.role.is_none()
            && self.active.is_none()
            && self.password_hash.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the shop must keep at least one active admin: promote another user first")]
pub struct LastAdminError;

/// Refuses a change that would leave the shop with no active admin.
///
/// `active_admins` counts the active admins before the change, `target` included.
pub fn ensure_an_admin_remains(
    target: &User,
    changes: &UserChanges,
    active_admins: u64,
) -> Result<(), LastAdminError> {
    let is_active_admin = target.active && target.role == Role::Admin;
    let stays_active_admin = changes.active.unwrap_or(target.active)
        && changes.role.unwrap_or(target.role) == Role::Admin;
    if is_active_admin && !stays_active_admin && active_admins <= 1 {
        return Err(LastAdminError);
    }
    Ok(())
}

/// Search and filters for the user list.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// Matches name, username or email.
    pub q: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserSort {
    #[default]
    Name,
    Username,
    CreatedAt,
    LastLoginAt,
}

/// One login attempt, kept for audit whether it succeeded or not.
#[derive(Debug, Clone)]
pub struct LoginAttempt {
    /// The account the identifier matched, if any.
    pub user_id: Option<UserId>,
    /// What was typed as email or username (truncated), to spot guessing.
    pub identifier: String,
    pub success: bool,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub at: OffsetDateTime,
}

/// What failed logins are counted by: the account asked for, or the client's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKey<'a> {
    /// An existing account, whichever of its email and username was typed: failures since
    /// its last success.
    User(UserId),
    /// The typed identifier (lower-cased) of no account: failures since its last success.
    Identifier(&'a str),
    /// The client address: every failure from it.
    Ip(&'a str),
}

/// A limit on failed logins over a sliding window, kept in the stored login attempts so that
/// every app instance on the database counts the same failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureLimit {
    pub max_failures: u32,
    pub window: time::Duration,
}

impl FailureLimit {
    /// When the next attempt may be made, given the newest failures in the window (newest
    /// first, at most `max_failures` of them): `None` while fewer than `max_failures` failed.
    pub fn blocked_until(&self, newest_first: &[OffsetDateTime]) -> Option<OffsetDateTime> {
        let limit = usize::try_from(self.max_failures).ok()?;
        if limit == 0 || newest_first.len() < limit {
            return None;
        }
        // The attempt after the oldest of the last `max_failures` leaves the window frees a try.
        newest_first
            .get(limit - 1)
            .map(|oldest| *oldest + self.window)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, active: bool) -> User {
        let at = OffsetDateTime::UNIX_EPOCH;
        User {
            id: UserId::new(1),
            username: Username::new("boss").unwrap(),
            email: Email::new("boss@shop.test").unwrap(),
            name: Name::new("Boss").unwrap(),
            role,
            active,
            last_login_at: None,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn the_last_active_admin_cannot_be_demoted_or_deactivated() {
        let admin = user(Role::Admin, true);
        let demote = UserChanges {
            role: Some(Role::Manager),
            ..Default::default()
        };
        let deactivate = UserChanges {
            active: Some(false),
            ..Default::default()
        };
        assert_eq!(
            ensure_an_admin_remains(&admin, &demote, 1),
            Err(LastAdminError)
        );
        assert_eq!(
            ensure_an_admin_remains(&admin, &deactivate, 1),
            Err(LastAdminError)
        );
    }

    #[test]
    fn an_admin_can_be_demoted_when_another_remains() {
        let admin = user(Role::Admin, true);
        let demote = UserChanges {
            role: Some(Role::Staff),
            ..Default::default()
        };
        assert_eq!(ensure_an_admin_remains(&admin, &demote, 2), Ok(()));
    }

    #[test]
    fn renaming_the_last_admin_is_fine() {
        let admin = user(Role::Admin, true);
        let rename = UserChanges {
            name: Some(Name::new("Owner").unwrap()),
            ..Default::default()
        };
        assert_eq!(ensure_an_admin_remains(&admin, &rename, 1), Ok(()));
    }

    #[test]
    fn non_admins_are_never_blocked_by_the_rule() {
        let staff = user(Role::Staff, true);
        let deactivate = UserChanges {
            active: Some(false),
            ..Default::default()
        };
        assert_eq!(ensure_an_admin_remains(&staff, &deactivate, 0), Ok(()));
    }

    #[test]
    fn passwords_over_72_bytes_are_refused() {
        assert_eq!(
            Password::new("é".repeat(37)).err(),
            Some(PasswordError::TooLong)
        );
        assert_eq!(
            Password::new("short".into()).err(),
            Some(PasswordError::TooShort)
        );
        assert!(Password::new("a".repeat(72)).is_ok());
    }

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(Role::Admin.at_least(Role::Manager));
        assert!(Role::Manager.at_least(Role::Staff));
        assert!(!Role::Staff.at_least(Role::Manager));
        assert_eq!("manager".parse::<Role>(), Ok(Role::Manager));
        assert!("root".parse::<Role>().is_err());
    }
}

/// The locations a user works at. Admins work everywhere; so does anyone assigned to none,
/// which keeps a shop with one store as it was. Staff sell, open sessions and see stock only
/// where they work; managers receive, adjust and ship stock only there.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Stores {
    #[default]
    All,
    /// By id, each once.
    Only(Vec<crate::ids::LocationId>),
}

impl Stores {
    /// What a user with `role`, assigned to `assigned`, may reach.
    pub fn of(role: Role, mut assigned: Vec<crate::ids::LocationId>) -> Self {
        if role == Role::Admin || assigned.is_empty() {
            return Stores::All;
        }
        assigned.sort_unstable();
        assigned.dedup();
        Stores::Only(assigned)
    }

    pub fn allows(&self, location: crate::ids::LocationId) -> bool {
        match self {
            Stores::All => true,
            Stores::Only(ids) => ids.contains(&location),
        }
    }

    /// Why `what` at `location` is refused (a 403 message), or `None` when it is allowed.
    pub fn refusal(&self, location: crate::ids::LocationId, what: &str) -> Option<String> {
        (!self.allows(location)).then(|| {
            format!(
                "You work at other locations than location {location}, so you cannot {what} \
                 there; an admin assigns locations with PUT /api/users/{{id}}/locations."
            )
        })
    }

    /// The locations a report covers: those asked for (none asked: every one the user
    /// reaches, which is all for [`Stores::All`], shown as none). Refuses (a 403 message) a
    /// location asked for that the user does not work at.
    pub fn reach(
        &self,
        asked: &[crate::ids::LocationId],
    ) -> Result<Vec<crate::ids::LocationId>, String> {
        match self {
            Stores::All => Ok(asked.to_vec()),
            Stores::Only(ids) if asked.is_empty() => Ok(ids.clone()),
            Stores::Only(_) => match asked.iter().find(|l| !self.allows(**l)) {
                Some(l) => Err(self.refusal(*l, "see its figures").unwrap_or_default()),
                None => Ok(asked.to_vec()),
            },
        }
    }
}

/// Who a live login is now: the role and the locations it works at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub role: Role,
    pub stores: Stores,
}

#[cfg(test)]
mod stores_tests {
    use super::*;
    use crate::ids::LocationId;

    #[test]
    fn admins_and_the_unassigned_work_everywhere_others_where_assigned() {
        let (a, b) = (LocationId::new(1), LocationId::new(2));
        assert_eq!(Stores::of(Role::Admin, vec![a]), Stores::All);
        assert_eq!(Stores::of(Role::Staff, vec![]), Stores::All);
        let staff = Stores::of(Role::Staff, vec![b, b]);
        assert_eq!(staff, Stores::Only(vec![b]));
        assert!(staff.allows(b) && !staff.allows(a));
        assert!(staff.refusal(a, "sell").is_some() && staff.refusal(b, "sell").is_none());
        assert_eq!(staff.reach(&[]), Ok(vec![b]));
        assert_eq!(staff.reach(&[b]), Ok(vec![b]));
        assert!(staff.reach(&[a, b]).is_err());
        assert_eq!(Stores::All.reach(&[a]), Ok(vec![a]));
        assert_eq!(Stores::All.reach(&[]), Ok(vec![]));
    }
}
