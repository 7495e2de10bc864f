//! The counter: checkout, sales, receipts and returns.

use crate::auth::Caller;
use crate::dto::csv;
use crate::dto::date::iso_date;
use crate::dto::{Body, Paged, SortOrder, decimal};
use crate::idempotency::{Idempotency, created, reply};
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::routes::ledger::journal::{EntryView, entry_view};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use garde::Validate;
use pos_domain::app::AccountIndex;
use pos_domain::app::sales::{Cart, Receipt, ReturnSale, SaleReturned, SaleWithEntries, Sell};
use pos_domain::catalog::Percent;
use pos_domain::ids::{CustomerId, ProductId, RegisterId, SaleId, SaleLineId, UserId};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, PageRequest};
use pos_domain::quantity::Quantity;
use pos_domain::sales::{Discount, Sale, SaleFilter, SaleStatus};
use pos_domain::services::sales::{CheckoutLine, ReturnLine, Sold};
use pos_domain::text::optional_text;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

/// A discount: give exactly one of `amount` (off the line or order) and `percent`.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DiscountInput {
    #[serde(default, deserialize_with = "decimal::option_from_str")]
    #[schema(value_type = Option<String>, example = "1.50", pattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")]
    #[garde(skip)]
    pub amount: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal::option_from_str")]
    #[schema(value_type = Option<String>, example = "10", pattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")]
    #[garde(skip)]
    pub percent: Option<Decimal>,
}

pub fn discount(
    field: &str,
    errors: &mut FieldErrors,
    d: &Option<DiscountInput>,
) -> Option<Option<Discount>> {
    let Some(d) = d else { return Some(None) };
    let parsed = match (d.amount, d.percent) {
        (Some(a), None) => Money::non_negative(a)
            .map(Discount::Amount)
            .map_err(|e| e.to_string()),
        (None, Some(p)) => Percent::new(p)
            .map(Discount::Percent)
            .map_err(|e| e.to_string()),
        _ => Err("give exactly one of amount and percent".to_owned()),
    };
    errors.check(field, parsed).map(Some)
}

