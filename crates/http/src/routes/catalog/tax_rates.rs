//! Tax rates: a name, a percentage, and whether shelf prices include it.

use crate::auth::Caller;
use crate::dto::Body;
use crate::dto::Paged;
use crate::dto::decimal;
use crate::dto::enums::TaxModeDto;
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_domain::app::catalog::UpdateTaxRate;
use pos_domain::catalog::{Percent, TaxRate, TaxRateDraft, TaxRateSort};
use pos_domain::ids::TaxRateId;
use pos_domain::text::Name;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxRateInput {
    /// Unique name, e.g. "VAT 15%".
    #[garde(length(min = 1, max = 120))]
    #[schema(example = "VAT 15%")]
    pub name: String,
    /// The rate in percent, 0 to 100 with up to 4 decimals, as a string.
    #[serde(deserialize_with = "decimal::from_str")]
    #[garde(skip)]
    #[schema(value_type = String, example = "15.00", pattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")]
    pub rate: Decimal,
    #[garde(skip)]
    pub mode: TaxModeDto,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaxRateView {
    pub id: i64,
    pub name: String,
    /// Percent, as a decimal string.
    #[schema(value_type = String, example = "15")]
    pub rate: Decimal,
    pub mode: TaxModeDto,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

impl From<TaxRate> for TaxRateView {
    fn from(t: TaxRate) -> Self {
        Self {
            id: t.id.get(),
            name: t.name.into_inner(),
            rate: t.rate.value(),
            mode: t.mode.into(),
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

impl TaxRateInput {
    fn into_draft(self) -> Result<TaxRateDraft, ApiError> {
        let mut errors = FieldErrors::validated(&self);
        let name = errors.check("name", Name::new(&self.name));
        let rate = errors.check("rate", Percent::new(self.rate));
        let (name, rate) = errors.values((name, rate))?;
        Ok(TaxRateDraft {
            name,
            rate,
            mode: self.mode.into(),
        })
    }
}

/// Sort keys for tax rates.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaxRateSortKey {
    #[default]
    Name,
    Rate,
}

named_list_params!(TaxRateListParams, TaxRateSortKey);

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
