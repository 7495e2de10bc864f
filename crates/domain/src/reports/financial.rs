//! The financial summary: the counter's figures from the sales records, everything else from
//! the books, adding up to the books' net profit.

use super::figures::{Performance, ratio};
use super::period::Period;
use crate::ledger::accounts::AccountKind;
use crate::ledger::chart::codes;
use crate::ledger::reports::AccountTotals;
use crate::money::{Money, OutOfRange};
use rust_decimal::Decimal;

/// One income or expense account's movement in the period, as the books show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountLine {
    pub code: String,
    pub name: String,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinancialSummary {
    pub period: Period,
    /// The counter's sales and returns the figures below come from.
    pub counter: Performance,
    pub transactions: u64,
    pub average_basket: Option<Money>,
    pub gross_sales: Money,
    pub discounts: Money,
    pub returns: Money,
    pub net_sales: Money,
    pub tax: Money,
    pub cost_of_goods_sold: Money,
    pub gross_profit: Money,
    pub gross_margin: Option<Decimal>,
    /// Income the books hold outside the counter (inventory count gains), by account.
    pub other_income: Vec<AccountLine>,
    /// Every expense but COGS (shrinkage, operating expenses), by account.
    pub expenses: Vec<AccountLine>,
    pub total_other_income: Money,
    pub total_expenses: Money,
    pub net_profit: Money,
    pub net_margin: Option<Decimal>,
}

/// The accounts whose movements the sales records already give.
fn from_sales_records(code: &str) -> bool {
    [
        codes::SALES_REVENUE,
        codes::SALES_RETURNS,
        codes::DISCOUNTS,
        codes::COST_OF_GOODS_SOLD,
    ]
    .contains(&code)
}

fn lines(
    totals: &[AccountTotals],
    kind: AccountKind,
) -> Result<(Vec<AccountLine>, Money), OutOfRange> {
    let mut lines = Vec::new();
    for t in totals
        .iter()
        .filter(|t| t.account.kind == kind && !from_sales_records(t.account.code.as_str()))
    {
        let amount = t.balance()?;
        if amount != Money::ZERO {
            lines.push(AccountLine {
                code: t.account.code.as_str().to_owned(),
                name: t.account.name.as_str().to_owned(),
                amount,
            });
        }
    }
    let total = Money::wide_sum(lines.iter().map(|l| l.amount))?;
    Ok((lines, total))
}

/// `counter`: the period's sales and returns; `books`: every account's totals for the period.
pub fn financial_summary(
    period: Period,
    counter: &Performance,
    books: &[AccountTotals],
) -> Result<FinancialSummary, OutOfRange> {
    let (other_income, total_other_income) = lines(books, AccountKind::Revenue)?;
    let (expenses, total_expenses) = lines(books, AccountKind::Expense)?;
    let gross_profit = counter.gross_profit();
    let net_profit = gross_profit
        .wide_add(total_other_income)?
        .wide_sub(total_expenses)?;
    Ok(FinancialSummary {
        period,
        counter: *counter,
        transactions: counter.sold.sales,
        average_basket: counter.average_basket(),
        gross_sales: counter.gross_sales(),
        discounts: counter.discounts(),
        returns: counter.returns(),
        net_sales: counter.net_sales(),
        tax: counter.tax(),
        cost_of_goods_sold: counter.cost_of_goods_sold(),
        gross_profit,
        gross_margin: counter.margin(),
        other_income,
        expenses,
        total_other_income,
        total_expenses,
        net_profit,
        net_margin: ratio(net_profit, counter.net_sales()),
    })
}
