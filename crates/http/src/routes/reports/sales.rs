//! What was sold: the financial summary and analysis, daily trends, products, customers, staff,
//! payment methods and tax.

use super::{Figures, PeriodQuery, PeriodView};
use crate::auth::{AnyRole, Manager};
use crate::dto::csv::{self, CsvRow, opt, text};
use crate::figures_header;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use pos_domain::ids::{CustomerId, UserId};
use pos_domain::ledger::DateRange;
use pos_domain::ledger::accounts::AccountKind;
use pos_domain::ledger::chart::codes;
use pos_domain::ports::Tx;
use pos_domain::reports::{GroupKey, Grouping, Performance, Period, SalesScope, ratio};
use pos_domain::services::reports::{performance_by, summary};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
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

async fn financial_summary_view(
    tx: &mut dyn Tx,
    period: Period,
) -> Result<FinancialSummaryView, ApiError> {
    let s = summary(tx, period).await?;
    let lines = |v: Vec<pos_domain::reports::AccountLine>| {
        v.into_iter()
            .map(|l| AccountAmount {
                code: l.code,
                name: l.name,
                amount: dec(l.amount),
            })
            .collect()
    };
    Ok(FinancialSummaryView {
        period: period.into(),
        sales: Figures::from(&s.counter),
        other_income: lines(s.other_income),
        total_other_income: dec(s.total_other_income),
        expenses: lines(s.expenses),
        total_expenses: dec(s.total_expenses),
        net_profit: dec(s.net_profit),
        net_margin: s.net_margin,
    })
}

/// The financial summary: sales, returns, discounts, tax, COGS, gross profit, other income,
/// expenses and net profit for a period. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/financial-summary", tag = "reports",
    params(PeriodQuery),
    responses((status = 200, body = FinancialSummaryView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []))
)]
pub async fn financial_summary(
    state: web::Data<AppState>,
    _auth: Manager,
    q: web::Query<PeriodQuery>,
) -> Result<web::Json<FinancialSummaryView>, ApiError> {
    let period = q.period(&state)?;
    let mut tx = state.store.begin_read().await?;
    Ok(web::Json(
        financial_summary_view(tx.as_mut(), period).await?,
    ))
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

impl CsvRow for DayRow {
    const HEADER: &'static [&'static str] = figures_header!("date");
    fn cells(&self) -> Vec<String> {
        let mut cells = vec![self.date.to_string()];
        cells.extend(self.figures.cells());
        cells
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DailyView {
    pub period: PeriodView,
    /// Every day of the period, days without sales included (with zeros).
    pub days: Vec<DayRow>,
    pub total: Figures,
}

async fn daily_rows(
    tx: &mut dyn Tx,
    period: Period,
    scope: SalesScope,
) -> Result<(Vec<DayRow>, Performance), ApiError> {
    let by_day = performance_by(tx, period, scope, Grouping::Day).await?;
    let mut total = Performance::default();
    let days = period
        .each_day()
        .map(|day| {
            let p = by_day.get(&GroupKey::Day(day)).copied().unwrap_or_default();
            total.add(&p);
            DayRow {
                date: day,
                figures: Figures::from(&p),
            }
        })
        .collect();
    Ok((days, total))
}

/// Daily trends: each day's sales, returns, profit and baskets. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/daily", tag = "reports",
    params(PeriodQuery),
    responses(
        (status = 200, content((DailyView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []))
)]
pub async fn daily(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Manager,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let period = q.period(&state)?;
    let mut tx = state.store.begin_read().await?;
    let (days, total) = daily_rows(tx.as_mut(), period, SalesScope::default()).await?;
    let view = DailyView {
        period: period.into(),
        days,
        total: Figures::from(&total),
    };
    Ok(csv::respond(&req, "daily", &view, &view.days))
}

/// One product's figures. `transactions` counts the sales with a line of the product.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductRow {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
}

impl CsvRow for ProductRow {
    const HEADER: &'static [&'static str] = figures_header!("product_id", "sku", "name");
    fn cells(&self) -> Vec<String> {
        let mut cells = vec![
            self.product_id.to_string(),
            text(&self.sku),
            text(&self.name),
        ];
        cells.extend(self.figures.cells());
        cells
    }
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

/// The products with sales or returns in the period, ranked; the first `limit` when given.
async fn product_rows(
    tx: &mut dyn Tx,
    period: Period,
    ranking: ProductRanking,
    limit: Option<usize>,
) -> Result<Vec<ProductRow>, ApiError> {
    let groups = performance_by(tx, period, SalesScope::default(), Grouping::Product).await?;
    let mut ranked: Vec<(i64, Performance)> = groups
        .into_iter()
        .filter_map(|(k, p)| match k {
            GroupKey::Product(id) => Some((id.get(), p)),
            _ => None,
        })
        .collect();
    ranked.sort_by(|(a_id, a), (b_id, b)| {
        let key = |p: &Performance| match ranking {
            ProductRanking::NetSales => p.net_sales().minor_units(),
            ProductRanking::Quantity => p.net_quantity().thousandths(),
            ProductRanking::GrossProfit => p.gross_profit().minor_units(),
        };
        key(b).cmp(&key(a)).then(a_id.cmp(b_id))
    });
    if let Some(limit) = limit {
        ranked.truncate(limit);
    }
    // Labels only for the products shown.
    let ids: Vec<pos_domain::ids::ProductId> = ranked
        .iter()
        .map(|(id, _)| pos_domain::ids::ProductId::new(*id))
        .collect();
    let names: BTreeMap<i64, (String, String)> = tx
        .product_labels(&ids)
        .await?
        .into_iter()
        .map(|(id, sku, name)| (id.get(), (sku, name)))
        .collect();
    Ok(ranked
        .into_iter()
        .map(|(id, p)| {
            let (sku, name) = names.get(&id).cloned().unwrap_or_default();
            ProductRow {
                product_id: id,
                sku,
                name,
                figures: Figures::from(&p),
            }
        })
        .collect())
}

/// Top products by net sales, quantity or gross profit. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/top-products", tag = "reports",
    params(TopProductsQuery),
    responses(
        (status = 200, content((ProductsView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []))
)]
pub async fn top_products(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Manager,
    q: web::Query<TopProductsQuery>,
) -> Result<HttpResponse, ApiError> {
    let period = PeriodQuery {
        from: q.from,
        to: q.to,
    }
    .period(&state)?;
    let limit = q.limit.unwrap_or(10);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::validation("limit", "must be between 1 and 100"));
    }
    let mut tx = state.store.begin_read().await?;
    let products = product_rows(
        tx.as_mut(),
        period,
        q.by.unwrap_or_default(),
        Some(usize::from(limit)),
    )
    .await?;
    let view = ProductsView {
        period: period.into(),
        products,
    };
    Ok(csv::respond(&req, "top-products", &view, &view.products))
}

