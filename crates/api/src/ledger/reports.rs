//! Financial reports, computed from per-account sums (summed by the store, presented by the
//! domain): balances, trial balance, profit and loss, balance sheet, account statement.

use super::AccountRef;
use crate::date::iso_date;
use garde::Validate;
use pos_domain::app::ledger::Statement;
use pos_domain::ledger::Side;
use pos_domain::ledger::reports::ReportLine;
use pos_domain::money::Money;
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

pub fn amount(m: Money) -> Decimal {
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

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportLineView {
    pub account: AccountRef,
    #[schema(value_type = String)]
    pub amount: Decimal,
}

pub fn lines(lines: Vec<ReportLine>) -> Vec<ReportLineView> {
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
    #[garde(range(min = 1, max = 2147483647))]
    #[param(minimum = 1, maximum = 2147483647)]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
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

pub fn statement_view(statement: Statement) -> StatementView {
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
