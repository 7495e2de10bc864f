//! Logging in and out, refreshing sessions, changing passwords.
//!
//! Password hashing and token minting stay with the caller: hashing behind the [`Passwords`]
//! port (bcrypt, on a blocking pool), the access token minted by the HTTP adapter from what
//! these use cases answer ([`SignedIn`]). No transaction is ever held across a password hash
//! or check: a guess is recorded in one short transaction, checked between transactions, and
//! confirmed under the user's row lock in the next.

use crate::app::{App, AppResult};
use crate::code::Code;
use crate::ids::UserId;
use crate::ports::{SessionRepo, UserRepo};
use crate::services::ServiceError;
use crate::session::{NewSession, RefreshVerdict, assess_refresh};
use crate::user::{FailureKey, FailureLimit, LoginAttempt, Password, PasswordHash, User};
use async_trait::async_trait;
use time::{Duration, OffsetDateTime};

/// Hashes and checks passwords. Slow by design; never called with a transaction open.
#[async_trait]
pub trait Passwords: Send + Sync {
    /// A new hash of `password`.
    async fn hash(&self, password: Password) -> AppResult<PasswordHash>;

    /// Whether `candidate` is the password of `hash`. A malformed hash is a mismatch.
    async fn verify(&self, candidate: &str, hash: &str) -> AppResult<bool>;

    /// A hash of no one's password, checked when a login names no user, so that an unknown
    /// user costs the same time as a wrong password and cannot be told apart.
    fn dummy_hash(&self) -> &str;
}

/// Where a password guess comes from, recorded with it and counted per address.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The failed-login limits: per account (since its last success) and per client address,
/// within `window`. Counted from the stored attempts, so every instance agrees.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    pub per_account: u32,
    pub per_address: u32,
    pub window: Duration,
}

/// The refresh token a login or a refresh issues: the caller makes the token and keeps it,
/// the store keeps only its hash.
#[derive(Debug, Clone)]
pub struct NewRefreshToken {
    /// SHA-256 of the token, hex.
    pub token_hash: String,
    /// How long the token lives.
    pub ttl: Duration,
}

/// Log in with an email or username and a password.
#[derive(Debug, Clone)]
pub struct Login {
    /// The email or username as typed (trimmed, lower-cased and cut to 254 characters here).
    pub login: String,
    pub password: String,
    pub client: Client,
    pub limits: LoginLimits,
    /// The new login's session family (a fresh random id).
    pub family: String,
    pub refresh: NewRefreshToken,
}

/// Exchange a refresh token for its successor.
#[derive(Debug, Clone)]
pub struct RefreshSession {
    /// The hash of the presented refresh token, if one was presented.
    pub presented: Option<String>,
    pub successor: NewRefreshToken,
}

/// End a login.
#[derive(Debug, Clone)]
pub struct Logout {
    pub user: UserId,
    /// The login (session family) the caller's access token belongs to.
    pub login: String,
    /// The hash of a presented refresh token, if any.
    pub presented: Option<String>,
}

/// Who is logged in now: the user (with the role to put in the access token), the login's
/// session family, and the instant the refresh token was issued (the access token's too).
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub family: String,
    pub at: OffsetDateTime,
}

const BAD_CREDENTIALS: &str =
    "The login or password is wrong, or the account is inactive. Check them and try again.";

fn bad_credentials() -> ServiceError {
    ServiceError::Unauthorized {
        code: Code::InvalidCredentials,
        message: BAD_CREDENTIALS.to_owned(),
    }
}

fn refresh_refused(code: Code, detail: &str) -> ServiceError {
    ServiceError::Unauthorized {
        code,
        message: format!("{detail} Log in again."),
    }
}