#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaleLineInput {
    #[garde(skip)]
    pub product_id: i64,
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "2", pattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")]
    #[garde(skip)]
    pub quantity: Decimal,
    #[serde(default)]
    #[garde(dive)]
    pub discount: Option<DiscountInput>,
    /// Overrides the catalog price. Managers and admins only.
    #[serde(default, deserialize_with = "decimal::option_from_str")]
    #[schema(value_type = Option<String>, pattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")]
    #[garde(skip)]
    pub unit_price: Option<Decimal>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenderLine {
    /// A payment method code: `cash`, `card`, `bkash`...
    #[garde(length(min = 1, max = 32))]
    pub method: String,
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "20.00", pattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")]
    #[garde(skip)]
    pub amount: Decimal,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutInput {
    /// The register (till) it happens at; the default register when omitted.
    #[serde(default)]
    #[garde(skip)]
    pub register_id: Option<i64>,
    /// Needed for a sale on credit.
    #[garde(skip)]
    pub customer_id: Option<i64>,
    #[garde(length(min = 1, max = 200), dive)]
    pub lines: Vec<SaleLineInput>,
    #[serde(default)]
    #[garde(dive)]
    pub order_discount: Option<DiscountInput>,
    /// Split tender: any mix of methods. Cash may exceed the total (change is given); what is
    /// not paid is owed by the customer.
    #[serde(default)]
    #[garde(length(max = 10), dive)]
    pub payments: Vec<TenderLine>,
    /// The total the till shows; the sale is refused (409 `total_mismatch`) if it differs.
    #[serde(default, deserialize_with = "decimal::option_from_str")]
    #[schema(value_type = Option<String>, pattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")]
    #[garde(skip)]
    pub expected_total: Option<Decimal>,
    #[garde(length(max = 500))]
    pub note: Option<String>,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub date: Option<Date>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LotTakeView {
    pub lot_id: i64,
    #[schema(value_type = String)]
    pub quantity: Decimal,
    #[schema(value_type = String)]
    pub cost: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SaleLineView {
    pub id: i64,
    pub product_id: i64,
    #[schema(value_type = String)]
    pub quantity: Decimal,
    #[schema(value_type = String)]
    pub unit_price: Decimal,
    /// The tax rate in percent it was sold at, if taxed.
    #[schema(value_type = Option<String>)]
    pub tax_rate: Option<Decimal>,
    /// `inclusive` or `exclusive`, if taxed.
    pub tax_mode: Option<String>,
    #[schema(value_type = String)]
    pub gross: Decimal,
    #[schema(value_type = String)]
    pub discount: Decimal,
    #[schema(value_type = String)]
    pub tax: Decimal,
    #[schema(value_type = String)]
    pub total: Decimal,
    /// FIFO cost of the units sold.
    #[schema(value_type = String)]
    pub cost: Decimal,
    #[schema(value_type = String)]
    pub returned: Decimal,
    pub lots: Vec<LotTakeView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SalePaymentView {
    pub method_id: i64,
    #[schema(value_type = String)]
    pub amount: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SaleView {
    pub id: i64,
    /// The register it was sold at.
    pub register_id: i64,
    /// The register's code and the sale's place in its series (`R2-000123`): unique across
    /// the shop, sequential without gaps per register.
    pub invoice_no: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    pub customer_id: Option<i64>,
    pub user_id: i64,
    /// `completed`, `partially_refunded` or `refunded`.
    pub status: String,
    pub lines: Vec<SaleLineView>,
    #[schema(value_type = String)]
    pub subtotal: Decimal,
    #[schema(value_type = String)]
    pub discount: Decimal,
    #[schema(value_type = String)]
    pub tax: Decimal,
    #[schema(value_type = String)]
    pub total: Decimal,
    #[schema(value_type = String)]
    pub tendered: Decimal,
    #[schema(value_type = String)]
    pub change: Decimal,
    #[schema(value_type = String)]
    pub paid: Decimal,
    #[schema(value_type = String)]
    pub credited: Decimal,
    #[schema(value_type = String)]
    pub refunded: Decimal,
    /// Still owed by the customer.
    #[schema(value_type = String)]
    pub due: Decimal,
    pub payments: Vec<SalePaymentView>,
    pub note: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

pub fn sale_view(s: Sale) -> SaleView {
    sale_view_of(&s)
}

/// The view of a sale, from a borrowed one (what a use case holds for rendering).
fn sale_view_of(s: &Sale) -> SaleView {
    let due = s.due().amount();
    let invoice_no = s.invoice_no();
    SaleView {
        id: s.id.get(),
        register_id: s.register_id.get(),
        invoice_no,
        date: s.date,
        customer_id: s.customer_id.map(CustomerId::get),
        user_id: s.user_id.get(),
        status: s.status.as_str().to_owned(),
        lines: s
            .lines
            .iter()
            .map(|l| {
                let cost = l.cost().amount();
                let p = &l.priced;
                SaleLineView {
                    id: l.id.get(),
                    product_id: p.product_id.get(),
                    quantity: p.quantity.value(),
                    unit_price: p.unit_price.amount(),
                    tax_rate: p.tax_rate.map(|(r, _)| r.value()),
                    tax_mode: p.tax_rate.map(|(_, m)| m.as_str().to_owned()),
                    gross: p.gross.amount(),
                    discount: p.discount().amount(),
                    tax: p.tax.amount(),
                    total: p.total.amount(),
                    cost,
                    returned: l.returned.value(),
                    lots: l
                        .takes
                        .iter()
                        .map(|t| LotTakeView {
                            lot_id: t.lot_id.get(),
                            quantity: t.quantity.value(),
                            cost: t.cost.amount(),
                        })
                        .collect(),
                }
            })
            .collect(),
        subtotal: s.subtotal.amount(),
        discount: s.discount.amount(),
        tax: s.tax.amount(),
        total: s.total.amount(),
        tendered: s.tendered.amount(),
        change: s.change.amount(),
        paid: s.paid.amount(),
        credited: s.credited.amount(),
        refunded: s.refunded.amount(),
        due,
        payments: s
            .payments
            .iter()
            .map(|p| SalePaymentView {
                method_id: p.method_id.get(),
                amount: p.amount.amount(),
            })
            .collect(),
        note: s.note.clone(),
        created_at: s.created_at,
    }
}

/// A sale with the journal entries it and its returns posted.
#[derive(Debug, Serialize, ToSchema)]
pub struct SaleDetail {
    pub sale: SaleView,
    pub entries: Vec<EntryView>,
}

/// Renders journal entries with the chart they name.
fn entry_views(
    entries: Vec<pos_domain::ledger::JournalEntry>,
    accounts: &AccountIndex,
) -> Result<Vec<EntryView>, ApiError> {
    entries
        .into_iter()
        .map(|e| entry_view(e, accounts))
        .collect()
}

/// Renders a sale the checkout made (at the counter or completing a held sale): its entries
/// are named from the static data it was priced with, with no further reads.
pub fn sold_detail(sold: &Sold) -> Result<SaleDetail, ApiError> {
    let accounts: AccountIndex = sold
        .statics
        .accounts
        .iter()
        .map(|a| (a.id, a.clone()))
        .collect();
    Ok(SaleDetail {
        sale: sale_view_of(&sold.sale),
        entries: entry_views(sold.entries.clone(), &accounts)?,
    })
}

/// Parses the lines and tenders of a checkout, reporting every bad field.
pub fn checkout_lines(errors: &mut FieldErrors, lines: &[SaleLineInput]) -> Vec<CheckoutLine> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let quantity = errors.check(
            &format!("lines[{i}].quantity"),
            Quantity::new(line.quantity)
                .ok()
                .filter(|q| *q > Quantity::ZERO)
                .ok_or("must be greater than zero, with at most 3 decimals"),
        );
        let d = discount(&format!("lines[{i}].discount"), errors, &line.discount);
        let price = errors.check_opt(
            &format!("lines[{i}].unit_price"),
            line.unit_price,
            Money::non_negative,
        );
        if let (Some(quantity), Some(discount), Some(unit_price)) = (quantity, d, price) {
            out.push(CheckoutLine {
                product_id: ProductId::new(line.product_id),
                quantity,
                discount,
                unit_price,
            });
        }
    }
    out
}

/// Parses the tenders of a checkout: each method code with a positive amount.
pub fn tenders(errors: &mut FieldErrors, payments: &[TenderLine]) -> Vec<(String, Money)> {
    let mut out = Vec::new();
    for (i, t) in payments.iter().enumerate() {
        if let Some(amount) = errors.check(
            &format!("payments[{i}].amount"),
            crate::routes::ledger::payments::positive(t.amount),
        ) {
            out.push((t.method.clone(), amount));
        }
    }
    out
}

/// Sell. The server prices every line from the catalog (a price override needs a manager),
/// applies each product's tax, takes the units from FIFO lots, records the payments and posts
/// the sale and its cost. A due needs a customer, a manager, and room in the credit limit.
/// Insufficient stock refuses the whole sale (409 `insufficient_stock`, naming the product).
/// Honours `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/sales", tag = "sales",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
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
    };
    let render = created(sold_detail);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.checkout(command, once).await?))
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SaleListParams {
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub from: Option<Date>,
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub to: Option<Date>,
    #[garde(skip)]
    pub customer_id: Option<i64>,
    #[garde(skip)]
    pub user_id: Option<i64>,
    /// Sales with a line of this product.
    #[garde(skip)]
    pub product_id: Option<i64>,
    /// `completed`, `partially_refunded` or `refunded`.
    #[garde(length(max = 20))]
    pub status: Option<String>,
    /// Sales paid (partly) by this method code.
    #[garde(length(max = 32))]
    pub method: Option<String>,
    #[garde(skip)]
    pub order: Option<SortOrder>,
    #[garde(range(min = 1))]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
    pub per_page: Option<u32>,
}

/// A sale as one CSV record: the list's columns, its lines counted. A struct of its own, as
/// the view nests lines and payments, which have no cell.
#[derive(Default, Serialize)]
pub struct SaleRecord<'a> {
    id: i64,
    invoice_no: &'a str,
    /// `YYYY-MM-DD` (a string, so that an empty list's header row has a default).
    date: String,
    customer_id: Option<i64>,
    user_id: i64,
    status: &'a str,
    lines: usize,
    subtotal: Decimal,
    discount: Decimal,
    tax: Decimal,
    total: Decimal,
    paid: Decimal,
    credited: Decimal,
    refunded: Decimal,
    due: Decimal,
}

