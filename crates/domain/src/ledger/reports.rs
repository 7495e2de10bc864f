//! The read side of the books, computed from per-account sums of debits and credits. Storage
//! does the summing (`GROUP BY` in SQL); the presentation rules live here.

use super::accounts::{Account, AccountKind, NormalSide};
use super::chart::codes;
use super::entry::Side;
use crate::ids::EntryId;
use crate::money::{Money, OutOfRange};
use time::Date;

/// The sums of one account's lines over some range of dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountTotals {
    pub account: Account,
    pub debit: Money,
    pub credit: Money,
}

impl AccountTotals {
    /// Debits minus credits.
    fn net_debit(&self) -> Result<Money, OutOfRange> {
        self.debit.wide_sub(self.credit)
    }

    /// The balance on the account's normal side: positive when it is "normal" (cash on hand,
    /// revenue earned), negative when it is not (an overdrawn wallet).
    pub fn balance(&self) -> Result<Money, OutOfRange> {
        match self.account.kind.normal_side() {
            NormalSide::Debit => self.net_debit(),
            NormalSide::Credit => self.credit.wide_sub(self.debit),
        }
    }
}

/// One account in the trial balance: its net balance on the debit or the credit side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrialBalanceRow {
    pub account: Account,
    pub debit: Money,
    pub credit: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrialBalance {
    pub rows: Vec<TrialBalanceRow>,
    pub total_debit: Money,
    pub total_credit: Money,
}

impl TrialBalance {
    /// Always true for books kept through [`super::BalancedEntry`]; reported so that anyone can
    /// see it.
    pub fn is_balanced(&self) -> bool {
        self.total_debit == self.total_credit
    }
}

/// Accounts with activity, each net balance shown on the side it falls.
pub fn trial_balance(totals: &[AccountTotals]) -> Result<TrialBalance, OutOfRange> {
    let rows: Vec<TrialBalanceRow> = totals
        .iter()
        .filter(|t| t.debit != Money::ZERO || t.credit != Money::ZERO)
        .map(|t| {
            let net = t.net_debit()?;
            Ok(TrialBalanceRow {
                account: t.account.clone(),
                debit: net.max(Money::ZERO),
                credit: net.negated().max(Money::ZERO),
            })
        })
        .collect::<Result<_, OutOfRange>>()?;
    Ok(TrialBalance {
        total_debit: Money::wide_sum(rows.iter().map(|r| r.debit))?,
        total_credit: Money::wide_sum(rows.iter().map(|r| r.credit))?,
        rows,
    })
}

/// An account and its balance in a statement section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLine {
    pub account: Account,
    pub amount: Money,
}

type Section = (Vec<ReportLine>, Money);

fn section(
    totals: &[AccountTotals],
    pick: impl Fn(&Account) -> bool,
) -> Result<Section, OutOfRange> {
    let mut lines = Vec::new();
    for t in totals.iter().filter(|t| pick(&t.account)) {
        let amount = t.balance()?;
        if amount != Money::ZERO {
            lines.push(ReportLine {
                account: t.account.clone(),
                amount,
            });
        }
    }
    let total = Money::wide_sum(lines.iter().map(|l| l.amount))?;
    Ok((lines, total))
}

/// Profit and loss for a period, from the totals of the period's lines.
///
/// Net sales = revenue - contra-revenue (returns, discounts); gross profit = net sales - cost of
/// goods sold; net profit = gross profit - every other expense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfitAndLoss {
    pub revenue: Vec<ReportLine>,
    pub total_revenue: Money,
    pub contra_revenue: Vec<ReportLine>,
    pub total_contra_revenue: Money,
    pub net_sales: Money,
    pub cost_of_goods_sold: Money,
    pub gross_profit: Money,
    pub expenses: Vec<ReportLine>,
    pub total_expenses: Money,
    pub net_profit: Money,
}

fn is_cogs(a: &Account) -> bool {
    a.code.as_str() == codes::COST_OF_GOODS_SOLD
}