/// Product analysis: every product sold or returned in the period, by net sales. Managers
/// and admins.
#[utoipa::path(
    get, path = "/api/reports/products", tag = "reports",
    params(PeriodQuery),
    responses(
        (status = 200, content((ProductsView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []))
)]
pub async fn products(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Manager,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let period = q.period(&state)?;
    let mut tx = state.store.begin_read().await?;
    let products = product_rows(tx.as_mut(), period, ProductRanking::NetSales, None).await?;
    let view = ProductsView {
        period: period.into(),
        products,
    };
    Ok(csv::respond(&req, "products", &view, &view.products))
}

/// One customer's figures; `customer_id` null is every walk-in sale together.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerRow {
    pub customer_id: Option<i64>,
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
}

impl CsvRow for CustomerRow {
    const HEADER: &'static [&'static str] = figures_header!("customer_id", "name");
    fn cells(&self) -> Vec<String> {
        let mut cells = vec![opt(self.customer_id), text(&self.name)];
        cells.extend(self.figures.cells());
        cells
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomersView {
    pub period: PeriodView,
    pub customers: Vec<CustomerRow>,
}

/// One row per customer group, by net sales, named.
async fn customer_rows(
    tx: &mut dyn Tx,
    groups: &BTreeMap<GroupKey, Performance>,
) -> Result<Vec<CustomerRow>, ApiError> {
    let ids: Vec<CustomerId> = groups
        .keys()
        .filter_map(|k| match k {
            GroupKey::Customer(Some(id)) => Some(*id),
            _ => None,
        })
        .collect();
    let names: BTreeMap<CustomerId, String> = tx.customer_names(&ids).await?.into_iter().collect();
    let mut rows: Vec<(i64, CustomerRow)> = groups
        .iter()
        .filter_map(|(k, p)| match k {
            GroupKey::Customer(id) => Some((
                p.net_sales().minor_units(),
                CustomerRow {
                    customer_id: id.map(CustomerId::get),
                    name: id.map_or_else(
                        || "Walk-in customers".to_owned(),
                        |id| names.get(&id).cloned().unwrap_or_default(),
                    ),
                    figures: Figures::from(p),
                },
            )),
            _ => None,
        })
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.customer_id.cmp(&b.1.customer_id)));
    Ok(rows.into_iter().map(|(_, r)| r).collect())
}