impl App {
    /// Logs in: the user whose email or username is `login`, if the password is theirs and the
    /// account is active. Unknown users, wrong passwords and inactive accounts all get 401
    /// `invalid_credentials`, in the same time (one password check each, against a dummy hash
    /// when there is no such user). Past the failed-login limits, 429 with the seconds to wait
    /// and no password check. The guess is recorded as a failure before it is checked (so
    /// concurrent guesses all count) and turned into a success once it checks out; a password
    /// reset or a deactivation that committed meanwhile wins. Starts a session family with
    /// the given refresh token.
    pub async fn log_in(&self, command: Login, passwords: &dyn Passwords) -> AppResult<SignedIn> {
        let identifier = login_identifier(&command.login);
        let Login {
            password,
            client,
            limits,
            family,
            refresh,
            ..
        } = command;
        let now = self.now();
        // A read-only pass first: an attempt the limits refuse never takes the write lock, so a
        // storm of refused logins costs the tills nothing but the read.
        self.read(async |tx| {
            let found = tx.find_credentials(&identifier).await?;
            let key = found
                .as_ref()
                .map_or(FailureKey::Identifier(&identifier), |(u, _)| {
                    FailureKey::User(u.id)
                });
            refuse_while_failing(tx, &limits, key, client.ip.as_deref(), now).await
        })
        .await?;
        let (found, attempt) = self
            .write(async |tx| {
                let found = tx.find_credentials(&identifier).await?;
                let user_id = found.as_ref().map(|(u, _)| u.id);
                if let Some(id) = user_id {
                    tx.lock_user(id).await?;
                }
                let guess = Guess {
                    user_id,
                    identifier: identifier.clone(),
                    client: client.clone(),
                };
                let attempt = record_guess(tx, &limits, guess, now).await?;
                Ok((found, attempt))
            })
            .await?;
        // Checked between transactions: none is held across bcrypt.
        let hash = found.as_ref().map_or_else(
            || passwords.dummy_hash().to_owned(),
            |(_, h)| h.as_str().to_owned(),
        );
        let password_ok =
            password.len() <= Password::MAX_BYTES && passwords.verify(&password, &hash).await?;
        let Some((user, _)) = found.filter(|(u, _)| password_ok && u.active) else {
            return Err(bad_credentials());
        };
        // Confirmed under the user's row lock: the password checked is still the user's and the
        // account still active.
        self.write(async |tx| {
            let Some((user, _)) = tx
                .lock_user(user.id)
                .await?
                .filter(|(u, h)| u.active && h.as_str() == hash)
            else {
                return Err(bad_credentials());
            };
            let now = self.now();
            tx.mark_login_succeeded(attempt, user.id, now).await?;
            start_session(tx, user, family, &refresh, now).await
        })
        .await
    }

    /// Rotates a refresh token: revokes the presented one and issues its successor in the same
    /// family. Refuses with 401: no token (`refresh_token_missing`), an unknown one
    /// (`refresh_token_invalid`), a deactivated account (`account_inactive`), an expired token
    /// (`refresh_token_expired`); a token already used (`refresh_token_reused`) revokes every
    /// session of its login, and that revocation is committed.
    pub async fn refresh_session(&self, command: RefreshSession) -> AppResult<SignedIn> {
        let presented = command.presented.ok_or_else(|| {
            refresh_refused(Code::RefreshTokenMissing, "No refresh token was sent.")
        })?;
        let now = self.now();
        // The inner result is a refusal that still commits (the family's revocation).
        self.write(async |tx| {
            let session = tx.find_session(&presented).await?.ok_or_else(|| {
                refresh_refused(
                    Code::RefreshTokenInvalid,
                    "The refresh token is not recognised.",
                )
            })?;
            // A deactivated user is told so, not that their token was reused (deactivation
            // revoked it).
            let user = tx
                .find_user(session.user_id)
                .await?
                .filter(|u| u.active)
                .ok_or_else(|| {
                    refresh_refused(
                        Code::AccountInactive,
                        "The account has been deactivated; ask an admin.",
                    )
                })?;
            match assess_refresh(&session, now) {
                RefreshVerdict::Expired => {
                    return Err(refresh_refused(
                        Code::RefreshTokenExpired,
                        "The refresh token has expired.",
                    ));
                }
                RefreshVerdict::Reused => {
                    tx.revoke_family(&session.family, now).await?;
                    return Ok(Err(refresh_refused(
                        Code::RefreshTokenReused,
                        "This refresh token was already used, so every session of this login \
                         was ended.",
                    )));
                }
                RefreshVerdict::Rotate => {}
            }
            if !tx.revoke_session(session.id, now).await? {
                // Another request rotated it first: treat as reuse.
                tx.revoke_family(&session.family, now).await?;
                return Ok(Err(refresh_refused(
                    Code::RefreshTokenReused,
                    "This refresh token was already used.",
                )));
            }
            let at = self.now();
            Ok(Ok(start_session(
                tx,
                user,
                session.family,
                &command.successor,
                at,
            )
            .await?))
        })
        .await?
    }

