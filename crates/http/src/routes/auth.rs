//! Login, token refresh with rotation, logout.

use crate::auth::{AnyRole, password, refresh};
use crate::dto::Body;
use crate::problem::{ApiError, Problem};
use crate::routes::users::UserView;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use garde::Validate;
use pos_domain::session::{NewSession, RefreshVerdict, assess_refresh};
use pos_domain::user::{FailureKey, FailureLimit, LoginAttempt, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Email address or username.
    #[garde(length(min = 1, max = 254))]
    #[schema(example = "admin@example.com")]
    pub login: String,
    /// At most 72 bytes (bcrypt's limit).
    #[garde(length(min = 1, max = 1024))]
    #[schema(example = "correct horse battery staple")]
    pub password: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token, for clients that cannot keep cookies. Browsers omit it: the
    /// httpOnly cookie is used.
    #[garde(length(max = 256))]
    #[serde(default)]
    pub refresh_token: Option<String>,
}

/// Tokens issued at login and refresh.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// The access token: send it as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// The refresh token (also set as an httpOnly cookie scoped to /api/auth). It is rotated at
    /// every refresh: keep only the latest.
    pub refresh_token: String,
    /// The logged-in user.
    pub user: UserView,
}

const BAD_CREDENTIALS: &str =
    "The login or password is wrong, or the account is inactive. Check them and try again.";

pub(crate) fn client_info(req: &HttpRequest) -> (Option<String>, Option<String>) {
    let ip = req.peer_addr().map(|a| a.ip().to_string());
    let agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(512).collect());
    (ip, agent)
}

/// Log in with email or username and password.
///
/// Unknown users, wrong passwords and inactive accounts all get the same answer in the same
/// time. Failed logins are limited per account (since its last success) and per client address
/// over a window, counted from the stored attempts so every instance agrees: past the limit,
/// 429 with `Retry-After` and no password check. Correct logins never count against it. A
/// per-address burst limit in each instance guards against floods.
#[utoipa::path(
    post, path = "/api/auth/login", tag = "auth", operation_id = "login",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 401, description = "Wrong credentials", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Body<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let LoginRequest { login, password } = body.into_inner();
    let identifier: String = login.trim().to_lowercase().chars().take(254).collect();
    let (ip, user_agent) = client_info(&req);
    let now = state.now();
    // Read, check the limits and record the attempt as a failure in one short transaction,
    // and let it go before bcrypt: no transaction, and on SQLite no write lock, is ever held
    // across the slow hash check, so failed logins cannot stall the till. Recording first
    // means concurrent guesses count against the limit before any of them is checked; the
    // account's row lock (MySQL) queues guesses at one account.
    // A read-only pass first: an attempt the limits refuse never takes the write lock, so a
    // storm of refused logins costs the tills nothing but the read.
    {
        let mut tx = state.store.begin_read().await?;
        let found = tx.find_credentials(&identifier).await?;
        let key = found
            .as_ref()
            .map_or(FailureKey::Identifier(&identifier), |(u, _)| {
                FailureKey::User(u.id)
            });
        refuse_while_failing(&state, tx.as_mut(), key, ip.as_deref(), now).await?;
    }
    let (found, attempt) = {
        let mut tx = state.store.begin().await?;
        let found = tx.find_credentials(&identifier).await?;
        let user_id = found.as_ref().map(|(u, _)| u.id);
        if let Some(id) = user_id {
            tx.lock_user(id).await?;
        }
        let attempt = record_guess(
            &state,
            tx.as_mut(),
            user_id,
            identifier.clone(),
            (ip, user_agent),
            now,
        )
        .await?;
        tx.commit().await?;
        (found, attempt)
    };
    // Always run one bcrypt verification, against a dummy hash when there is no such user, so
    // response time does not reveal which accounts exist.
    let hash = found.as_ref().map_or_else(
        || state.dummy_hash.to_string(),
        |(_, h)| h.as_str().to_owned(),
    );
    let password_ok = password.len() <= 72 && password::verify(password, hash.clone()).await?;
    let refused = || ApiError::unauthorized("invalid_credentials", BAD_CREDENTIALS);
    let Some((user, _)) = found.filter(|(u, _)| password_ok && u.active) else {
        return Err(refused());
    };
    // Confirm under the user's row lock that the password checked is still the user's and the
    // account still active: a password reset or a deactivation that committed meanwhile wins,
    // and one that comes later waits for this login and then ends it.
    let mut tx = state.store.begin().await?;
    let Some((user, _)) = tx
        .lock_user(user.id)
        .await?
        .filter(|(u, h)| u.active && h.as_str() == hash)
    else {
        return Err(refused());
    };
    tx.mark_login_succeeded(attempt, user.id, state.now())
        .await?;
    let family = uuid::Uuid::new_v4().simple().to_string();
    let response = issue_tokens(&state, tx.as_mut(), user, family).await?;
    tx.commit().await?;
    Ok(response)
}

