//! Suppliers: profiles, what was bought from them, what is owed, and paying them.

use crate::auth::Caller;
use crate::dto::date::iso_date;
use crate::dto::{Body, Paged, SortOrder, decimal};
use crate::idempotency::{Idempotency, created, reply};
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::routes::ledger::journal::{EntryView, entry_view};
use crate::routes::ledger::payments::payment_fields;
use crate::routes::purchases::{PurchaseView, purchase_view};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_domain::app::parties::{
    PaySupplier, SetActive, Settlement, SuppliedProductHistory, SupplierPeriod, SupplyLine,
    UpdateSupplier,
};
use pos_domain::ids::{ProductId, PurchaseId, SupplierId};
use pos_domain::paging::{ListQuery, PageRequest};
use pos_domain::suppliers::{
    Address, Phone, Supplier, SupplierDraft, SupplierFilter, SupplierSort,
};
use pos_domain::text::{Email, Name, optional_text};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

/// A postal address; every part optional.
#[derive(Debug, Clone, Default, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressDto {
    #[garde(length(max = 120))]
    pub line1: Option<String>,
    #[garde(length(max = 120))]
    pub line2: Option<String>,
    #[garde(length(max = 120))]
    pub city: Option<String>,
    #[garde(length(max = 120))]
    pub region: Option<String>,
    #[garde(length(max = 120))]
    pub postal_code: Option<String>,
    #[garde(length(max = 120))]
    pub country: Option<String>,
}

impl AddressDto {
    pub fn into_domain(self) -> Address {
        let clean = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        Address {
            line1: clean(self.line1),
            line2: clean(self.line2),
            city: clean(self.city),
            region: clean(self.region),
            postal_code: clean(self.postal_code),
            country: clean(self.country),
        }
    }

