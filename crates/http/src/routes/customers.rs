//! Customers: profiles, credit limits, what they bought and owe, and their payments.

use crate::auth::Caller;
use crate::dto::Paged;
use crate::problem::{ApiError, Problem};
use crate::routes::parties::party_routes;
use crate::state::AppState;
use actix_web::web;
use garde::Validate;
use pos_api::sales::{SaleView, sale_view};
use pos_domain::app::parties::{self, CustomerSales, NewCustomer, UpdateCustomer};
use pos_domain::customers::{Customer, CustomerDraft, CustomerFilter, CustomerSort};
use pos_domain::ids::{CustomerId, ProductId, SaleId};
use pos_domain::money::Money;
use pos_domain::paging::PageRequest;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

party_routes! {
    tag: "customers", role: "staff",
    types: CustomerId, Customer, CustomerDraft, CustomerFilter, CustomerSort, SaleId;
    paths: "/api/customers", "/api/customers/{id}", "/api/customers/{id}/active",
        "/api/customers/{id}/products", "/api/customers/{id}/payments";
    /// List customers.
    list: list_customers => list_customers;
    /// Add a customer. Anyone at the counter; with a `credit_limit`, managers and admins (as for
    /// changing one).
    create: create_customer, refused "A credit limit, and the caller is staff"
        => |draft, role| create_customer(NewCustomer { draft, role });
    /// A customer with totals. Anyone at the counter.
    get: get_customer => customer_details -> CustomerDetails;
    /// Replace a customer's profile. Anyone at the counter; changing the credit limit needs a
    /// manager.
    update: update_customer
        => |customer, draft, role| update_customer(UpdateCustomer { customer, draft, role });
    /// Activate or deactivate a customer. Customers are never deleted.
    set_active: set_customer_active => set_customer_active;
    /// Every product a customer bought, with totals.
    products: purchased_products => customer_products;
    /// Take a payment against what a customer owes: the oldest open sales first unless one is
    /// named. Paying more than is owed is refused (409 `overpayment`): there is no store credit.
    /// Honours `Idempotency-Key`.
    pay: pay_customer_due => receive_customer_payment;
    input CustomerInput {
        #[schema(example = "Rahim Uddin")]
        name,
        phone,
        /// The most the customer may owe. Without it, the customer gets no credit.
        #[serde(default, deserialize_with = "decimal::option_from_str")]
        #[schema(value_type = Option<String>, example = "500.00", pattern = "^(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
        credit_limit: Option<Decimal> => Money::non_negative,
    }
    view CustomerView {
        active,
        #[schema(value_type = Option<String>)]
        credit_limit: Option<Decimal> = |draft| draft.credit_limit.map(Money::amount),
    }
    sort CustomerSortKey;
    params CustomerListParams;
    products PurchasedProductView { count sales }
    payment CustomerPaymentInput {
        amount = "100.00",
        method,
        /// Pay this sale; without it, the oldest open sales are paid first.
        sale_id,
    }
    allocation SaleAllocationView;
    paid CustomerPaymentView { allocations }
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

impl From<parties::CustomerDetails> for CustomerDetails {
    fn from(details: parties::CustomerDetails) -> Self {
        let t = details.totals;
        Self {
            customer: details.customer.into(),
            sales: t.sales,
            total: t.total.amount(),
            paid: t.paid.amount(),
            credited: t.credited.amount(),
            refunded: t.refunded.amount(),
            due: t.due.amount(),
            credit_available: details.credit_available.map(Money::amount),
        }
    }
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
    #[garde(range(min = 1, max = 2147483647))]
    #[param(minimum = 1, maximum = 2147483647)]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
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

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    list_customers, create_customer, get_customer, update_customer, set_customer_active,
    purchased_products, customer_sales, pay_customer_due,
}