/// A password guess (a login, or the current password of a password change): refused with 429
/// while the limits say so, else recorded as a failure before it is checked, so that guesses
/// made at once all count. Returns the attempt, to mark succeeded if the password checks out.
pub(crate) async fn record_guess(
    state: &AppState,
    tx: &mut dyn pos_domain::ports::Tx,
    user_id: Option<pos_domain::ids::UserId>,
    identifier: String,
    (ip, user_agent): (Option<String>, Option<String>),
    now: time::OffsetDateTime,
) -> Result<i64, ApiError> {
    let key = user_id.map_or(FailureKey::Identifier(&identifier), FailureKey::User);
    refuse_while_failing(state, tx, key, ip.as_deref(), now).await?;
    Ok(tx
        .record_login(LoginAttempt {
            user_id,
            identifier: identifier.clone(),
            success: false,
            ip,
            user_agent,
            at: now,
        })
        .await?)
}

/// 429 with `Retry-After` while the account or the address has used up its failed logins in
/// the window. Counted from the stored attempts, so every instance agrees.
pub(crate) async fn refuse_while_failing(
    state: &AppState,
    tx: &mut dyn pos_domain::ports::Tx,
    account: FailureKey<'_>,
    ip: Option<&str>,
    now: time::OffsetDateTime,
) -> Result<(), ApiError> {
    let window = time::Duration::try_from(state.settings.login_failure_window)
        .map_err(ApiError::internal)?;
    let since = now - window;
    let mut checks = vec![(
        account,
        state.settings.login_failures_per_account,
        "this account",
    )];
    if let Some(ip) = ip {
        checks.push((
            FailureKey::Ip(ip),
            state.settings.login_failures_per_address,
            "this address",
        ));
    }
    for (key, max_failures, whose) in checks {
        let limit = FailureLimit {
            max_failures,
            window,
        };
        let failures = tx.recent_failures(key, since, max_failures).await?;
        if let Some(until) = limit.blocked_until(&failures) {
            let wait = (until - now).whole_seconds().max(1);
            return Err(ApiError::TooManyRequests {
                detail: format!(
                    "Too many failed logins for {whose}; retry in {wait} s. Nothing was checked."
                ),
                retry_after: wait.unsigned_abs(),
            });
        }
    }
    Ok(())
}

/// Issues an access token and a new refresh token of `family`, as body and cookie.
async fn issue_tokens(
    state: &AppState,
    tx: &mut dyn pos_domain::ports::Tx,
    user: User,
    family: String,
) -> Result<HttpResponse, ApiError> {
    let now = state.now();
    let (access_token, expires_in) = state
        .tokens
        .issue(user.id, user.role, &family, now)
        .map_err(ApiError::internal)?;
    let refresh_token = refresh::generate();
    let refresh_ttl =
        time::Duration::try_from(state.settings.refresh_ttl).map_err(ApiError::internal)?;
    tx.insert_session(NewSession {
        user_id: user.id,
        family,
        token_hash: refresh::hash(&refresh_token),
        created_at: now,
        expires_at: now + refresh_ttl,
    })
    .await?;
    let cookie = refresh::cookie(
        &refresh_token,
        refresh_ttl.whole_seconds(),
        state.settings.secure_cookies,
    );
    Ok(HttpResponse::Ok()
        .cookie(cookie)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in,
            refresh_token,
            user: UserView::from(user),
        }))
}

