//! What was sold: the financial summary and analysis, daily trends, products, customers, staff,
//! payment methods and tax.

use super::{Figures, PeriodQuery, PeriodView};
use crate::auth::Caller;
use crate::dto::csv;
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use pos_domain::app::reports as model;
use pos_domain::ids::{CustomerId, UserId};
use pos_domain::reports::FinancialSummary;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

fn dec(m: pos_domain::Money) -> Decimal {
    m.amount()
}

/// An income or expense account's movement in the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountAmount {
    pub code: String,
    pub name: String,
    #[schema(value_type = String)]
    pub amount: Decimal,
}

/// The period's results. Sales figures come from the sales and returns records; other income
/// (inventory count gains) and expenses (shrinkage, operating expenses) from the books. So
/// `net_profit` equals the ledger's profit and loss for the same days, to the cent.
#[derive(Debug, Serialize, ToSchema)]
pub struct FinancialSummaryView {
    pub period: PeriodView,
    pub sales: Figures,
    pub other_income: Vec<AccountAmount>,
    #[schema(value_type = String)]
    pub total_other_income: Decimal,
    pub expenses: Vec<AccountAmount>,
    #[schema(value_type = String)]
    pub total_expenses: Decimal,
    /// gross_profit + total_other_income - total_expenses.
    #[schema(value_type = String)]
    pub net_profit: Decimal,
    /// net_profit / net_sales in %.
    #[schema(value_type = Option<String>)]
    pub net_margin: Option<Decimal>,
}

fn financial_summary_view(s: FinancialSummary) -> FinancialSummaryView {
    let lines = |v: Vec<pos_domain::reports::AccountLine>| {
        v.into_iter()
            .map(|l| AccountAmount {
                code: l.code,
                name: l.name,
                amount: dec(l.amount),
            })
            .collect()
    };
    FinancialSummaryView {
        period: s.period.into(),
        sales: Figures::from(&s.counter),
        other_income: lines(s.other_income),
        total_other_income: dec(s.total_other_income),
        expenses: lines(s.expenses),
        total_expenses: dec(s.total_expenses),
        net_profit: dec(s.net_profit),
        net_margin: s.net_margin,
    }
}

