//! Login, token refresh with rotation, logout.

use crate::auth::password::Bcrypt;
use crate::auth::{Caller, refresh};
use crate::dto::{Body, OptionalBody};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use garde::Validate;
use pos_api::auth::*;
use pos_api::users::UserView;
use pos_domain::app::auth::{
    Client, Login, LoginLimits, Logout, NewRefreshToken, RefreshSession, SignedIn,
};
use pos_domain::code::Code;
use pos_domain::services::ServiceError;

pub(crate) fn client_info(req: &HttpRequest) -> Client {
    let ip = req.peer_addr().map(|a| a.ip().to_string());
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(512).collect());
    Client { ip, user_agent }
}

/// The failed-login limits of the settings.
pub(crate) fn login_limits(state: &AppState) -> Result<LoginLimits, ApiError> {
    let settings = &state.settings;
    Ok(LoginLimits {
        per_account: settings.login_failures_per_account,
        per_address: settings.login_failures_per_address,
        window: time::Duration::try_from(settings.login_failure_window)
            .map_err(ApiError::internal)?,
    })
}

/// A new refresh token: the token to hand out, and what the store keeps of it.
fn new_refresh_token(state: &AppState) -> Result<(String, NewRefreshToken), ApiError> {
    let token = refresh::generate();
    let ttl = time::Duration::try_from(state.settings.refresh_ttl).map_err(ApiError::internal)?;
    let stored = NewRefreshToken {
        token_hash: refresh::hash(&token),
        ttl,
    };
    Ok((token, stored))
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
    let (refresh_token, refresh) = new_refresh_token(&state)?;
    let command = Login {
        login,
        password,
        client: client_info(&req),
        limits: login_limits(&state)?,
        family: uuid::Uuid::new_v4().simple().to_string(),
        refresh,
    };
    let signed_in = state.app.log_in(command, &Bcrypt::new(&state)).await?;
    issue_tokens(&state, signed_in, refresh_token)
}

/// The access token of a login, with its refresh token, as body and cookie.
fn issue_tokens(
    state: &AppState,
    signed_in: SignedIn,
    refresh_token: String,
) -> Result<HttpResponse, ApiError> {
    let SignedIn { user, family, at } = signed_in;
    let (access_token, expires_in) = state
        .tokens
        .issue(user.id, user.role, &family, at)
        .map_err(ApiError::internal)?;
    let refresh_ttl =
        time::Duration::try_from(state.settings.refresh_ttl).map_err(ApiError::internal)?;
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

/// Exchange a refresh token for new tokens.
///
/// The presented token is revoked and a new one issued in its place. Presenting a token that
/// was already used revokes every token descended from the same login (it was stolen or
/// replayed), and both holders must log in again.
#[utoipa::path(
    post, path = "/api/auth/refresh", tag = "auth", operation_id = "refresh_token",
    request_body(content = Option<RefreshRequest>, description = "Optional when the cookie is sent"),
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        (status = 401, description = "Missing, expired, revoked or reused refresh token", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
pub async fn refresh_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: OptionalBody<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0.map(Body::into_inner).unwrap_or_default();
    body.validate()?;
    let presented = refresh::presented(&req, body.refresh_token).map(|t| refresh::hash(&t));
    let (refresh_token, successor) = new_refresh_token(&state)?;
    let command = RefreshSession {
        presented,
        successor,
    };
    let signed_in = state.app.refresh_session(command).await.inspect_err(|e| {
        if let ServiceError::Unauthorized {
            code: Code::RefreshTokenReused,
            ..
        } = e
        {
            tracing::warn!("refresh token reuse: family revoked");
        }
    })?;
    issue_tokens(&state, signed_in, refresh_token)
}

/// Log out: end this login. Its access token stops working on the next request, and its
/// refresh token (from body or cookie) and every token of its login are revoked.
#[utoipa::path(
    post, path = "/api/auth/logout", tag = "auth", operation_id = "logout",
    request_body(content = Option<RefreshRequest>, description = "Optional when the cookie is sent"),
    responses(
        (status = 204, description = "Logged out; the cookie is cleared"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["staff"]))
)]
pub async fn logout(
    state: web::Data<AppState>,
    auth: Caller,
    req: HttpRequest,
    body: OptionalBody<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0.map(Body::into_inner).unwrap_or_default();
    body.validate()?;
    let command = Logout {
        user: auth.principal().user_id,
        login: auth.login().to_owned(),
        presented: refresh::presented(&req, body.refresh_token).map(|t| refresh::hash(&t)),
    };
    state.app.log_out(command).await?;
    Ok(HttpResponse::NoContent()
        .cookie(refresh::removal_cookie(state.settings.secure_cookies))
        .finish())
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    login, refresh_token, logout,
}