    /// Logs out: ends the login the caller's access token belongs to (the token stops working
    /// on the next request), and the login of the presented refresh token if it is the
    /// caller's own.
    pub async fn log_out(&self, command: Logout) -> AppResult<()> {
        let now = self.now();
        self.write(async |tx| {
            tx.revoke_family(&command.login, now).await?;
            if let Some(hash) = &command.presented
                && let Some(session) = tx.find_session(hash).await?
                && session.user_id == command.user
            {
                tx.revoke_family(&session.family, now).await?;
            }
            Ok(())
        })
        .await
    }
}

/// What a login names an account by: trimmed, lower-cased, at most 254 characters.
fn login_identifier(typed: &str) -> String {
    typed.trim().to_lowercase().chars().take(254).collect()
}

/// Stores a refresh token of `family` for `user`, issued `at`.
async fn start_session<T: SessionRepo + ?Sized>(
    tx: &mut T,
    user: User,
    family: String,
    token: &NewRefreshToken,
    at: OffsetDateTime,
) -> AppResult<SignedIn> {
    tx.insert_session(NewSession {
        user_id: user.id,
        family: family.clone(),
        token_hash: token.token_hash.clone(),
        created_at: at,
        expires_at: at + token.ttl,
    })
    .await?;
    Ok(SignedIn { user, family, at })
}

/// A password guess: a login, or the current password of a password change.
pub(crate) struct Guess {
    /// The account it is for, if the identifier names one.
    pub user_id: Option<UserId>,
    /// What was typed as email or username (lower-cased).
    pub identifier: String,
    pub client: Client,
}

/// A password guess, refused with 429 while the limits say so, else recorded as a failure
/// before it is checked, so that guesses made at once all count. Returns the attempt, to mark
/// succeeded if the password checks out.
pub(crate) async fn record_guess<T: UserRepo + ?Sized>(
    tx: &mut T,
    limits: &LoginLimits,
    guess: Guess,
    now: OffsetDateTime,
) -> AppResult<i64> {
    let Guess {
        user_id,
        identifier,
        client,
    } = guess;
    let key = user_id.map_or(FailureKey::Identifier(&identifier), FailureKey::User);
    refuse_while_failing(tx, limits, key, client.ip.as_deref(), now).await?;
    Ok(tx
        .record_login(LoginAttempt {
            user_id,
            identifier: identifier.clone(),
            success: false,
            ip: client.ip,
            user_agent: client.user_agent,
            at: now,
        })
        .await?)
}

/// 429 with the seconds to wait while the account or the address has used up its failed
/// logins in the window. Counted from the stored attempts, so every instance agrees.
async fn refuse_while_failing<T: UserRepo + ?Sized>(
    tx: &mut T,
    limits: &LoginLimits,
    account: FailureKey<'_>,
    ip: Option<&str>,
    now: OffsetDateTime,
) -> AppResult<()> {
    let window = limits.window;
    let since = now - window;
    let mut checks = vec![(account, limits.per_account, "this account")];
    if let Some(ip) = ip {
        checks.push((FailureKey::Ip(ip), limits.per_address, "this address"));
    }
    for (key, max_failures, whose) in checks {
        let limit = FailureLimit {
            max_failures,
            window,
        };
        let failures = tx.recent_failures(key, since, max_failures).await?;
        if let Some(until) = limit.blocked_until(&failures) {
            let wait = (until - now).whole_seconds().max(1);
            return Err(ServiceError::TooManyRequests {
                message: format!(
                    "Too many failed logins for {whose}; retry in {wait} s. Nothing was checked."
                ),
                retry_after: wait.unsigned_abs(),
            });
        }
    }
    Ok(())
}
