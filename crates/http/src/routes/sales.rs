//! The counter: checkout, sales, receipts and returns.

use crate::auth::Caller;
use crate::dto::csv;
use crate::dto::{Body, Paged, SortOrder};
use crate::idempotency::{Idempotency, created, reply};
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use garde::Validate;
use pos_api::sales::*;
use pos_domain::app::sales::{Cart, ReturnSale, SaleWithEntries, Sell};
use pos_domain::ids::{CustomerId, ProductId, RegisterId, SaleId, SaleLineId, UserId};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, PageRequest};
use pos_domain::quantity::Quantity;
use pos_domain::sales::{SaleFilter, SaleStatus};
use pos_domain::services::sales::ReturnLine;
use pos_domain::text::optional_text;

/// Sell. The server prices every line from the catalog (a price override needs a manager),
/// applies each product's tax, takes the units from FIFO lots, records the payments and posts
/// the sale and its cost. A due needs a customer, a manager, and room in the credit limit.
/// Insufficient stock refuses the whole sale (409 `insufficient_stock`, naming the product).
/// Honours `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/sales", tag = "sales",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: 1 to 128 printable ASCII characters without spaces, such as a UUID", pattern = "^[!-~]{1,128}$")),
    request_body = CheckoutInput,
    responses(
        (status = 201, body = SaleDetail),
        (status = 401, body = Problem), (status = 403, description = "Price override or credit sale by staff", body = Problem),
        (status = 409, description = "Insufficient stock, total mismatch or credit limit", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = ["staff"]))
)]
pub async fn create_sale(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    body: Body<CheckoutInput>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::validated(&*body);
    let lines = checkout_lines(&mut errors, &body.lines);
    let order_discount = discount("order_discount", &mut errors, &body.order_discount);
    let tenders = tenders(&mut errors, &body.payments);
    let expected_total =
        errors.check_opt("expected_total", body.expected_total, Money::non_negative);
    let note = errors.check("note", optional_text(body.note.as_deref(), 500));
    let (order_discount, expected_total, note) =
        errors.values((order_discount, expected_total, note))?;
    let principal = auth.principal();
    let command = Sell {
        register: body.register_id.map(RegisterId::new),
        cart: Cart::New {
            customer: body.customer_id.map(CustomerId::new),
            lines,
            order_discount,
            note,
            date: body.date,
        },
        tenders,
        expected_total,
        user: principal.user_id,
        role: principal.role,
        stores: auth.principal().stores.clone(),
    };
    let render = created(sold_detail);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.checkout(command, once).await?))
}

