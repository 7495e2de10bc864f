//! Expenses: money spent, by category and payment method. Their journal entry finds them
//! through its source; nothing here points at the entry.

use super::encoding::{from_day, in_days, to_day};
use crate::entities::expenses;
use crate::errors::{corrupt, db_err, missing_reference};
use crate::paging::{fetch_dated_page, try_map_page};
use crate::sums::sum_i64;
use crate::timestamps::{as_stored, from_micros, to_micros};
use pos_domain::ids::{EntryId, ExpenseCategoryId, ExpenseId, PaymentMethodId, UserId};
use pos_domain::ledger::money_events::{Expense, ExpenseDraft, ExpenseFilter, ExpenseVoid};
use pos_domain::paging::{ListQuery, Page};
use pos_domain::text::Name;
use pos_domain::{Money, StoreError};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect,
};
use time::OffsetDateTime;

use expenses::Column as X;

fn to_expense(row: expenses::Model) -> Result<Expense, StoreError> {
    Ok(Expense {
        id: ExpenseId::new(row.id),
        title: Name::new(&row.title).map_err(|e| corrupt("expense title", e))?,
        amount: Money::from_minor_units(row.amount_cents),
        category_id: ExpenseCategoryId::new(row.category_id),
        method_id: PaymentMethodId::new(row.method_id),
        date: from_day(row.expense_date)?,
        note: row.note,
        user_id: UserId::new(row.user_id),
        created_at: from_micros(row.created_at)?,
        voided: match (row.voided_at, row.void_entry_id) {
            (Some(at), Some(entry)) => Some(ExpenseVoid {
                at: from_micros(at)?,
                entry_id: EntryId::new(entry),
            }),
            _ => None,
        },
    })
}

pub(crate) async fn insert(
    conn: &DatabaseTransaction,
    draft: &ExpenseDraft,
    at: OffsetDateTime,
) -> Result<Expense, StoreError> {
    let row = expenses::ActiveModel {
        id: NotSet,
        title: Set(draft.title.as_str().to_owned()),
        amount_cents: Set(draft.amount.minor_units()),
        category_id: Set(draft.category.id.get()),
        method_id: Set(draft.method.id.get()),
        expense_date: Set(to_day(draft.date)),
        note: Set(draft.note.clone()),
        user_id: Set(draft.user_id.get()),
        created_at: Set(to_micros(at)),
        voided_at: Set(None),
        void_entry_id: Set(None),
    };
    let id = expenses::Entity::insert(row)
        .exec(conn)
        .await
        .map_err(missing_reference)?
        .last_insert_id;
    Ok(Expense {
        id: ExpenseId::new(id),
        title: draft.title.clone(),
        amount: draft.amount,
        category_id: draft.category.id,
        method_id: draft.method.id,
        date: draft.date,
        note: draft.note.clone(),
        user_id: draft.user_id,
        created_at: as_stored(at),
        voided: None,
    })
}

pub(crate) async fn find(
    conn: &DatabaseTransaction,
    id: ExpenseId,
) -> Result<Option<Expense>, StoreError> {
    expenses::Entity::find_by_id(id.get())
        .one(conn)
        .await
        .map_err(db_err)?
        .map(to_expense)
        .transpose()
}

/// Marks a standing expense void; `false` when it was void already (or another request voided
/// it first: the `voided_at IS NULL` guard makes this a compare-and-set).
pub(crate) async fn void(
    conn: &DatabaseTransaction,
    id: ExpenseId,
    entry: EntryId,
    at: OffsetDateTime,
) -> Result<bool, StoreError> {
    let exists = expenses::Entity::find_by_id(id.get())
        .select_only()
        .column(X::Id)
        .into_tuple::<i64>()
        .one(conn)
        .await
        .map_err(db_err)?;
    if exists.is_none() {
        return Err(StoreError::NotFound);
    }
    let updated = expenses::Entity::update_many()
        .col_expr(X::VoidedAt, Expr::value(to_micros(at)))
        .col_expr(X::VoidEntryId, Expr::value(entry.get()))
        .filter(X::Id.eq(id.get()))
        .filter(X::VoidedAt.is_null())
        .exec(conn)
        .await
        .map_err(db_err)?;
    Ok(updated.rows_affected == 1)
}

/// A page of expenses, and the sum of every expense the filter matches (not just the page).
pub(crate) async fn list(
    conn: &DatabaseTransaction,
    query: &ListQuery<ExpenseFilter, ()>,
) -> Result<(Page<Expense>, Money), StoreError> {
    let filter = &query.filter;
    let mut select =
        expenses::Entity::find().filter(in_days(X::ExpenseDate, filter.from, filter.to));
    if let Some(category) = filter.category_id {
        select = select.filter(X::CategoryId.eq(category.get()));
    }
    if let Some(method) = filter.method_id {
        select = select.filter(X::MethodId.eq(method.get()));
    }
    let backend = conn.get_database_backend();
    // NULL when nothing matches.
    let sum: Option<Option<i64>> = select
        .clone()
        .filter(X::VoidedAt.is_null())
        .select_only()
        .expr_as(sum_i64(backend, Expr::col(X::AmountCents)), "cents")
        .into_tuple()
        .one(conn)
        .await
        .map_err(db_err)?;
    let total = Money::from_minor_units(sum.flatten().unwrap_or(0));
    let page =
        fetch_dated_page(conn, select, X::ExpenseDate, X::Id, query.order, query.page).await?;
    Ok((try_map_page(page, to_expense)?, total))
}
