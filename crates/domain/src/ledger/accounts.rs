//! Accounts and their kinds.

use crate::ids::AccountId;
use crate::text::{Name, TextError};
use std::fmt;
use std::str::FromStr;

/// What an account records, which fixes its normal side and its place in the statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccountKind {
    /// What the shop owns: cash, wallets, receivables, inventory.
    Asset,
    /// What the shop owes: payables, tax collected.
    Liability,
    /// The owner's stake.
    Equity,
    /// Income from sales.
    Revenue,
    /// Contra-revenue: reduces revenue (sales returns, discounts). Debit-normal.
    Contra,
    /// Costs: cost of goods sold, shrinkage, rent, wages...
    Expense,
}

/// The side on which an account's balance normally grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NormalSide {
    Debit,
    Credit,
}

impl AccountKind {
    pub const ALL: [AccountKind; 6] = [
        AccountKind::Asset,
        AccountKind::Liability,
        AccountKind::Equity,
        AccountKind::Revenue,
        AccountKind::Contra,
        AccountKind::Expense,
    ];

    pub fn normal_side(self) -> NormalSide {
        match self {
            AccountKind::Asset | AccountKind::Contra | AccountKind::Expense => NormalSide::Debit,
            AccountKind::Liability | AccountKind::Equity | AccountKind::Revenue => {
                NormalSide::Credit
            }
        }
    }

    /// Balance-sheet accounts carry their balance across periods; the others are the period's
    /// profit and loss.
    pub fn is_balance_sheet(self) -> bool {
        matches!(
            self,
            AccountKind::Asset | AccountKind::Liability | AccountKind::Equity
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Asset => "asset",
            AccountKind::Liability => "liability",
            AccountKind::Equity => "equity",
            AccountKind::Revenue => "revenue",
            AccountKind::Contra => "contra",
            AccountKind::Expense => "expense",
        }
    }
}

impl fmt::Display for AccountKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AccountKind {
    type Err = crate::catalog::UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AccountKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| crate::catalog::UnknownValue(s.to_owned()))
    }
}

/// An account code such as `1000`: 1 to 16 digits, letters, `.` or `-`, unique in the chart.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountCode(String);

impl AccountCode {
    pub fn new(raw: &str) -> Result<Self, TextError> {
        let code = raw.trim();
        if code.is_empty() {
            return Err(TextError::Empty);
        }
        if code.len() > 16 {
            return Err(TextError::TooLong { max: 16 });
        }
        if !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        {
            return Err(TextError::Invalid(
                "may contain only letters, digits, '.' and '-'",
            ));
        }
        Ok(Self(code.to_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub code: AccountCode,
    pub name: Name,
    pub kind: AccountKind,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub code: AccountCode,
    pub name: Name,
    pub kind: AccountKind,
}