/// Customer analysis: each customer's purchases, returns and profit in the period, by net
/// sales. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/customers", tag = "reports",
    params(PeriodQuery),
    responses(
        (status = 200, content((CustomersView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []))
)]
pub async fn customers(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Manager,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let period = q.period(&state)?;
    let mut tx = state.store.begin_read().await?;
    let groups = performance_by(
        tx.as_mut(),
        period,
        SalesScope::default(),
        Grouping::Customer,
    )
    .await?;
    let customers = customer_rows(tx.as_mut(), &groups).await?;
    let view = CustomersView {
        period: period.into(),
        customers,
    };
    Ok(csv::respond(&req, "customers", &view, &view.customers))
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
    security(("bearer" = []))
)]
pub async fn customer_overview(
    state: web::Data<AppState>,
    _auth: Manager,
    q: web::Query<PeriodQuery>,
) -> Result<web::Json<CustomerOverview>, ApiError> {
    let period = q.period(&state)?;
    let mut tx = state.store.begin_read().await?;
    let groups = performance_by(
        tx.as_mut(),
        period,
        SalesScope::default(),
        Grouping::Customer,
    )
    .await?;
    let mut named = Performance::default();
    let mut walk_in = Performance::default();
    let mut served = 0u64;
    for (key, p) in &groups {
        match key {
            GroupKey::Customer(Some(_)) => {
                named.add(p);
                if p.sold.sales > 0 {
                    served += 1;
                }
            }
            _ => walk_in.add(p),
        }
    }
    let new_customers = tx.first_time_customers(period).await?;
    let (receivables, _) = pos_domain::services::reports::dues(tx.as_mut()).await?;
    let mut top_customers = customer_rows(tx.as_mut(), &groups).await?;
    top_customers.retain(|r| r.customer_id.is_some());
    top_customers.truncate(10);
    let all = named.net_sales().minor_units() + walk_in.net_sales().minor_units();
    Ok(web::Json(CustomerOverview {
        period: period.into(),
        customers_served: served,
        new_customers,
        walk_in_share: ratio(walk_in.net_sales().minor_units(), all),
        net_sales_per_customer: (served > 0).then(|| {
            (named.net_sales().amount() / Decimal::from(served))
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        }),
        named: Figures::from(&named),
        walk_in: Figures::from(&walk_in),
        receivables: dec(receivables),
        top_customers,
    }))
}

/// One staff member's figures (returns count against the sale's seller).
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffRow {
    pub user_id: i64,
    pub username: String,
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
}

impl CsvRow for StaffRow {
    const HEADER: &'static [&'static str] = figures_header!("user_id", "username", "name");
    fn cells(&self) -> Vec<String> {
        let mut cells = vec![
            self.user_id.to_string(),
            text(&self.username),
            text(&self.name),
        ];
        cells.extend(self.figures.cells());
        cells
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffView {
    pub period: PeriodView,
    pub staff: Vec<StaffRow>,
}

async fn staff_row(tx: &mut dyn Tx, id: UserId, p: &Performance) -> Result<StaffRow, ApiError> {
    let user = tx.find_user(id).await?;
    Ok(StaffRow {
        user_id: id.get(),
        username: user
            .as_ref()
            .map(|u| u.username.as_str().to_owned())
            .unwrap_or_default(),
        name: user.map(|u| u.name.as_str().to_owned()).unwrap_or_default(),
        figures: Figures::from(p),
    })
}

/// Staff performance: each seller's sales, returns, profit and baskets. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/staff", tag = "reports",
    params(PeriodQuery),
    responses(
        (status = 200, content((StaffView = "application/json"), (String = "text/csv"))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []))
)]
pub async fn staff(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Manager,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let period = q.period(&state)?;
    let mut tx = state.store.begin_read().await?;
    let groups =
        performance_by(tx.as_mut(), period, SalesScope::default(), Grouping::Seller).await?;
    let mut ranked: Vec<(UserId, Performance)> = groups
        .into_iter()
        .filter_map(|(k, p)| match k {
            GroupKey::Seller(id) => Some((id, p)),
            _ => None,
        })
        .collect();
    ranked.sort_by_key(|(id, p)| (-p.net_sales().minor_units(), id.get()));
    let mut rows = Vec::with_capacity(ranked.len());
    for (id, p) in &ranked {
        rows.push(staff_row(tx.as_mut(), *id, p).await?);
    }
    let view = StaffView {
        period: period.into(),
        staff: rows,
    };
    Ok(csv::respond(&req, "staff", &view, &view.staff))
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
    let period = q.period(state)?;
    let mut tx = state.store.begin_read().await?;
    if tx.find_user(user).await?.is_none() {
        return Err(ApiError::NotFound { what: "user" });
    }
    let scope = SalesScope {
        seller: Some(user),
        customer: None,
    };
    let (days, total) = daily_rows(tx.as_mut(), period, scope).await?;
    Ok(PerformanceView {
        period: period.into(),
        summary: staff_row(tx.as_mut(), user, &total).await?,
        days,
    })
}

