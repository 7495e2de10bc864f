//! Products: the catalog entries sold at the counter.

use crate::auth::Caller;
use crate::dto::Body;
use crate::dto::Paged;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_api::catalog::products::*;
use pos_domain::app::catalog::UpdateProduct;
use pos_domain::catalog::{ProductFilter, ProductSort};
use pos_domain::ids::{BrandId, CategoryId, ProductId, TaxRateId};
use pos_domain::paging::{ListQuery, PageRequest};

/// List products: search, filter, sort and page.
#[utoipa::path(
    get, path = "/api/products", tag = "products",
    params(ProductListParams),
    responses((status = 200, body = Paged<ProductView>), (status = 401, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn list_products(
    state: web::Data<AppState>,
    _auth: Caller,
    params: web::Query<ProductListParams>,
) -> Result<web::Json<Paged<ProductView>>, ApiError> {
    params.validate()?;
    let p = params.into_inner();
    let query = ListQuery {
        filter: ProductFilter {
            q: p.q.filter(|q| !q.trim().is_empty()),
            brand_id: p.brand_id.map(BrandId::new),
            category_id: p.category_id.map(CategoryId::new),
            tax_rate_id: p.tax_rate_id.map(TaxRateId::new),
            status: p.status.map(Into::into),
            low_stock: p.low_stock.unwrap_or(false),
        },
        sort: match p.sort.unwrap_or_default() {
            ProductSortKey::Name => ProductSort::Name,
            ProductSortKey::Sku => ProductSort::Sku,
            ProductSortKey::Price => ProductSort::Price,
            ProductSortKey::Stock => ProductSort::Stock,
            ProductSortKey::CreatedAt => ProductSort::CreatedAt,
        },
        order: p.order.unwrap_or_default().into(),
        page: PageRequest::new(p.page, p.per_page),
    };
    Ok(web::Json(Paged::from_page(
        state.app.products(query).await?,
        |p| state.product_view(p),
    )))
}

/// Create a product. Managers and admins.
#[utoipa::path(
    post, path = "/api/products", tag = "products",
    request_body = ProductInput,
    responses(
        (status = 201, body = ProductView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, description = "SKU or barcode taken", body = Problem),
        (status = 422, description = "Invalid fields or unknown brand/category/tax rate", body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn create_product(
    state: web::Data<AppState>,
    _auth: Caller,
    body: Body<ProductInput>,
) -> Result<HttpResponse, ApiError> {
    let draft = body.into_inner().into_draft()?;
    let product = state.app.create_product(draft).await?;
    Ok(HttpResponse::Created().json(state.product_view(product)))
}

/// One product.
#[utoipa::path(
    get, path = "/api/products/{id}", tag = "products",
    params(("id" = i64, Path)),
    responses((status = 200, body = ProductView), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn get_product(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<ProductView>, ApiError> {
    let product = state.app.product(ProductId::new(*id)).await?;
    Ok(web::Json(state.product_view(product)))
}

/// The product with this barcode, as scanned at the counter.
#[utoipa::path(
    get, path = "/api/products/barcode/{code}", tag = "products",
    params(("code" = String, Path, description = "The scanned barcode")),
    responses((status = 200, body = ProductView), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn get_product_by_barcode(
    state: web::Data<AppState>,
    _auth: Caller,
    code: web::Path<String>,
) -> Result<web::Json<ProductView>, ApiError> {
    let product = state.app.product_by_barcode(&code).await?;
    Ok(web::Json(state.product_view(product)))
}

/// Replace a product's editable fields. Managers and admins. To retire a product, set its
/// status to `inactive`: products are never deleted, so history keeps pointing at them.
#[utoipa::path(
    put, path = "/api/products/{id}", tag = "products",
    params(("id" = i64, Path)),
    request_body = ProductInput,
    responses(
        (status = 200, body = ProductView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn update_product(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
    body: Body<ProductInput>,
) -> Result<web::Json<ProductView>, ApiError> {
    let draft = body.into_inner().into_draft()?;
    let command = UpdateProduct {
        product: ProductId::new(*id),
        draft,
    };
    let product = state.app.update_product(command).await?;
    Ok(web::Json(state.product_view(product)))
}

// The operations of this module, in mount order (see `routes.rs`).
fn reorder_views(
    levels: Vec<(pos_domain::ids::LocationId, pos_domain::quantity::Quantity)>,
) -> Vec<pos_api::inventory::ReorderLevelView> {
    levels
        .into_iter()
        .map(|(l, q)| pos_api::inventory::ReorderLevelView {
            location_id: l.get(),
            level: q.value(),
        })
        .collect()
}

/// A product's reorder levels set per location (elsewhere its own `reorder_level` applies).
/// Managers and admins.
#[utoipa::path(
    get, path = "/api/products/{id}/reorder-levels", tag = "products",
    params(("id" = i64, Path), crate::dto::PageParams),
    responses((status = 200, body = Paged<pos_api::inventory::ReorderLevelView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn get_reorder_levels(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
    page: web::Query<crate::dto::PageParams>,
) -> Result<web::Json<Paged<pos_api::inventory::ReorderLevelView>>, ApiError> {
    page.validate()?;
    let levels = state.app.reorder_levels(ProductId::new(*id)).await?;
    Ok(web::Json(Paged::slice(reorder_views(levels), &page, |v| v)))
}

/// Set a product's reorder level at one location (`null`: its own level applies there
/// again); the location's stock alerts use it. Managers at their locations, and admins.
#[utoipa::path(
    put, path = "/api/products/{id}/reorder-levels", tag = "products",
    params(("id" = i64, Path)),
    request_body = pos_api::inventory::ReorderLevelInput,
    responses((status = 204, description = "Set"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn set_reorder_level(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<i64>,
    body: Body<pos_api::inventory::ReorderLevelInput>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = crate::problem::FieldErrors::validated(&*body);
    let level = errors.check_opt("level", body.level, |raw| {
        pos_domain::quantity::Quantity::new(raw)
            .map_err(|_| "must be zero or more, with at most 3 decimals")
    });
    let (level,) = errors.values((level,))?;
    state
        .app
        .set_reorder_level(
            ProductId::new(*id),
            pos_domain::ids::LocationId::new(body.location_id),
            level,
            &auth.principal().stores,
        )
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

crate::routes::table::module_operations! {
    list_products, create_product, get_product_by_barcode, get_product, update_product,
    get_reorder_levels, set_reorder_level,
}
