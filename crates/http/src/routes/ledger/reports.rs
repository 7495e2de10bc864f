//! Financial reports, computed from per-account sums (summed by the store, presented by the
//! domain): balances, trial balance, profit and loss, balance sheet, account statement.

use crate::auth::Caller;
use crate::dto::{PageParams, Paged};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::web;
use garde::Validate;
use pos_api::ledger::reports::*;
use pos_domain::app::ledger::StatementQuery;
use pos_domain::ids::AccountId;
use pos_domain::paging::PageRequest;

/// Every account's sums and balance as of a date.
#[utoipa::path(
    get, path = "/api/ledger/balances", tag = "ledger",
    params(AsOfParams, PageParams),
    responses((status = 200, body = Paged<BalanceView>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn balances(
    state: web::Data<AppState>,
    _auth: Caller,
    params: web::Query<AsOfParams>,
    page: web::Query<PageParams>,
) -> Result<web::Json<Paged<BalanceView>>, ApiError> {
    page.validate()?;
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
    Ok(web::Json(Paged::slice(views, &page, |v| v)))
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

/// Profit and loss for a period.
#[utoipa::path(
    get, path = "/api/ledger/profit-and-loss", tag = "ledger",
    params(PeriodParams, pos_api::locations::LocationsParam),
    responses((status = 200, body = ProfitAndLossView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn profit_and_loss(
    state: web::Data<AppState>,
    auth: Caller,
    params: web::Query<PeriodParams>,
    locations: web::Query<pos_api::locations::LocationsParam>,
) -> Result<web::Json<ProfitAndLossView>, ApiError> {
    let locations = auth.reach(&locations.ids()?)?;
    let pl = state
        .app
        .profit_and_loss(params.from, params.to, &locations)
        .await?;
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

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    statement, balances, trial_balance, profit_and_loss, balance_sheet,
}
