//! Login, token refresh with rotation, logout.

use crate::users::UserView;
use garde::Validate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Email address or username.
    #[garde(length(chars, min = 1, max = 254))]
    #[schema(min_length = 1, max_length = 254)]
    #[schema(example = "admin@example.com")]
    pub login: String,
    /// At most 72 bytes (bcrypt's limit).
    #[garde(length(chars, min = 1, max = 1024))]
    #[schema(min_length = 1, max_length = 1024, format = Password, write_only)]
    #[schema(example = "correct horse battery staple")]
    pub password: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token, for clients that cannot keep cookies. Browsers omit it: the
    /// httpOnly cookie is used.
    #[garde(length(chars, max = 256))]
    #[schema(max_length = 256, format = Password, write_only)]
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