impl<'a> From<&'a SaleView> for SaleRecord<'a> {
    fn from(s: &'a SaleView) -> Self {
        SaleRecord {
            id: s.id,
            invoice_no: &s.invoice_no,
            date: s.date.to_string(),
            customer_id: s.customer_id,
            user_id: s.user_id,
            status: &s.status,
            lines: s.lines.len(),
            subtotal: s.subtotal,
            discount: s.discount,
            tax: s.tax,
            total: s.total,
            paid: s.paid,
            credited: s.credited,
            refunded: s.refunded,
            due: s.due,
        }
    }
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

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReceiptParams {
    /// `text` (default) or `html`.
    pub format: Option<String>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A printable receipt, as plain text (for thermal printers) or HTML.
#[utoipa::path(
    get, path = "/api/sales/{id}/receipt", tag = "sales",
    params(("id" = i64, Path), ReceiptParams),
    responses(
        (status = 200, description = "The receipt", content_type = "text/plain"),
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

/// A receipt as an HTML page.
fn receipt_html(receipt: &Receipt) -> String {
    let invoice = receipt.sale.invoice_no();
    let lines: String = receipt
        .lines
        .iter()
        .map(|l| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&l.name),
                l.quantity,
                l.unit_price,
                l.total
            )
        })
        .collect();
    let sums: String = receipt
        .totals
        .iter()
        .map(|(k, v)| format!("<tr><th colspan=\"3\">{}</th><td>{v}</td></tr>", escape(k)))
        .collect();
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{invoice}</title></head><body><h1>{invoice}</h1><p>{}</p><table><thead><tr><th>Item</th><th>Qty</th><th>Price</th><th>Total</th></tr></thead><tbody>{lines}</tbody><tfoot>{sums}</tfoot></table></body></html>",
        receipt.sale.date
    )
}

