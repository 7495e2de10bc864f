//! Journal entries: posted once with their lines, read back whole, never changed. A reversal
//! is a new entry plus a row in `entry_reversals`, whose primary key allows one per original.

use super::chart::ensure_accounts_exist;
use super::encoding::{
    from_day, in_days, is_party, party_columns, to_day, to_party, to_side, to_source_kind,
};
use crate::entities::{entry_reversals, journal_entries, journal_lines};
use crate::errors::{db_err, missing_reference, reversal_err};
use crate::paging::fetch_dated_page;
use crate::sums::{guarded_add, running_total_err};
use crate::timestamps::{as_stored, from_micros, to_micros};
use pos_domain::cash::Till;
use pos_domain::ids::{AccountId, CashSessionId, EntryId, RegisterId, UserId};
use pos_domain::ledger::{
    BalancedEntry, EntryDraft, JournalEntry, JournalFilter, JournalLine, LineDraft, Source,
    SourceKind,
};
use pos_domain::money::MAX_MINOR_UNITS;
use pos_domain::paging::{ListQuery, Page};
use pos_domain::{Money, StoreError};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QueryTrait,
};
use std::collections::HashMap;
use time::OffsetDateTime;

use journal_entries::Column as E;
use journal_lines::Column as L;

/// The entry a reversal points back to, read from its source.
fn reverses(source: Source) -> Option<EntryId> {
    (source.kind == SourceKind::Reversal)
        .then_some(source.id)
        .flatten()
        .map(EntryId::new)
}

fn line_row(
    entry_id: i64,
    line_no: usize,
    day: i32,
    line: &LineDraft,
) -> journal_lines::ActiveModel {
    let (party_kind, party_id) = party_columns(line.party);
    journal_lines::ActiveModel {
        id: NotSet,
        entry_id: Set(entry_id),
        // An entry has a handful of lines; a count beyond i32 is not representable anyway.
        line_no: Set(i32::try_from(line_no).unwrap_or(i32::MAX)),
        account_id: Set(line.account_id.get()),
        side: Set(line.side.as_str().to_owned()),
        amount_cents: Set(line.amount.minor_units()),
        party_kind: Set(party_kind),
        party_id: Set(party_id),
        entry_date: Set(day),
        location_id: Set(line
            .location
            .unwrap_or(pos_domain::location::DEFAULT_LOCATION)
            .get()),
    }
}

fn to_line(row: journal_lines::Model) -> Result<JournalLine, StoreError> {
    Ok(JournalLine {
        account_id: AccountId::new(row.account_id),
        side: to_side(&row.side)?,
        amount: Money::from_minor_units(row.amount_cents),
        party: to_party(row.party_kind.as_deref(), row.party_id)?,
        location_id: pos_domain::ids::LocationId::new(row.location_id),
    })
}

pub(crate) async fn post(
    conn: &DatabaseTransaction,
    entry: BalancedEntry,
    at: OffsetDateTime,
) -> Result<JournalEntry, StoreError> {
    let draft = entry.into_draft();
    ensure_accounts_exist(conn, draft.lines.iter().map(|l| l.account_id)).await?;
    let mut posted = insert_entries(conn, vec![draft], None, at, false).await?;
    posted
        .pop()
        .ok_or_else(|| StoreError::backend("an entry posted and not returned"))
}

/// Posts entries made at a register in three statements for any number of them: the entries
/// (ids through `RETURNING` where the database has it), their lines, and the day sums. No
/// existence check of the accounts: the use case names them from the static data, and the
/// foreign keys back that up.
pub(crate) async fn post_many(
    conn: &DatabaseTransaction,
    entries: Vec<BalancedEntry>,
    till: Option<Till>,
    at: OffsetDateTime,
    returning: bool,
) -> Result<Vec<JournalEntry>, StoreError> {
    let drafts = entries.into_iter().map(BalancedEntry::into_draft).collect();
    insert_entries(conn, drafts, till, at, returning).await
}

fn entry_row(
    draft: &EntryDraft,
    till: Option<Till>,
    at: OffsetDateTime,
) -> journal_entries::ActiveModel {
    journal_entries::ActiveModel {
        id: NotSet,
        entry_date: Set(to_day(draft.date)),
        memo: Set(draft.memo.clone()),
        source_kind: Set(draft.source.kind.as_str().to_owned()),
        source_id: Set(draft.source.id),
        user_id: Set(draft.user_id.get()),
        register_id: Set(till.map(|t| t.register.get())),
        cash_session_id: Set(till.and_then(|t| t.session).map(CashSessionId::get)),
        created_at: Set(to_micros(at)),
    }
}

