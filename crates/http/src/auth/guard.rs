//! The role guard. A route declares the least role it needs once, in its OpenAPI `security`
//! scope (`security(("bearer" = ["manager"]))`); the route table mounts it behind [`authorise`],
//! which runs before the handler's extractors (so a request that may not call the route never
//! has its body read), and hands the handler a [`Caller`].
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
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use pos_domain::code::Code;
use pos_domain::user::Role;
use std::future::{Ready, ready};

/// An authenticated caller: the user, with the role they hold now, and the login the token
/// belongs to. Put on the request by the route's guard before any extractor runs, so a handler
/// that takes it can only run for a caller the route admits.
#[derive(Debug, Clone)]
pub struct Caller {
    principal: Principal,
    /// The login (refresh-session family) the token belongs to.
    login: std::sync::Arc<str>,
}

impl Caller {
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// The locations a report covers for this caller (see [`pos_domain::user::Stores::reach`]):
    /// 403 for a location asked for that they do not work at.
    pub fn reach(
        &self,
        asked: &[pos_domain::ids::LocationId],
    ) -> Result<Vec<pos_domain::ids::LocationId>, ApiError> {
        self.principal
            .stores
            .reach(asked)
            .map_err(|detail| ApiError::Forbidden { detail })
    }

    /// The login this request was made under, which logout ends.
    pub fn login(&self) -> &str {
        &self.login
    }
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
                Code::Unauthenticated,
                "This endpoint needs an access token: send `Authorization: Bearer <token>` \
                 from POST /api/auth/login.",
            )
        })?;
    let verified = state
        .tokens
        .verify(token.trim(), state.now())
        .map_err(|e| match e {
            TokenError::Expired => ApiError::unauthorized(Code::TokenExpired, e.to_string()),
            TokenError::Invalid => ApiError::unauthorized(Code::InvalidToken, e.to_string()),
        })?;
    Ok((state, verified))
}

/// The caller of `req` if their login is still live and their current role is at least
/// `needed`.
pub async fn authorise(req: &HttpRequest, needed: Role) -> Result<Caller, ApiError> {
    let (state, token) = verified(req)?;
    let access = state
        .app
        .session_access(token.user_id, &token.family)
        .await?
        .ok_or_else(|| {
            ApiError::unauthorized(
                Code::SessionEnded,
                "This login has ended: you logged out, your password was changed or your \
                 account was deactivated. Log in again.",
            )
        })?;
    let role = access.role;
    if !role.at_least(needed) {
        return Err(ApiError::Forbidden {
            detail: format!("This action needs the {needed} role or higher; you are {role}."),
        });
    }
    Ok(Caller {
        principal: Principal {
            user_id: token.user_id,
            role,
            stores: access.stores,
        },
        login: token.family.into(),
    })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(req.extensions().get::<Caller>().cloned().ok_or_else(|| {
            ApiError::internal(format!(
                "{} {} takes a caller but its route declares no role",
                req.method(),
                req.path()
            ))
        }))
    }
}