pub fn profit_and_loss(totals: &[AccountTotals]) -> Result<ProfitAndLoss, OutOfRange> {
    let (revenue, total_revenue) = section(totals, |a| a.kind == AccountKind::Revenue)?;
    let (contra_revenue, total_contra_revenue) =
        section(totals, |a| a.kind == AccountKind::Contra)?;
    let (_, cost_of_goods_sold) = section(totals, is_cogs)?;
    let (expenses, total_expenses) =
        section(totals, |a| a.kind == AccountKind::Expense && !is_cogs(a))?;
    let net_sales = total_revenue.wide_sub(total_contra_revenue)?;
    let gross_profit = net_sales.wide_sub(cost_of_goods_sold)?;
    Ok(ProfitAndLoss {
        revenue,
        total_revenue,
        contra_revenue,
        total_contra_revenue,
        net_sales,
        cost_of_goods_sold,
        gross_profit,
        expenses,
        total_expenses,
        net_profit: gross_profit.wide_sub(total_expenses)?,
    })
}

/// Assets = liabilities + equity, where equity includes the earnings not yet closed out (the
/// net of every revenue, contra and expense account up to the date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceSheet {
    pub assets: Vec<ReportLine>,
    pub total_assets: Money,
    pub liabilities: Vec<ReportLine>,
    pub total_liabilities: Money,
    pub equity: Vec<ReportLine>,
    pub retained_earnings: Money,
    pub total_equity: Money,
}

impl BalanceSheet {
    pub fn is_balanced(&self) -> bool {
        self.total_liabilities.wide_add(self.total_equity) == Ok(self.total_assets)
    }
}

pub fn balance_sheet(totals: &[AccountTotals]) -> Result<BalanceSheet, OutOfRange> {
    let (assets, total_assets) = section(totals, |a| a.kind == AccountKind::Asset)?;
    let (liabilities, total_liabilities) = section(totals, |a| a.kind == AccountKind::Liability)?;
    let (equity, equity_accounts) = section(totals, |a| a.kind == AccountKind::Equity)?;
    let retained_earnings = profit_and_loss(totals)?.net_profit;
    Ok(BalanceSheet {
        assets,
        total_assets,
        liabilities,
        total_liabilities,
        equity,
        retained_earnings,
        total_equity: equity_accounts.wide_add(retained_earnings)?,
    })
}

/// One line of an account's activity, as read for a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityLine {
    pub entry_id: EntryId,
    pub date: Date,
    pub memo: String,
    pub side: Side,
    pub amount: Money,
}

/// A statement line with the account's balance after it, on the account's normal side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    pub line: ActivityLine,
    pub balance: Money,
}