/// A staff member's performance. Managers and admins.
#[utoipa::path(
    get, path = "/api/users/{id}/performance", tag = "reports",
    params(("id" = i64, Path, description = "User id"), PeriodQuery),
    responses((status = 200, body = PerformanceView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []))
)]
pub async fn user_performance(
    state: web::Data<AppState>,
    _auth: Manager,
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
    security(("bearer" = []))
)]
pub async fn my_performance(
    state: web::Data<AppState>,
    auth: AnyRole,
    q: web::Query<PeriodQuery>,
) -> Result<web::Json<PerformanceView>, ApiError> {
    Ok(web::Json(
        performance_of(&state, auth.principal().user_id, &q).await?,
    ))
}

/// What one payment method took and moved.
#[derive(Debug, Serialize, ToSchema)]
pub struct MethodRow {
    pub code: String,
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

impl CsvRow for MethodRow {
    const HEADER: &'static [&'static str] = &[
        "code",
        "name",
        "sales",
        "taken_at_counter",
        "money_in",
        "money_out",
        "net",
        "share",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            text(&self.code),
            text(&self.name),
            self.sales.to_string(),
            self.taken_at_counter.to_string(),
            self.money_in.to_string(),
            self.money_out.to_string(),
            self.net.to_string(),
            opt(self.share),
        ]
    }
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
    security(("bearer" = []))
)]
pub async fn payment_methods(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Manager,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let period = q.period(&state)?;
    let mut tx = state.store.begin_read().await?;
    let takings = tx.counter_takings(period).await?;
    let books = tx
        .account_totals(DateRange {
            from: Some(period.from()),
            to: Some(period.to()),
        })
        .await?;
    let all: i64 = takings.iter().map(|t| t.amount.minor_units()).sum();
    let methods = tx
        .list_payment_methods()
        .await?
        .into_iter()
        .map(|m| {
            let taken = takings.iter().find(|t| t.method_id == m.id);
            let account = books.iter().find(|t| t.account.id == m.account_id);
            let (money_in, money_out) = account.map_or((Decimal::ZERO, Decimal::ZERO), |a| {
                (a.debit.amount(), a.credit.amount())
            });
            let amount = taken.map_or(0, |t| t.amount.minor_units());
            MethodRow {
                code: m.code,
                name: m.name.as_str().to_owned(),
                sales: taken.map_or(0, |t| t.sales),
                taken_at_counter: pos_domain::Money::from_minor_units(amount).amount(),
                money_in,
                money_out,
                net: money_in - money_out,
                share: ratio(amount, all),
            }
        })
        .collect();
    let view = MethodsView {
        period: period.into(),
        methods,
    };
    Ok(csv::respond(&req, "payment-methods", &view, &view.methods))
}

/// Tax at one rate.
#[derive(Debug, Serialize, ToSchema)]
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

