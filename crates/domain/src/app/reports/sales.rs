//! What was sold: the financial summary and analysis, daily trends, products, customers,
//! staff, payment methods and tax.

use crate::app::{App, AppResult};
use crate::ids::{CustomerId, ProductId, UserId};
use crate::ledger::DateRange;
use crate::ledger::accounts::AccountKind;
use crate::ledger::chart::codes;
use crate::ledger::reports::AccountTotals;
use crate::money::Money;
use crate::ports::ReportRepo;
use crate::reports::{
    FinancialSummary, GroupKey, Grouping, Performance, Period, SalesScope, ratio,
};
use crate::services::ServiceError;
use crate::services::reports::{dues, performance_by, summary};
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;
use time::Date;

/// The name the walk-in customers' group is shown under.
pub const WALK_IN: &str = "Walk-in customers";

/// One day's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayFigures {
    pub date: Date,
    pub figures: Performance,
}

/// Every day of a period, days without sales included (with zeros), and their total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyReport {
    pub period: Period,
    pub days: Vec<DayFigures>,
    pub total: Performance,
}

/// What to rank products by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProductRanking {
    #[default]
    NetSales,
    Quantity,
    GrossProfit,
}

/// The products of a period ranked, highest first (ties by id); the first `limit` when given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopProducts {
    pub period: Period,
    pub by: ProductRanking,
    pub limit: Option<usize>,
}

/// One product's figures, labelled. `figures.sold.sales` counts the sales with a line of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductFigures {
    pub product: ProductId,
    pub sku: String,
    pub name: String,
    pub figures: Performance,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductsReport {
    pub period: Period,
    pub products: Vec<ProductFigures>,
}

/// One customer's figures; `customer` `None` is every walk-in sale together ([`WALK_IN`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerFigures {
    pub customer: Option<CustomerId>,
    pub name: String,
    pub figures: Performance,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomersReport {
    pub period: Period,
    /// By net sales, highest first (ties: walk-ins first, then by id).
    pub customers: Vec<CustomerFigures>,
}

/// The comprehensive customer analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerOverview {
    pub period: Period,
    /// Named customers who bought in the period.
    pub customers_served: u64,
    /// Of which their first purchase ever.
    pub new_customers: u64,
    pub named: Performance,
    pub walk_in: Performance,
    /// Walk-in net sales as a % of all net sales.
    pub walk_in_share: Option<Decimal>,
    /// Named customers' net sales per customer served, to the cent (half away from zero).
    pub net_sales_per_customer: Option<Decimal>,
    /// What customers owe now, on every open sale.
    pub receivables: Money,
    /// The ten best named customers by net sales.
    pub top_customers: Vec<CustomerFigures>,
}

/// One seller's figures (returns count against the sale's seller), labelled. A seller whose
/// user is gone has empty labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffFigures {
    pub user: UserId,
    pub username: String,
    pub name: String,
    pub figures: Performance,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffReport {
    pub period: Period,
    /// By net sales, highest first (ties by id).
    pub staff: Vec<StaffFigures>,
}

/// One staff member's period: the totals and each day's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffPerformance {
    pub period: Period,
    pub summary: StaffFigures,
    pub days: Vec<DayFigures>,
}

/// What one payment method took at the counter and moved in the books.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodFigures {
    pub code: String,
    pub name: String,
    /// Sales with a payment by this method at the counter, and what it took there.
    pub sales: u64,
    pub taken_at_counter: Money,
    /// Debits and credits of the method's account in the period, and their difference.
    pub money_in: Money,
    pub money_out: Money,
    pub net: Money,
    /// Share of all counter takings, in %.
    pub share: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodsReport {
    pub period: Period,
    /// Every payment method, in the order the port lists them.
    pub methods: Vec<MethodFigures>,
}

/// Tax at one rate; `rate` `None` for untaxed lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxFigures {
    pub rate: Option<crate::catalog::Percent>,
    /// Net sales at this rate (without tax).
    pub taxable_sales: Money,
    pub tax_charged: Money,
    pub tax_refunded: Money,
    /// Charged less refunded.
    pub net_tax: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxReport {
    pub period: Period,
    /// Untaxed first, then by rate.
    pub rates: Vec<TaxFigures>,
    pub total_net_tax: Money,
}

