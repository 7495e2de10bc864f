//! Tax rates: a name, a percentage, and whether shelf prices include it.

use crate::auth::Caller;
use crate::dto::Body;
use crate::dto::Paged;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_api::catalog::tax_rates::*;
use pos_domain::app::catalog::UpdateTaxRate;
use pos_domain::catalog::TaxRateSort;
use pos_domain::ids::TaxRateId;

/// List tax rates.
#[utoipa::path(
    get, path = "/api/tax-rates", tag = "tax rates",
    params(TaxRateListParams),
    responses((status = 200, body = Paged<TaxRateView>), (status = 401, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn list_tax_rates(
    state: web::Data<AppState>,
    _auth: Caller,
    params: web::Query<TaxRateListParams>,
) -> Result<web::Json<Paged<TaxRateView>>, ApiError> {
    params.validate()?;
    let query = params.into_inner().into_query(|k| match k {
        TaxRateSortKey::Name => TaxRateSort::Name,
        TaxRateSortKey::Rate => TaxRateSort::Rate,
    });
    Ok(web::Json(Paged::from_page(
        state.app.tax_rates(query).await?,
        TaxRateView::from,
    )))
}

/// Create a tax rate. Managers and admins.
#[utoipa::path(
    post, path = "/api/tax-rates", tag = "tax rates",
    request_body = TaxRateInput,
    responses(
        (status = 201, body = TaxRateView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "Name taken", body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn create_tax_rate(
    state: web::Data<AppState>,
    _auth: Caller,
    body: Body<TaxRateInput>,
) -> Result<HttpResponse, ApiError> {
    let draft = body.into_inner().into_draft()?;
    let rate = state.app.create_tax_rate(draft).await?;
    Ok(HttpResponse::Created().json(TaxRateView::from(rate)))
}

/// One tax rate.
#[utoipa::path(
    get, path = "/api/tax-rates/{id}", tag = "tax rates",
    params(("id" = i64, Path)),
    responses((status = 200, body = TaxRateView), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn get_tax_rate(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<TaxRateView>, ApiError> {
    let rate = state.app.tax_rate(TaxRateId::new(*id)).await?;
    Ok(web::Json(rate.into()))
}

/// Replace a tax rate. Managers and admins. Prices of products using it are unchanged; sales
/// already made keep the tax they were charged.
#[utoipa::path(
    put, path = "/api/tax-rates/{id}", tag = "tax rates",
    params(("id" = i64, Path)),
    request_body = TaxRateInput,
    responses(
        (status = 200, body = TaxRateView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn update_tax_rate(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
    body: Body<TaxRateInput>,
) -> Result<web::Json<TaxRateView>, ApiError> {
    let draft = body.into_inner().into_draft()?;
    let command = UpdateTaxRate {
        tax_rate: TaxRateId::new(*id),
        draft,
    };
    Ok(web::Json(state.app.update_tax_rate(command).await?.into()))
}

/// Delete a tax rate that no product uses. Managers and admins.
#[utoipa::path(
    delete, path = "/api/tax-rates/{id}", tag = "tax rates",
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Products still use it", body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn delete_tax_rate(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    state.app.delete_tax_rate(TaxRateId::new(*id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    list_tax_rates, create_tax_rate, get_tax_rate, update_tax_rate, delete_tax_rate,
}
