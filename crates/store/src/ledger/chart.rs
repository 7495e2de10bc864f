//! The chart of accounts, and the payment methods and expense categories mapped onto it.

use crate::catalog::name_key;
use crate::entities::{accounts, expense_categories, payment_methods};
use crate::errors::{corrupt, db_err, missing_reference};
use pos_domain::StoreError;
use pos_domain::ids::{AccountId, ExpenseCategoryId, PaymentMethodId};
use pos_domain::ledger::accounts::NewAccount;
use pos_domain::ledger::money_events::{
    ExpenseCategory, NewExpenseCategory, NewPaymentMethod, PaymentMethod,
};
use pos_domain::ledger::{Account, AccountCode, AccountKind};
use pos_domain::text::Name;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use std::collections::BTreeSet;

use accounts::Column as A;
use expense_categories::Column as X;
use payment_methods::Column as M;

fn to_account(row: accounts::Model) -> Result<Account, StoreError> {
    Ok(Account {
        id: AccountId::new(row.id),
        code: AccountCode::new(&row.code).map_err(|e| corrupt("account code", e))?,
        name: Name::new(&row.name).map_err(|e| corrupt("account name", e))?,
        kind: row
            .kind
            .parse::<AccountKind>()
            .map_err(|e| corrupt("account kind", e))?,
        active: row.active,
    })
}

fn to_method(row: payment_methods::Model) -> Result<PaymentMethod, StoreError> {
    Ok(PaymentMethod {
        id: PaymentMethodId::new(row.id),
        code: row.code,
        name: Name::new(&row.name).map_err(|e| corrupt("payment method name", e))?,
        account_id: AccountId::new(row.account_id),
        active: row.active,
    })
}

fn to_category(row: expense_categories::Model) -> Result<ExpenseCategory, StoreError> {
    Ok(ExpenseCategory {
        id: ExpenseCategoryId::new(row.id),
        name: Name::new(&row.name).map_err(|e| corrupt("expense category name", e))?,
        account_id: AccountId::new(row.account_id),
    })
}

/// `MissingReference("account_id")` unless every account exists. Checked before writing, in one
/// query, because SQLite's foreign-key error does not say which key failed; the foreign keys
/// stay as the backstop.
pub(crate) async fn ensure_accounts_exist(
    conn: &DatabaseTransaction,
    ids: impl IntoIterator<Item = AccountId>,
) -> Result<(), StoreError> {
    let wanted: BTreeSet<i64> = ids.into_iter().map(AccountId::get).collect();
    let found = accounts::Entity::find()
        .filter(A::Id.is_in(wanted.iter().copied()))
        .count(conn)
        .await
        .map_err(db_err)?;
    if found == wanted.len() as u64 {
        Ok(())
    } else {
        Err(StoreError::MissingReference("account_id"))
    }
}

pub(crate) async fn insert_account(
    conn: &DatabaseTransaction,
    new: NewAccount,
) -> Result<Account, StoreError> {
    let row = accounts::ActiveModel {
        id: NotSet,
        code: Set(new.code.as_str().to_owned()),
        name: Set(new.name.as_str().to_owned()),
        kind: Set(new.kind.as_str().to_owned()),
        active: Set(true),
    };
    let id = accounts::Entity::insert(row)
        .exec(conn)
        .await
        .map_err(db_err)?
        .last_insert_id;
    Ok(Account {
        id: AccountId::new(id),
        code: new.code,
        name: new.name,
        kind: new.kind,
        active: true,
    })
}

/// Every account, by code (codes are upper-case ASCII, so byte order is the natural order on
/// both backends).
pub(crate) async fn list_accounts(conn: &DatabaseTransaction) -> Result<Vec<Account>, StoreError> {
    accounts::Entity::find()
        .order_by_asc(A::Code)
        .all(conn)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(to_account)
        .collect()
}

pub(crate) async fn find_account(
    conn: &DatabaseTransaction,
    id: AccountId,
) -> Result<Option<Account>, StoreError> {
    accounts::Entity::find_by_id(id.get())
        .one(conn)
        .await
        .map_err(db_err)?
        .map(to_account)
        .transpose()
}

pub(crate) async fn find_account_by_code(
    conn: &DatabaseTransaction,
    code: &AccountCode,
) -> Result<Option<Account>, StoreError> {
    accounts::Entity::find()
        .filter(A::Code.eq(code.as_str()))
        .one(conn)
        .await
        .map_err(db_err)?
        .map(to_account)
        .transpose()
}

pub(crate) async fn insert_payment_method(
    conn: &DatabaseTransaction,
    new: NewPaymentMethod,
) -> Result<PaymentMethod, StoreError> {
    ensure_accounts_exist(conn, [new.account_id]).await?;
    let row = payment_methods::ActiveModel {
        id: NotSet,
        code: Set(new.code.clone()),
        name: Set(new.name.as_str().to_owned()),
        account_id: Set(new.account_id.get()),
        active: Set(true),
    };
    let id = payment_methods::Entity::insert(row)
        .exec(conn)
        .await
        .map_err(missing_reference)?
        .last_insert_id;
    Ok(PaymentMethod {
        id: PaymentMethodId::new(id),
        code: new.code,
        name: new.name,
        account_id: new.account_id,
        active: true,
    })
}

pub(crate) async fn list_payment_methods(
    conn: &DatabaseTransaction,
) -> Result<Vec<PaymentMethod>, StoreError> {
    payment_methods::Entity::find()
        .order_by_asc(M::Code)
        .all(conn)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(to_method)
        .collect()
}

pub(crate) async fn find_payment_method(
    conn: &DatabaseTransaction,
    code: &str,
) -> Result<Option<PaymentMethod>, StoreError> {
    payment_methods::Entity::find()
        .filter(M::Code.eq(code))
        .one(conn)
        .await
        .map_err(db_err)?
        .map(to_method)
        .transpose()
}

pub(crate) async fn insert_expense_category(
    conn: &DatabaseTransaction,
    new: NewExpenseCategory,
) -> Result<ExpenseCategory, StoreError> {
    ensure_accounts_exist(conn, [new.account_id]).await?;
    let row = expense_categories::ActiveModel {
        id: NotSet,
        name: Set(new.name.as_str().to_owned()),
        name_key: Set(name_key(&new.name)),
        account_id: Set(new.account_id.get()),
    };
    let id = expense_categories::Entity::insert(row)
        .exec(conn)
        .await
        .map_err(missing_reference)?
        .last_insert_id;
    Ok(ExpenseCategory {
        id: ExpenseCategoryId::new(id),
        name: new.name,
        account_id: new.account_id,
    })
}

/// Every expense category, by name ignoring (ASCII) case: the folded key is unique, so the
/// order is total.
pub(crate) async fn list_expense_categories(
    conn: &DatabaseTransaction,
) -> Result<Vec<ExpenseCategory>, StoreError> {
    expense_categories::Entity::find()
        .order_by_asc(X::NameKey)
        .all(conn)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(to_category)
        .collect()
}

pub(crate) async fn find_expense_category(
    conn: &DatabaseTransaction,
    id: ExpenseCategoryId,
) -> Result<Option<ExpenseCategory>, StoreError> {
    expense_categories::Entity::find_by_id(id.get())
        .one(conn)
        .await
        .map_err(db_err)?
        .map(to_category)
        .transpose()
}
