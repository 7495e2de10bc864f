//! Customers: profiles, credit limits, what they bought and owe, and their payments.

use crate::auth::Caller;
use crate::dto::date::iso_date;
use crate::dto::{Body, Paged, SortOrder, decimal};
use crate::idempotency::{Idempotency, created, reply};
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::routes::ledger::journal::{EntryView, entry_view};
use crate::routes::ledger::payments::payment_fields;
use crate::routes::sales::{SaleView, sale_view};
use crate::routes::suppliers::{ActiveInput, AddressDto};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_domain::app::parties::{
    CustomerSales, NewCustomer, ReceiveCustomerPayment, SetActive, Settlement, UpdateCustomer,
};
use pos_domain::contact::Phone;
use pos_domain::customers::{Customer, CustomerDraft, CustomerFilter, CustomerSort};
use pos_domain::ids::{CustomerId, ProductId, SaleId};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, PageRequest};
use pos_domain::text::{Email, Name, optional_text};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerInput {
    #[garde(length(min = 1, max = 120))]
    #[schema(example = "Rahim Uddin")]
    pub name: String,
    #[garde(length(max = 32))]
    pub phone: Option<String>,
    #[garde(length(max = 32))]
    pub alt_phone: Option<String>,
    #[garde(length(max = 254))]
    pub email: Option<String>,
    #[serde(default)]
    #[garde(dive)]
    pub address: AddressDto,
    /// The most the customer may owe. Without it, the customer gets no credit.
    #[serde(default, deserialize_with = "decimal::option_from_str")]
    #[schema(value_type = Option<String>, example = "500.00", pattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")]
    #[garde(skip)]
    pub credit_limit: Option<Decimal>,
    #[garde(length(max = 1000))]
    pub note: Option<String>,
}

