//! Journal entries: the only way money moves in the books.

use crate::ids::{AccountId, CustomerId, EntryId, LocationId, SupplierId, UserId};
use crate::money::Money;
use std::fmt;
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Debit,
    Credit,
}

impl Side {
    pub fn opposite(self) -> Side {
        match self {
            Side::Debit => Side::Credit,
            Side::Credit => Side::Debit,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Side::Debit => "debit",
            Side::Credit => "credit",
        }
    }
}

/// Who a line concerns, for receivables and payables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Party {
    Customer(CustomerId),
    Supplier(SupplierId),
}

/// What made an entry. The source id points into that kind's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    Opening,
    Expense,
    Payment,
    Reversal,
    Purchase,
    Sale,
    Refund,
    Adjustment,
    SupplierReturn,
    /// Cash paid in or out of a drawer.
    CashMovement,
    /// The differences a session's close found.
    SessionClose,
    /// Stock shipped, received or reported short between locations.
    Transfer,
}

impl SourceKind {
    pub const ALL: [SourceKind; 12] = [
        SourceKind::Opening,
        SourceKind::Expense,
        SourceKind::Payment,
        SourceKind::Reversal,
        SourceKind::Purchase,
        SourceKind::Sale,
        SourceKind::Refund,
        SourceKind::Adjustment,
        SourceKind::SupplierReturn,
        SourceKind::CashMovement,
        SourceKind::SessionClose,
        SourceKind::Transfer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Opening => "opening",
            SourceKind::Expense => "expense",
            SourceKind::Payment => "payment",
            SourceKind::Reversal => "reversal",
            SourceKind::Purchase => "purchase",
            SourceKind::Sale => "sale",
            SourceKind::Refund => "refund",
            SourceKind::Adjustment => "adjustment",
            SourceKind::SupplierReturn => "supplier_return",
            SourceKind::CashMovement => "cash_movement",
            SourceKind::SessionClose => "session_close",
            SourceKind::Transfer => "transfer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Source {
    pub kind: SourceKind,
    /// The record of that kind (an expense id, a payment id...), when there is one.
    pub id: Option<i64>,
}

/// One line as proposed: an account, a side, a positive amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineDraft {
    pub account_id: AccountId,
    pub side: Side,
    pub amount: Money,
    pub party: Option<Party>,
    /// The location the line belongs to; `None`: where the entry is posted (the till's store,
    /// or the default store).
    pub location: Option<LocationId>,
}

impl LineDraft {
    pub fn debit(account_id: AccountId, amount: Money) -> Self {
        Self {
            account_id,
            side: Side::Debit,
            amount,
            party: None,
            location: None,
        }
    }

    pub fn credit(account_id: AccountId, amount: Money) -> Self {
        Self {
            account_id,
            side: Side::Credit,
            amount,
            party: None,
            location: None,
        }
    }

    pub fn with_party(self, party: Option<Party>) -> Self {
        Self { party, ..self }
    }

    /// The line, belonging to `location`.
    pub fn at(self, location: LocationId) -> Self {
        Self {
            location: Some(location),
            ..self
        }
    }
}

/// An entry as proposed, before the balance rule has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryDraft {
    pub date: Date,
    pub memo: String,
    pub source: Source,
    pub user_id: UserId,
    pub lines: Vec<LineDraft>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("an entry needs at least two lines")]
    TooFewLines,
    #[error("line {line}: amounts must be greater than zero")]
    NonPositiveAmount { line: usize },
    #[error("debits ({debits}) and credits ({credits}) must be equal")]
    Unbalanced { debits: Money, credits: Money },
    #[error("an entry must have at least one debit and one credit")]
    OneSided,
    #[error("the memo must be at most 500 characters")]
    MemoTooLong,
    /// A figure of the entry (a line built from other figures, or the sum of one side) would
    /// leave the range 64 bits hold exactly.
    #[error("the amounts {}", crate::money::OutOfRange)]
    OutOfRange,
}

/// An entry whose debits equal its credits, all amounts positive, at least one of each side.
/// Only [`BalancedEntry::new`] makes one, so an unbalanced entry cannot reach storage.
///
/// Mixed scales cannot occur: every amount is [`Money`], which always has two decimal places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalancedEntry(EntryDraft);