/// A receipt as plain text, 40 columns wide (for thermal printers).
fn receipt_text(receipt: &Receipt) -> String {
    let invoice = receipt.sale.invoice_no();
    let mut text = format!("{invoice}\n{}\n{}\n", receipt.sale.date, "-".repeat(40));
    for l in &receipt.lines {
        let (n, q, u, t) = (&l.name, l.quantity, l.unit_price, l.total);
        text.push_str(&format!(
            "{n}\n  {q} x {u}{:>width$}\n",
            t.to_string(),
            width = 24usize.saturating_sub(format!("{q} x {u}").len()).max(1)
        ));
    }
    text.push_str(&format!("{}\n", "-".repeat(40)));
    for (k, v) in &receipt.totals {
        text.push_str(&format!("{k:<20}{:>20}\n", v.to_string()));
    }
    text
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnLineInput {
    #[garde(skip)]
    pub sale_line_id: i64,
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "1", pattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")]
    #[garde(skip)]
    pub quantity: Decimal,
    /// Back on the shelf (default); `false` writes the units off as shrinkage.
    #[serde(default = "yes")]
    #[garde(skip)]
    pub restock: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaleReturnInput {
    /// The register (till) it happens at; the default register when omitted.
    #[serde(default)]
    #[garde(skip)]
    pub register_id: Option<i64>,
    #[garde(length(min = 1, max = 200), dive)]
    pub lines: Vec<ReturnLineInput>,
    /// How a refund beyond what the customer owes is paid back (default `cash`).
    #[garde(length(min = 1, max = 32))]
    pub refund_method: Option<String>,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub date: Option<Date>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SaleReturnView {
    pub sale: SaleView,
    #[schema(value_type = String)]
    pub refund: Decimal,
    /// Taken off what the customer owes.
    #[schema(value_type = String)]
    pub credited: Decimal,
    /// Paid back.
    #[schema(value_type = String)]
    pub refunded: Decimal,
    pub entries: Vec<EntryView>,
}

/// Return some quantity of some lines: never more than sold minus already returned. Restocked
/// units go back to the lots they came from at their original cost; the refund first reduces
/// what the customer owes, the rest is paid out. Refunds over the staff limit need a manager.
/// Honours `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/sales/{id}/returns", tag = "sales",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
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
    };
    let render = created(return_view);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.return_sale(command, once).await?))
}

/// Renders a return with the entries it posted.
fn return_view(done: &SaleReturned) -> Result<SaleReturnView, ApiError> {
    let r = &done.returned;
    Ok(SaleReturnView {
        sale: sale_view_of(&r.sale),
        refund: r.refund.amount(),
        credited: r.credited.amount(),
        refunded: r.refunded.amount(),
        entries: entry_views(r.entries.clone(), &done.accounts)?,
    })
}
