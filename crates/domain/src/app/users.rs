//! Users and their roles.

use crate::app::auth::{Client, Guess, LoginLimits, Passwords, record_guess};
use crate::app::{App, AppResult};
use crate::code::Code;
use crate::ids::UserId;
use crate::paging::{ListQuery, Page};
use crate::ports::{SessionRepo, UserRepo};
use crate::services::ServiceError;
use crate::text::{Email, Name, Username};
use crate::user::{
    NewUser, Password, PasswordHash, Role, User, UserChanges, UserFilter, UserSort,
    ensure_an_admin_remains,
};

/// Create a staff account.
#[derive(Debug, Clone)]
pub struct CreateUser {
    pub username: Username,
    pub email: Email,
    pub name: Name,
    pub role: Role,
    pub password: Password,
}

/// An admin's change to a staff account; `None` leaves a field as it is.
#[derive(Debug, Clone)]
pub struct UpdateUser {
    pub user: UserId,
    pub username: Option<Username>,
    pub email: Option<Email>,
    pub name: Option<Name>,
    pub role: Option<Role>,
    /// `false` deactivates the account and ends its sessions.
    pub active: Option<bool>,
    /// A new password (a reset): ends the user's sessions.
    pub password: Option<Password>,
}

/// A change of one's own password: the current one is a password guess like a login's.
#[derive(Debug, Clone)]
pub struct PasswordChange {
    /// The current password as typed (empty when none was sent).
    pub current: String,
    pub new: Password,
    /// Where the guess comes from, and the failed-login limits it counts against.
    pub client: Client,
    pub limits: LoginLimits,
}

/// Changes to one's own account.
#[derive(Debug, Clone)]
pub struct UpdateMe {
    pub user: UserId,
    pub email: Option<Email>,
    pub name: Option<Name>,
    pub password: Option<PasswordChange>,
}

impl App {
    /// A page of staff accounts.
    pub async fn users(&self, query: ListQuery<UserFilter, UserSort>) -> AppResult<Page<User>> {
        self.read(async |tx| Ok(tx.list_users(&query).await?)).await
    }

    /// One staff account; 404 when there is none.
    pub async fn user(&self, id: UserId) -> AppResult<User> {
        self.read(async |tx| {
            tx.find_user(id)
                .await?
                .ok_or(ServiceError::NotFound("user"))
        })
        .await
    }

    /// Creates a staff account. The password is hashed before the transaction opens. 409 when
    /// the username or email is taken.
    pub async fn create_user(
        &self,
        command: CreateUser,
        passwords: &dyn Passwords,
    ) -> AppResult<User> {
        let password_hash = passwords.hash(command.password).await?;
        let at = self.now();
        self.write(async |tx| {
            Ok(tx
                .insert_user(NewUser {
                    username: command.username,
                    email: command.email,
                    name: command.name,
                    role: command.role,
                    password_hash,
                    at,
                })
                .await?)
        })
        .await
    }

    /// Changes a staff account (details, role, activation, password). A new password is
    /// hashed before the transaction opens. Refuses 404 for no such user, 409 `last_admin`
    /// when it would leave the shop without an active admin, 409 for a taken username or
    /// email. A deactivation or a new password ends the user's sessions.
    pub async fn update_user(
        &self,
        command: UpdateUser,
        passwords: &dyn Passwords,
    ) -> AppResult<User> {
        let password_hash = match command.password {
            Some(password) => Some(passwords.hash(password).await?),
            None => None,
        };
        let changes = UserChanges {
            username: command.username,
            email: command.email,
            name: command.name,
            role: command.role,
            active: command.active,
            password_hash,
        };
        self.write(async |tx| apply_changes(self, tx, command.user, changes).await)
            .await
    }

    /// Deactivates a staff account and ends its sessions (users are never deleted: their
    /// history stays attributed). 404 for no such user, 409 `last_admin` for the last active
    /// admin.
    pub async fn deactivate_user(&self, id: UserId) -> AppResult<User> {
        let changes = UserChanges {
            active: Some(false),
            ..Default::default()
        };
        self.write(async |tx| apply_changes(self, tx, id, changes).await)
            .await
    }