/// Ratios of a period against the one before, and the balances at its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinancialAnalysis {
    pub period: Period,
    /// The same number of days just before.
    pub previous_period: Period,
    pub current: FinancialSummary,
    pub previous: FinancialSummary,
    /// Growth over the previous period in %, to two places; `None` from zero.
    pub net_sales_growth: Option<Decimal>,
    pub gross_profit_growth: Option<Decimal>,
    pub net_profit_growth: Option<Decimal>,
    /// Operating expenses (all but COGS) as a % of net sales.
    pub expense_ratio: Option<Decimal>,
    /// The books' inventory at the period's end; COGS over it scaled to a year, and its
    /// inverse in days.
    pub inventory_value: Money,
    pub inventory_turnover: Option<Decimal>,
    pub days_of_inventory: Option<Decimal>,
    /// Balances at the period's end: cash and wallets, receivables, payables.
    pub cash_and_wallets: Money,
    pub receivables: Money,
    pub payables: Money,
}

/// The total of report figures (which may pass one document's range; refused past 64 bits).
fn sum(amounts: impl IntoIterator<Item = Money>) -> AppResult<Money> {
    Ok(Money::wide_sum(amounts)?)
}

/// `part / whole` in %, to two places half away from zero.
fn percent_of(part: Decimal, whole: Decimal) -> Decimal {
    (part * Decimal::ONE_HUNDRED / whole)
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn growth(now: Money, before: Money) -> Option<Decimal> {
    let (now, before) = (now.amount(), before.amount());
    (!before.is_zero()).then(|| percent_of(now - before, before.abs()))
}

/// Every day of `period` with its figures (zeros for days without sales), and the total.
async fn daily<T: ReportRepo + ?Sized>(
    tx: &mut T,
    period: Period,
    scope: &SalesScope,
) -> AppResult<DailyReport> {
    let by_day = performance_by(tx, period, scope, Grouping::Day).await?;
    let mut total = Performance::default();
    let days = period
        .each_day()
        .map(|date| {
            let figures = by_day
                .get(&GroupKey::Day(date))
                .copied()
                .unwrap_or_default();
            total
                .add(&figures)
                .map_err(|_| ServiceError::out_of_range("total"))?;
            Ok(DayFigures { date, figures })
        })
        .collect::<AppResult<_>>()?;
    Ok(DailyReport {
        period,
        days,
        total,
    })
}

/// The products with sales or returns in the period, ranked, labelled (only those shown).
async fn ranked_products<T: ReportRepo + ?Sized>(
    tx: &mut T,
    query: TopProducts,
) -> AppResult<Vec<ProductFigures>> {
    let groups =
        performance_by(tx, query.period, &SalesScope::default(), Grouping::Product).await?;
    let mut ranked: Vec<(ProductId, Performance)> = groups
        .into_iter()
        .filter_map(|(k, p)| match k {
            GroupKey::Product(id) => Some((id, p)),
            _ => None,
        })
        .collect();
    let order = |a: &Performance, b: &Performance| match query.by {
        ProductRanking::NetSales => a.net_sales().cmp(&b.net_sales()),
        ProductRanking::Quantity => a.net_quantity().cmp(&b.net_quantity()),
        ProductRanking::GrossProfit => a.gross_profit().cmp(&b.gross_profit()),
    };
    ranked.sort_by(|(a_id, a), (b_id, b)| order(b, a).then(a_id.cmp(b_id)));
    if let Some(limit) = query.limit {
        ranked.truncate(limit);
    }
    let ids: Vec<ProductId> = ranked.iter().map(|(id, _)| *id).collect();
    let mut labels: BTreeMap<ProductId, (String, String)> = tx
        .product_labels(&ids)
        .await?
        .into_iter()
        .map(|(id, sku, name)| (id, (sku, name)))
        .collect();
    Ok(ranked
        .into_iter()
        .map(|(product, figures)| {
            let (sku, name) = labels.remove(&product).unwrap_or_default();
            ProductFigures {
                product,
                sku,
                name,
                figures,
            }
        })
        .collect())
}

/// One row per customer group, by net sales, named.
async fn customer_rows<T: ReportRepo + ?Sized>(
    tx: &mut T,
    groups: &BTreeMap<GroupKey, Performance>,
) -> AppResult<Vec<CustomerFigures>> {
    let ids: Vec<CustomerId> = groups
        .keys()
        .filter_map(|k| match k {
            GroupKey::Customer(Some(id)) => Some(*id),
            _ => None,
        })
        .collect();
    let names: BTreeMap<CustomerId, String> = tx.customer_names(&ids).await?.into_iter().collect();
    let mut rows: Vec<CustomerFigures> = groups
        .iter()
        .filter_map(|(k, p)| match k {
            GroupKey::Customer(id) => Some(CustomerFigures {
                customer: *id,
                name: id.map_or_else(
                    || WALK_IN.to_owned(),
                    |id| names.get(&id).cloned().unwrap_or_default(),
                ),
                figures: *p,
            }),
            _ => None,
        })
        .collect();
    rows.sort_by(|a, b| {
        let net = |r: &CustomerFigures| r.figures.net_sales();
        net(b).cmp(&net(a)).then(a.customer.cmp(&b.customer))
    });
    Ok(rows)
}

/// Username and name of each seller among `ids`, in one query.
async fn seller_labels<T: crate::ports::ReportRepo + ?Sized>(
    tx: &mut T,
    ids: &[UserId],
) -> AppResult<BTreeMap<UserId, (String, String)>> {
    Ok(tx
        .user_labels(ids)
        .await?
        .into_iter()
        .map(|(id, username, name)| (id, (username, name)))
        .collect())
}

/// A seller's row: their username and name (empty when the user is gone) and figures.
fn staff_figures(user: UserId, label: Option<(&str, &str)>, figures: Performance) -> StaffFigures {
    StaffFigures {
        user,
        username: label.map(|(u, _)| u.to_owned()).unwrap_or_default(),
        name: label.map(|(_, n)| n.to_owned()).unwrap_or_default(),
        figures,
    }
}

/// Each method's counter takings and its account's movements.
fn method_rows(
    methods: Vec<crate::ledger::money_events::PaymentMethod>,
    takings: &[crate::ports::MethodTakings],
    books: &[AccountTotals],
) -> AppResult<Vec<MethodFigures>> {
    let all = sum(takings.iter().map(|t| t.amount))?;
    methods
        .into_iter()
        .map(|m| {
            let taken = takings.iter().find(|t| t.method_id == m.id);
            let account = books.iter().find(|t| t.account.id == m.account_id);
            let (money_in, money_out) =
                account.map_or((Money::ZERO, Money::ZERO), |a| (a.debit, a.credit));
            let amount = taken.map_or(Money::ZERO, |t| t.amount);
            Ok(MethodFigures {
                code: m.code,
                name: m.name.as_str().to_owned(),
                sales: taken.map_or(0, |t| t.sales),
                taken_at_counter: amount,
                money_in,
                money_out,
                net: money_in.wide_sub(money_out)?,
                share: ratio(amount, all),
            })
        })
        .collect()
}

/// The analysis of `current` against `previous`, with the balances at the period's end.
fn analysis(
    current: FinancialSummary,
    previous: FinancialSummary,
    balances: &[AccountTotals],
) -> AppResult<FinancialAnalysis> {
    let period = current.period;
    let balance_of = |wanted: &dyn Fn(&AccountTotals) -> bool| {
        let picked = balances.iter().filter(|t| wanted(t));
        sum(picked
            .map(AccountTotals::balance)
            .collect::<Result<Vec<_>, _>>()?)
    };
    let code_is = |code: &'static str| move |t: &AccountTotals| t.account.code.as_str() == code;
    let cash_and_wallets = balance_of(&|t| {
        t.account.kind == AccountKind::Asset
            && [
                codes::CASH,
                codes::CARD_CLEARING,
                codes::BKASH,
                codes::NAGAD,
            ]
            .contains(&t.account.code.as_str())
    })?;
    let inventory_value = balance_of(&code_is(codes::INVENTORY))?;
    let (stock, cogs) = (
        inventory_value.amount(),
        current.cost_of_goods_sold.amount(),
    );
    let days = Decimal::from(period.days());
    let yearly = cogs * Decimal::from(365) / days;
    let net_sales = current.net_sales.amount();
    Ok(FinancialAnalysis {
        period,
        previous_period: previous.period,
        net_sales_growth: growth(current.net_sales, previous.net_sales),
        gross_profit_growth: growth(current.gross_profit, previous.gross_profit),
        net_profit_growth: growth(current.net_profit, previous.net_profit),
        expense_ratio: (!net_sales.is_zero())
            .then(|| percent_of(current.total_expenses.amount(), net_sales)),
        inventory_value,
        inventory_turnover: (!stock.is_zero()).then(|| (yearly / stock).round_dp(2)),
        days_of_inventory: (!cogs.is_zero()).then(|| (stock * days / cogs).round_dp(1)),
        cash_and_wallets,
        receivables: balance_of(&code_is(codes::ACCOUNTS_RECEIVABLE))?,
        payables: balance_of(&code_is(codes::ACCOUNTS_PAYABLE))?,
        current,
        previous,
    })
}

impl App {
    /// The financial summary of `period`: sales, returns, discounts, tax, COGS and gross profit
    /// from the sales records; other income and expenses from the books; net profit (equal to
    /// the ledger's profit and loss for the same days).
    pub async fn financial_summary(
        &self,
        period: Period,
        locations: &[crate::ids::LocationId],
    ) -> AppResult<FinancialSummary> {
        self.read(async |tx| summary(tx, period, locations).await)
            .await
    }

    /// The financial analysis of `period`: its summary and the previous period's (the same
    /// number of days just before), growth, expense ratio, inventory turnover, and the
    /// balances at the period's end.
    pub async fn financial_analysis(&self, period: Period) -> AppResult<FinancialAnalysis> {
        self.read(async |tx| {
            let current = summary(tx, period, &[]).await?;
            let previous = summary(tx, period.previous(), &[]).await?;
            let balances = tx
                .account_totals(DateRange {
                    from: None,
                    to: Some(period.to()),
                })
                .await?;
            analysis(current, previous, &balances)
        })
        .await
    }

    /// Daily trends: every day of `period` with its sales, returns and profit, at `locations`
    /// (empty: every store).
    pub async fn daily_report(
        &self,
        period: Period,
        locations: &[crate::ids::LocationId],
    ) -> AppResult<DailyReport> {
        let scope = SalesScope {
            locations: locations.to_vec(),
            ..SalesScope::default()
        };
        self.read(async |tx| daily(tx, period, &scope).await).await
    }

    /// The top products of a period by net sales, quantity or gross profit.
    pub async fn top_products(&self, query: TopProducts) -> AppResult<ProductsReport> {
        self.read(async |tx| {
            Ok(ProductsReport {
                period: query.period,
                products: ranked_products(tx, query).await?,
            })
        })
        .await
    }

    /// Every customer group's figures in `period` (walk-ins as one), by net sales.
    pub async fn customer_report(&self, period: Period) -> AppResult<CustomersReport> {
        self.read(async |tx| {
            let groups =
                performance_by(tx, period, &SalesScope::default(), Grouping::Customer).await?;
            Ok(CustomersReport {
                period,
                customers: customer_rows(tx, &groups).await?,
            })
        })
        .await
    }

    /// The customer analysis of `period`: customers served and new, named against walk-in
    /// figures, walk-in share, net sales per customer, receivables now, the ten best.
    pub async fn customer_overview(&self, period: Period) -> AppResult<CustomerOverview> {
        self.read(async |tx| {
            let groups =
                performance_by(tx, period, &SalesScope::default(), Grouping::Customer).await?;
            let (mut named, mut walk_in, mut served) =
                (Performance::default(), Performance::default(), 0u64);
            for (key, p) in &groups {
                match key {
                    GroupKey::Customer(Some(_)) => {
                        named
                            .add(p)
                            .map_err(|_| ServiceError::out_of_range("named"))?;
                        served += u64::from(p.sold.sales > 0);
                    }
                    _ => walk_in
                        .add(p)
                        .map_err(|_| ServiceError::out_of_range("walk_in"))?,
                }
            }
            let new_customers = tx.first_time_customers(period).await?;
            let (receivables, _) = dues(tx).await?;
            let mut top_customers = customer_rows(tx, &groups).await?;
            top_customers.retain(|r| r.customer.is_some());
            top_customers.truncate(10);
            let all = named
                .net_sales()
                .wide_add(walk_in.net_sales())
                .map_err(|_| ServiceError::out_of_range("net_sales"))?;
            Ok(CustomerOverview {
                period,
                customers_served: served,
                new_customers,
                walk_in_share: ratio(walk_in.net_sales(), all),
                net_sales_per_customer: (served > 0).then(|| {
                    (named.net_sales().amount() / Decimal::from(served))
                        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                }),
                named,
                walk_in,
                receivables,
                top_customers,
            })
        })
        .await
    }

    /// Each seller's figures in `period`, by net sales, with their username and name.
    pub async fn staff_report(&self, period: Period) -> AppResult<StaffReport> {
        self.read(async |tx| {
            let groups =
                performance_by(tx, period, &SalesScope::default(), Grouping::Seller).await?;
            let mut ranked: Vec<(UserId, Performance)> = groups
                .into_iter()
                .filter_map(|(k, p)| match k {
                    GroupKey::Seller(id) => Some((id, p)),
                    _ => None,
                })
                .collect();
            ranked.sort_by_key(|(id, p)| (std::cmp::Reverse(p.net_sales()), id.get()));
            let ids: Vec<UserId> = ranked.iter().map(|(id, _)| *id).collect();
            let labels = seller_labels(tx, &ids).await?;
            let staff = ranked
                .into_iter()
                .map(|(id, p)| {
                    let label = labels.get(&id).map(|(u, n)| (u.as_str(), n.as_str()));
                    staff_figures(id, label, p)
                })
                .collect();
            Ok(StaffReport { period, staff })
        })
        .await
    }

    /// One staff member's performance in `period`: the totals and each day's. 404 `user`
    /// when there is no such user.
    pub async fn staff_performance(
        &self,
        user: UserId,
        period: Period,
    ) -> AppResult<StaffPerformance> {
        self.read(async |tx| {
            let found = tx
                .find_user(user)
                .await?
                .ok_or(ServiceError::NotFound("user"))?;
            let scope = SalesScope {
                seller: Some(user),
                ..SalesScope::default()
            };
            let report = daily(tx, period, &scope).await?;
            Ok(StaffPerformance {
                period,
                summary: staff_figures(
                    user,
                    Some((found.username.as_str(), found.name.as_str())),
                    report.total,
                ),
                days: report.days,
            })
        })
        .await
    }

    /// Every payment method's counter takings in `period` and its account's movements.
    pub async fn payment_method_report(&self, period: Period) -> AppResult<MethodsReport> {
        self.read(async |tx| {
            let takings = tx.counter_takings(period).await?;
            let books = tx
                .account_totals(DateRange {
                    from: Some(period.from()),
                    to: Some(period.to()),
                })
                .await?;
            let methods = tx.list_payment_methods().await?;
            Ok(MethodsReport {
                period,
                methods: method_rows(methods, &takings, &books)?,
            })
        })
        .await
    }

    /// Tax charged and refunded in `period`, per rate, and the net total.
    pub async fn tax_report(&self, period: Period) -> AppResult<TaxReport> {
        self.read(async |tx| {
            let groups =
                performance_by(tx, period, &SalesScope::default(), Grouping::TaxRate).await?;
            let rates: Vec<TaxFigures> = groups
                .iter()
                .filter_map(|(k, p)| match k {
                    GroupKey::TaxRate(rate) => Some(TaxFigures {
                        rate: *rate,
                        taxable_sales: p.net_sales(),
                        tax_charged: p.sold.tax,
                        tax_refunded: p.returned.tax,
                        net_tax: p.tax(),
                    }),
                    _ => None,
                })
                .collect();
            let total_net_tax = sum(rates.iter().map(|r| r.net_tax))?;
            Ok(TaxReport {
                period,
                rates,
                total_net_tax,
            })
        })
        .await
    }
}
