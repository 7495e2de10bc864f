//! Liveness and readiness probes. Public.

use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::web;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`
    pub status: &'static str,
}

/// The process is up.
#[utoipa::path(
    get, path = "/health", tag = "operations",
    responses((status = 200, body = Health)),
    security(())
)]
pub async fn health() -> web::Json<Health> {
    web::Json(Health { status: "ok" })
}

/// The process is up and its database answers.
#[utoipa::path(
    get, path = "/ready", tag = "operations",
    responses((status = 200, body = Health), (status = 503, body = Problem)),
    security(())
)]
pub async fn ready(state: web::Data<AppState>) -> Result<web::Json<Health>, ApiError> {
    state.app.ping().await.map_err(|e| ApiError::Unavailable {
        detail: format!("The database does not answer: {e}"),
    })?;
    Ok(web::Json(Health { status: "ok" }))
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    health, ready,
}
