//! Staff accounts: admins manage everyone; everyone manages themselves.

use crate::SortOrder;
use garde::Validate;
use pos_domain::user::{Role, User, UserSort};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

/// A role: `admin` (everything), `manager` (runs the shop) or `staff` (sells).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RoleDto {
    Admin,
    Manager,
    Staff,
}

impl From<RoleDto> for Role {
    fn from(r: RoleDto) -> Self {
        match r {
            RoleDto::Admin => Role::Admin,
            RoleDto::Manager => Role::Manager,
            RoleDto::Staff => Role::Staff,
        }
    }
}

impl From<Role> for RoleDto {
    fn from(r: Role) -> Self {
        match r {
            Role::Admin => RoleDto::Admin,
            Role::Manager => RoleDto::Manager,
            Role::Staff => RoleDto::Staff,
        }
    }
}

/// A staff account as shown to clients. Never includes the password hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub name: String,
    pub role: RoleDto,
    /// Inactive users cannot log in. Users are deactivated, never deleted.
    pub active: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_login_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        Self {
            id: u.id.get(),
            username: u.username.into_inner(),
            email: u.email.into_inner(),
            name: u.name.into_inner(),
            role: u.role.into(),
            active: u.active,
            last_login_at: u.last_login_at,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    /// 3-32 of a-z, 0-9, `.`, `_`, `-`; case-insensitive and unique.
    #[garde(length(chars, min = 3, max = 32))]
    #[schema(
        min_length = 3,
        max_length = 32,
        pattern = "^\\s*[A-Za-z0-9._-]{3,32}\\s*$"
    )]
    #[schema(example = "till1")]
    pub username: String,
    #[garde(length(chars, min = 3, max = 254))]
    #[schema(
        min_length = 3,
        max_length = 254,
        pattern = "^\\s*[^@\\s\\u0000-\\u001f\\u007f-\\u009f]+@[^@\\s.\\u0000-\\u001f\\u007f-\\u009f][^@\\s\\u0000-\\u001f\\u007f-\\u009f]*\\.[^@\\s\\u0000-\\u001f\\u007f-\\u009f]*[^@\\s.\\u0000-\\u001f\\u007f-\\u009f]\\s*$"
    )]
    #[schema(example = "till1@example.com")]
    pub email: String,
    #[garde(length(chars, min = 1, max = 120))]
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    )]
    pub name: String,
    #[garde(skip)]
    pub role: RoleDto,
    /// 8 characters to 72 bytes.
    #[garde(length(chars, min = 8), length(bytes, max = 72))]
    #[schema(min_length = 8, max_length = 72, format = Password, write_only)]
    pub password: String,
}

/// A partial update by an admin; omitted fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    #[garde(length(chars, min = 3, max = 32))]
    #[schema(
        min_length = 3,
        max_length = 32,
        pattern = "^\\s*[A-Za-z0-9._-]{3,32}\\s*$"
    )]
    pub username: Option<String>,
    #[garde(length(chars, min = 3, max = 254))]
    #[schema(
        min_length = 3,
        max_length = 254,
        pattern = "^\\s*[^@\\s\\u0000-\\u001f\\u007f-\\u009f]+@[^@\\s.\\u0000-\\u001f\\u007f-\\u009f][^@\\s\\u0000-\\u001f\\u007f-\\u009f]*\\.[^@\\s\\u0000-\\u001f\\u007f-\\u009f]*[^@\\s.\\u0000-\\u001f\\u007f-\\u009f]\\s*$"
    )]
    pub email: Option<String>,
    #[garde(length(chars, min = 1, max = 120))]
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    )]
    pub name: Option<String>,
    #[garde(skip)]
    pub role: Option<RoleDto>,
    /// `false` deactivates the account and ends its sessions.
    #[garde(skip)]
    pub active: Option<bool>,
    /// Sets a new password and ends the user's sessions.
    #[garde(length(chars, min = 8), length(bytes, max = 72))]
    #[schema(min_length = 8, max_length = 72, format = Password, write_only)]
    pub password: Option<String>,
}

/// Changes to one's own account. Changing the password needs the current one.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    #[garde(length(chars, min = 3, max = 254))]
    #[schema(
        min_length = 3,
        max_length = 254,
        pattern = "^\\s*[^@\\s\\u0000-\\u001f\\u007f-\\u009f]+@[^@\\s.\\u0000-\\u001f\\u007f-\\u009f][^@\\s\\u0000-\\u001f\\u007f-\\u009f]*\\.[^@\\s\\u0000-\\u001f\\u007f-\\u009f]*[^@\\s.\\u0000-\\u001f\\u007f-\\u009f]\\s*$"
    )]
    pub email: Option<String>,
    #[garde(length(chars, min = 1, max = 120))]
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    )]
    pub name: Option<String>,
    #[garde(length(chars, max = 1024))]
    #[schema(max_length = 1024, format = Password, write_only)]
    pub current_password: Option<String>,
    #[garde(length(chars, min = 8), length(bytes, max = 72))]
    #[schema(min_length = 8, max_length = 72, format = Password, write_only)]
    pub new_password: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UserSortKey {
    #[default]
    Name,
    Username,
    CreatedAt,
    LastLoginAt,
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListParams {
    /// Search in name, username and email.
    #[garde(length(chars, max = 100))]
    #[param(max_length = 100)]
    pub q: Option<String>,
    #[garde(skip)]
    pub role: Option<RoleDto>,
    #[garde(skip)]
    pub active: Option<bool>,
    #[garde(skip)]
    pub sort: Option<UserSortKey>,
    #[garde(skip)]
    pub order: Option<SortOrder>,
    /// Page number, from 1.
    #[garde(range(min = 1, max = 2147483647))]
    #[param(minimum = 1, maximum = 2147483647)]
    pub page: Option<u32>,
    /// Rows per page, 1 to 100 (default 25).
    #[garde(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

pub fn sort(key: UserSortKey) -> UserSort {
    match key {
        UserSortKey::Name => UserSort::Name,
        UserSortKey::Username => UserSort::Username,
        UserSortKey::CreatedAt => UserSort::CreatedAt,
        UserSortKey::LastLoginAt => UserSort::LastLoginAt,
    }
}

/// The locations a user works at. None: every location (admins always work everywhere).
#[derive(Debug, Deserialize, Serialize, garde::Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserLocations {
    /// Location ids (`GET /api/locations`), each at most once; empty for every location.
    #[garde(length(max = 50))]
    #[schema(max_items = 50)]
    pub location_ids: Vec<i64>,
}
