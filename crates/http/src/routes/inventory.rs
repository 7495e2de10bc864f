//! Inventory: stock and FIFO valuation, lots, the inventory log, adjustments and counts.

use crate::auth::Caller;
use crate::dto::csv;
use crate::dto::{Body, PageParams, Paged, SortOrder};
use crate::idempotency::{Idempotency, created, reply};
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use garde::Validate;
use pos_api::inventory::*;
use pos_domain::app::stock::{Adjusted, StockAdjustment, StockCount};
use pos_domain::ids::ProductId;
use pos_domain::inventory::{MovementFilter, MovementKind};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, PageRequest};
use pos_domain::quantity::Quantity;
use pos_domain::text::optional_text;

/// Stock on hand and FIFO valuation, at some locations (`location_ids`) or all. With
/// `Accept: text/csv`, the products as CSV. Managers and admins.
#[utoipa::path(
    get, path = "/api/inventory", tag = "inventory",
    params(pos_api::locations::LocationsParam),
    responses(
        (status = 200, content((Valuation = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn valuation(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Caller,
    locations: web::Query<pos_api::locations::LocationsParam>,
) -> Result<HttpResponse, ApiError> {
    let locations = auth.reach(&locations.ids()?)?;
    let view = valuation_view(state.app.stock_valuation(&locations).await?);
    csv::respond(&req, "inventory-valuation", &view, &view.products)
}

/// A product's lots, oldest first (the order units leave in). Managers and admins.
#[utoipa::path(
    get, path = "/api/inventory/{product_id}/lots", tag = "inventory",
    params(("product_id" = i64, Path), PageParams),
    responses((status = 200, body = Paged<LotView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn product_lots(
    state: web::Data<AppState>,
    auth: Caller,
    product_id: web::Path<i64>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Paged<LotView>>, ApiError> {
    page.validate()?;
    let lots = state
        .app
        .product_lots(ProductId::new(*product_id), &auth.principal().stores)
        .await?;
    Ok(web::Json(Paged::slice(lots, &page, lot_view)))
}

/// A product's stock at each location that holds some, among the locations the caller works
/// at: units and FIFO value, by location id. Over every location they add up to its stock on
/// hand. Everyone: the till asks whether its store has some.
#[utoipa::path(
    get, path = "/api/inventory/{product_id}/locations", tag = "inventory",
    params(("product_id" = i64, Path), PageParams),
    responses((status = 200, body = Paged<LocationStockView>), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn stock_by_location(
    state: web::Data<AppState>,
    auth: Caller,
    product_id: web::Path<i64>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Paged<LocationStockView>>, ApiError> {
    page.validate()?;
    let stock = state
        .app
        .stock_by_location(ProductId::new(*product_id), &auth.principal().stores)
        .await?;
    Ok(web::Json(Paged::slice(stock, &page, location_stock_view)))
}

/// The inventory log: every stock change with who, when, why and the stock before and after.
/// Never edited or deleted. Managers and admins.
#[utoipa::path(
    get, path = "/api/inventory/movements", tag = "inventory",
    params(MovementParams),
    responses((status = 200, body = Paged<MovementView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn list_movements(
    state: web::Data<AppState>,
    _auth: Caller,
    params: web::Query<MovementParams>,
) -> Result<web::Json<Paged<MovementView>>, ApiError> {
    params.validate()?;
    let p = params.into_inner();
    let kind = match p.kind.as_deref() {
        None => None,
        Some(k) => Some(
            MovementKind::parse(k)
                .ok_or_else(|| ApiError::validation("kind", "is not a kind of movement"))?,
        ),
    };
    let query = ListQuery {
        filter: MovementFilter {
            product_id: p.product_id.map(ProductId::new),
            kind,
            from: p.from,
            to: p.to,
            location: p.location_id.map(pos_domain::ids::LocationId::new),
        },
        sort: (),
        order: p.order.unwrap_or(SortOrder::Desc).into(),
        page: PageRequest::new(p.page, p.per_page),
    };
    Ok(web::Json(Paged::from_page(
        state.app.stock_movements(query).await?,
        movement_view,
    )))
}

/// Adjust a product's stock: decreases leave FIFO lots at their cost (posted to shrinkage);
/// increases make a lot (posted to inventory gains). Managers and admins. Honours
/// `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/inventory/adjustments", tag = "inventory",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: 1 to 128 printable ASCII characters without spaces, such as a UUID", pattern = "^[!-~]{1,128}$")),
    request_body = AdjustmentInput,
    responses(
        (status = 201, body = AdjustedView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Not enough stock", body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn create_adjustment(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    body: Body<AdjustmentInput>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let mut errors = FieldErrors::validated(&*body);
    let change = signed_thousandths("change", &mut errors, body.change);
    let unit_cost = errors.check_opt("unit_cost", body.unit_cost, Money::non_negative);
    let note = errors.check("note", optional_text(body.note.as_deref(), 300));
    let (change, unit_cost, note) = errors.values((change, unit_cost, note))?;
    let command = StockAdjustment {
        product: ProductId::new(body.product_id),
        reason: body.reason.into(),
        delta_thousandths: change,
        unit_cost,
        note,
        date: body.date,
        user: auth.principal().user_id,
        location: location_of(body.location_id),
        stores: auth.principal().stores.clone(),
    };
    let render = created(|a: &Adjusted| Ok::<_, ApiError>(adjusted_view(a.clone())));
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.adjust_stock(command, once).await?))
}

/// Record a stock count: each product whose count differs from the books is adjusted to it
/// (a count correction). Products that match are left alone. All or nothing. Managers and
/// admins. Honours `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/inventory/counts", tag = "inventory",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: 1 to 128 printable ASCII characters without spaces, such as a UUID", pattern = "^[!-~]{1,128}$")),
    request_body = StockCountInput,
    responses(
        (status = 201, description = "The adjustments made", body = Vec<AdjustedView>),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn create_count(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    body: Body<StockCountInput>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let mut errors = FieldErrors::validated(&*body);
    let mut counts = Vec::new();
    for (i, line) in body.lines.iter().enumerate() {
        if let Some(q) = errors.check(&format!("lines[{i}].counted"), Quantity::new(line.counted)) {
            counts.push((ProductId::new(line.product_id), q));
        }
    }
    let note = errors.check("note", optional_text(body.note.as_deref(), 300));
    let (note,) = errors.values((note,))?;
    let command = StockCount {
        lines: counts,
        note,
        date: body.date,
        user: auth.principal().user_id,
        location: location_of(body.location_id),
        stores: auth.principal().stores.clone(),
    };
    let render = created(|made: &Vec<Adjusted>| {
        Ok::<_, ApiError>(made.iter().cloned().map(adjusted_view).collect::<Vec<_>>())
    });
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.count_stock(command, once).await?))
}

/// The location a request names, or the default store.
fn location_of(id: Option<i64>) -> pos_domain::ids::LocationId {
    id.map_or(
        pos_domain::location::DEFAULT_LOCATION,
        pos_domain::ids::LocationId::new,
    )
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    valuation, list_movements, create_adjustment, create_count, product_lots, stock_by_location,
}
