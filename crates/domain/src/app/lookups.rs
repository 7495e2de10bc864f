//! Lookups every use case shares: an account or payment method named by its code, and the chart
//! by id for rendering lines.

use crate::code::Code;
use crate::error::StoreError;
use crate::ids::AccountId;
use crate::ledger::chart::{PostedBy, posted_only_by};
use crate::ledger::money_events::PaymentMethod;
use crate::ledger::{Account, AccountCode};
use crate::ports::LedgerRepo;
use crate::services::ServiceError;
use crate::services::error::Refusal;
use std::collections::HashMap;

/// Every account by id, to show codes and names next to the ids of journal lines.
pub type AccountIndex = HashMap<AccountId, Account>;

/// Every account by id.
pub async fn account_index<T: LedgerRepo + ?Sized>(tx: &mut T) -> Result<AccountIndex, Refusal> {
    Ok(tx
        .list_accounts()
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect())
}

/// The account with this code, or a 422 on `field`.
pub async fn account_by_code<T: LedgerRepo + ?Sized>(
    tx: &mut T,
    field: &str,
    code: &str,
) -> Result<Account, Refusal> {
    let parsed = AccountCode::new(code).map_err(|e| Refusal::invalid(field, e))?;
    tx.find_account_by_code(&parsed)
        .await?
        .ok_or_else(|| Refusal::invalid(field, format!("no account has the code {code:?}")))
}

/// The account a manual posting (a payment, an opening entry) names: it must exist, be active
/// and be no control account, which only its own documents post (refused with the code of the
/// routes that do). `allow` is the one kind of control account the caller itself posts.
pub async fn manual_account<T: LedgerRepo + ?Sized>(
    tx: &mut T,
    field: &str,
    code: &str,
    allow: Option<PostedBy>,
) -> Result<Account, ManualAccountError> {
    let account = account_by_code(tx, field, code).await?;
    if let Some(posted_by) = posted_only_by(account.code.as_str())
        && Some(posted_by) != allow
    {
        return Err(ManualAccountError::ControlAccount(ControlAccount {
            posted_by,
            field: field.to_owned(),
            account: account.code.to_string(),
            name: account.name.to_string(),
        }));
    }
    if !account.active {
        return Err(
            Refusal::invalid(field, format!("account {} is inactive", account.code)).into(),
        );
    }
    Ok(account)
}

/// A manual posting names a control account, which only its own documents post (422 with the
/// code of the routes that do, on the field naming it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "Account {account} ({name}) is a control account: only {} post to it, so that the books \
     stay in line with what backs them. Nothing was changed.",
    posted_by.routes()
)]
pub struct ControlAccount {
    pub posted_by: PostedBy,
    pub field: String,
    /// The account's code and name.
    pub account: String,
    pub name: String,
}

impl ControlAccount {
    pub fn code(&self) -> Code {
        self.posted_by.code()
    }
}

impl From<ControlAccount> for ServiceError {
    fn from(e: ControlAccount) -> Self {
        ServiceError::Refused {
            code: e.code(),
            message: e.to_string(),
            field: e.field,
        }
    }
}

/// Why the account of a manual posting is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManualAccountError {
    #[error(transparent)]
    ControlAccount(#[from] ControlAccount),
    #[error(transparent)]
    Refusal(#[from] Refusal),
}

impl From<StoreError> for ManualAccountError {
    fn from(e: StoreError) -> Self {
        ManualAccountError::Refusal(e.into())
    }
}

impl From<ManualAccountError> for ServiceError {
    fn from(e: ManualAccountError) -> Self {
        match e {
            ManualAccountError::ControlAccount(e) => e.into(),
            ManualAccountError::Refusal(e) => e.into(),
        }
    }
}

/// The active payment method with this code, or a 422 on `field`.
pub async fn method_by_code<T: LedgerRepo + ?Sized>(
    tx: &mut T,
    field: &str,
    code: &str,
) -> Result<PaymentMethod, Refusal> {
    match tx.find_payment_method(code).await? {
        Some(method) if method.active => Ok(method),
        _ => Err(Refusal::invalid(
            field,
            format!("{code:?} is not an active payment method; see GET /api/payment-methods"),
        )),
    }
}

/// A filter by payment method code: `Some(None)` for no filter, `Some(Some(id))` for a known
/// method, `None` when the code names no method (so nothing matches).
pub async fn method_filter<T: LedgerRepo + ?Sized>(
    tx: &mut T,
    code: Option<&str>,
) -> Result<Option<Option<crate::ids::PaymentMethodId>>, ServiceError> {
    match code {
        None => Ok(Some(None)),
        Some(code) => Ok(tx.find_payment_method(code).await?.map(|m| Some(m.id))),
    }
}