    /// Changes one's own name, email or password. A new password needs the current one, which
    /// is a password guess like a login's: it counts against the same failed-login limits (429
    /// past them) and is recorded before it is checked. Both hashes are checked and made
    /// outside any transaction, then confirmed under the user's row lock: 422 on
    /// `current_password` when it is missing or wrong, 409 `password_changed` when the password
    /// changed meanwhile. A new password ends the user's sessions.
    pub async fn update_me(&self, command: UpdateMe, passwords: &dyn Passwords) -> AppResult<User> {
        let id = command.user;
        let checked = match command.password {
            None => None,
            Some(change) => Some(self.check_password_change(id, change, passwords).await?),
        };
        self.write(async |tx| {
            let password_hash = match checked {
                None => None,
                Some(checked) => {
                    let unchanged = tx
                        .lock_user(id)
                        .await?
                        .is_some_and(|(_, h)| h.as_str() == checked.current.as_str());
                    if !unchanged {
                        return Err(ServiceError::Conflict {
                            code: Code::PasswordChanged,
                            message: "The password was changed meanwhile; log in again. \
                                      Nothing was changed."
                                .to_owned(),
                        });
                    }
                    tx.mark_login_succeeded(checked.attempt, id, self.now())
                        .await?;
                    Some(checked.new)
                }
            };
            let changes = UserChanges {
                email: command.email,
                name: command.name,
                password_hash,
                ..Default::default()
            };
            apply_changes(self, tx, id, changes).await
        })
        .await
    }

    /// Records the current password as a guess (in its own short transaction), then checks it
    /// and hashes the new one with no transaction open.
    async fn check_password_change(
        &self,
        id: UserId,
        change: PasswordChange,
        passwords: &dyn Passwords,
    ) -> AppResult<CheckedChange> {
        let now = self.now();
        let client = change.client;
        let limits = change.limits;
        let (stored, attempt) = self
            .write(async |tx| {
                let (user, stored) = tx
                    .lock_user(id)
                    .await?
                    .ok_or(ServiceError::NotFound("user"))?;
                let guess = Guess {
                    user_id: Some(id),
                    identifier: user.username.as_str().to_owned(),
                    client,
                };
                let attempt = record_guess(tx, &limits, guess, now).await?;
                Ok((stored, attempt))
            })
            .await?;
        if !passwords.verify(&change.current, stored.as_str()).await? {
            return Err(ServiceError::invalid(
                "current_password",
                "is missing or wrong; it is needed to set a new password",
            ));
        }
        Ok(CheckedChange {
            current: stored,
            attempt,
            new: passwords.hash(change.new).await?,
        })
    }
}

/// A password change whose current password checked out, to confirm in the transaction.
struct CheckedChange {
    /// The hash the current password was checked against.
    current: PasswordHash,
    /// The recorded guess, to mark succeeded.
    attempt: i64,
    new: PasswordHash,
}

/// Applies changes to a user under the shop's rules: an admin must remain, and a deactivation
/// or password change ends the user's sessions.
async fn apply_changes<T: SessionRepo + UserRepo + ?Sized>(
    app: &App,
    tx: &mut T,
    id: UserId,
    changes: UserChanges,
) -> AppResult<User> {
    let current = tx
        .find_user(id)
        .await?
        .ok_or(ServiceError::NotFound("user"))?;
    let active_admins = tx.count_active_admins().await?;
    ensure_an_admin_remains(&current, &changes, active_admins).map_err(|e| {
        ServiceError::Conflict {
            code: Code::LastAdmin,
            message: e.to_string(),
        }
    })?;
    let ends_sessions = changes.active == Some(false) || changes.password_hash.is_some();
    let now = app.now();
    let user = tx.update_user(id, changes, now).await?;
    if ends_sessions {
        tx.revoke_user_sessions(id, now).await?;
    }
    Ok(user)
}

impl App {
    /// The locations a user works at, by id (none: every location). Refuses: 404 `user`.
    pub async fn user_locations(&self, id: UserId) -> AppResult<Vec<crate::ids::LocationId>> {
        self.read(async |tx| {
            tx.find_user(id)
                .await?
                .ok_or(ServiceError::NotFound("user"))?;
            Ok(tx.user_locations(id).await?)
        })
        .await
    }

    /// Assigns a user to locations (none: every location, as before locations existed); takes
    /// effect on the user's very next request. Refuses: 404 `user`, 422 `location_ids` for a
    /// location that does not exist or is switched off.
    pub async fn assign_locations(
        &self,
        id: UserId,
        mut locations: Vec<crate::ids::LocationId>,
    ) -> AppResult<Vec<crate::ids::LocationId>> {
        locations.sort_unstable();
        locations.dedup();
        self.write(async |tx| {
            tx.find_user(id)
                .await?
                .ok_or(ServiceError::NotFound("user"))?;
            for location in &locations {
                match tx.find_location(*location).await? {
                    Some(l) if l.active => {}
                    _ => {
                        return Err(ServiceError::invalid(
                            "location_ids",
                            format!("no active location {location} (GET /api/locations)"),
                        ));
                    }
                }
            }
            tx.set_user_locations(id, &locations).await?;
            Ok(locations.clone())
        })
        .await
    }
}