/// The financial summary: sales, returns, discounts, tax, COGS, gross profit, other income,
/// expenses and net profit for a period. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/financial-summary", tag = "reports",
    params(PeriodQuery),
    responses((status = 200, body = FinancialSummaryView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn financial_summary(
    state: web::Data<AppState>,
    _auth: Caller,
    q: web::Query<PeriodQuery>,
) -> Result<web::Json<FinancialSummaryView>, ApiError> {
    let period = q.period(&state)?;
    let summary = state.app.financial_summary(period).await?;
    Ok(web::Json(financial_summary_view(summary)))
}

/// One day's figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct DayRow {
    #[serde(with = "crate::dto::date::iso_date")]
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    #[serde(flatten)]
    pub figures: Figures,
}

/// A row for an empty CSV report's header (a date has no default).
impl Default for DayRow {
    fn default() -> Self {
        Self {
            date: Date::MIN,
            figures: Figures::default(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DailyView {
    pub period: PeriodView,
    /// Every day of the period, days without sales included (with zeros).
    pub days: Vec<DayRow>,
    pub total: Figures,
}

fn day_rows(days: &[model::DayFigures]) -> Vec<DayRow> {
    days.iter()
        .map(|d| DayRow {
            date: d.date,
            figures: Figures::from(&d.figures),
        })
        .collect()
}

/// Daily trends: each day's sales, returns, profit and baskets. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/daily", tag = "reports",
    params(PeriodQuery),
    responses(
        (status = 200, content((DailyView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn daily(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Caller,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let period = q.period(&state)?;
    let report = state.app.daily_report(period).await?;
    let view = DailyView {
        period: report.period.into(),
        days: day_rows(&report.days),
        total: Figures::from(&report.total),
    };
    csv::respond(&req, "daily", &view, &view.days)
}

/// One product's figures. `transactions` counts the sales with a line of the product.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ProductRow {
    pub product_id: i64,
    #[serde(serialize_with = "csv::text")]
    pub sku: String,
    #[serde(serialize_with = "csv::text")]
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductsView {
    pub period: PeriodView,
    pub products: Vec<ProductRow>,
}

/// What to rank products by.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProductRanking {
    #[default]
    NetSales,
    Quantity,
    GrossProfit,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TopProductsQuery {
    /// First day, inclusive (default: 29 days before `to`).
    #[serde(default, with = "crate::dto::date::iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<Date>,
    /// Last day, inclusive (default: today in the shop's time zone).
    #[serde(default, with = "crate::dto::date::iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<Date>,
    /// `net_sales` (default), `quantity` or `gross_profit`.
    pub by: Option<ProductRanking>,
    /// How many (1 to 100, default 10).
    pub limit: Option<u16>,
}

impl From<ProductRanking> for model::ProductRanking {
    fn from(by: ProductRanking) -> Self {
        match by {
            ProductRanking::NetSales => model::ProductRanking::NetSales,
            ProductRanking::Quantity => model::ProductRanking::Quantity,
            ProductRanking::GrossProfit => model::ProductRanking::GrossProfit,
        }
    }
}

fn products_view(report: model::ProductsReport) -> ProductsView {
    ProductsView {
        period: report.period.into(),
        products: report
            .products
            .into_iter()
            .map(|p| ProductRow {
                product_id: p.product.get(),
                sku: p.sku,
                name: p.name,
                figures: Figures::from(&p.figures),
            })
            .collect(),
    }
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

/// One customer's figures; `customer_id` null is every walk-in sale together.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct CustomerRow {
    pub customer_id: Option<i64>,
    #[serde(serialize_with = "csv::text")]
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomersView {
    pub period: PeriodView,
    pub customers: Vec<CustomerRow>,
}

fn customer_rows(rows: Vec<model::CustomerFigures>) -> Vec<CustomerRow> {
    rows.into_iter()
        .map(|r| CustomerRow {
            customer_id: r.customer.map(CustomerId::get),
            name: r.name,
            figures: Figures::from(&r.figures),
        })
        .collect()
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

/// The comprehensive customer analysis.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerOverview {
    pub period: PeriodView,
    /// Named customers who bought in the period.
    pub customers_served: u64,
    /// Of which their first purchase ever.
    pub new_customers: u64,
    /// Named customers' and walk-ins' figures.
    pub named: Figures,
    pub walk_in: Figures,
    /// Walk-in net sales as a % of all net sales.
    #[schema(value_type = Option<String>)]
    pub walk_in_share: Option<Decimal>,
    /// Named customers' net sales per customer served.
    #[schema(value_type = Option<String>)]
    pub net_sales_per_customer: Option<Decimal>,
    /// What customers owe now, on every open sale (not only this period's).
    #[schema(value_type = String)]
    pub receivables: Decimal,
    /// The ten best customers by net sales.
    pub top_customers: Vec<CustomerRow>,
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

/// One staff member's figures (returns count against the sale's seller).
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct StaffRow {
    pub user_id: i64,
    #[serde(serialize_with = "csv::text")]
    pub username: String,
    #[serde(serialize_with = "csv::text")]
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffView {
    pub period: PeriodView,
    pub staff: Vec<StaffRow>,
}

fn staff_row(s: model::StaffFigures) -> StaffRow {
    StaffRow {
        user_id: s.user.get(),
        username: s.username,
        name: s.name,
        figures: Figures::from(&s.figures),
    }
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

/// One staff member's performance: the period's totals and each day's.
#[derive(Debug, Serialize, ToSchema)]
pub struct PerformanceView {
    pub period: PeriodView,
    pub summary: StaffRow,
    pub days: Vec<DayRow>,
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

/// What one payment method took and moved.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct MethodRow {
    #[serde(serialize_with = "csv::text")]
    pub code: String,
    #[serde(serialize_with = "csv::text")]
    pub name: String,
    /// Sales with a payment by this method at the counter, and what it took there.
    pub sales: u64,
    #[schema(value_type = String)]
    pub taken_at_counter: Decimal,
    /// Every movement of the method's account in the period (counter takings, due payments,
    /// refunds, supplier payments, expenses): money in, money out, and the difference.
    #[schema(value_type = String)]
    pub money_in: Decimal,
    #[schema(value_type = String)]
    pub money_out: Decimal,
    #[schema(value_type = String)]
    pub net: Decimal,
    /// Share of all counter takings, in %.
    #[schema(value_type = Option<String>)]
    pub share: Option<Decimal>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MethodsView {
    pub period: PeriodView,
    pub methods: Vec<MethodRow>,
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

/// Tax at one rate.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct TaxRow {
    /// The rate in %; null for untaxed lines.
    #[schema(value_type = Option<String>)]
    pub rate: Option<Decimal>,
    /// Net sales at this rate (without tax).
    #[schema(value_type = String)]
    pub taxable_sales: Decimal,
    #[schema(value_type = String)]
    pub tax_charged: Decimal,
    #[schema(value_type = String)]
    pub tax_refunded: Decimal,
    /// Charged less refunded: what the period adds to the tax payable account.
    #[schema(value_type = String)]
    pub net_tax: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaxView {
    pub period: PeriodView,
    pub rates: Vec<TaxRow>,
    #[schema(value_type = String)]
    pub total_net_tax: Decimal,
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

/// Ratios of the period against the one before, and the balances they rest on.
#[derive(Debug, Serialize, ToSchema)]
pub struct FinancialAnalysis {
    pub period: PeriodView,
    /// The same number of days just before.
    pub previous_period: PeriodView,
    pub current: FinancialSummaryView,
    pub previous: FinancialSummaryView,
    /// Growth of net sales, gross profit and net profit over the previous period, in %.
    #[schema(value_type = Option<String>)]
    pub net_sales_growth: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub gross_profit_growth: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub net_profit_growth: Option<Decimal>,
    /// Operating expenses (all but COGS) as a % of net sales.
    #[schema(value_type = Option<String>)]
    pub expense_ratio: Option<Decimal>,
    /// The ledger's inventory at the end of the period, and COGS over it scaled to a year
    /// (times the stock turns over in a year) and its inverse in days.
    #[schema(value_type = String)]
    pub inventory_value: Decimal,
    #[schema(value_type = Option<String>)]
    pub inventory_turnover: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub days_of_inventory: Option<Decimal>,
    /// Balances at the end of the period: cash and wallets, receivables, payables.
    #[schema(value_type = String)]
    pub cash_and_wallets: Decimal,
    #[schema(value_type = String)]
    pub receivables: Decimal,
    #[schema(value_type = String)]
    pub payables: Decimal,
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
    params(crate::routes::sales::SaleListParams),
    responses(
        (status = 200, content((crate::dto::Paged<crate::routes::sales::SaleView> = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["staff"]))
)]
pub async fn my_transactions(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Caller,
    params: web::Query<crate::routes::sales::SaleListParams>,
) -> Result<HttpResponse, ApiError> {
    let mut p = params.into_inner();
    p.user_id = Some(auth.principal().user_id.get());
    let page = crate::routes::sales::sales_page(&state, p).await?;
    crate::routes::sales::respond_page(&req, "my-transactions", &page)
}
