//! What was sold: the financial summary and analysis, daily trends, products, customers, staff,
//! payment methods and tax.

use super::{Figures, PeriodView};
use crate::csv;
use pos_domain::app::reports as model;
use pos_domain::ids::CustomerId;
use pos_domain::reports::FinancialSummary;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

pub fn dec(m: pos_domain::Money) -> Decimal {
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

pub fn financial_summary_view(s: FinancialSummary) -> FinancialSummaryView {
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

/// One day's figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct DayRow {
    #[serde(with = "crate::date::iso_date")]
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

pub fn day_rows(days: &[model::DayFigures]) -> Vec<DayRow> {
    days.iter()
        .map(|d| DayRow {
            date: d.date,
            figures: Figures::from(&d.figures),
        })
        .collect()
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
    /// First day, inclusive (default: 29 days before `to`). Not after `to`; a report covers
    /// at most 1098 days (422 otherwise).
    #[serde(default, with = "crate::date::iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<Date>,
    /// Last day, inclusive (default: today in the shop's time zone).
    #[serde(default, with = "crate::date::iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<Date>,
    /// `net_sales` (default), `quantity` or `gross_profit`.
    pub by: Option<ProductRanking>,
    /// How many (1 to 100, default 10).
    #[param(minimum = 1, maximum = 100)]
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

pub fn products_view(report: model::ProductsReport) -> ProductsView {
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

pub fn customer_rows(rows: Vec<model::CustomerFigures>) -> Vec<CustomerRow> {
    rows.into_iter()
        .map(|r| CustomerRow {
            customer_id: r.customer.map(CustomerId::get),
            name: r.name,
            figures: Figures::from(&r.figures),
        })
        .collect()
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

pub fn staff_row(s: model::StaffFigures) -> StaffRow {
    StaffRow {
        user_id: s.user.get(),
        username: s.username,
        name: s.name,
        figures: Figures::from(&s.figures),
    }
}

/// One staff member's performance: the period's totals and each day's.
#[derive(Debug, Serialize, ToSchema)]
pub struct PerformanceView {
    pub period: PeriodView,
    pub summary: StaffRow,
    pub days: Vec<DayRow>,
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
