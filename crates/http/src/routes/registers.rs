//! Registers (tills): each sells with its own gapless invoice series. Managers and admins
//! manage them; everyone can list them.

use crate::auth::Caller;
use crate::dto::{Body, PageParams, Paged};
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_api::registers::*;
use pos_domain::app::registers::ChangeRegister;
use pos_domain::ids::RegisterId;
use pos_domain::register::{NewRegister, RegisterChange, RegisterCode};
use pos_domain::text::Name;

/// Every register, by id.
#[utoipa::path(
    get, path = "/api/registers", tag = "registers",
    params(PageParams),
    responses((status = 200, body = Paged<RegisterView>), (status = 401, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn list_registers(
    state: web::Data<AppState>,
    _auth: Caller,
    page: web::Query<PageParams>,
) -> Result<web::Json<Paged<RegisterView>>, ApiError> {
    page.validate()?;
    let registers = state.app.registers().await?;
    Ok(web::Json(Paged::slice(registers, &page, Into::into)))
}

/// Add a register. Managers and admins; at most 100 per shop.
#[utoipa::path(
    post, path = "/api/registers", tag = "registers",
    request_body = RegisterInput,
    responses(
        (status = 201, body = RegisterView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "Code taken, or the shop has 100 registers", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn create_register_route(
    state: web::Data<AppState>,
    _auth: Caller,
    body: Body<RegisterInput>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::validated(&*body);
    let code = errors.check("code", RegisterCode::new(&body.code));
    let name = errors.check("name", Name::new(&body.name));
    let (code, name) = errors.values((code, name))?;
    let register = state
        .app
        .create_register(NewRegister {
            code,
            name,
            location: body.location_id.map_or(
                pos_domain::location::DEFAULT_LOCATION,
                pos_domain::ids::LocationId::new,
            ),
        })
        .await?;
    Ok(HttpResponse::Created().json(RegisterView::from(register)))
}

/// One register.
#[utoipa::path(
    get, path = "/api/registers/{id}", tag = "registers",
    params(("id" = i64, Path)),
    responses((status = 200, body = RegisterView), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn get_register(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<RegisterView>, ApiError> {
    let register = state.app.register(RegisterId::new(*id)).await?;
    Ok(web::Json(register.into()))
}

/// Rename a register or switch it on or off. Managers and admins. Its code never changes.
#[utoipa::path(
    patch, path = "/api/registers/{id}", tag = "registers",
    params(("id" = i64, Path)),
    request_body = RegisterPatch,
    responses(
        (status = 200, body = RegisterView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "The default register stays on", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn update_register(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
    body: Body<RegisterPatch>,
) -> Result<web::Json<RegisterView>, ApiError> {
    let mut errors = FieldErrors::validated(&*body);
    let name = errors.check_opt("name", body.name.as_deref(), Name::new);
    let (name,) = errors.values((name,))?;
    let command = ChangeRegister {
        register: RegisterId::new(*id),
        change: RegisterChange {
            name,
            active: body.active,
        },
    };
    Ok(web::Json(state.app.change_register(command).await?.into()))
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    list_registers, create_register_route, get_register, update_register,
}
