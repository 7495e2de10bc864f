//! The journal: read it, reverse a manual entry, post the opening balances.

use super::error::{OpeningError, ReverseEntryError, UnreversedError};
use crate::app::lookups::{AccountIndex, account_index, manual_account};
use crate::app::{App, AppResult, Once, Reply};
use crate::error::StoreError;
use crate::ids::{EntryId, UserId};
use crate::ledger::chart::PostedBy;
use crate::ledger::entry::{ReversalError, reversal_of, reversible_by_journal};
use crate::ledger::{
    BalancedEntry, EntryDraft, JournalEntry, JournalFilter, LedgerError, LineDraft, Side, Source,
    SourceKind,
};
use crate::money::Money;
use crate::paging::{ListQuery, Page};
use crate::ports::LedgerRepo;
use crate::services::ServiceError;
use crate::services::error::Refusal;
use crate::user::Role;
use time::{Date, OffsetDateTime};

/// A journal entry with the chart its lines name, to render codes and names.
#[derive(Debug, Clone)]
pub struct Posted {
    pub entry: JournalEntry,
    pub accounts: AccountIndex,
}

/// Reverse a manual entry: post its mirror and link the two.
#[derive(Debug, Clone)]
pub struct Reversal {
    pub entry: EntryId,
    pub date: Option<Date>,
    pub memo: Option<String>,
    pub user: UserId,
    pub role: Role,
}

/// One line of the opening balances: an account by code, and a side with its amount.
#[derive(Debug, Clone)]
pub struct OpeningLine {
    pub account_code: String,
    pub side: Side,
    pub amount: Money,
}

/// What the shop holds and owes when it starts using the books.
#[derive(Debug, Clone)]
pub struct OpeningBalances {
    pub date: Option<Date>,
    pub memo: Option<String>,
    pub lines: Vec<OpeningLine>,
    pub user: UserId,
}

/// Posts an entry and pairs it with the chart (used by every money-moving use case).
pub(crate) async fn post<T: LedgerRepo + ?Sized>(
    tx: &mut T,
    entry: BalancedEntry,
    at: OffsetDateTime,
) -> Result<Posted, Refusal> {
    let entry = tx.post_entry(entry, at).await?;
    let accounts = account_index(tx).await?;
    Ok(Posted { entry, accounts })
}

/// Posts the mirror of `original` and links the two: the one way an entry is undone, whether
/// through the journal or by a document's own operation (an expense's void). 409
/// `not_reversible` when it is a reversal itself or was reversed already (also by a
/// concurrent request: the link's unique key decides).
pub(crate) async fn post_reversal<T: LedgerRepo + ?Sized>(
    tx: &mut T,
    original: &JournalEntry,
    date: Date,
    user: UserId,
    memo: Option<String>,
    at: OffsetDateTime,
) -> Result<Posted, UnreversedError> {
    let reversal = reversal_of(original, date, user, memo)?;
    let posted = post(tx, reversal, at).await?;
    tx.link_reversal(original.id, posted.entry.id)
        .await
        .map_err(|e| match e {
            StoreError::Duplicate(_) => {
                UnreversedError::from(ReversalError::AlreadyReversed(original.id))
            }
            other => UnreversedError::from(Refusal::from(other)),
        })?;
    Ok(posted)
}

fn blank_to_none(memo: Option<String>) -> Option<String> {
    memo.filter(|m| !m.trim().is_empty())
}

impl App {
    /// The journal, filtered, with the chart to render its lines.
    pub async fn journal(
        &self,
        query: ListQuery<JournalFilter, ()>,
    ) -> AppResult<(Page<JournalEntry>, AccountIndex)> {
        self.read(async |tx| {
            let accounts = account_index(tx).await?;
            Ok((tx.list_entries(&query).await?, accounts))
        })
        .await
    }

    /// One journal entry.
    pub async fn journal_entry(&self, id: EntryId) -> AppResult<Posted> {
        self.read(async |tx| {
            let entry = tx
                .find_entry(id)
                .await?
                .ok_or(ServiceError::NotFound("journal entry"))?;
            let accounts = account_index(tx).await?;
            Ok(Posted { entry, accounts })
        })
        .await
    }

    /// Reverses a manual entry. Only manual entries are reversed here (opening balances, and
    /// payments with no customer or supplier): an entry a document posted is refused with 409
    /// `posted_by_document`, naming the operation that undoes the document. Opening balances
    /// are reversed by admins only.
    pub async fn reverse_entry(
        &self,
        command: Reversal,
        once: Once<'_, Posted>,
    ) -> Result<Reply, ReverseEntryError> {
        let date = self.document_date(command.date)?;
        let memo = blank_to_none(command.memo);
        self.once(once, async |tx, now| {
            let original = tx
                .find_entry(command.entry)
                .await?
                .ok_or(ReverseEntryError::NotFound("journal entry"))?;
            reversible_by_journal(&original).map_err(ReverseEntryError::PostedByDocument)?;
            if original.source.kind == SourceKind::Opening && command.role != Role::Admin {
                return Err(ReverseEntryError::OpeningAdminOnly);
            }
            Ok(post_reversal(tx, &original, date, command.user, memo.clone(), now).await?)
        })
        .await
    }

    /// Posts opening balances on balance-sheet accounts. Control accounts are refused
    /// (`posted_by_*`): opening stock is bought in with a purchase (which creates the lots), and
    /// what customers and suppliers owe at the start is not taken here, so that the books and
    /// the subledgers agree from the first entry.
    pub async fn post_opening(
        &self,
        command: OpeningBalances,
        once: Once<'_, Posted>,
    ) -> Result<Reply, OpeningError> {
        let date = self.document_date(command.date)?;
        let memo = blank_to_none(command.memo).unwrap_or_else(|| "Opening balances".to_owned());
        self.once(once, async |tx, now| {
            let mut lines = Vec::with_capacity(command.lines.len());
            for (i, line) in command.lines.iter().enumerate() {
                let field = format!("lines[{i}].account_code");
                let account =
                    manual_account(tx, &field, &line.account_code, Some(PostedBy::Opening)).await?;
                if !account.kind.is_balance_sheet() {
                    return Err(OpeningError::Invalid {
                        field,
                        message: "opening balances go on asset, liability or equity accounts"
                            .to_owned(),
                    });
                }
                lines.push(LineDraft {
                    account_id: account.id,
                    side: line.side,
                    amount: line.amount,
                    party: None,
                    location: None,
                });
            }
            let draft = EntryDraft {
                date,
                memo: memo.clone(),
                source: Source {
                    kind: SourceKind::Opening,
                    id: None,
                },
                user_id: command.user,
                lines,
            };
            let entry = BalancedEntry::new(draft).map_err(|e| match e {
                LedgerError::OutOfRange => Refusal::out_of_range("lines"),
                e => Refusal::invalid("lines", e),
            })?;
            Ok(post(tx, entry, now).await?)
        })
        .await
    }
}
