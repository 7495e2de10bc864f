//! The books over HTTP: accounts, the journal, payments, expenses and the financial reports.

use pos_domain::ledger::{Account, AccountKind};
use serde::{Deserialize, Serialize};
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

pub mod accounts;
pub mod expenses;
pub mod journal;
pub mod payments;
pub mod reports;
