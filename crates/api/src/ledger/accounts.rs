//! The chart of accounts, payment methods and expense categories: data a shop can extend.

use super::{AccountKindDto, AccountRef};
use crate::problem::Unrenderable;
use garde::Validate;
use pos_domain::app::AccountIndex;
use pos_domain::ledger::money_events::{ExpenseCategory, PaymentMethod};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountInput {
    /// Unique code, e.g. `1040`: letters, digits, `.` and `-`.
    #[garde(length(chars, min = 1, max = 16))]
    #[schema(
        min_length = 1,
        max_length = 16,
        pattern = "^\\s*[A-Za-z0-9.-]{1,16}\\s*$"
    )]
    #[schema(example = "1040")]
    pub code: String,
    #[garde(length(chars, min = 1, max = 120))]
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    )]
    #[schema(example = "Rocket wallet")]
    pub name: String,
    #[garde(skip)]
    pub kind: AccountKindDto,
}

/// A way to pay and the account its money lands in.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentMethodView {
    pub id: i64,
    /// What clients send as `method`, e.g. `cash`.
    pub code: String,
    pub name: String,
    pub account: AccountRef,
    pub active: bool,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentMethodInput {
    /// Lower-case letters, digits, `_` and `-`, e.g. `rocket`.
    #[garde(length(chars, min = 1, max = 32))]
    #[schema(min_length = 1, max_length = 32, pattern = "^[a-z0-9_-]{1,32}$")]
    #[schema(example = "rocket")]
    pub code: String,
    #[garde(length(chars, min = 1, max = 120))]
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    )]
    #[schema(example = "Rocket")]
    pub name: String,
    /// An asset account that holds this money (create it first with POST /api/accounts).
    #[garde(length(chars, min = 1, max = 16))]
    #[schema(
        min_length = 1,
        max_length = 16,
        pattern = "^\\s*[A-Za-z0-9.-]{1,16}\\s*$"
    )]
    #[schema(example = "1040")]
    pub account_code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExpenseCategoryView {
    pub id: i64,
    pub name: String,
    pub account: AccountRef,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpenseCategoryInput {
    #[garde(length(chars, min = 1, max = 120))]
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    )]
    #[schema(example = "Internet")]
    pub name: String,
    /// The expense account it posts to.
    #[garde(length(chars, min = 1, max = 16))]
    #[schema(
        min_length = 1,
        max_length = 16,
        pattern = "^\\s*[A-Za-z0-9.-]{1,16}\\s*$"
    )]
    #[schema(example = "6010")]
    pub account_code: String,
}

/// The spelling of a code clients send back (a payment method's, a cash reason's): lower-case
/// letters, digits, `_` and `-`.
pub fn data_code(code: &str) -> Result<(), &'static str> {
    if code
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-'))
    {
        Ok(())
    } else {
        Err("may contain only a-z, 0-9, '_' and '-'")
    }
}

pub fn method_view(
    method: PaymentMethod,
    accounts: &AccountIndex,
) -> Result<PaymentMethodView, Unrenderable> {
    let account = accounts
        .get(&method.account_id)
        .ok_or_else(|| Unrenderable::broken("payment method without account"))?;
    Ok(PaymentMethodView {
        id: method.id.get(),
        code: method.code,
        name: method.name.into_inner(),
        account: account.into(),
        active: method.active,
    })
}

pub fn category_view(
    c: ExpenseCategory,
    accounts: &AccountIndex,
) -> Result<ExpenseCategoryView, Unrenderable> {
    let account = accounts
        .get(&c.account_id)
        .ok_or_else(|| Unrenderable::broken("expense category without account"))?;
    Ok(ExpenseCategoryView {
        id: c.id.get(),
        name: c.name.into_inner(),
        account: account.into(),
    })
}
