//! The read side of the books: per-account sums (summed by the database, one `GROUP BY`), a
//! party's sums on one account, and an account's lines one page at a time, with the sums of
//! everything before the page.

use super::chart::list_accounts;
use super::encoding::{from_day, in_days, is_party, to_day, to_side};
use crate::entities::{journal_entries, journal_lines};
use crate::errors::{corrupt, db_err};
use crate::sums::{sum_i64, sum_sql};
use pos_domain::ids::{AccountId, EntryId};
use pos_domain::ledger::reports::{AccountTotals, ActivityLine};
use pos_domain::ledger::{DateRange, Party, Side};
use pos_domain::paging::PageRequest;
use pos_domain::ports::ActivityPage;
use pos_domain::{Money, StoreError};
use sea_orm::sea_query::{Alias, Expr, Order, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

use journal_entries::Column as E;
use journal_lines::Column as L;

/// Debit and credit cents.
#[derive(Debug, Default, Clone, Copy)]
struct Sums {
    debit: i64,
    credit: i64,
}

impl Sums {
    /// Adds a stored sum for `side`. Sums of real books are far below 2^63 cents; an overflow
    /// means corrupt rows, and is reported rather than wrapped.
    fn add(&mut self, side: &str, cents: i64) -> Result<(), StoreError> {
        let total = match to_side(side)? {
            Side::Debit => &mut self.debit,
            Side::Credit => &mut self.credit,
        };
        *total = total
            .checked_add(cents)
            .ok_or_else(|| corrupt("account sums", "overflow"))?;
        Ok(())
    }

    fn plus(mut self, other: Sums) -> Result<Sums, StoreError> {
        self.add(Side::Debit.as_str(), other.debit)?;
        self.add(Side::Credit.as_str(), other.credit)?;
        Ok(self)
    }
}

/// The sums of every account over the range, accounts without lines included, by code.
#[derive(sea_orm::FromQueryResult)]
struct DailySums {
    account_id: i64,
    debit: i64,
    credit: i64,
}

pub(crate) async fn account_totals(
    conn: &DatabaseTransaction,
    range: DateRange,
    locations: &[pos_domain::ids::LocationId],
) -> Result<Vec<AccountTotals>, StoreError> {
    // From the daily sums kept beside the journal (migration 6): a few rows per account and
    // day instead of every line.
    let backend = conn.get_database_backend();
    let mut sql = format!(
        "SELECT account_id, {} AS debit, {} AS credit FROM ledger_daily WHERE 1 = 1",
        sum_sql(backend, "debit_cents"),
        sum_sql(backend, "credit_cents")
    );
    let mut values: Vec<sea_orm::Value> = Vec::new();
    if let Some(from) = range.from {
        sql.push_str(" AND day >= ?");
        values.push(to_day(from).into());
    }
    if let Some(to) = range.to {
        sql.push_str(" AND day <= ?");
        values.push(to_day(to).into());
    }
    if !locations.is_empty() {
        sql.push_str(&format!(
            " AND location_id IN ({})",
            vec!["?"; locations.len()].join(", ")
        ));
        values.extend(locations.iter().map(|l| l.get().into()));
    }
    sql.push_str(" GROUP BY account_id");
    let rows = <DailySums as sea_orm::FromQueryResult>::find_by_statement(
        sea_orm::Statement::from_sql_and_values(backend, sql, values),
    )
    .all(conn)
    .await
    .map_err(db_err)?;
    let sums: HashMap<i64, Sums> = rows
        .into_iter()
        .map(|r| {
            (
                r.account_id,
                Sums {
                    debit: r.debit,
                    credit: r.credit,
                },
            )
        })
        .collect();
    let accounts = list_accounts(conn).await?;
    Ok(accounts
        .into_iter()
        .map(|account| {
            let Sums { debit, credit } = sums.get(&account.id.get()).copied().unwrap_or_default();
            AccountTotals {
                account,
                debit: Money::from_minor_units(debit),
                credit: Money::from_minor_units(credit),
            }
        })
        .collect())
}

/// Sums by side of the lines `where` selects.
async fn sums_where(conn: &DatabaseTransaction, lines: Condition) -> Result<Sums, StoreError> {
    let backend = conn.get_database_backend();
    let rows: Vec<(String, i64)> = journal_lines::Entity::find()
        .select_only()
        .column(L::Side)
        .expr_as(sum_i64(backend, Expr::col(L::AmountCents)), "cents")
        .filter(lines)
        .group_by(L::Side)
        .into_tuple()
        .all(conn)
        .await
        .map_err(db_err)?;
    let mut sums = Sums::default();
    for (side, cents) in rows {
        sums.add(&side, cents)?;
    }
    Ok(sums)
}

/// The debit and credit sums of `account`'s lines concerning `party`: one `GROUP BY side`
/// over `ix_journal_lines_party` (party kind and id), the account checked on the rows it
/// finds.
pub(crate) async fn party_balance(
    conn: &DatabaseTransaction,
    account: AccountId,
    party: Party,
) -> Result<(Money, Money), StoreError> {
    let lines = is_party(L::PartyKind, L::PartyId, party).add(L::AccountId.eq(account.get()));
    let Sums { debit, credit } = sums_where(conn, lines).await?;
    Ok((
        Money::from_minor_units(debit),
        Money::from_minor_units(credit),
    ))
}

/// Sums by side of the first `count` lines `in_range` selects, in ledger order: the lines of
/// the range that earlier pages hold. A derived table, because `LIMIT` must apply before the
/// sum (MySQL accepts `LIMIT` in a derived table, though not in an `IN` subquery).
async fn sums_of_first(
    conn: &DatabaseTransaction,
    in_range: Condition,
    count: u64,
) -> Result<Sums, StoreError> {
    let backend = conn.get_database_backend();
    let earlier = Query::select()
        .columns([L::Side, L::AmountCents])
        .from(journal_lines::Entity)
        .cond_where(in_range)
        .order_by(L::EntryDate, Order::Asc)
        .order_by(L::EntryId, Order::Asc)
        .order_by(L::LineNo, Order::Asc)
        .limit(count)
        .take();
    let side = Alias::new("side");
    let query = Query::select()
        .column(side.clone())
        .expr_as(
            sum_i64(backend, Expr::col(Alias::new("amount_cents"))),
            Alias::new("cents"),
        )
        .from_subquery(earlier, Alias::new("earlier"))
        .group_by_col(side)
        .take();
    let mut sums = Sums::default();
    for row in conn.query_all(&query).await.map_err(db_err)? {
        let side: String = row.try_get("", "side").map_err(db_err)?;
        let cents: i64 = row.try_get("", "cents").map_err(db_err)?;
        sums.add(&side, cents)?;
    }
    Ok(sums)
}

/// An account's lines in the range as one page, in ledger order, with the sums before it.
pub(crate) async fn account_activity(
    conn: &DatabaseTransaction,
    account: AccountId,
    range: DateRange,
    page: PageRequest,
) -> Result<ActivityPage, StoreError> {
    let on_account = || Condition::all().add(L::AccountId.eq(account.get()));
    let in_range = on_account().add(in_days(L::EntryDate, range.from, range.to));
    let total = journal_lines::Entity::find()
        .filter(in_range.clone())
        .count(conn)
        .await
        .map_err(db_err)?;
    let entry = journal_lines::Entity::belongs_to(journal_entries::Entity)
        .from(L::EntryId)
        .to(E::Id)
        .into();
    let rows: Vec<(i64, i32, String, String, i64)> = journal_lines::Entity::find()
        .select_only()
        .column(L::EntryId)
        .column(L::EntryDate)
        .column(E::Memo)
        .column(L::Side)
        .column(L::AmountCents)
        .join(JoinType::InnerJoin, entry)
        .filter(in_range.clone())
        .order_by_asc(L::EntryDate)
        .order_by_asc(L::EntryId)
        .order_by_asc(L::LineNo)
        .offset(page.offset())
        .limit(u64::from(page.per_page()))
        .into_tuple()
        .all(conn)
        .await
        .map_err(db_err)?;
    let lines = rows
        .into_iter()
        .map(|(entry_id, day, memo, side, cents)| {
            Ok(ActivityLine {
                entry_id: EntryId::new(entry_id),
                date: from_day(day)?,
                memo,
                side: to_side(&side)?,
                amount: Money::from_minor_units(cents),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;

    let mut before = Sums::default();
    if let Some(from) = range.from {
        before = sums_where(conn, on_account().add(L::EntryDate.lt(to_day(from)))).await?;
    }
    // Past the last page every line of the range is "before"; the LIMIT stops there anyway.
    let skipped = page.offset().min(total);
    if skipped > 0 {
        before = before.plus(sums_of_first(conn, in_range, skipped).await?)?;
    }
    Ok(ActivityPage {
        debit_before: Money::from_minor_units(before.debit),
        credit_before: Money::from_minor_units(before.credit),
        lines,
        total,
    })
}
