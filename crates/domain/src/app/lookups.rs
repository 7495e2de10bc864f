//! Lookups every use case shares: an account or payment method named by its code, and the chart
//! by id for rendering lines.

use crate::ids::AccountId;
use crate::ledger::chart::{PostedBy, posted_only_by};
use crate::ledger::money_events::PaymentMethod;
use crate::ledger::{Account, AccountCode};
use crate::ports::LedgerRepo;
use crate::services::ServiceError;
use std::collections::HashMap;

/// Every account by id, to show codes and names next to the ids of journal lines.
pub type AccountIndex = HashMap<AccountId, Account>;

/// Every account by id.
pub async fn account_index<T: LedgerRepo + ?Sized>(
    tx: &mut T,
) -> Result<AccountIndex, ServiceError> {
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
) -> Result<Account, ServiceError> {
    let parsed = AccountCode::new(code).map_err(|e| ServiceError::invalid(field, e))?;
    tx.find_account_by_code(&parsed)
        .await?
        .ok_or_else(|| ServiceError::invalid(field, format!("no account has the code {code:?}")))
}

/// The account a manual posting (a payment, an opening entry) names: it must exist, be active
/// and be no control account, which only its own documents post (refused with the code of the
/// routes that do). `allow` is the one kind of control account the caller itself posts.
pub async fn manual_account<T: LedgerRepo + ?Sized>(
    tx: &mut T,
    field: &str,
    code: &str,
    allow: Option<PostedBy>,
) -> Result<Account, ServiceError> {
    let account = account_by_code(tx, field, code).await?;
    if let Some(posted_by) = posted_only_by(account.code.as_str())
        && Some(posted_by) != allow
    {
        return Err(ServiceError::Refused {
            code: posted_by.code(),
            field: field.to_owned(),
            message: format!(
                "Account {} ({}) is a control account: only {} post to it, so that the books \
                 stay in line with what backs them. Nothing was changed.",
                account.code,
                account.name,
                posted_by.routes()
            ),
        });
    }
    if !account.active {
        return Err(ServiceError::invalid(
            field,
            format!("account {} is inactive", account.code),
        ));
    }
    Ok(account)
}

/// The active payment method with this code, or a 422 on `field`.
pub async fn method_by_code<T: LedgerRepo + ?Sized>(
    tx: &mut T,
    field: &str,
    code: &str,
) -> Result<PaymentMethod, ServiceError> {
    match tx.find_payment_method(code).await? {
        Some(method) if method.active => Ok(method),
        _ => Err(ServiceError::invalid(
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