impl BalancedEntry {
    pub fn new(draft: EntryDraft) -> Result<Self, LedgerError> {
        if draft.lines.len() < 2 {
            return Err(LedgerError::TooFewLines);
        }
        if draft.memo.chars().count() > 500 {
            return Err(LedgerError::MemoTooLong);
        }
        // One side of an entry may pass the range of one amount (a manual entry spreads its
        // lines over accounts), so the sides are summed exactly in 64 bits.
        let (mut debits, mut credits) = (Money::ZERO, Money::ZERO);
        for (i, line) in draft.lines.iter().enumerate() {
            if line.amount <= Money::ZERO {
                return Err(LedgerError::NonPositiveAmount { line: i });
            }
            let side = match line.side {
                Side::Debit => &mut debits,
                Side::Credit => &mut credits,
            };
            *side = side
                .wide_add(line.amount)
                .map_err(|_| LedgerError::OutOfRange)?;
        }
        if debits.is_zero() || credits.is_zero() {
            return Err(LedgerError::OneSided);
        }
        if debits != credits {
            return Err(LedgerError::Unbalanced { debits, credits });
        }
        Ok(Self(draft))
    }

    pub fn draft(&self) -> &EntryDraft {
        &self.0
    }

    pub fn into_draft(self) -> EntryDraft {
        self.0
    }

    /// The entry with every line that names no location belonging to `location` (a purchase
    /// at its warehouse, an adjustment at its store). Balance does not depend on locations.
    pub fn located(mut self, location: LocationId) -> Self {
        for line in &mut self.0.lines {
            line.location.get_or_insert(location);
        }
        self
    }

    /// The sum of the debits (equal to the sum of the credits).
    pub fn total(&self) -> Money {
        let debits = self.0.lines.iter().filter(|l| l.side == Side::Debit);
        // `new` summed exactly these amounts without refusal, so the fallback is never reached.
        Money::wide_sum(debits.map(|l| l.amount)).unwrap_or(Money::ZERO)
    }
}

/// A stored line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalLine {
    pub account_id: AccountId,
    pub side: Side,
    pub amount: Money,
    pub party: Option<Party>,
    /// The store or warehouse the line belongs to.
    pub location_id: LocationId,
}

/// A posted entry. Never edited or deleted; a mistake is corrected by its reversal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    pub id: EntryId,
    pub date: Date,
    pub memo: String,
    pub source: Source,
    pub user_id: UserId,
    pub lines: Vec<JournalLine>,
    /// The entry this one reverses, for a reversal.
    pub reverses: Option<EntryId>,
    /// The reversal of this entry, once reversed.
    pub reversed_by: Option<EntryId>,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReversalError {
    #[error("entry {0} has already been reversed")]
    AlreadyReversed(EntryId),
    #[error("entry {0} is itself a reversal; post a new entry instead of reversing it")]
    IsAReversal(EntryId),
}

/// Why the journal refuses to reverse an entry that a document posted: the document's own
/// operation undoes it, so the document and its subledger (lots, open items, the expense list)
/// stay in line with the books.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("entry {entry} was posted by a {kind}; {undo}")]
pub struct PostedByDocument {
    pub entry: EntryId,
    pub kind: SourceKind,
    /// The operation that undoes the document, for the person who asked.
    pub undo: &'static str,
}

/// Whether the journal's own reversal may undo `entry`. Only manual entries qualify: opening
/// balances and payments with no customer or supplier. Everything else is undone by the
/// operation of the document that posted it (a return, a supplier return, an opposite
/// adjustment, an expense's void).
pub fn reversible_by_journal(entry: &JournalEntry) -> Result<(), PostedByDocument> {
    let undo = match entry.source.kind {
        SourceKind::Opening | SourceKind::Reversal => return Ok(()),
        SourceKind::Payment if entry.lines.iter().all(|l| l.party.is_none()) => return Ok(()),
        SourceKind::Payment => {
            "a customer or supplier payment is settled against open documents; record a \
             correcting payment instead"
        }
        SourceKind::Expense => "void the expense with POST /api/expenses/{id}/void",
        SourceKind::Sale => "return the goods with POST /api/sales/{id}/returns",
        SourceKind::Refund => "a return is final; sell the goods again with POST /api/sales",
        SourceKind::Purchase => "return the goods with POST /api/purchases/{id}/returns",
        SourceKind::SupplierReturn => {
            "a supplier return is final; record a new purchase with POST /api/purchases"
        }
        SourceKind::Adjustment => "post the opposite change with POST /api/inventory/adjustments",
        SourceKind::CashMovement => {
            "a cash movement is part of its session; move the cash back with POST \
             /api/registers/{id}/cash-movements"
        }
        SourceKind::SessionClose => "a closed session's Z report is final",
        SourceKind::Transfer => {
            "a transfer's steps are final; send the goods back with a new \
             transfer (POST /api/transfers)"
        }
    };
    Err(PostedByDocument {
        entry: entry.id,
        kind: entry.source.kind,
        undo,
    })
}

