//! The role guard, as an extractor: a handler declares the least role it needs in its
//! signature (`Auth<MANAGER>`), so no route can forget to check.

use super::tokens::{Principal, TokenError};
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use pos_domain::user::Role;
use std::future::{Ready, ready};

pub const STAFF: u8 = 0;
pub const MANAGER: u8 = 1;
pub const ADMIN: u8 = 2;

/// An authenticated user whose role is at least `MIN` (`STAFF`, `MANAGER` or `ADMIN`).
#[derive(Debug, Clone, Copy)]
pub struct Auth<const MIN: u8>(pub Principal);

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
        self.0
    }

    fn from_request_sync(req: &HttpRequest) -> Result<Self, ApiError> {
        let state = req
            .app_data::<web::Data<AppState>>()
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
        let principal = state
            .tokens
            .verify(token.trim(), state.now())
            .map_err(|e| match e {
                TokenError::Expired => ApiError::unauthorized("token_expired", e.to_string()),
                TokenError::Invalid => ApiError::unauthorized("invalid_token", e.to_string()),
            })?;
        let needed = required(MIN);
        if !principal.role.at_least(needed) {
            return Err(ApiError::Forbidden {
                detail: format!(
                    "This action needs the {needed} role or higher; you are {}.",
                    principal.role
                ),
            });
        }
        Ok(Self(principal))
    }
}

impl<const MIN: u8> FromRequest for Auth<MIN> {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(Self::from_request_sync(req))
    }
}