fn refresh_refused(code: &'static str, detail: &str) -> ApiError {
    ApiError::unauthorized(code, format!("{detail} Log in again."))
}

/// Exchange a refresh token for new tokens.
///
/// The presented token is revoked and a new one issued in its place. Presenting a token that
/// was already used revokes every token descended from the same login (it was stolen or
/// replayed), and both holders must log in again.
#[utoipa::path(
    post, path = "/api/auth/refresh", tag = "auth", operation_id = "refresh_token",
    request_body(content = RefreshRequest, description = "Optional when the cookie is sent"),
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        (status = 401, description = "Missing, expired, revoked or reused refresh token", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
pub async fn refresh_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Option<Body<RefreshRequest>>,
) -> Result<HttpResponse, ApiError> {
    let body = body.map(Body::into_inner).unwrap_or_default();
    body.validate()?;
    let token = refresh::presented(&req, body.refresh_token)
        .ok_or_else(|| refresh_refused("refresh_token_missing", "No refresh token was sent."))?;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let session = tx
        .find_session(&refresh::hash(&token))
        .await?
        .ok_or_else(|| {
            refresh_refused(
                "refresh_token_invalid",
                "The refresh token is not recognised.",
            )
        })?;
    // A deactivated user is told so, not that their token was reused (deactivation revoked it).
    let user = tx
        .find_user(session.user_id)
        .await?
        .filter(|u| u.active)
        .ok_or_else(|| {
            refresh_refused(
                "account_inactive",
                "The account has been deactivated; ask an admin.",
            )
        })?;
    match assess_refresh(&session, now) {
        RefreshVerdict::Expired => {
            return Err(refresh_refused(
                "refresh_token_expired",
                "The refresh token has expired.",
            ));
        }
        RefreshVerdict::Reused => {
            tx.revoke_family(&session.family, now).await?;
            tx.commit().await?;
            tracing::warn!(user_id = %session.user_id, "refresh token reuse: family revoked");
            return Err(refresh_refused(
                "refresh_token_reused",
                "This refresh token was already used, so every session of this login was ended.",
            ));
        }
        RefreshVerdict::Rotate => {}
    }
    if !tx.revoke_session(session.id, now).await? {
        // Another request rotated it first: treat as reuse.
        tx.revoke_family(&session.family, now).await?;
        tx.commit().await?;
        return Err(refresh_refused(
            "refresh_token_reused",
            "This refresh token was already used.",
        ));
    }
    let response = issue_tokens(&state, tx.as_mut(), user, session.family).await?;
    tx.commit().await?;
    Ok(response)
}

/// Log out: end this login. Its access token stops working on the next request, and its
/// refresh token (from body or cookie) and every token of its login are revoked.
#[utoipa::path(
    post, path = "/api/auth/logout", tag = "auth", operation_id = "logout",
    request_body(content = RefreshRequest, description = "Optional when the cookie is sent"),
    responses(
        (status = 204, description = "Logged out; the cookie is cleared"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn logout(
    state: web::Data<AppState>,
    auth: AnyRole,
    req: HttpRequest,
    body: Option<Body<RefreshRequest>>,
) -> Result<HttpResponse, ApiError> {
    let body = body.map(Body::into_inner).unwrap_or_default();
    body.validate()?;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    // The login the access token belongs to ends, so the token stops working on the next
    // request; and the login of a presented refresh token, if it is the caller's own.
    tx.revoke_family(auth.login(), now).await?;
    if let Some(token) = refresh::presented(&req, body.refresh_token)
        && let Some(session) = tx.find_session(&refresh::hash(&token)).await?
        && session.user_id == auth.principal().user_id
    {
        tx.revoke_family(&session.family, now).await?;
    }
    tx.commit().await?;
    Ok(HttpResponse::NoContent()
        .cookie(refresh::removal_cookie(state.settings.secure_cookies))
        .finish())
}
