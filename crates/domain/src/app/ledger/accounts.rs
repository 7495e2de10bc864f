//! The chart of accounts, payment methods and expense categories: data a shop can extend.

use crate::app::lookups::{AccountIndex, account_index, manual_account};
use crate::app::{App, AppResult};
use crate::ledger::accounts::NewAccount;
use crate::ledger::money_events::{
    ExpenseCategory, NewExpenseCategory, NewPaymentMethod, PaymentMethod,
};
use crate::ledger::{Account, AccountKind};
use crate::services::ServiceError;
use crate::text::Name;

/// Add a payment method, mapped by code to the asset account its money lands in.
#[derive(Debug, Clone)]
pub struct NewMethod {
    /// The code clients send as `method` (checked by the caller: a-z, 0-9, `_`, `-`).
    pub code: String,
    pub name: Name,
    /// The code of an active asset account that is no control account.
    pub account_code: String,
}

/// Add an expense category, mapped by code to the expense account it posts to.
#[derive(Debug, Clone)]
pub struct NewCategory {
    pub name: Name,
    /// The code of an active expense account that is no control account.
    pub account_code: String,
}

/// Payment methods with the chart, to render each method's account.
#[derive(Debug, Clone)]
pub struct Methods {
    pub methods: Vec<PaymentMethod>,
    pub accounts: AccountIndex,
}

/// Expense categories with the chart, to render each category's account.
#[derive(Debug, Clone)]
pub struct Categories {
    pub categories: Vec<ExpenseCategory>,
    pub accounts: AccountIndex,
}

impl App {
    /// The chart of accounts, ordered by code.
    pub async fn accounts(&self) -> AppResult<Vec<Account>> {
        self.read(async |tx| Ok(tx.list_accounts().await?)).await
    }

    /// Adds an account to the chart. A taken code is refused by the store (`Duplicate`).
    pub async fn create_account(&self, command: NewAccount) -> AppResult<Account> {
        self.write(async |tx| Ok(tx.insert_account(command).await?))
            .await
    }

    /// Every payment method, ordered by code, with the chart.
    pub async fn payment_methods(&self) -> AppResult<Methods> {
        self.read(async |tx| {
            let accounts = account_index(tx).await?;
            let methods = tx.list_payment_methods().await?;
            Ok(Methods { methods, accounts })
        })
        .await
    }

    /// Adds a payment method. Its account must exist, be active, be no control account and be
    /// an asset account (invalid `account_code` otherwise); a taken code is refused by the
    /// store (`Duplicate`). Answers the method and the chart.
    pub async fn create_payment_method(
        &self,
        command: NewMethod,
    ) -> AppResult<(PaymentMethod, AccountIndex)> {
        self.write(async |tx| {
            let account = manual_account(tx, "account_code", &command.account_code, None).await?;
            if account.kind != AccountKind::Asset {
                return Err(ServiceError::invalid(
                    "account_code",
                    "must be an asset account: money paid by this method lands there",
                ));
            }
            let method = tx
                .insert_payment_method(NewPaymentMethod {
                    code: command.code,
                    name: command.name,
                    account_id: account.id,
                })
                .await?;
            Ok((method, account_index(tx).await?))
        })
        .await
    }

    /// Every expense category, ordered by name, with the chart.
    pub async fn expense_categories(&self) -> AppResult<Categories> {
        self.read(async |tx| {
            let accounts = account_index(tx).await?;
            let categories = tx.list_expense_categories().await?;
            Ok(Categories {
                categories,
                accounts,
            })
        })
        .await
    }

    /// Adds an expense category. Its account must exist, be active, be no control account and
    /// be an expense account (invalid `account_code` otherwise); a taken name is refused by the
    /// store (`Duplicate`). Answers the category and the chart.
    pub async fn create_expense_category(
        &self,
        command: NewCategory,
    ) -> AppResult<(ExpenseCategory, AccountIndex)> {
        self.write(async |tx| {
            let account = manual_account(tx, "account_code", &command.account_code, None).await?;
            if account.kind != AccountKind::Expense {
                return Err(ServiceError::invalid(
                    "account_code",
                    "must be an expense account",
                ));
            }
            let category = tx
                .insert_expense_category(NewExpenseCategory {
                    name: command.name,
                    account_id: account.id,
                })
                .await?;
            Ok((category, account_index(tx).await?))
        })
        .await
    }
}
