//! Report use cases: the port's per-group totals combined into sales-less-returns figures.

use super::ServiceError;
use crate::ledger::DateRange;
use crate::ports::{LedgerRepo, ReportRepo};
use crate::reports::{
    FinancialSummary, GroupKey, Grouping, Performance, Period, SalesScope, financial_summary,
};
use std::collections::BTreeMap;

/// Sales and returns in `period`, per group; a group with only sales or only returns appears
/// with zeros on the other side.
pub async fn performance_by<T: ReportRepo + ?Sized>(
    tx: &mut T,
    period: Period,
    scope: &SalesScope,
    by: Grouping,
) -> Result<BTreeMap<GroupKey, Performance>, ServiceError> {
    let mut groups: BTreeMap<GroupKey, Performance> = BTreeMap::new();
    for (key, sold) in tx.sales_by(period, scope, by).await? {
        groups.entry(key).or_default().sold = sold;
    }
    for (key, returned) in tx.returns_by(period, scope, by).await? {
        groups.entry(key).or_default().returned = returned;
    }
    Ok(groups)
}

/// The whole period's figures. Summed over days, whose groups never share a sale, so the
/// counts of sales and returns stay exact.
pub async fn performance<T: ReportRepo + ?Sized>(
    tx: &mut T,
    period: Period,
    scope: &SalesScope,
) -> Result<Performance, ServiceError> {
    let mut total = Performance::default();
    for p in performance_by(tx, period, scope, Grouping::Day)
        .await?
        .values()
    {
        total
            .add(p)
            .map_err(|_| ServiceError::out_of_range("total"))?;
    }
    Ok(total)
}

/// What customers owe and what the shop owes suppliers now: the receivables and payables
/// balances of the books (which the integrity check holds equal to the open dues).
pub async fn dues<T: LedgerRepo + ?Sized>(
    tx: &mut T,
) -> Result<(crate::Money, crate::Money), ServiceError> {
    let totals = tx.account_totals(DateRange::default()).await?;
    let balance = |code: &str| {
        totals
            .iter()
            .find(|t| t.account.code.as_str() == code)
            .map_or(Ok(crate::Money::ZERO), |t| t.balance())
    };
    Ok((
        balance(crate::ledger::chart::codes::ACCOUNTS_RECEIVABLE)?,
        balance(crate::ledger::chart::codes::ACCOUNTS_PAYABLE)?,
    ))
}

/// The financial summary: the counter's figures and the books' other income and expenses, at
/// `locations` (empty: the whole company).
pub async fn summary<T: LedgerRepo + ReportRepo + ?Sized>(
    tx: &mut T,
    period: Period,
    locations: &[crate::ids::LocationId],
) -> Result<FinancialSummary, ServiceError> {
    let scope = SalesScope {
        locations: locations.to_vec(),
        ..SalesScope::default()
    };
    let counter = performance(tx, period, &scope).await?;
    let range = DateRange {
        from: Some(period.from()),
        to: Some(period.to()),
    };
    let books = tx.account_totals_at(range, locations).await?;
    Ok(financial_summary(period, &counter, &books)?)
}
