//! Staff accounts: admins manage everyone; everyone manages themselves.

use crate::auth::Caller;
use crate::auth::password::Bcrypt;
use crate::dto::Body;
use crate::dto::{Paged, SortOrder};
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_domain::app::users::{self as app, PasswordChange};
use pos_domain::ids::UserId;
use pos_domain::paging::{ListQuery, PageRequest};
use pos_domain::text::{Email, Name, Username};
use pos_domain::user::{Password, Role, User, UserFilter, UserSort};
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
    #[garde(length(min = 3, max = 32))]
    #[schema(example = "till1")]
    pub username: String,
    #[garde(length(min = 3, max = 254))]
    #[schema(example = "till1@example.com")]
    pub email: String,
    #[garde(length(min = 1, max = 120))]
    pub name: String,
    #[garde(skip)]
    pub role: RoleDto,
    /// 8 characters to 72 bytes.
    #[garde(length(min = 8), length(bytes, max = 72))]
    pub password: String,
}

/// A partial update by an admin; omitted fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    #[garde(length(min = 3, max = 32))]
    pub username: Option<String>,
    #[garde(length(min = 3, max = 254))]
    pub email: Option<String>,
    #[garde(length(min = 1, max = 120))]
    pub name: Option<String>,
    #[garde(skip)]
    pub role: Option<RoleDto>,
    /// `false` deactivates the account and ends its sessions.
    #[garde(skip)]
    pub active: Option<bool>,
    /// Sets a new password and ends the user's sessions.
    #[garde(length(min = 8), length(bytes, max = 72))]
    pub password: Option<String>,
}

/// Changes to one's own account. Changing the password needs the current one.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    #[garde(length(min = 3, max = 254))]
    pub email: Option<String>,
    #[garde(length(min = 1, max = 120))]
    pub name: Option<String>,
    #[garde(length(max = 1024))]
    pub current_password: Option<String>,
    #[garde(length(min = 8), length(bytes, max = 72))]
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
    #[garde(length(max = 100))]
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
    #[garde(range(min = 1))]
    pub page: Option<u32>,
    /// Rows per page, 1 to 100 (default 25).
    #[garde(range(min = 1, max = 100))]
    pub per_page: Option<u32>,
}

fn sort(key: UserSortKey) -> UserSort {
    match key {
        UserSortKey::Name => UserSort::Name,
        UserSortKey::Username => UserSort::Username,
        UserSortKey::CreatedAt => UserSort::CreatedAt,
        UserSortKey::LastLoginAt => UserSort::LastLoginAt,
    }
}

/// List staff accounts.
#[utoipa::path(
    get, path = "/api/users", tag = "users", operation_id = "list_users",
    params(UserListParams),
    responses(
        (status = 200, description = "One page of users", body = Paged<UserView>),
        (status = 401, body = Problem), (status = 403, body = Problem),
    ),
    security(("bearer" = ["admin"]))
)]
pub async fn list_users(
    state: web::Data<AppState>,
    _auth: Caller,
    params: web::Query<UserListParams>,
) -> Result<web::Json<Paged<UserView>>, ApiError> {
    params.validate()?;
    let p = params.into_inner();
    let query = ListQuery {
        filter: UserFilter {
            q: p.q,
            role: p.role.map(Role::from),
            active: p.active,
        },
        sort: sort(p.sort.unwrap_or_default()),
        order: p.order.unwrap_or_default().into(),
        page: PageRequest::new(p.page, p.per_page),
    };
    let page = state.app.users(query).await?;
    Ok(web::Json(Paged::from_page(page, UserView::from)))
}

/// Create a staff account.
#[utoipa::path(
    post, path = "/api/users", tag = "users", operation_id = "create_user",
    request_body = CreateUser,
    responses(
        (status = 201, description = "Created", body = UserView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "Username or email taken", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = ["admin"]))
)]
pub async fn create_user(
    state: web::Data<AppState>,
    _auth: Caller,
    body: Body<CreateUser>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut errors = FieldErrors::validated(&body);
    let username = errors.check("username", Username::new(&body.username));
    let email = errors.check("email", Email::new(&body.email));
    let name = errors.check("name", Name::new(&body.name));
    let password = errors.check("password", Password::new(body.password));
    let (username, email, name, password) = errors.values((username, email, name, password))?;
    let command = app::CreateUser {
        username,
        email,
        name,
        role: body.role.into(),
        password,
    };
    let user = state.app.create_user(command, &Bcrypt::new(&state)).await?;
    Ok(HttpResponse::Created().json(UserView::from(user)))
}

