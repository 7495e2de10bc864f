//! Staff accounts: admins manage everyone; everyone manages themselves.

use crate::auth::Caller;
use crate::auth::password::Bcrypt;
use crate::dto::Body;
use crate::dto::Paged;
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_api::users::*;
use pos_domain::app::users::{self as app, PasswordChange};
use pos_domain::ids::UserId;
use pos_domain::paging::{ListQuery, PageRequest};
use pos_domain::text::{Email, Name, Username};
use pos_domain::user::{Password, Role, UserFilter};

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

// The operations of this module, in mount order (see `routes.rs`).
/// The locations a user works at (none: every location). Admins.
#[utoipa::path(
    get, path = "/api/users/{id}/locations", tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, body = pos_api::users::UserLocations),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    ),
    security(("bearer" = ["admin"]))
)]
pub async fn get_user_locations(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<pos_api::users::UserLocations>, ApiError> {
    let ids = state.app.user_locations(UserId::new(*id)).await?;
    Ok(web::Json(pos_api::users::UserLocations {
        location_ids: ids.into_iter().map(|l| l.get()).collect(),
    }))
}

/// Assign a user to locations: staff then sell, open sessions and see stock only there, and
/// managers receive, adjust and ship stock only there. An empty list means every location.
/// Takes effect on the user's next request. Admins.
#[utoipa::path(
    put, path = "/api/users/{id}/locations", tag = "users",
    params(("id" = i64, Path, description = "User id")),
    request_body = pos_api::users::UserLocations,
    responses(
        (status = 200, body = pos_api::users::UserLocations),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = ["admin"]))
)]
pub async fn assign_user_locations(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
    body: Body<pos_api::users::UserLocations>,
) -> Result<web::Json<pos_api::users::UserLocations>, ApiError> {
    FieldErrors::validated(&*body).finish()?;
    let asked = body
        .location_ids
        .iter()
        .map(|id| pos_domain::ids::LocationId::new(*id))
        .collect();
    let ids = state.app.assign_locations(UserId::new(*id), asked).await?;
    Ok(web::Json(pos_api::users::UserLocations {
        location_ids: ids.into_iter().map(|l| l.get()).collect(),
    }))
}

crate::routes::table::module_operations! {
    list_users, create_user, get_me, update_me, get_user, update_user, deactivate_user,
    get_user_locations, assign_user_locations,
}