/// Running balances for `lines`, starting from `before` (the balance just before the first).
pub fn running_balances(
    kind: AccountKind,
    before: Money,
    lines: Vec<ActivityLine>,
) -> Result<Vec<StatementLine>, OutOfRange> {
    let mut balance = before;
    lines
        .into_iter()
        .map(|line| {
            let grows = matches!(
                (kind.normal_side(), line.side),
                (NormalSide::Debit, Side::Debit) | (NormalSide::Credit, Side::Credit)
            );
            balance = if grows {
                balance.wide_add(line.amount)?
            } else {
                balance.wide_sub(line.amount)?
            };
            Ok(StatementLine { line, balance })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::AccountId;
    use crate::ledger::accounts::AccountCode;
    use crate::text::Name;

    fn account(id: i64, code: &str, kind: AccountKind) -> Account {
        Account {
            id: AccountId::new(id),
            code: AccountCode::new(code).unwrap(),
            name: Name::new(code).unwrap(),
            kind,
            active: true,
        }
    }

    fn totals(id: i64, code: &str, kind: AccountKind, debit: i64, credit: i64) -> AccountTotals {
        AccountTotals {
            account: account(id, code, kind),
            debit: Money::from_minor_units(debit),
            credit: Money::from_minor_units(credit),
        }
    }

    /// Opening 1000 cash from equity; sale 300 (cost 120) for cash; 20 discount; rent 50.
    fn books() -> Vec<AccountTotals> {
        vec![
            totals(1, codes::CASH, AccountKind::Asset, 1000 + 280, 50),
            totals(2, codes::INVENTORY, AccountKind::Asset, 500, 120),
            totals(3, codes::OWNERS_EQUITY, AccountKind::Equity, 0, 1500),
            totals(4, codes::SALES_REVENUE, AccountKind::Revenue, 0, 300),
            totals(5, codes::DISCOUNTS, AccountKind::Contra, 20, 0),
            totals(6, codes::COST_OF_GOODS_SOLD, AccountKind::Expense, 120, 0),
            totals(7, "6000", AccountKind::Expense, 50, 0),
        ]
    }

    #[test]
    fn the_trial_balance_of_balanced_books_balances() {
        let tb = trial_balance(&books()).unwrap();
        assert!(tb.is_balanced());
        assert_eq!(
            tb.total_debit,
            Money::from_minor_units(1230 + 380 + 20 + 120 + 50)
        );
        let equity = tb
            .rows
            .iter()
            .find(|r| r.account.code.as_str() == codes::OWNERS_EQUITY)
            .unwrap();
        assert_eq!(
            (equity.debit, equity.credit),
            (Money::ZERO, Money::from_minor_units(1500))
        );
    }

    #[test]
    fn profit_and_loss_separates_net_sales_cogs_and_expenses() {
        let pl = profit_and_loss(&books()).unwrap();
        assert_eq!(pl.total_revenue, Money::from_minor_units(300));
        assert_eq!(pl.net_sales, Money::from_minor_units(280));
        assert_eq!(pl.cost_of_goods_sold, Money::from_minor_units(120));
        assert_eq!(pl.gross_profit, Money::from_minor_units(160));
        assert_eq!(pl.total_expenses, Money::from_minor_units(50));
        assert_eq!(pl.net_profit, Money::from_minor_units(110));
        assert_eq!(pl.expenses.len(), 1, "COGS is not repeated among expenses");
    }

    #[test]
    fn the_balance_sheet_balances_with_retained_earnings() {
        let bs = balance_sheet(&books()).unwrap();
        assert_eq!(bs.total_assets, Money::from_minor_units(1230 + 380));
        assert_eq!(bs.retained_earnings, Money::from_minor_units(110));
        assert_eq!(bs.total_equity, Money::from_minor_units(1610));
        assert!(bs.is_balanced());
    }

    #[test]
    fn a_balance_past_64_bits_is_refused_not_wrapped() {
        let huge = Money::from_minor_units(i64::MAX);
        let mut books = books();
        books.push(AccountTotals {
            account: account(8, "1010", AccountKind::Asset),
            debit: huge,
            credit: Money::ZERO,
        });
        assert_eq!(trial_balance(&books), Err(OutOfRange));
        assert_eq!(
            balance_sheet(&books).map(|b| b.total_assets),
            Err(OutOfRange)
        );
    }

    #[test]
    fn running_balances_follow_the_normal_side() {
        let line = |side, cents| ActivityLine {
            entry_id: EntryId::new(1),
            date: time::macros::date!(2026 - 11 - 25),
            memo: String::new(),
            side,
            amount: Money::from_minor_units(cents),
        };
        let cash = running_balances(
            AccountKind::Asset,
            Money::from_minor_units(100),
            vec![line(Side::Debit, 50), line(Side::Credit, 200)],
        )
        .unwrap();
        assert_eq!(
            cash.iter()
                .map(|l| l.balance.minor_units())
                .collect::<Vec<_>>(),
            [150, -50]
        );
        let payable = running_balances(
            AccountKind::Liability,
            Money::ZERO,
            vec![line(Side::Credit, 70), line(Side::Debit, 20)],
        )
        .unwrap();
        assert_eq!(
            payable
                .iter()
                .map(|l| l.balance.minor_units())
                .collect::<Vec<_>>(),
            [70, 50]
        );
    }
}