async fn insert_entries(
    conn: &DatabaseTransaction,
    mut drafts: Vec<EntryDraft>,
    till: Option<Till>,
    at: OffsetDateTime,
    returning: bool,
) -> Result<Vec<JournalEntry>, StoreError> {
    let register = till.map(|t| t.register);
    // A line that names no location belongs to the till's store, or to the default store.
    let here = till.map_or(pos_domain::location::DEFAULT_LOCATION, |t| t.location);
    for line in drafts.iter_mut().flat_map(|d| d.lines.iter_mut()) {
        line.location.get_or_insert(here);
    }
    let mut ids = Vec::with_capacity(drafts.len());
    if drafts.len() > 1 && returning {
        let insert =
            journal_entries::Entity::insert_many(drafts.iter().map(|d| entry_row(d, till, at)))
                .into_query();
        ids = crate::returning::insert_ids(conn, &insert, "id")
            .await
            .map_err(missing_reference)?;
    } else {
        for draft in &drafts {
            ids.push(
                journal_entries::Entity::insert(entry_row(draft, till, at))
                    .exec(conn)
                    .await
                    .map_err(missing_reference)?
                    .last_insert_id,
            );
        }
    }
    if ids.len() != drafts.len() {
        return Err(StoreError::backend(format!(
            "posted {} entries, got {} ids back",
            drafts.len(),
            ids.len()
        )));
    }
    let lines: Vec<_> = ids
        .iter()
        .zip(&drafts)
        .flat_map(|(id, draft)| {
            let day = to_day(draft.date);
            draft
                .lines
                .iter()
                .enumerate()
                .map(move |(line_no, line)| line_row(*id, line_no, day, line))
        })
        .collect();
    if !lines.is_empty() {
        journal_lines::Entity::insert_many(lines)
            .exec_without_returning(conn)
            .await
            .map_err(missing_reference)?;
    }
    add_to_daily_sums(conn, register, &drafts).await?;
    Ok(ids
        .into_iter()
        .zip(drafts)
        .map(|(id, draft)| JournalEntry {
            id: EntryId::new(id),
            date: draft.date,
            reverses: reverses(draft.source),
            memo: draft.memo,
            source: draft.source,
            user_id: draft.user_id,
            lines: draft
                .lines
                .into_iter()
                .map(|l| JournalLine {
                    account_id: l.account_id,
                    side: l.side,
                    amount: l.amount,
                    party: l.party,
                    location_id: l.location.unwrap_or(here),
                })
                .collect(),
            reversed_by: None,
            created_at: as_stored(at),
        })
        .collect())
}

/// Completes entry rows with their lines and reversals: two queries for any number of rows
/// (no query per entry). The rows keep their order.
async fn assemble(
    conn: &DatabaseTransaction,
    rows: Vec<journal_entries::Model>,
) -> Result<Vec<JournalEntry>, StoreError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let line_rows = journal_lines::Entity::find()
        .filter(L::EntryId.is_in(ids.iter().copied()))
        .order_by_asc(L::EntryId)
        .order_by_asc(L::LineNo)
        .all(conn)
        .await
        .map_err(db_err)?;
    let mut lines: HashMap<i64, Vec<JournalLine>> = HashMap::new();
    for row in line_rows {
        lines.entry(row.entry_id).or_default().push(to_line(row)?);
    }
    let reversed_by: HashMap<i64, i64> = entry_reversals::Entity::find()
        .filter(entry_reversals::Column::OriginalId.is_in(ids))
        .all(conn)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|r| (r.original_id, r.reversal_id))
        .collect();
    rows.into_iter()
        .map(|row| {
            let source = Source {
                kind: to_source_kind(&row.source_kind)?,
                id: row.source_id,
            };
            Ok(JournalEntry {
                id: EntryId::new(row.id),
                date: from_day(row.entry_date)?,
                lines: lines.remove(&row.id).unwrap_or_default(),
                reverses: reverses(source),
                reversed_by: reversed_by.get(&row.id).copied().map(EntryId::new),
                memo: row.memo,
                source,
                user_id: UserId::new(row.user_id),
                created_at: from_micros(row.created_at)?,
            })
        })
        .collect()
}

pub(crate) async fn find(
    conn: &DatabaseTransaction,
    id: EntryId,
) -> Result<Option<JournalEntry>, StoreError> {
    let Some(row) = journal_entries::Entity::find_by_id(id.get())
        .one(conn)
        .await
        .map_err(db_err)?
    else {
        return Ok(None);
    };
    let mut entries = assemble(conn, vec![row]).await?;
    Ok(entries.pop())
}

/// The ids of entries with a line matching `lines`, for `id IN (...)`. The copy of the entry's
/// date on each line lets the date range narrow the subquery too.
fn entries_with_lines(lines: Condition, filter: &JournalFilter) -> SelectStatement {
    Query::select()
        .column(L::EntryId)
        .from(journal_lines::Entity)
        .cond_where(lines.add(in_days(L::EntryDate, filter.from, filter.to)))
        .take()
}

