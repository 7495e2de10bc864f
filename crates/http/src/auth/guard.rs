//! The role guard, as an extractor: a handler declares the least role it needs in its
//! signature (`Auth<MANAGER>`), so no route can forget to check.
//!
//! The token's signature says who and which login; the store says, on every request, whether
//! that login is still live and which role the user has now (one indexed lookup). So logout,
//! deactivation, a password change or a role change takes effect on the very next request, on
//! every instance that shares the database, without waiting for the token to expire.

use super::tokens::{Principal, TokenError, VerifiedToken};
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use pos_domain::user::Role;
use std::future::Future;
use std::pin::Pin;

pub const STAFF: u8 = 0;
pub const MANAGER: u8 = 1;
pub const ADMIN: u8 = 2;

/// An authenticated user whose role is at least `MIN` (`STAFF`, `MANAGER` or `ADMIN`).
#[derive(Debug, Clone)]
pub struct Auth<const MIN: u8> {
    principal: Principal,
    /// The login (refresh-session family) the token belongs to.
    login: std::sync::Arc<str>,
}

/// Any logged-in user.
pub type AnyRole = Auth<STAFF>;
/// Managers and admins.
pub type Manager = Auth<MANAGER>;
/// Admins only.
pub type Admin = Auth<ADMIN>;

const fn required(min: u8) -> Role {
    match min {
        ADMIN => Role::Admin,
        MANAGER => Role::Manager,
        _ => Role::Staff,
    }
}

impl<const MIN: u8> Auth<MIN> {
    pub fn principal(&self) -> Principal {
        self.principal
    }

    /// The login this request was made under, which logout ends.
    pub fn login(&self) -> &str {
        &self.login
    }

    /// The checks that need no I/O: a bearer token with a valid signature, not expired.
    fn verified(req: &HttpRequest) -> Result<(web::Data<AppState>, VerifiedToken), ApiError> {
        let state = req
            .app_data::<web::Data<AppState>>()
            .cloned()
            .ok_or_else(|| ApiError::internal("AppState is not registered"))?;
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .ok_or_else(|| {
                ApiError::unauthorized(
                    "unauthenticated",
                    "This endpoint needs an access token: send `Authorization: Bearer <token>` \
                     from POST /api/auth/login.",
                )
            })?;
        let verified = state
            .tokens
            .verify(token.trim(), state.now())
            .map_err(|e| match e {
                TokenError::Expired => ApiError::unauthorized("token_expired", e.to_string()),
                TokenError::Invalid => ApiError::unauthorized("invalid_token", e.to_string()),
            })?;
        Ok((state, verified))
    }

    /// The user's current role, if their login is still live, checked against the least role.
    async fn authorise(state: web::Data<AppState>, token: VerifiedToken) -> Result<Self, ApiError> {
        let role = state
            .app
            .session_access(token.user_id, &token.family)
            .await?
            .ok_or_else(|| {
                ApiError::unauthorized(
                    "session_ended",
                    "This login has ended: you logged out, your password was changed or your \
                     account was deactivated. Log in again.",
                )
            })?;
        let needed = required(MIN);
        if !role.at_least(needed) {
            return Err(ApiError::Forbidden {
                detail: format!("This action needs the {needed} role or higher; you are {role}."),
            });
        }
        Ok(Self {
            principal: Principal {
                user_id: token.user_id,
                role,
            },
            login: token.family.into(),
        })
    }
}

impl<const MIN: u8> FromRequest for Auth<MIN> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let verified = Self::verified(req);
        Box::pin(async move {
            let (state, token) = verified?;
            Self::authorise(state, token).await
        })
    }
}
