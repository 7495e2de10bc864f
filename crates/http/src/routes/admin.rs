//! Administration: the integrity check.

use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::web;
use pos_api::admin::*;

/// Verify the books and the stock: every journal entry balances; each product's stock equals
/// its lots and its inventory log; the inventory account equals the lots' value; receivables
/// equal open customer dues and payables open supplier dues. Admins.
#[utoipa::path(
    get, path = "/api/admin/integrity", tag = "operations",
    responses((status = 200, body = IntegrityReport), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = ["admin"]))
)]
pub async fn integrity(
    state: web::Data<AppState>,
    _auth: Caller,
) -> Result<web::Json<IntegrityReport>, ApiError> {
    let found = state.app.integrity_check().await?;
    Ok(web::Json(IntegrityReport {
        ok: found.is_empty(),
        discrepancies: found.into_iter().map(view).collect(),
    }))
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    integrity,
}