/// The mirror of `entry`: every line on the other side. Posting it cancels the original.
pub fn reversal_of(
    entry: &JournalEntry,
    date: Date,
    user_id: UserId,
    memo: Option<String>,
) -> Result<BalancedEntry, ReversalError> {
    if entry.reversed_by.is_some() {
        return Err(ReversalError::AlreadyReversed(entry.id));
    }
    if entry.reverses.is_some() {
        return Err(ReversalError::IsAReversal(entry.id));
    }
    let lines = entry
        .lines
        .iter()
        .map(|l| LineDraft {
            account_id: l.account_id,
            side: l.side.opposite(),
            amount: l.amount,
            party: l.party,
            location: Some(l.location_id),
        })
        .collect();
    let draft = EntryDraft {
        date,
        memo: memo.unwrap_or_else(|| format!("Reversal of entry {}", entry.id)),
        source: Source {
            kind: SourceKind::Reversal,
            id: Some(entry.id.get()),
        },
        user_id,
        lines,
    };
    // The original balanced, so its mirror does too.
    Ok(BalancedEntry(draft))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn m(cents: i64) -> Money {
        Money::from_minor_units(cents)
    }

    fn draft(lines: Vec<LineDraft>) -> EntryDraft {
        EntryDraft {
            date: date!(2026 - 11 - 25),
            memo: "test".into(),
            source: Source {
                kind: SourceKind::Opening,
                id: None,
            },
            user_id: UserId::new(1),
            lines,
        }
    }

    const CASH: AccountId = AccountId::new(1);
    const EQUITY: AccountId = AccountId::new(2);

    #[test]
    fn a_balanced_entry_is_accepted() {
        let entry = BalancedEntry::new(draft(vec![
            LineDraft::debit(CASH, m(50_000)),
            LineDraft::credit(EQUITY, m(30_000)),
            LineDraft::credit(EQUITY, m(20_000)),
        ]))
        .unwrap();
        assert_eq!(entry.total(), m(50_000));
    }

    #[test]
    fn unbalanced_empty_or_one_sided_entries_are_refused() {
        assert_eq!(
            BalancedEntry::new(draft(vec![
                LineDraft::debit(CASH, m(100)),
                LineDraft::credit(EQUITY, m(99))
            ])),
            Err(LedgerError::Unbalanced {
                debits: m(100),
                credits: m(99)
            })
        );
        assert_eq!(
            BalancedEntry::new(draft(vec![])),
            Err(LedgerError::TooFewLines)
        );
        assert_eq!(
            BalancedEntry::new(draft(vec![LineDraft::debit(CASH, m(1))])),
            Err(LedgerError::TooFewLines)
        );
        assert_eq!(
            BalancedEntry::new(draft(vec![
                LineDraft::debit(CASH, m(1)),
                LineDraft::debit(EQUITY, m(1))
            ])),
            Err(LedgerError::OneSided)
        );
    }

    #[test]
    fn zero_and_negative_amounts_are_refused() {
        for bad in [0, -100] {
            let result = BalancedEntry::new(draft(vec![
                LineDraft::debit(CASH, m(bad)),
                LineDraft::credit(EQUITY, m(bad)),
            ]));
            assert_eq!(result, Err(LedgerError::NonPositiveAmount { line: 0 }));
        }
    }

    fn posted(lines: Vec<LineDraft>) -> JournalEntry {
        JournalEntry {
            id: EntryId::new(7),
            date: date!(2026 - 11 - 25),
            memo: "sale".into(),
            source: Source {
                kind: SourceKind::Sale,
                id: Some(3),
            },
            user_id: UserId::new(1),
            lines: lines
                .into_iter()
                .map(|l| JournalLine {
                    account_id: l.account_id,
                    side: l.side,
                    amount: l.amount,
                    party: l.party,
                    location_id: crate::location::DEFAULT_LOCATION,
                })
                .collect(),
            reverses: None,
            reversed_by: None,
            created_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_reversal_mirrors_every_line_and_points_back() {
        let original = posted(vec![
            LineDraft::debit(CASH, m(500)),
            LineDraft::credit(EQUITY, m(500)),
        ]);
        let reversal = reversal_of(&original, date!(2026 - 11 - 26), UserId::new(2), None).unwrap();
        let d = reversal.draft();
        assert_eq!(
            d.source,
            Source {
                kind: SourceKind::Reversal,
                id: Some(7)
            }
        );
        // Each line stays where the original's was.
        let here = crate::location::DEFAULT_LOCATION;
        assert_eq!(d.lines[0], LineDraft::credit(CASH, m(500)).at(here));
        assert_eq!(d.lines[1], LineDraft::debit(EQUITY, m(500)).at(here));
        assert_eq!(d.date, date!(2026 - 11 - 26));
    }

    #[test]
    fn an_entry_is_reversed_at_most_once_and_reversals_are_not_reversed() {
        let mut original = posted(vec![
            LineDraft::debit(CASH, m(5)),
            LineDraft::credit(EQUITY, m(5)),
        ]);
        original.reversed_by = Some(EntryId::new(8));
        let day = date!(2026 - 11 - 26);
        assert_eq!(
            reversal_of(&original, day, UserId::new(1), None),
            Err(ReversalError::AlreadyReversed(EntryId::new(7)))
        );
        let mut reversal = posted(vec![
            LineDraft::debit(CASH, m(5)),
            LineDraft::credit(EQUITY, m(5)),
        ]);
        reversal.reverses = Some(EntryId::new(1));
        assert_eq!(
            reversal_of(&reversal, day, UserId::new(1), None),
            Err(ReversalError::IsAReversal(EntryId::new(7)))
        );
    }
}

/// Filters of the journal. Dates are inclusive.
#[derive(Debug, Clone, Default)]
pub struct JournalFilter {
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Entries with at least one line on this account.
    pub account_id: Option<AccountId>,
    pub source_kind: Option<SourceKind>,
    /// Entries with at least one line for this party.
    pub party: Option<Party>,
}

/// An inclusive range of dates; `None` is unbounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl DateRange {
    pub fn contains(&self, date: Date) -> bool {
        self.from.is_none_or(|f| date >= f) && self.to.is_none_or(|t| date <= t)
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The balance rule accepts exactly the entries whose debits equal their credits, and
        /// the reversal of an accepted entry cancels it account by account.
        #[test]
        fn only_balanced_entries_are_accepted_and_reversals_cancel(
            lines in prop::collection::vec((0i64..4, any::<bool>(), 1i64..1_000_000), 0..6)
        ) {
            let drafts: Vec<LineDraft> = lines
                .iter()
                .map(|(account, debit, cents)| {
                    let side = if *debit { Side::Debit } else { Side::Credit };
                    LineDraft { account_id: AccountId::new(*account), side, amount: Money::from_minor_units(*cents), party: None, location: None }
                })
                .collect();
            let signed = |l: &LineDraft| if l.side == Side::Debit { l.amount.minor_units() } else { -l.amount.minor_units() };
            let net: i64 = drafts.iter().map(signed).sum();
            let has_both = drafts.iter().any(|l| l.side == Side::Debit) && drafts.iter().any(|l| l.side == Side::Credit);
            let draft = EntryDraft {
                date: time::macros::date!(2026 - 11 - 25),
                memo: String::new(),
                source: Source { kind: SourceKind::Adjustment, id: None },
                user_id: UserId::new(1),
                lines: drafts.clone(),
            };
            let accepted = BalancedEntry::new(draft);
            prop_assert_eq!(accepted.is_ok(), drafts.len() >= 2 && net == 0 && has_both);
            if let Ok(entry) = accepted {
                let posted = JournalEntry {
                    id: EntryId::new(1),
                    date: entry.draft().date,
                    memo: String::new(),
                    source: entry.draft().source,
                    user_id: UserId::new(1),
                    lines: drafts.iter().map(|l| JournalLine { account_id: l.account_id, side: l.side, amount: l.amount, party: None, location_id: crate::location::DEFAULT_LOCATION }).collect(),
                    reverses: None,
                    reversed_by: None,
                    created_at: OffsetDateTime::UNIX_EPOCH,
                };
                let mirror = reversal_of(&posted, posted.date, UserId::new(1), None).unwrap();
                for account in 0..4 {
                    let on = |ls: &[LineDraft]| ls.iter().filter(|l| l.account_id == AccountId::new(account)).map(signed).sum::<i64>();
                    prop_assert_eq!(on(&drafts) + on(&mirror.draft().lines), 0);
                }
            }
        }
    }
}