impl CustomerInput {
    fn into_draft(self) -> Result<CustomerDraft, ApiError> {
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
        let credit_limit = errors.check_opt("credit_limit", self.credit_limit, Money::non_negative);
        let note = errors.check("note", optional_text(self.note.as_deref(), 1000));
        errors.finish()?;
        match (name, phone, alt_phone, email, credit_limit, note) {
            (
                Some(name),
                Some(phone),
                Some(alt_phone),
                Some(email),
                Some(credit_limit),
                Some(note),
            ) => Ok(CustomerDraft {
                name,
                phone,
                alt_phone,
                email,
                address: self.address.into_domain(),
                credit_limit,
                note,
            }),
            _ => Err(ApiError::internal("field check passed without values")),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerView {
    pub id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub alt_phone: Option<String>,
    pub email: Option<String>,
    pub address: AddressDto,
    #[schema(value_type = Option<String>)]
    pub credit_limit: Option<Decimal>,
    pub note: Option<String>,
    pub active: bool,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

impl From<Customer> for CustomerView {
    fn from(c: Customer) -> Self {
        let d = c.draft;
        let a = d.address;
        Self {
            id: c.id.get(),
            name: d.name.into_inner(),
            phone: d.phone.map(|p| p.as_str().to_owned()),
            alt_phone: d.alt_phone.map(|p| p.as_str().to_owned()),
            email: d.email.map(Email::into_inner),
            address: AddressDto::from_domain(a),
            credit_limit: d.credit_limit.map(Money::amount),
            note: d.note,
            active: c.active,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CustomerSortKey {
    #[default]
    Name,
    CreatedAt,
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerListParams {
    /// Search in name, phones and email.
    #[garde(length(max = 100))]
    pub q: Option<String>,
    #[garde(skip)]
    pub active: Option<bool>,
    #[garde(skip)]
    pub sort: Option<CustomerSortKey>,
    #[garde(skip)]
    pub order: Option<SortOrder>,
    #[garde(range(min = 1))]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
    pub per_page: Option<u32>,
}

/// List customers.
#[utoipa::path(
    get, path = "/api/customers", tag = "customers",
    params(CustomerListParams),
    responses((status = 200, body = Paged<CustomerView>), (status = 401, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn list_customers(
    state: web::Data<AppState>,
    _auth: Caller,
    params: web::Query<CustomerListParams>,
) -> Result<web::Json<Paged<CustomerView>>, ApiError> {
    params.validate()?;
    let p = params.into_inner();
    let query = ListQuery {
        filter: CustomerFilter {
            q: p.q.filter(|q| !q.trim().is_empty()),
            active: p.active,
        },
        sort: match p.sort.unwrap_or_default() {
            CustomerSortKey::Name => CustomerSort::Name,
            CustomerSortKey::CreatedAt => CustomerSort::CreatedAt,
        },
        order: p.order.unwrap_or_default().into(),
        page: PageRequest::new(p.page, p.per_page),
    };
    Ok(web::Json(Paged::from_page(
        state.app.list_customers(query).await?,
        CustomerView::from,
    )))
}

/// Add a customer. Anyone at the counter; with a `credit_limit`, managers and admins (as for
/// changing one).
#[utoipa::path(
    post, path = "/api/customers", tag = "customers",
    request_body = CustomerInput,
    responses((status = 201, body = CustomerView), (status = 401, body = Problem), (status = 403, description = "A credit limit, and the caller is staff", body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn create_customer(
    state: web::Data<AppState>,
    auth: Caller,
    body: Body<CustomerInput>,
) -> Result<HttpResponse, ApiError> {
    let command = NewCustomer {
        draft: body.into_inner().into_draft()?,
        role: auth.principal().role,
    };
    let customer = state.app.create_customer(command).await?;
    Ok(HttpResponse::Created().json(CustomerView::from(customer)))
}

/// A customer with what they bought, paid and owe.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerDetails {
    pub customer: CustomerView,
    pub sales: u64,
    #[schema(value_type = String)]
    pub total: Decimal,
    #[schema(value_type = String)]
    pub paid: Decimal,
    /// Returns taken off what was owed.
    #[schema(value_type = String)]
    pub credited: Decimal,
    /// Returns paid back.
    #[schema(value_type = String)]
    pub refunded: Decimal,
    /// Owed now: equals the customer's receivable balance in the ledger.
    #[schema(value_type = String)]
    pub due: Decimal,
    /// What the credit limit still allows.
    #[schema(value_type = Option<String>)]
    pub credit_available: Option<Decimal>,
}

/// A customer with totals. Anyone at the counter.
#[utoipa::path(
    get, path = "/api/customers/{id}", tag = "customers",
    params(("id" = i64, Path)),
    responses((status = 200, body = CustomerDetails), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn get_customer(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<CustomerDetails>, ApiError> {
    let details = state.app.customer_details(CustomerId::new(*id)).await?;
    let t = details.totals;
    Ok(web::Json(CustomerDetails {
        customer: details.customer.into(),
        sales: t.sales,
        total: t.total.amount(),
        paid: t.paid.amount(),
        credited: t.credited.amount(),
        refunded: t.refunded.amount(),
        due: t.due.amount(),
        credit_available: details.credit_available.map(Money::amount),
    }))
}

/// Replace a customer's profile. Anyone at the counter; changing the credit limit needs a
/// manager.
#[utoipa::path(
    put, path = "/api/customers/{id}", tag = "customers",
    params(("id" = i64, Path)),
    request_body = CustomerInput,
    responses((status = 200, body = CustomerView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn update_customer(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<i64>,
    body: Body<CustomerInput>,
) -> Result<web::Json<CustomerView>, ApiError> {
    let command = UpdateCustomer {
        customer: CustomerId::new(*id),
        draft: body.into_inner().into_draft()?,
        role: auth.principal().role,
    };
    Ok(web::Json(state.app.update_customer(command).await?.into()))
}

/// Activate or deactivate a customer. Customers are never deleted.
#[utoipa::path(
    put, path = "/api/customers/{id}/active", tag = "customers",
    params(("id" = i64, Path)),
    request_body = ActiveInput,
    responses((status = 200, body = CustomerView), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn set_customer_active(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
    body: Body<ActiveInput>,
) -> Result<web::Json<CustomerView>, ApiError> {
    let command = SetActive {
        party: CustomerId::new(*id),
        active: body.active,
    };
    Ok(web::Json(
        state.app.set_customer_active(command).await?.into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PurchasedProductView {
    pub product_id: i64,
    #[schema(value_type = String)]
    pub quantity: Decimal,
    #[schema(value_type = String)]
    pub returned: Decimal,
    #[schema(value_type = String)]
    pub total: Decimal,
    pub sales: u64,
}

/// Every product a customer bought, with totals.
#[utoipa::path(
    get, path = "/api/customers/{id}/products", tag = "customers",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PurchasedProductView>), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn purchased_products(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<PurchasedProductView>>, ApiError> {
    let rows = state.app.customer_products(CustomerId::new(*id)).await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|r| PurchasedProductView {
                product_id: r.product_id.get(),
                quantity: r.quantity.value(),
                returned: r.returned.value(),
                total: r.total.amount(),
                sales: r.sales,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerSalesParams {
    /// Only sales with something owed (the customer's dues).
    #[garde(skip)]
    pub open: Option<bool>,
    /// Only sales with this product.
    #[garde(skip)]
    pub product_id: Option<i64>,
    #[garde(range(min = 1))]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
    pub per_page: Option<u32>,
}

/// A customer's sales (their transactions), newest first; `open=true` lists their dues.
#[utoipa::path(
    get, path = "/api/customers/{id}/sales", tag = "customers",
    params(("id" = i64, Path), CustomerSalesParams),
    responses((status = 200, body = Paged<SaleView>), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn customer_sales(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
    params: web::Query<CustomerSalesParams>,
) -> Result<web::Json<Paged<SaleView>>, ApiError> {
    params.validate()?;
    let query = CustomerSales {
        customer: CustomerId::new(*id),
        open_only: params.open.unwrap_or(false),
        product: params.product_id.map(ProductId::new),
        page: PageRequest::new(params.page, params.per_page),
    };
    let sales = state.app.customer_sales(query).await?;
    Ok(web::Json(Paged::from_page(sales, sale_view)))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerPaymentInput {
    #[serde(deserialize_with = "decimal::from_str")]
    #[schema(value_type = String, example = "100.00", pattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")]
    #[garde(skip)]
    pub amount: Decimal,
    #[garde(length(min = 1, max = 32))]
    pub method: String,
    /// Pay this sale; without it, the oldest open sales are paid first.
    #[garde(skip)]
    pub sale_id: Option<i64>,
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
pub struct SaleAllocationView {
    pub sale_id: i64,
    #[schema(value_type = String)]
    pub amount: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerPaymentView {
    pub payment_id: i64,
    #[schema(value_type = String)]
    pub amount: Decimal,
    pub allocations: Vec<SaleAllocationView>,
    pub entry: EntryView,
}

/// Take a payment against what a customer owes: the oldest open sales first unless one is
/// named. Paying more than is owed is refused (409 `overpayment`): there is no store credit.
/// Honours `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/customers/{id}/payments", tag = "customers",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    request_body = CustomerPaymentInput,
    responses(
        (status = 201, body = CustomerPaymentView),
        (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "More than is owed", body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = ["staff"]))
)]
pub async fn pay_customer_due(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    id: web::Path<i64>,
    body: Body<CustomerPaymentInput>,
) -> Result<HttpResponse, ApiError> {
    let errors = FieldErrors::validated(&*body);
    let (amount, reference, note) = payment_fields(
        errors,
        body.amount,
        body.reference.as_deref(),
        body.note.as_deref(),
    )?;
    let command = ReceiveCustomerPayment {
        party: CustomerId::new(*id),
        amount,
        method: body.method.clone(),
        document: body.sale_id.map(SaleId::new),
        date: body.date,
        reference,
        note,
        user: auth.principal().user_id,
    };
    let render = created(render_payment);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(
        state.app.receive_customer_payment(command, once).await?,
    ))
}

/// A customer payment with the sales it paid and the entry it posted.
fn render_payment(paid: &Settlement<SaleId>) -> Result<CustomerPaymentView, ApiError> {
    Ok(CustomerPaymentView {
        payment_id: paid.payment.id.get(),
        amount: paid.payment.amount.amount(),
        allocations: paid
            .allocations
            .iter()
            .map(|(s, m)| SaleAllocationView {
                sale_id: s.get(),
                amount: m.amount(),
            })
            .collect(),
        entry: entry_view(paid.posted.entry.clone(), &paid.posted.accounts)?,
    })
}