pub(crate) async fn list(
    conn: &DatabaseTransaction,
    query: &ListQuery<JournalFilter, ()>,
) -> Result<Page<JournalEntry>, StoreError> {
    let filter = &query.filter;
    let mut select =
        journal_entries::Entity::find().filter(in_days(E::EntryDate, filter.from, filter.to));
    if let Some(kind) = filter.source_kind {
        select = select.filter(E::SourceKind.eq(kind.as_str()));
    }
    if let Some(account) = filter.account_id {
        let on_account = Condition::all().add(L::AccountId.eq(account.get()));
        select = select.filter(E::Id.in_subquery(entries_with_lines(on_account, filter)));
    }
    if let Some(party) = filter.party {
        let for_party = is_party(L::PartyKind, L::PartyId, party);
        select = select.filter(E::Id.in_subquery(entries_with_lines(for_party, filter)));
    }
    let page = fetch_dated_page(conn, select, E::EntryDate, E::Id, query.order, query.page).await?;
    Ok(Page {
        items: assemble(conn, page.items).await?,
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    })
}

/// Entries posted for a source, in posting (id) order.
pub(crate) async fn for_source(
    conn: &DatabaseTransaction,
    kind: SourceKind,
    id: i64,
) -> Result<Vec<JournalEntry>, StoreError> {
    let rows = journal_entries::Entity::find()
        .filter(E::SourceKind.eq(kind.as_str()))
        .filter(E::SourceId.eq(id))
        .order_by_asc(E::Id)
        .all(conn)
        .await
        .map_err(db_err)?;
    assemble(conn, rows).await
}

pub(crate) async fn link_reversal(
    conn: &DatabaseTransaction,
    original: EntryId,
    reversal: EntryId,
) -> Result<(), StoreError> {
    let row = entry_reversals::ActiveModel {
        original_id: Set(original.get()),
        reversal_id: Set(reversal.get()),
    };
    entry_reversals::Entity::insert(row)
        .exec_without_returning(conn)
        .await
        .map_err(reversal_err)?;
    Ok(())
}

/// Adds entries' lines to each account's sums for their day at their register (`ledger_daily`,
/// migrations 6 and 8; register 0: none), in key order, so two postings touching the same rows
/// queue rather than deadlock, and postings at two registers never touch the same row.
async fn add_to_daily_sums(
    conn: &DatabaseTransaction,
    register: Option<RegisterId>,
    drafts: &[EntryDraft],
) -> Result<(), StoreError> {
    use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
    let shard = register.map_or(0, RegisterId::get);
    let mut sums: std::collections::BTreeMap<(i32, i64, i64), (i64, i64)> =
        std::collections::BTreeMap::new();
    for draft in drafts {
        let day = to_day(draft.date);
        for line in &draft.lines {
            let location = line
                .location
                .unwrap_or(pos_domain::location::DEFAULT_LOCATION)
                .get();
            let s = sums
                .entry((day, line.account_id.get(), location))
                .or_default();
            // A few entries of at most 100 lines of at most MAX_MINOR_UNITS each: no overflow.
            match line.side {
                pos_domain::ledger::Side::Debit => s.0 += line.amount.minor_units(),
                pos_domain::ledger::Side::Credit => s.1 += line.amount.minor_units(),
            }
        }
    }
    // What these entries add is checked here; what they add to is checked by the guarded sums.
    if sums
        .values()
        .any(|(debit, credit)| *debit > MAX_MINOR_UNITS || *credit > MAX_MINOR_UNITS)
    {
        return Err(StoreError::OutOfRange("an account's day total"));
    }
    if sums.is_empty() {
        return Ok(());
    }
    let backend = conn.get_database_backend();
    let marks = vec!["(?, ?, ?, ?, ?, ?)"; sums.len()].join(", ");
    let values: Vec<Value> = sums
        .iter()
        .flat_map(|((day, account, location), (debit, credit))| {
            [
                (*day).into(),
                (*account).into(),
                shard.into(),
                (*location).into(),
                (*debit).into(),
                (*credit).into(),
            ]
        })
        .collect();
    // A day's debits and credits on an account at a register stay within the range of an
    // amount: past it the guarded sum is NULL, the NOT NULL column refuses it, and the posting
    // is refused (`StoreError::OutOfRange`) before anything is committed.
    let update = match backend {
        DbBackend::MySql => format!(
            " ON DUPLICATE KEY UPDATE {}, {}",
            guarded_add("debit_cents", "VALUES(debit_cents)", MAX_MINOR_UNITS),
            guarded_add("credit_cents", "VALUES(credit_cents)", MAX_MINOR_UNITS),
        ),
        _ => format!(
            " ON CONFLICT (day, account_id, register_id, location_id) DO UPDATE SET {}, {}",
            guarded_add("debit_cents", "excluded.debit_cents", MAX_MINOR_UNITS),
            guarded_add("credit_cents", "excluded.credit_cents", MAX_MINOR_UNITS),
        ),
    };
    let sql = format!(
        "INSERT INTO ledger_daily (day, account_id, register_id, location_id, debit_cents, \
         credit_cents) VALUES {marks}{update}"
    );
    conn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .map_err(|e| running_total_err(e, "an account's day total"))?;
    Ok(())
}
