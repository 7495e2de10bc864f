//! The financial reports, from per-account sums (summed by the store, presented by
//! `crate::ledger::reports`): balances, trial balance, profit and loss, balance sheet, and an
//! account's statement with running balances.

use crate::app::{App, AppResult};
use crate::ids::AccountId;
use crate::ledger::reports::{
    self, AccountTotals, BalanceSheet, ProfitAndLoss, StatementLine, TrialBalance,
};
use crate::ledger::{Account, DateRange};
use crate::money::Money;
use crate::paging::PageRequest;
use crate::services::ServiceError;
use time::Date;

/// One page of an account's statement.
#[derive(Debug, Clone)]
pub struct StatementQuery {
    pub account: AccountId,
    /// First day, inclusive (default: the first entry).
    pub from: Option<Date>,
    /// Last day, inclusive (default: the last entry).
    pub to: Option<Date>,
    pub page: PageRequest,
}

/// An account's lines in date order, each with the balance after it.
#[derive(Debug, Clone)]
pub struct Statement {
    pub account: Account,
    /// The balance before `from` (zero without `from`), on the account's normal side.
    pub opening_balance: Money,
    /// The balance just before this page's first line.
    pub balance_before_page: Money,
    pub lines: Vec<StatementLine>,
    pub page: PageRequest,
    /// Lines of the account in the range, across all pages.
    pub total: u64,
}

fn up_to(as_of: Option<Date>) -> DateRange {
    DateRange {
        from: None,
        to: as_of,
    }
}

impl App {
    async fn ledger_totals(&self, range: DateRange) -> AppResult<Vec<AccountTotals>> {
        self.read(async |tx| Ok(tx.account_totals(range).await?))
            .await
    }

    /// Every account's debit and credit sums over entries dated up to `as_of` (all without
    /// it), ordered by code; each knows its balance on its normal side.
    pub async fn account_balances(&self, as_of: Option<Date>) -> AppResult<Vec<AccountTotals>> {
        self.ledger_totals(up_to(as_of)).await
    }

    /// The trial balance as of a date (all entries without one).
    pub async fn trial_balance(&self, as_of: Option<Date>) -> AppResult<TrialBalance> {
        let totals = self.ledger_totals(up_to(as_of)).await?;
        Ok(reports::trial_balance(&totals)?)
    }

    /// Profit and loss from the entries dated `from` to `to`, inclusive, of the lines that
    /// belong to `locations` (empty: the whole company). Refuses a period that ends before it
    /// starts (invalid `from`).
    pub async fn profit_and_loss(
        &self,
        from: Date,
        to: Date,
        locations: &[crate::ids::LocationId],
    ) -> AppResult<ProfitAndLoss> {
        if from > to {
            return Err(ServiceError::invalid("from", "must not be after `to`"));
        }
        let range = DateRange {
            from: Some(from),
            to: Some(to),
        };
        let totals = self
            .read(async |tx| Ok(tx.account_totals_at(range, locations).await?))
            .await?;
        Ok(reports::profit_and_loss(&totals)?)
    }

    /// The balance sheet as of a date (all entries without one).
    pub async fn balance_sheet(&self, as_of: Option<Date>) -> AppResult<BalanceSheet> {
        let totals = self.ledger_totals(up_to(as_of)).await?;
        Ok(reports::balance_sheet(&totals)?)
    }

    /// One page of an account's statement: its lines in the range in ledger order with the
    /// running balance, the balance before the range and before the page. Not found when no
    /// account has the id.
    pub async fn account_statement(&self, query: StatementQuery) -> AppResult<Statement> {
        self.read(async |tx| {
            let account = tx
                .find_account(query.account)
                .await?
                .ok_or(ServiceError::NotFound("account"))?;
            let range = DateRange {
                from: query.from,
                to: query.to,
            };
            let activity = tx.account_activity(account.id, range, query.page).await?;
            let opening_balance = match query.from {
                Some(from) => tx
                    .account_totals(up_to(from.previous_day()))
                    .await?
                    .into_iter()
                    .find(|t| t.account.id == account.id)
                    .map_or(Ok(Money::ZERO), |t| t.balance())?,
                None => Money::ZERO,
            };
            let balance_before_page = AccountTotals {
                account: account.clone(),
                debit: activity.debit_before,
                credit: activity.credit_before,
            }
            .balance()?;
            let lines =
                reports::running_balances(account.kind, balance_before_page, activity.lines)?;
            Ok(Statement {
                account,
                opening_balance,
                balance_before_page,
                lines,
                page: query.page,
                total: activity.total,
            })
        })
        .await
    }
}