    pub fn from_domain(a: Address) -> Self {
        Self {
            line1: a.line1,
            line2: a.line2,
            city: a.city,
            region: a.region,
            postal_code: a.postal_code,
            country: a.country,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupplierInput {
    #[garde(length(min = 1, max = 120))]
    #[schema(example = "Dhaka Textiles Ltd")]
    pub name: String,
    #[garde(length(max = 32))]
    #[schema(example = "+880 1711-000000")]
    pub phone: Option<String>,
    #[garde(length(max = 32))]
    pub alt_phone: Option<String>,
    #[garde(length(max = 254))]
    pub email: Option<String>,
    #[serde(default)]
    #[garde(dive)]
    pub address: AddressDto,
    #[garde(length(max = 1000))]
    pub note: Option<String>,
}

impl SupplierInput {
    fn into_draft(self) -> Result<SupplierDraft, ApiError> {
        let mut errors = FieldErrors::validated(&self);
        let blank = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let name = errors.check("name", Name::new(&self.name));
        let phone = errors.check_opt("phone", blank(&self.phone), |p| Phone::new(&p));
        let alt_phone = errors.check_opt("alt_phone", blank(&self.alt_phone), |p| Phone::new(&p));
        let email = errors.check_opt("email", blank(&self.email), |e| Email::new(&e));
        let note = errors.check("note", optional_text(self.note.as_deref(), 1000));
        errors.finish()?;
        match (name, phone, alt_phone, email, note) {
            (Some(name), Some(phone), Some(alt_phone), Some(email), Some(note)) => {
                Ok(SupplierDraft {
                    name,
                    phone,
                    alt_phone,
                    email,
                    address: self.address.into_domain(),
                    note,
                })
            }
            _ => Err(ApiError::internal("field check passed without values")),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SupplierView {
    pub id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub alt_phone: Option<String>,
    pub email: Option<String>,
    pub address: AddressDto,
    pub note: Option<String>,
    /// Inactive suppliers keep their history but take no new purchases.
    pub active: bool,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

impl From<Supplier> for SupplierView {
    fn from(s: Supplier) -> Self {
        let d = s.draft;
        Self {
            id: s.id.get(),
            name: d.name.into_inner(),
            phone: d.phone.map(|p| p.as_str().to_owned()),
            alt_phone: d.alt_phone.map(|p| p.as_str().to_owned()),
            email: d.email.map(Email::into_inner),
            address: AddressDto::from_domain(d.address),
            note: d.note,
            active: s.active,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// Sort keys for suppliers.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SupplierSortKey {
    #[default]
    Name,
    CreatedAt,
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SupplierListParams {
    /// Search in name, phones and email.
    #[garde(length(max = 100))]
    pub q: Option<String>,
    #[garde(skip)]
    pub active: Option<bool>,
    #[garde(skip)]
    pub sort: Option<SupplierSortKey>,
    #[garde(skip)]
    pub order: Option<SortOrder>,
    #[garde(range(min = 1))]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
    pub per_page: Option<u32>,
}

/// List suppliers. Managers and admins.
#[utoipa::path(
    get, path = "/api/suppliers", tag = "suppliers",
    params(SupplierListParams),
    responses((status = 200, body = Paged<SupplierView>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn list_suppliers(
    state: web::Data<AppState>,
    _auth: Caller,
    params: web::Query<SupplierListParams>,
) -> Result<web::Json<Paged<SupplierView>>, ApiError> {
    params.validate()?;
    let p = params.into_inner();
    let query = ListQuery {
        filter: SupplierFilter {
            q: p.q.filter(|q| !q.trim().is_empty()),
            active: p.active,
        },
        sort: match p.sort.unwrap_or_default() {
            SupplierSortKey::Name => SupplierSort::Name,
            SupplierSortKey::CreatedAt => SupplierSort::CreatedAt,
        },
        order: p.order.unwrap_or_default().into(),
        page: PageRequest::new(p.page, p.per_page),
    };
    Ok(web::Json(Paged::from_page(
        state.app.list_suppliers(query).await?,
        SupplierView::from,
    )))
}

/// Add a supplier. Managers and admins.
#[utoipa::path(
    post, path = "/api/suppliers", tag = "suppliers",
    request_body = SupplierInput,
    responses((status = 201, body = SupplierView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn create_supplier(
    state: web::Data<AppState>,
    _auth: Caller,
    body: Body<SupplierInput>,
) -> Result<HttpResponse, ApiError> {
    let draft = body.into_inner().into_draft()?;
    let supplier = state.app.create_supplier(draft).await?;
    Ok(HttpResponse::Created().json(SupplierView::from(supplier)))
}

/// What is owed to a supplier and what was bought from them.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupplierDetails {
    pub supplier: SupplierView,
    pub purchases: u64,
    /// Value of all purchases.
    #[schema(value_type = String)]
    pub purchased: Decimal,
    #[schema(value_type = String)]
    pub paid: Decimal,
    /// Value of goods returned that reduced the debt.
    #[schema(value_type = String)]
    pub credited: Decimal,
    /// Still owed on the purchases.
    #[schema(value_type = String)]
    pub due: Decimal,
    /// The supplier's balance in accounts payable, from the ledger. Equals `due`.
    #[schema(value_type = String)]
    pub payable_balance: Decimal,
}

/// A supplier with purchase totals and the payable balance. Managers and admins.
#[utoipa::path(
    get, path = "/api/suppliers/{id}", tag = "suppliers",
    params(("id" = i64, Path)),
    responses((status = 200, body = SupplierDetails), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn get_supplier(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<SupplierDetails>, ApiError> {
    let details = state.app.supplier_details(SupplierId::new(*id)).await?;
    let totals = details.totals;
    Ok(web::Json(SupplierDetails {
        supplier: details.supplier.into(),
        purchases: totals.purchases,
        purchased: totals.purchased.amount(),
        paid: totals.paid.amount(),
        credited: totals.credited.amount(),
        due: totals.due.amount(),
        payable_balance: details.payable_balance.amount(),
    }))
}

/// Replace a supplier's profile. Managers and admins.
#[utoipa::path(
    put, path = "/api/suppliers/{id}", tag = "suppliers",
    params(("id" = i64, Path)),
    request_body = SupplierInput,
    responses((status = 200, body = SupplierView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn update_supplier(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
    body: Body<SupplierInput>,
) -> Result<web::Json<SupplierView>, ApiError> {
    let command = UpdateSupplier {
        supplier: SupplierId::new(*id),
        draft: body.into_inner().into_draft()?,
    };
    Ok(web::Json(state.app.update_supplier(command).await?.into()))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActiveInput {
    /// `false` deactivates: the supplier keeps its history but takes no new purchases.
    #[garde(skip)]
    pub active: bool,
}

/// Activate or deactivate a supplier. Managers and admins.
#[utoipa::path(
    put, path = "/api/suppliers/{id}/active", tag = "suppliers",
    params(("id" = i64, Path)),
    request_body = ActiveInput,
    responses((status = 200, body = SupplierView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn set_supplier_active(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
    body: Body<ActiveInput>,
) -> Result<web::Json<SupplierView>, ApiError> {
    let command = SetActive {
        party: SupplierId::new(*id),
        active: body.active,
    };
    Ok(web::Json(
        state.app.set_supplier_active(command).await?.into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuppliedProductView {
    pub product_id: i64,
    #[schema(value_type = String)]
    pub quantity: Decimal,
    #[schema(value_type = String)]
    pub returned: Decimal,
    #[schema(value_type = String)]
    pub total: Decimal,
    pub purchases: u64,
}

/// Every product bought from a supplier, with totals. Managers and admins.
#[utoipa::path(
    get, path = "/api/suppliers/{id}/products", tag = "suppliers",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<SuppliedProductView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn supplied_products(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<SuppliedProductView>>, ApiError> {
    let rows = state.app.supplier_products(SupplierId::new(*id)).await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|r| SuppliedProductView {
                product_id: r.product_id.get(),
                quantity: r.quantity.value(),
                returned: r.returned.value(),
                total: r.total.amount(),
                purchases: r.purchases,
            })
            .collect(),
    ))
}

/// The supplier's purchases with something still owed, oldest first. Managers and admins.
#[utoipa::path(
    get, path = "/api/suppliers/{id}/dues", tag = "suppliers",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PurchaseView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn supplier_dues(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<PurchaseView>>, ApiError> {
    let open = state.app.supplier_dues(SupplierId::new(*id)).await?;
    Ok(web::Json(open.into_iter().map(purchase_view).collect()))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupplierPaymentInput {
    /// Greater than zero; at most what is owed.
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "500.00", pattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")]
    #[garde(skip)]
    pub amount: Decimal,
    /// A payment method code, e.g. `cash`.
    #[garde(length(min = 1, max = 32))]
    pub method: String,
    /// Pay this purchase; without it, the oldest open purchases are paid first.
    #[garde(skip)]
    pub purchase_id: Option<i64>,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub date: Option<Date>,
    #[garde(length(max = 100))]
    pub reference: Option<String>,
    #[garde(length(max = 500))]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AllocationView {
    pub purchase_id: i64,
    #[schema(value_type = String)]
    pub amount: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SupplierPaymentView {
    pub payment_id: i64,
    #[schema(value_type = String)]
    pub amount: Decimal,
    /// Which purchases it paid, and how much of each.
    pub allocations: Vec<AllocationView>,
    pub entry: EntryView,
}

/// Pay a supplier: the oldest open purchases first unless one is named. Paying more than is
/// owed is refused (409 `overpayment`). Managers and admins. Honours `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/suppliers/{id}/payments", tag = "suppliers",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    request_body = SupplierPaymentInput,
    responses(
        (status = 201, body = SupplierPaymentView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "More than is owed", body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn pay_supplier_route(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    id: web::Path<i64>,
    body: Body<SupplierPaymentInput>,
) -> Result<HttpResponse, ApiError> {
    let errors = FieldErrors::validated(&*body);
    let (amount, reference, note) = payment_fields(
        errors,
        body.amount,
        body.reference.as_deref(),
        body.note.as_deref(),
    )?;
    let command = PaySupplier {
        party: SupplierId::new(*id),
        amount,
        method: body.method.clone(),
        document: body.purchase_id.map(PurchaseId::new),
        date: body.date,
        reference,
        note,
        user: auth.principal().user_id,
    };
    let render = created(render_payment);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.pay_supplier(command, once).await?))
}

/// A supplier payment with the purchases it paid and the entry it posted.
fn render_payment(paid: &Settlement<PurchaseId>) -> Result<SupplierPaymentView, ApiError> {
    Ok(SupplierPaymentView {
        payment_id: paid.payment.id.get(),
        amount: paid.payment.amount.amount(),
        allocations: paid
            .allocations
            .iter()
            .map(|(p, m)| AllocationView {
                purchase_id: p.get(),
                amount: m.amount(),
            })
            .collect(),
        entry: entry_view(paid.posted.entry.clone(), &paid.posted.accounts)?,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SupplyLineView {
    pub purchase_id: i64,
    pub invoice_no: String,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    pub purchase_line_id: i64,
    #[schema(value_type = String)]
    pub quantity: Decimal,
    #[schema(value_type = String)]
    pub unit_cost: Decimal,
    #[schema(value_type = String)]
    pub total: Decimal,
    #[schema(value_type = String)]
    pub returned: Decimal,
}

fn supply_line_view(l: SupplyLine) -> SupplyLineView {
    SupplyLineView {
        purchase_id: l.purchase_id.get(),
        invoice_no: l.invoice_no.as_str().to_owned(),
        date: l.date,
        purchase_line_id: l.purchase_line_id.get(),
        quantity: l.quantity.value(),
        unit_cost: l.unit_cost.amount(),
        total: l.total.amount(),
        returned: l.returned.value(),
    }
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryParams {
    #[garde(range(min = 1))]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
    pub per_page: Option<u32>,
}

/// One product's purchase history from a supplier, newest first: what was bought when, at
/// what cost, and what went back. Managers and admins.
#[utoipa::path(
    get, path = "/api/suppliers/{id}/products/{product_id}", tag = "suppliers",
    params(("id" = i64, Path), ("product_id" = i64, Path), HistoryParams),
    responses((status = 200, body = Paged<SupplyLineView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn supplied_product_history(
    state: web::Data<AppState>,
    _auth: Caller,
    path: web::Path<(i64, i64)>,
    params: web::Query<HistoryParams>,
) -> Result<web::Json<Paged<SupplyLineView>>, ApiError> {
    params.validate()?;
    let (supplier, product) = path.into_inner();
    let query = SuppliedProductHistory {
        supplier: SupplierId::new(supplier),
        product: ProductId::new(product),
        page: PageRequest::new(params.page, params.per_page),
    };
    let lines = state.app.supplied_product_history(query).await?;
    Ok(web::Json(Paged::from_page(lines, supply_line_view)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SupplierSummaryView {
    pub purchases: u64,
    #[schema(value_type = String)]
    pub purchased: Decimal,
    #[schema(value_type = String)]
    pub paid: Decimal,
    #[schema(value_type = String)]
    pub credited: Decimal,
    #[schema(value_type = String)]
    pub due: Decimal,
}

/// What happened with a supplier in a period: purchases (with their returns) and payments,
/// newest first, and the all-time summary.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupplierTransactions {
    pub summary: SupplierSummaryView,
    pub purchases: Vec<PurchaseView>,
    pub payments: Vec<crate::routes::ledger::payments::PaymentView>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodFilter {
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<Date>,
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<Date>,
}

/// A supplier's transactions in a period (at most 100 of each kind, newest first) and the
/// summary of all of them. Managers and admins.
#[utoipa::path(
    get, path = "/api/suppliers/{id}/transactions", tag = "suppliers",
    params(("id" = i64, Path), PeriodFilter),
    responses((status = 200, body = SupplierTransactions), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn supplier_transactions(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
    params: web::Query<PeriodFilter>,
) -> Result<web::Json<SupplierTransactions>, ApiError> {
    let query = SupplierPeriod {
        supplier: SupplierId::new(*id),
        from: params.from,
        to: params.to,
    };
    let found = state.app.supplier_transactions(query).await?;
    let totals = found.totals;
    Ok(web::Json(SupplierTransactions {
        summary: SupplierSummaryView {
            purchases: totals.purchases,
            purchased: totals.purchased.amount(),
            paid: totals.paid.amount(),
            credited: totals.credited.amount(),
            due: totals.due.amount(),
        },
        purchases: found.purchases.into_iter().map(purchase_view).collect(),
        payments: found
            .payments
            .into_iter()
            .map(crate::routes::ledger::payments::view)
            .collect(),
    }))
}
