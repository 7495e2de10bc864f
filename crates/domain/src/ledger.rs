//! The books: a double-entry ledger in which every money event is a balanced, immutable journal
//! entry, and corrections are reversals.

pub mod accounts;
pub mod chart;
pub mod entry;
pub mod money_events;
pub mod reports;
pub mod seed;

pub use accounts::{Account, AccountCode, AccountKind, NormalSide};
pub use entry::{
    BalancedEntry, DateRange, EntryDraft, JournalEntry, JournalFilter, JournalLine, LedgerError,
    LineDraft, Party, Side, Source, SourceKind,
};
