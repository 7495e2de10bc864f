//! The books over HTTP: accounts, the journal, payments, expenses and the financial reports.

pub mod accounts;
pub mod expenses;
pub mod journal;
pub mod payments;
pub mod reports;

use crate::problem::ApiError;
use pos_domain::ids::AccountId;
use pos_domain::ledger::chart::{PostedBy, posted_only_by};
use pos_domain::ledger::money_events::PaymentMethod;
use pos_domain::ledger::{Account, AccountCode, AccountKind};
use pos_domain::ports::Tx;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::Date;
use utoipa::ToSchema;

/// What an account records: `asset`, `liability`, `equity`, `revenue`, `contra` (reduces
/// revenue: returns, discounts) or `expense`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AccountKindDto {
    Asset,
    Liability,
    Equity,
    Revenue,
    Contra,
    Expense,
}

impl From<AccountKindDto> for AccountKind {
    fn from(k: AccountKindDto) -> Self {
        match k {
            AccountKindDto::Asset => AccountKind::Asset,
            AccountKindDto::Liability => AccountKind::Liability,
            AccountKindDto::Equity => AccountKind::Equity,
            AccountKindDto::Revenue => AccountKind::Revenue,
            AccountKindDto::Contra => AccountKind::Contra,
            AccountKindDto::Expense => AccountKind::Expense,
        }
    }
}

impl From<AccountKind> for AccountKindDto {
    fn from(k: AccountKind) -> Self {
        match k {
            AccountKind::Asset => AccountKindDto::Asset,
            AccountKind::Liability => AccountKindDto::Liability,
            AccountKind::Equity => AccountKindDto::Equity,
            AccountKind::Revenue => AccountKindDto::Revenue,
            AccountKind::Contra => AccountKindDto::Contra,
            AccountKind::Expense => AccountKindDto::Expense,
        }
    }
}

/// An account of the chart.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountRef {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: AccountKindDto,
}

impl From<&Account> for AccountRef {
    fn from(a: &Account) -> Self {
        Self {
            id: a.id.get(),
            code: a.code.to_string(),
            name: a.name.to_string(),
            kind: a.kind.into(),
        }
    }
}

/// Every account by id, to show codes and names next to ids.
pub async fn account_index(tx: &mut dyn Tx) -> Result<HashMap<AccountId, Account>, ApiError> {
    Ok(tx
        .list_accounts()
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect())
}

/// The account with this code, or a 422 on `field`.
pub async fn account_by_code(
    tx: &mut dyn Tx,
    field: &str,
    code: &str,
) -> Result<Account, ApiError> {
    let parsed = AccountCode::new(code).map_err(|e| ApiError::validation(field, e))?;
    tx.find_account_by_code(&parsed)
        .await?
        .ok_or_else(|| ApiError::validation(field, format!("no account has the code {code:?}")))
}

/// The account a manual posting (a payment, an opening entry) names: it must exist, be active
/// and be no control account, which only its own documents post (422 with the code of the
/// routes that do). `allow` is the one kind of control account the route itself posts.
pub async fn manual_account(
    tx: &mut dyn Tx,
    field: &str,
    code: &str,
    allow: Option<PostedBy>,
) -> Result<Account, ApiError> {
    let account = account_by_code(tx, field, code).await?;
    if let Some(posted_by) = posted_only_by(account.code.as_str())
        && Some(posted_by) != allow
    {
        return Err(ApiError::refused(
            posted_by.code(),
            field,
            format!(
                "Account {} ({}) is a control account: only {} post to it, so that the books \
                 stay in line with what backs them. Nothing was changed.",
                account.code,
                account.name,
                posted_by.routes()
            ),
        ));
    }
    if !account.active {
        return Err(ApiError::validation(
            field,
            format!("account {} is inactive", account.code),
        ));
    }
    Ok(account)
}

/// The active payment method with this code, or a 422 on `field`.
pub async fn method_by_code(
    tx: &mut dyn Tx,
    field: &str,
    code: &str,
) -> Result<PaymentMethod, ApiError> {
    match tx.find_payment_method(code).await? {
        Some(method) if method.active => Ok(method),
        _ => Err(ApiError::validation(
            field,
            format!("{code:?} is not an active payment method; see GET /api/payment-methods"),
        )),
    }
}

/// How far back a document may be dated: twenty years. Every account's day totals have a
/// ceiling, so this bounds every balance to twenty years of them, which a 64-bit sum holds
/// exactly (see `pos_domain::money::MAX_MINOR_UNITS`).
pub const MAX_BACKDATE_DAYS: i64 = 20 * 366;

/// A document's date: today (the shop's calendar) when none is given, else the given date if
/// it is at most twenty years back and at most one day ahead; 422 on `date` otherwise.
pub fn document_date(state: &crate::state::AppState, date: Option<Date>) -> Result<Date, ApiError> {
    let today = today(state);
    let Some(date) = date else {
        return Ok(today);
    };
    let earliest = today - time::Duration::days(MAX_BACKDATE_DAYS);
    let latest = today + time::Duration::days(1);
    if date < earliest || date > latest {
        return Err(ApiError::validation(
            "date",
            format!(
                "a document is dated from {earliest} to {latest}: at most twenty years back and \
                 one day ahead of today on the shop's calendar"
            ),
        ));
    }
    Ok(date)
}

/// Today, for entries posted without a date.
pub fn today(state: &crate::state::AppState) -> Date {
    state.now().to_offset(state.settings.shop_offset).date()
}
