//! Suppliers: profiles, what was bought from them, what is owed, and paying them.

use crate::auth::Caller;
use crate::dto::date::iso_date;
use crate::dto::{PageParams, Paged};
use crate::problem::{ApiError, Problem};
use crate::routes::parties::party_routes;
use crate::state::AppState;
use actix_web::web;
use garde::Validate;
use pos_api::purchases::{PurchaseView, purchase_view};
use pos_domain::app::parties::{
    self, SuppliedProductHistory, SupplierPeriod, SupplyLine, UpdateSupplier,
};
use pos_domain::ids::{ProductId, PurchaseId, SupplierId};
use pos_domain::paging::PageRequest;
use pos_domain::suppliers::{Supplier, SupplierDraft, SupplierFilter, SupplierSort};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

party_routes! {
    tag: "suppliers", role: "manager",
    types: SupplierId, Supplier, SupplierDraft, SupplierFilter, SupplierSort, PurchaseId;
    paths: "/api/suppliers", "/api/suppliers/{id}", "/api/suppliers/{id}/active",
        "/api/suppliers/{id}/products", "/api/suppliers/{id}/payments";
    /// List suppliers. Managers and admins.
    list: list_suppliers => list_suppliers;
    /// Add a supplier. Managers and admins.
    create: create_supplier, refused "" => |draft, _role| create_supplier(draft);
    /// A supplier with purchase totals and the payable balance. Managers and admins.
    get: get_supplier => supplier_details -> SupplierDetails;
    /// Replace a supplier's profile. Managers and admins.
    update: update_supplier
        => |supplier, draft, _role| update_supplier(UpdateSupplier { supplier, draft });
    /// Activate or deactivate a supplier. Managers and admins.
    set_active: set_supplier_active => set_supplier_active;
    /// Every product bought from a supplier, with totals. Managers and admins.
    products: supplied_products => supplier_products;
    /// Pay a supplier: the oldest open purchases first unless one is named. Paying more than is
    /// owed is refused (409 `overpayment`). Managers and admins. Honours `Idempotency-Key`.
    pay: pay_supplier_route => pay_supplier;
    input SupplierInput {
        #[schema(example = "Dhaka Textiles Ltd")]
        name,
        #[schema(example = "+880 1711-000000")]
        phone,
    }
    view SupplierView {
        /// Inactive suppliers keep their history but take no new purchases.
        active,
    }
    /// Sort keys for suppliers.
    sort SupplierSortKey;
    params SupplierListParams;
    products SuppliedProductView { count purchases }
    payment SupplierPaymentInput {
        /// Greater than zero; at most what is owed.
        amount = "500.00",
        /// A payment method code, e.g. `cash`.
        method,
        /// Pay this purchase; without it, the oldest open purchases are paid first.
        purchase_id,
    }
    allocation AllocationView;
    paid SupplierPaymentView {
        /// Which purchases it paid, and how much of each.
        allocations
    }
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

impl From<parties::SupplierDetails> for SupplierDetails {
    fn from(details: parties::SupplierDetails) -> Self {
        let totals = details.totals;
        Self {
            supplier: details.supplier.into(),
            purchases: totals.purchases,
            purchased: totals.purchased.amount(),
            paid: totals.paid.amount(),
            credited: totals.credited.amount(),
            due: totals.due.amount(),
            payable_balance: details.payable_balance.amount(),
        }
    }
}

/// The supplier's purchases with something still owed, oldest first. Managers and admins.
#[utoipa::path(
    get, path = "/api/suppliers/{id}/dues", tag = "suppliers",
    params(("id" = i64, Path), PageParams),
    responses((status = 200, body = Paged<PurchaseView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn supplier_dues(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Paged<PurchaseView>>, ApiError> {
    page.validate()?;
    let open = state.app.supplier_dues(SupplierId::new(*id)).await?;
    Ok(web::Json(Paged::slice(open, &page, purchase_view)))
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
    #[garde(range(min = 1, max = 2147483647))]
    #[param(minimum = 1, maximum = 2147483647)]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
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
    pub payments: Vec<pos_api::ledger::payments::PaymentView>,
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
            .map(pos_api::ledger::payments::view)
            .collect(),
    }))
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    list_suppliers, create_supplier, get_supplier, update_supplier, set_supplier_active,
    supplied_products, supplier_dues, supplied_product_history, supplier_transactions,
    pay_supplier_route,
}