impl CsvRow for TaxRow {
    const HEADER: &'static [&'static str] = &[
        "rate",
        "taxable_sales",
        "tax_charged",
        "tax_refunded",
        "net_tax",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            opt(self.rate),
            self.taxable_sales.to_string(),
            self.tax_charged.to_string(),
            self.tax_refunded.to_string(),
            self.net_tax.to_string(),
        ]
    }
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
    security(("bearer" = []))
)]
pub async fn tax(
    req: HttpRequest,
    state: web::Data<AppState>,
    _auth: Manager,
    q: web::Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let period = q.period(&state)?;
    let mut tx = state.store.begin_read().await?;
    let groups = performance_by(
        tx.as_mut(),
        period,
        SalesScope::default(),
        Grouping::TaxRate,
    )
    .await?;
    let mut total = Decimal::ZERO;
    let rates = groups
        .iter()
        .filter_map(|(k, p)| match k {
            GroupKey::TaxRate(rate) => {
                total += p.tax().amount();
                Some(TaxRow {
                    rate: rate.map(|r| r.value()),
                    taxable_sales: p.net_sales().amount(),
                    tax_charged: p.sold.tax.amount(),
                    tax_refunded: p.returned.tax.amount(),
                    net_tax: p.tax().amount(),
                })
            }
            _ => None,
        })
        .collect();
    let view = TaxView {
        period: period.into(),
        rates,
        total_net_tax: total,
    };
    Ok(csv::respond(&req, "tax", &view, &view.rates))
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

fn growth(now: Decimal, before: Decimal) -> Option<Decimal> {
    if before.is_zero() {
        return None;
    }
    Some(
        ((now - before) * Decimal::ONE_HUNDRED / before.abs())
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
    )
}

/// Financial analysis: growth against the previous period, expense ratio, inventory turnover
/// and the balances at the period's end. Managers and admins.
#[utoipa::path(
    get, path = "/api/reports/financial-analysis", tag = "reports",
    params(PeriodQuery),
    responses((status = 200, body = FinancialAnalysis), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []))
)]
pub async fn financial_analysis(
    state: web::Data<AppState>,
    _auth: Manager,
    q: web::Query<PeriodQuery>,
) -> Result<web::Json<FinancialAnalysis>, ApiError> {
    let period = q.period(&state)?;
    let previous_period = period.previous();
    let mut tx = state.store.begin_read().await?;
    let current = financial_summary_view(tx.as_mut(), period).await?;
    let previous = financial_summary_view(tx.as_mut(), previous_period).await?;
    let balances = tx
        .account_totals(DateRange {
            from: None,
            to: Some(period.to()),
        })
        .await?;
    let balance_of = |code: &str| -> Decimal {
        balances
            .iter()
            .filter(|t| t.account.code.as_str() == code)
            .map(|t| t.balance().amount())
            .sum()
    };
    let cash_and_wallets: Decimal = balances
        .iter()
        .filter(|t| {
            t.account.kind == AccountKind::Asset
                && [
                    codes::CASH,
                    codes::CARD_CLEARING,
                    codes::BKASH,
                    codes::NAGAD,
                ]
                .contains(&t.account.code.as_str())
        })
        .map(|t| t.balance().amount())
        .sum();
    let inventory_value = balance_of(codes::INVENTORY);
    let cogs = current.sales.cost_of_goods_sold;
    let yearly = cogs * Decimal::from(365) / Decimal::from(period.days());
    let inventory_turnover =
        (!inventory_value.is_zero()).then(|| (yearly / inventory_value).round_dp(2));
    let days_of_inventory = (!cogs.is_zero())
        .then(|| (inventory_value * Decimal::from(period.days()) / cogs).round_dp(1));
    let net_sales = current.sales.net_sales;
    Ok(web::Json(FinancialAnalysis {
        period: period.into(),
        previous_period: previous_period.into(),
        net_sales_growth: growth(net_sales, previous.sales.net_sales),
        gross_profit_growth: growth(current.sales.gross_profit, previous.sales.gross_profit),
        net_profit_growth: growth(current.net_profit, previous.net_profit),
        expense_ratio: (!net_sales.is_zero()).then(|| {
            (current.total_expenses * Decimal::ONE_HUNDRED / net_sales)
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        }),
        inventory_value,
        inventory_turnover,
        days_of_inventory,
        cash_and_wallets,
        receivables: balance_of(codes::ACCOUNTS_RECEIVABLE),
        payables: balance_of(codes::ACCOUNTS_PAYABLE),
        current,
        previous,
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
    security(("bearer" = []))
)]
pub async fn my_transactions(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: AnyRole,
    params: web::Query<crate::routes::sales::SaleListParams>,
) -> Result<HttpResponse, ApiError> {
    let mut p = params.into_inner();
    p.user_id = Some(auth.principal().user_id.get());
    let page = crate::routes::sales::sales_page(&state, p).await?;
    Ok(csv::respond(&req, "my-transactions", &page, &page.data))
}