/// Every transaction: sales, newest first, filterable by dates, customer, user, status and
/// payment method. With `Accept: text/csv`, the page's sales as CSV (one row per sale).
#[utoipa::path(
    get, path = "/api/sales", tag = "sales",
    params(SaleListParams),
    responses(
        (status = 200, content((Paged<SaleView> = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn list_sales(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Caller,
    params: web::Query<SaleListParams>,
) -> Result<HttpResponse, ApiError> {
    let page = sales_page(&state, params.into_inner()).await?;
    respond_page(&req, "sales", &page)
}

/// A page of sales as JSON, or its sales as CSV.
pub fn respond_page(
    req: &HttpRequest,
    name: &str,
    page: &Paged<SaleView>,
) -> Result<HttpResponse, ApiError> {
    let records: Vec<SaleRecord> = page.data.iter().map(SaleRecord::from).collect();
    csv::respond(req, name, page, &records)
}

/// The sales one list query asks for.
pub async fn sales_page(state: &AppState, p: SaleListParams) -> Result<Paged<SaleView>, ApiError> {
    p.validate()?;
    let status = match p.status.as_deref() {
        None => None,
        Some(s) => Some(SaleStatus::parse(s).ok_or_else(|| {
            ApiError::validation("status", "is not completed, partially_refunded or refunded")
        })?),
    };
    let query = ListQuery {
        filter: SaleFilter {
            from: p.from,
            to: p.to,
            customer_id: p.customer_id.map(CustomerId::new),
            user_id: p.user_id.map(UserId::new),
            status,
            method_id: None,
            open_only: false,
            product_id: p.product_id.map(ProductId::new),
        },
        sort: (),
        order: p.order.unwrap_or(SortOrder::Desc).into(),
        page: PageRequest::new(p.page, p.per_page),
    };
    let sales = state.app.sales(query, p.method).await?;
    Ok(Paged::from_page(sales, sale_view))
}

/// One sale with its lines, the lots they came from, payments and journal entries.
#[utoipa::path(
    get, path = "/api/sales/{id}", tag = "sales",
    params(("id" = i64, Path)),
    responses((status = 200, body = SaleDetail), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn get_sale(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<SaleDetail>, ApiError> {
    let SaleWithEntries {
        sale,
        entries,
        accounts,
    } = state.app.sale(SaleId::new(*id)).await?;
    Ok(web::Json(SaleDetail {
        sale: sale_view(sale),
        entries: entry_views(entries, &accounts)?,
    }))
}

/// A printable receipt, as plain text (for thermal printers) or HTML.
#[utoipa::path(
    get, path = "/api/sales/{id}/receipt", tag = "sales",
    params(("id" = i64, Path), ReceiptParams),
    responses(
        (status = 200, description = "The receipt", content((String = "text/plain"), (String = "text/html"))),
        (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["staff"]))
)]
pub async fn receipt(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
    params: web::Query<ReceiptParams>,
) -> Result<HttpResponse, ApiError> {
    let html = match params.format.as_deref() {
        None | Some("text") => false,
        Some("html") => true,
        Some(_) => return Err(ApiError::validation("format", "is text or html")),
    };
    let receipt = state.app.receipt(SaleId::new(*id)).await?;
    let (body, content_type) = if html {
        (receipt_html(&receipt), "text/html; charset=utf-8")
    } else {
        (receipt_text(&receipt), "text/plain; charset=utf-8")
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .body(body))
}

/// Return some quantity of some lines: never more than sold minus already returned. Restocked
/// units go back to the lots they came from at their original cost; the refund first reduces
/// what the customer owes, the rest is paid out. Refunds over the staff limit need a manager.
/// Honours `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/sales/{id}/returns", tag = "sales",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: 1 to 128 printable ASCII characters without spaces, such as a UUID", pattern = "^[!-~]{1,128}$")),
    request_body = SaleReturnInput,
    responses(
        (status = 201, body = SaleReturnView),
        (status = 401, body = Problem), (status = 403, description = "Refund over the staff limit", body = Problem),
        (status = 404, body = Problem), (status = 409, description = "More than was sold", body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["staff"]))
)]
pub async fn create_sale_return(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    id: web::Path<i64>,
    body: Body<SaleReturnInput>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::validated(&*body);
    let mut lines = Vec::new();
    for (i, line) in body.lines.iter().enumerate() {
        if let Some(quantity) = errors.check(
            &format!("lines[{i}].quantity"),
            Quantity::new(line.quantity)
                .ok()
                .filter(|q| *q > Quantity::ZERO)
                .ok_or("must be greater than zero, with at most 3 decimals"),
        ) {
            lines.push(ReturnLine {
                sale_line_id: SaleLineId::new(line.sale_line_id),
                quantity,
                restock: line.restock,
            });
        }
    }
    errors.finish()?;
    let principal = auth.principal();
    let command = ReturnSale {
        sale: SaleId::new(*id),
        register: body.register_id.map(RegisterId::new),
        lines,
        refund_method: body.refund_method.clone(),
        date: body.date,
        user: principal.user_id,
        role: principal.role,
        stores: auth.principal().stores.clone(),
    };
    let render = created(return_view);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.return_sale(command, once).await?))
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    list_sales, create_sale, get_sale, receipt, create_sale_return,
}
