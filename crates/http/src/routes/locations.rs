//! Stores and warehouses. Admins add and change them; everyone can list them.

use crate::auth::Caller;
use crate::dto::{Body, PageParams, Paged};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_api::locations::*;
use pos_domain::ids::LocationId;

/// Every location, by id.
#[utoipa::path(
    get, path = "/api/locations", tag = "locations",
    params(PageParams),
    responses((status = 200, body = Paged<LocationView>), (status = 401, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn list_locations(
    state: web::Data<AppState>,
    _auth: Caller,
    page: web::Query<PageParams>,
) -> Result<web::Json<Paged<LocationView>>, ApiError> {
    page.validate()?;
    let locations = state.app.locations().await?;
    Ok(web::Json(Paged::slice(locations, &page, Into::into)))
}

/// Add a store or a warehouse. Admins.
#[utoipa::path(
    post, path = "/api/locations", tag = "locations",
    request_body = LocationInput,
    responses(
        (status = 201, body = LocationView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "Code taken", body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["admin"]))
)]
pub async fn create_location(
    state: web::Data<AppState>,
    _auth: Caller,
    body: Body<LocationInput>,
) -> Result<HttpResponse, ApiError> {
    let location = state.app.create_location(body.command()?).await?;
    Ok(HttpResponse::Created().json(LocationView::from(location)))
}

/// One location.
#[utoipa::path(
    get, path = "/api/locations/{id}", tag = "locations",
    params(("id" = i64, Path)),
    responses((status = 200, body = LocationView), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn get_location(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<LocationView>, ApiError> {
    Ok(web::Json(
        state.app.location(LocationId::new(*id)).await?.into(),
    ))
}

/// Rename a location, change its address or offset, or switch it on or off; its code and
/// kind never change. Admins.
#[utoipa::path(
    patch, path = "/api/locations/{id}", tag = "locations",
    params(("id" = i64, Path)),
    request_body = LocationPatch,
    responses(
        (status = 200, body = LocationView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "The default store stays on", body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["admin"]))
)]
pub async fn update_location(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
    body: Body<LocationPatch>,
) -> Result<web::Json<LocationView>, ApiError> {
    let location = state
        .app
        .change_location(LocationId::new(*id), body.change()?)
        .await?;
    Ok(web::Json(location.into()))
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    list_locations, create_location, get_location, update_location,
}
