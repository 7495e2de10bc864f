//! Seeds the chart of accounts, payment methods, expense categories and cash reasons into empty
//! books.
//! Idempotent: what exists (matched by code or name) is left alone, so a shop's own changes
//! survive a restart.

use super::accounts::{AccountCode, NewAccount};
use super::chart;
use super::money_events::{NewExpenseCategory, NewPaymentMethod};
use crate::error::StoreError;
use crate::ports::Tx;
use crate::text::Name;

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the built-in chart is invalid: {0}")]
    Chart(String),
}

pub async fn ensure_chart(tx: &mut dyn Tx) -> Result<(), SeedError> {
    let invalid = |e: crate::text::TextError| SeedError::Chart(e.to_string());
    for (code, name, kind) in chart::ACCOUNTS {
        let code = AccountCode::new(code).map_err(invalid)?;
        if tx.find_account_by_code(&code).await?.is_none() {
            let name = Name::new(name).map_err(invalid)?;
            tx.insert_account(NewAccount {
                code,
                name,
                kind: *kind,
            })
            .await?;
        }
    }
    for (code, name, account) in chart::PAYMENT_METHODS {
        if tx.find_payment_method(code).await?.is_none() {
            let account = tx
                .find_account_by_code(&AccountCode::new(account).map_err(invalid)?)
                .await?
                .ok_or_else(|| SeedError::Chart(format!("no account {account}")))?;
            let method = NewPaymentMethod {
                code: (*code).to_owned(),
                name: Name::new(name).map_err(invalid)?,
                account_id: account.id,
            };
            tx.insert_payment_method(method).await?;
        }
    }
    let existing = tx.list_expense_categories().await?;
    for (name, account) in chart::EXPENSE_CATEGORIES {
        if !existing.iter().any(|c| c.name.as_str() == *name) {
            let account = tx
                .find_account_by_code(&AccountCode::new(account).map_err(invalid)?)
                .await?
                .ok_or_else(|| SeedError::Chart(format!("no account {account}")))?;
            let category = NewExpenseCategory {
                name: Name::new(name).map_err(invalid)?,
                account_id: account.id,
            };
            tx.insert_expense_category(category).await?;
        }
    }
    let reasons = tx.cash_reasons().await?;
    for (code, name, direction, account) in crate::cash::REASONS {
        if !reasons.iter().any(|r| r.code == *code) {
            let account = tx
                .find_account_by_code(&AccountCode::new(account).map_err(invalid)?)
                .await?
                .ok_or_else(|| SeedError::Chart(format!("no account {account}")))?;
            let reason = crate::ports::cash::NewCashReason {
                code: (*code).to_owned(),
                name: (*name).to_owned(),
                direction: *direction,
                account_id: account.id,
            };
            tx.insert_cash_reason(reason).await?;
        }
    }
    Ok(())
}