/// One staff account.
#[utoipa::path(
    get, path = "/api/users/{id}", tag = "users", operation_id = "get_user",
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, body = UserView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    ),
    security(("bearer" = ["admin"]))
)]
pub async fn get_user(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<UserView>, ApiError> {
    let user = state.app.user(UserId::new(*id)).await?;
    Ok(web::Json(user.into()))
}

/// Update a staff account (role, activation, details, password).
#[utoipa::path(
    patch, path = "/api/users/{id}", tag = "users", operation_id = "update_user",
    params(("id" = i64, Path, description = "User id")),
    request_body = UpdateUser,
    responses(
        (status = 200, body = UserView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Taken username/email, or it would leave no active admin", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = ["admin"]))
)]
pub async fn update_user(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
    body: Body<UpdateUser>,
) -> Result<web::Json<UserView>, ApiError> {
    let body = body.into_inner();
    let mut errors = FieldErrors::validated(&body);
    let username = errors.check_opt("username", body.username, |s| Username::new(&s));
    let email = errors.check_opt("email", body.email, |s| Email::new(&s));
    let name = errors.check_opt("name", body.name, |s| Name::new(&s));
    let password = errors.check_opt("password", body.password, Password::new);
    errors.finish()?;
    let command = app::UpdateUser {
        user: UserId::new(*id),
        username: username.flatten(),
        email: email.flatten(),
        name: name.flatten(),
        role: body.role.map(Role::from),
        active: body.active,
        password: password.flatten(),
    };
    let user = state.app.update_user(command, &Bcrypt::new(&state)).await?;
    Ok(web::Json(user.into()))
}

/// Deactivate a staff account. Users are never deleted: their history stays attributed.
#[utoipa::path(
    delete, path = "/api/users/{id}", tag = "users", operation_id = "deactivate_user",
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "Deactivated", body = UserView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "It is the last active admin", body = Problem),
    ),
    security(("bearer" = ["admin"]))
)]
pub async fn deactivate_user(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<UserView>, ApiError> {
    let user = state.app.deactivate_user(UserId::new(*id)).await?;
    Ok(web::Json(user.into()))
}

/// The logged-in user's own account.
#[utoipa::path(
    get, path = "/api/users/me", tag = "users", operation_id = "get_me",
    responses((status = 200, body = UserView), (status = 401, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn get_me(
    state: web::Data<AppState>,
    auth: Caller,
) -> Result<web::Json<UserView>, ApiError> {
    let user = state.app.user(auth.principal().user_id).await?;
    Ok(web::Json(user.into()))
}

/// Update one's own name, email or password.
#[utoipa::path(
    put, path = "/api/users/me", tag = "users", operation_id = "update_me",
    request_body = UpdateMe,
    responses(
        (status = 200, body = UserView),
        (status = 401, body = Problem), (status = 409, body = Problem),
        (status = 422, description = "Invalid fields, or a wrong current password", body = Problem),
    ),
    security(("bearer" = ["staff"]))
)]
pub async fn update_me(
    state: web::Data<AppState>,
    auth: Caller,
    req: actix_web::HttpRequest,
    body: Body<UpdateMe>,
) -> Result<web::Json<UserView>, ApiError> {
    let body = body.into_inner();
    let mut errors = FieldErrors::validated(&body);
    let email = errors.check_opt("email", body.email, |s| Email::new(&s));
    let name = errors.check_opt("name", body.name, |s| Name::new(&s));
    let new_password = errors.check_opt("new_password", body.new_password, Password::new);
    errors.finish()?;
    // The current password is a password guess like a login's: it counts against the same
    // failed-login limits.
    let password = match new_password.flatten() {
        None => None,
        Some(new) => Some(PasswordChange {
            current: body.current_password.unwrap_or_default(),
            new,
            client: crate::routes::auth::client_info(&req),
            limits: crate::routes::auth::login_limits(&state)?,
        }),
    };
    let command = app::UpdateMe {
        user: auth.principal().user_id,
        email: email.flatten(),
        name: name.flatten(),
        password,
    };
    let user = state.app.update_me(command, &Bcrypt::new(&state)).await?;
    Ok(web::Json(user.into()))
}
