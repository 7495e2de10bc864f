//! What was sold: the financial summary and analysis, daily trends, products, customers, staff,
//! payment methods and tax.

use super::{Figures, PeriodQuery};
use crate::auth::Caller;
use crate::dto::csv;
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::routes::reports::ShopPeriod;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use pos_api::reports::sales::*;
use pos_domain::app::reports as model;
use pos_domain::ids::UserId;
use rust_decimal::Decimal;

/// The financial summary: sales, returns, discounts, tax, COGS, gross profit, other income,
/// expenses and net profit for a period, at some stores (`location_ids`) or all. Managers and
/// admins.
#[utoipa::path(
    get, path = "/api/reports/financial-summary", tag = "reports",
    params(PeriodQuery, pos_api::locations::LocationsParam),
    responses((status = 200, body = FinancialSummaryView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn financial_summary(
    state: web::Data<AppState>,
    auth: Caller,
    q: web::Query<PeriodQuery>,
    locations: web::Query<pos_api::locations::LocationsParam>,
) -> Result<web::Json<FinancialSummaryView>, ApiError> {
    let period = q.period(&state)?;
    let locations = auth.reach(&locations.ids()?)?;
    let summary = state.app.financial_summary(period, &locations).await?;
    Ok(web::Json(financial_summary_view(summary)))
}

/// Daily trends: each day's sales, returns, profit and baskets. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/daily", tag = "reports",
    params(PeriodQuery, pos_api::locations::LocationsParam),
    responses(
        (status = 200, content((DailyView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn daily(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Caller,
    q: web::Query<PeriodQuery>,
    locations: web::Query<pos_api::locations::LocationsParam>,
) -> Result<HttpResponse, ApiError> {
    let period = q.period(&state)?;
    let locations = auth.reach(&locations.ids()?)?;
    let report = state.app.daily_report(period, &locations).await?;
    let view = DailyView {
        period: report.period.into(),
        days: day_rows(&report.days),
        total: Figures::from(&report.total),
    };
    csv::respond(&req, "daily", &view, &view.days)
}

/// Top products by net sales, quantity or gross profit. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/top-products", tag = "reports",
    params(TopProductsQuery),
    responses(
        (status = 200, content((ProductsView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn top_products(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Caller,
    q: web::Query<TopProductsQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::default();
    let period = PeriodQuery {
        from: q.from,
        to: q.to,
    }
    .checked(&state, &mut errors);
    let limit = q.limit.unwrap_or(10);
    let limit = errors.check(
        "limit",
        (1..=100)
            .contains(&limit)
            .then_some(usize::from(limit))
            .ok_or("must be between 1 and 100"),
    );
    let (period, limit) = errors.values((period, limit))?;
    let query = model::TopProducts {
        period,
        by: q.by.unwrap_or_default().into(),
        limit: Some(limit),
    };
    let view = products_view(state.app.top_products(query).await?);
    csv::respond(&req, "top-products", &view, &view.products)
}

/// Product analysis: every product sold or returned in the period, by net sales. Managers
/// and admins.
#[utoipa::path(
    get, path = "/api/reports/products", tag = "reports",
    params(PeriodQuery),
    responses(
        (status = 200, content((ProductsView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn products(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Caller,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = model::TopProducts {
        period: q.period(&state)?,
        by: model::ProductRanking::NetSales,
        limit: None,
    };
    let view = products_view(state.app.top_products(query).await?);
    csv::respond(&req, "products", &view, &view.products)
}

/// Customer analysis: each customer's purchases, returns and profit in the period, by net
/// sales. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/customers", tag = "reports",
    params(PeriodQuery),
    responses(
        (status = 200, content((CustomersView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn customers(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Caller,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let report = state.app.customer_report(q.period(&state)?).await?;
    let view = CustomersView {
        period: report.period.into(),
        customers: customer_rows(report.customers),
    };
    csv::respond(&req, "customers", &view, &view.customers)
}

/// The comprehensive customer analysis: served, new, walk-in share, spend per customer, dues
/// and the best customers. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/customers/overview", tag = "reports",
    params(PeriodQuery),
    responses((status = 200, body = CustomerOverview), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn customer_overview(
    state: web::Data<AppState>,
    _auth: Caller,
    q: web::Query<PeriodQuery>,
) -> Result<web::Json<CustomerOverview>, ApiError> {
    let o = state.app.customer_overview(q.period(&state)?).await?;
    Ok(web::Json(CustomerOverview {
        period: o.period.into(),
        customers_served: o.customers_served,
        new_customers: o.new_customers,
        named: Figures::from(&o.named),
        walk_in: Figures::from(&o.walk_in),
        walk_in_share: o.walk_in_share,
        net_sales_per_customer: o.net_sales_per_customer,
        receivables: dec(o.receivables),
        top_customers: customer_rows(o.top_customers),
    }))
}

/// Staff performance: each seller's sales, returns, profit and baskets. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/staff", tag = "reports",
    params(PeriodQuery),
    responses(
        (status = 200, content((StaffView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn staff(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Caller,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let report = state.app.staff_report(q.period(&state)?).await?;
    let view = StaffView {
        period: report.period.into(),
        staff: report.staff.into_iter().map(staff_row).collect(),
    };
    csv::respond(&req, "staff", &view, &view.staff)
}

async fn performance_of(
    state: &AppState,
    user: UserId,
    q: &PeriodQuery,
) -> Result<PerformanceView, ApiError> {
    let p = state.app.staff_performance(user, q.period(state)?).await?;
    Ok(PerformanceView {
        period: p.period.into(),
        summary: staff_row(p.summary),
        days: day_rows(&p.days),
    })
}

/// A staff member's performance. Managers and admins.
#[utoipa::path(
    get, path = "/api/users/{id}/performance", tag = "reports",
    params(("id" = i64, Path, description = "User id"), PeriodQuery),
    responses((status = 200, body = PerformanceView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn user_performance(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
    q: web::Query<PeriodQuery>,
) -> Result<web::Json<PerformanceView>, ApiError> {
    Ok(web::Json(
        performance_of(&state, UserId::new(id.into_inner()), &q).await?,
    ))
}

/// One's own performance. Every role.
#[utoipa::path(
    get, path = "/api/users/me/performance", tag = "reports",
    params(PeriodQuery),
    responses((status = 200, body = PerformanceView), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn my_performance(
    state: web::Data<AppState>,
    auth: Caller,
    q: web::Query<PeriodQuery>,
) -> Result<web::Json<PerformanceView>, ApiError> {
    Ok(web::Json(
        performance_of(&state, auth.principal().user_id, &q).await?,
    ))
}

/// Payment method breakdown. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/payment-methods", tag = "reports",
    params(PeriodQuery),
    responses(
        (status = 200, content((MethodsView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn payment_methods(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Caller,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let report = state.app.payment_method_report(q.period(&state)?).await?;
    let methods = report
        .methods
        .into_iter()
        .map(|m| MethodRow {
            code: m.code,
            name: m.name,
            sales: m.sales,
            taken_at_counter: dec(m.taken_at_counter),
            money_in: dec(m.money_in),
            money_out: dec(m.money_out),
            net: dec(m.net),
            share: m.share,
        })
        .collect();
    let view = MethodsView {
        period: report.period.into(),
        methods,
    };
    csv::respond(&req, "payment-methods", &view, &view.methods)
}

/// Tax summary: tax charged and refunded per rate. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/tax", tag = "reports",
    params(PeriodQuery),
    responses(
        (status = 200, content((TaxView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn tax(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Caller,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let report = state.app.tax_report(q.period(&state)?).await?;
    let view = TaxView {
        period: report.period.into(),
        // An empty report's total has always been written `0`.
        total_net_tax: if report.rates.is_empty() {
            Decimal::ZERO
        } else {
            dec(report.total_net_tax)
        },
        rates: report
            .rates
            .into_iter()
            .map(|r| TaxRow {
                rate: r.rate.map(|r| r.value()),
                taxable_sales: dec(r.taxable_sales),
                tax_charged: dec(r.tax_charged),
                tax_refunded: dec(r.tax_refunded),
                net_tax: dec(r.net_tax),
            })
            .collect(),
    };
    csv::respond(&req, "tax", &view, &view.rates)
}

/// Financial analysis: growth against the previous period, expense ratio, inventory turnover
/// and the balances at the period's end. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/financial-analysis", tag = "reports",
    params(PeriodQuery),
    responses((status = 200, body = FinancialAnalysis), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn financial_analysis(
    state: web::Data<AppState>,
    _auth: Caller,
    q: web::Query<PeriodQuery>,
) -> Result<web::Json<FinancialAnalysis>, ApiError> {
    let a = state.app.financial_analysis(q.period(&state)?).await?;
    Ok(web::Json(FinancialAnalysis {
        period: a.period.into(),
        previous_period: a.previous_period.into(),
        net_sales_growth: a.net_sales_growth,
        gross_profit_growth: a.gross_profit_growth,
        net_profit_growth: a.net_profit_growth,
        expense_ratio: a.expense_ratio,
        inventory_value: dec(a.inventory_value),
        inventory_turnover: a.inventory_turnover,
        days_of_inventory: a.days_of_inventory,
        cash_and_wallets: dec(a.cash_and_wallets),
        receivables: dec(a.receivables),
        payables: dec(a.payables),
        current: financial_summary_view(a.current),
        previous: financial_summary_view(a.previous),
    }))
}

/// One's own sales, newest first, with the filters of `GET /api/sales` (its `user_id` is
/// ignored: always one's own). `Accept: text/csv` gives CSV. Every role.
#[utoipa::path(
    get, path = "/api/users/me/transactions", tag = "reports",
    params(pos_api::sales::SaleListParams),
    responses(
        (status = 200, content((crate::dto::Paged<pos_api::sales::SaleView> = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn my_transactions(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Caller,
    params: web::Query<pos_api::sales::SaleListParams>,
) -> Result<HttpResponse, ApiError> {
    let mut p = params.into_inner();
    p.user_id = Some(auth.principal().user_id.get());
    let page = crate::routes::sales::sales_page(&state, p).await?;
    crate::routes::sales::respond_page(&req, "my-transactions", &page)
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    my_performance, my_transactions, user_performance, financial_summary, financial_analysis,
    daily, top_products, products, customers, customer_overview, staff, payment_methods, tax,
}
