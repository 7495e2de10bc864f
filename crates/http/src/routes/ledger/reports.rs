//! Financial reports, computed from per-account sums (summed by the store, presented by the
//! domain): balances, trial balance, profit and loss, balance sheet, account statement.

use super::AccountRef;
use crate::auth::Caller;
use crate::dto::date::iso_date;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::web;
use garde::Validate;
use pos_domain::app::ledger::{Statement, StatementQuery};
use pos_domain::ids::AccountId;
use pos_domain::ledger::Side;
use pos_domain::ledger::reports::ReportLine;
use pos_domain::money::Money;
use pos_domain::paging::PageRequest;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOfParams {
    /// Include entries dated up to and including this day (default: all).
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<Date>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodParams {
    /// First day of the period, inclusive.
    #[serde(with = "iso_date")]
    #[param(value_type = String, format = Date)]
    pub from: Date,
    /// Last day of the period, inclusive.
    #[serde(with = "iso_date")]
    #[param(value_type = String, format = Date)]
    pub to: Date,
}

fn amount(m: Money) -> Decimal {
    m.amount()
}

/// An account's sums and its balance on its normal side (debit for assets, contra-revenue and
/// expenses; credit for liabilities, equity and revenue).
#[derive(Debug, Serialize, ToSchema)]
pub struct BalanceView {
    pub account: AccountRef,
    #[schema(value_type = String)]
    pub debit: Decimal,
    #[schema(value_type = String)]
    pub credit: Decimal,
    #[schema(value_type = String)]
    pub balance: Decimal,
}

/// Every account's sums and balance as of a date.
#[utoipa::path(
    get, path = "/api/ledger/balances", tag = "ledger",
    params(AsOfParams),
    responses((status = 200, body = Vec<BalanceView>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn balances(
    state: web::Data<AppState>,
    _auth: Caller,
    params: web::Query<AsOfParams>,
) -> Result<web::Json<Vec<BalanceView>>, ApiError> {
    let totals = state.app.account_balances(params.as_of).await?;
    let views = totals
        .iter()
        .map(|t| {
            Ok(BalanceView {
                account: (&t.account).into(),
                debit: amount(t.debit),
                credit: amount(t.credit),
                balance: amount(t.balance().map_err(|_| ApiError::out_of_range("balance"))?),
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(web::Json(views))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrialBalanceRowView {
    pub account: AccountRef,
    #[schema(value_type = String)]
    pub debit: Decimal,
    #[schema(value_type = String)]
    pub credit: Decimal,
}

/// Each account with activity, its net balance on the debit or the credit side. The totals of
/// the two columns are equal: the books balance.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrialBalanceView {
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub as_of: Option<Date>,
    pub rows: Vec<TrialBalanceRowView>,
    #[schema(value_type = String)]
    pub total_debit: Decimal,
    #[schema(value_type = String)]
    pub total_credit: Decimal,
    pub balanced: bool,
}

/// The trial balance as of a date.
#[utoipa::path(
    get, path = "/api/ledger/trial-balance", tag = "ledger",
    params(AsOfParams),
    responses((status = 200, body = TrialBalanceView), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn trial_balance(
    state: web::Data<AppState>,
    _auth: Caller,
    params: web::Query<AsOfParams>,
) -> Result<web::Json<TrialBalanceView>, ApiError> {
    let tb = state.app.trial_balance(params.as_of).await?;
    Ok(web::Json(TrialBalanceView {
        as_of: params.as_of,
        balanced: tb.is_balanced(),
        total_debit: amount(tb.total_debit),
        total_credit: amount(tb.total_credit),
        rows: tb
            .rows
            .into_iter()
            .map(|r| TrialBalanceRowView {
                account: (&r.account).into(),
                debit: amount(r.debit),
                credit: amount(r.credit),
            })
            .collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportLineView {
    pub account: AccountRef,
    #[schema(value_type = String)]
    pub amount: Decimal,
}

fn lines(lines: Vec<ReportLine>) -> Vec<ReportLineView> {
    lines
        .into_iter()
        .map(|l| ReportLineView {
            account: (&l.account).into(),
            amount: amount(l.amount),
        })
        .collect()
}

/// Profit and loss over a period, from entries dated in it. Net sales = revenue - returns and
/// discounts; gross profit = net sales - cost of goods sold; net profit = gross profit - all
/// other expenses.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfitAndLossView {
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub to: Date,
    pub revenue: Vec<ReportLineView>,
    #[schema(value_type = String)]
    pub total_revenue: Decimal,
    pub contra_revenue: Vec<ReportLineView>,
    #[schema(value_type = String)]
    pub total_contra_revenue: Decimal,
    #[schema(value_type = String)]
    pub net_sales: Decimal,
    #[schema(value_type = String)]
    pub cost_of_goods_sold: Decimal,
    #[schema(value_type = String)]
    pub gross_profit: Decimal,
    pub expenses: Vec<ReportLineView>,
    #[schema(value_type = String)]
    pub total_expenses: Decimal,
    #[schema(value_type = String)]
    pub net_profit: Decimal,
}

/// Profit and loss for a period.
#[utoipa::path(
    get, path = "/api/ledger/profit-and-loss", tag = "ledger",
    params(PeriodParams),
    responses((status = 200, body = ProfitAndLossView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn profit_and_loss(
    state: web::Data<AppState>,
    _auth: Caller,
    params: web::Query<PeriodParams>,
) -> Result<web::Json<ProfitAndLossView>, ApiError> {
    let pl = state.app.profit_and_loss(params.from, params.to).await?;
    Ok(web::Json(ProfitAndLossView {
        from: params.from,
        to: params.to,
        revenue: lines(pl.revenue),
        total_revenue: amount(pl.total_revenue),
        contra_revenue: lines(pl.contra_revenue),
        total_contra_revenue: amount(pl.total_contra_revenue),
        net_sales: amount(pl.net_sales),
        cost_of_goods_sold: amount(pl.cost_of_goods_sold),
        gross_profit: amount(pl.gross_profit),
        expenses: lines(pl.expenses),
        total_expenses: amount(pl.total_expenses),
        net_profit: amount(pl.net_profit),
    }))
}

/// Assets = liabilities + equity, with the earnings to date (all revenue, contra-revenue and
/// expenses up to the date) shown as retained earnings.
#[derive(Debug, Serialize, ToSchema)]
pub struct BalanceSheetView {
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub as_of: Option<Date>,
    pub assets: Vec<ReportLineView>,
    #[schema(value_type = String)]
    pub total_assets: Decimal,
    pub liabilities: Vec<ReportLineView>,
    #[schema(value_type = String)]
    pub total_liabilities: Decimal,
    pub equity: Vec<ReportLineView>,
    #[schema(value_type = String)]
    pub retained_earnings: Decimal,
    #[schema(value_type = String)]
    pub total_equity: Decimal,
    pub balanced: bool,
}

/// The balance sheet as of a date.
#[utoipa::path(
    get, path = "/api/ledger/balance-sheet", tag = "ledger",
    params(AsOfParams),
    responses((status = 200, body = BalanceSheetView), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn balance_sheet(
    state: web::Data<AppState>,
    _auth: Caller,
    params: web::Query<AsOfParams>,
) -> Result<web::Json<BalanceSheetView>, ApiError> {
    let bs = state.app.balance_sheet(params.as_of).await?;
    Ok(web::Json(BalanceSheetView {
        as_of: params.as_of,
        balanced: bs.is_balanced(),
        total_assets: amount(bs.total_assets),
        total_liabilities: amount(bs.total_liabilities),
        retained_earnings: amount(bs.retained_earnings),
        total_equity: amount(bs.total_equity),
        assets: lines(bs.assets),
        liabilities: lines(bs.liabilities),
        equity: lines(bs.equity),
    }))
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementParams {
    /// First day, inclusive (default: the first entry).
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub from: Option<Date>,
    /// Last day, inclusive (default: the last entry).
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub to: Option<Date>,
    #[garde(range(min = 1))]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
    pub per_page: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatementLineView {
    pub entry_id: i64,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    pub memo: String,
    #[schema(value_type = String)]
    pub debit: Decimal,
    #[schema(value_type = String)]
    pub credit: Decimal,
    /// The account's balance after this line, on its normal side.
    #[schema(value_type = String)]
    pub balance: Decimal,
}

/// An account's lines in date order with the running balance.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementView {
    pub account: AccountRef,
    /// The balance before `from` (zero without `from`).
    #[schema(value_type = String)]
    pub opening_balance: Decimal,
    /// The balance just before this page's first line.
    #[schema(value_type = String)]
    pub balance_before_page: Decimal,
    pub data: Vec<StatementLineView>,
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
}

/// An account statement with running balance.
#[utoipa::path(
    get, path = "/api/accounts/{id}/statement", tag = "ledger",
    params(("id" = i64, Path), StatementParams),
    responses((status = 200, body = StatementView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn statement(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
    params: web::Query<StatementParams>,
) -> Result<web::Json<StatementView>, ApiError> {
    params.validate()?;
    let p = params.into_inner();
    let statement = state
        .app
        .account_statement(StatementQuery {
            account: AccountId::new(*id),
            from: p.from,
            to: p.to,
            page: PageRequest::new(p.page, p.per_page),
        })
        .await?;
    Ok(web::Json(statement_view(statement)))
}

fn statement_view(statement: Statement) -> StatementView {
    let zero = Money::ZERO.amount();
    StatementView {
        account: (&statement.account).into(),
        opening_balance: amount(statement.opening_balance),
        balance_before_page: amount(statement.balance_before_page),
        data: statement
            .lines
            .into_iter()
            .map(|l| {
                let (debit, credit) = match l.line.side {
                    Side::Debit => (l.line.amount.amount(), zero),
                    Side::Credit => (zero, l.line.amount.amount()),
                };
                StatementLineView {
                    entry_id: l.line.entry_id.get(),
                    date: l.line.date,
                    memo: l.line.memo,
                    debit,
                    credit,
                    balance: amount(l.balance),
                }
            })
            .collect(),
        page: statement.page.page(),
        per_page: statement.page.per_page(),
        total: statement.total,
    }
}
