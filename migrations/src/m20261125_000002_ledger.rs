//! The books: chart of accounts, payment methods, expense categories, the double-entry journal
//! (entries, their lines and reversal links), payments, expenses, and the idempotency records of
//! money-moving requests.
//!
//! Dates of the books (an entry's date, a payment's date) are calendar days, stored as Julian day
//! numbers ([`day`]); instants (`created_at`) are microseconds like everywhere else. Unique
//! indexes are named `ux_<table>_<what>` because the adapter maps a violation back to its field
//! by that name (MySQL) or by the columns (SQLite).

use crate::conventions::{day, foreign_key, id, index, instant, unique, with_table_options};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, boolean, integer, string_len, string_len_null,
};
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Created by the first migration; only referenced here.
#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Code,
    Name,
    Kind,
    Active,
}

#[derive(DeriveIden)]
enum PaymentMethods {
    Table,
    Id,
    Code,
    Name,
    AccountId,
    Active,
}

#[derive(DeriveIden)]
enum ExpenseCategories {
    Table,
    Id,
    Name,
    NameKey,
    AccountId,
}

#[derive(DeriveIden)]
enum JournalEntries {
    Table,
    Id,
    EntryDate,
    Memo,
    SourceKind,
    SourceId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum JournalLines {
    Table,
    Id,
    EntryId,
    LineNo,
    AccountId,
    Side,
    AmountCents,
    PartyKind,
    PartyId,
    EntryDate,
}

#[derive(DeriveIden)]
enum EntryReversals {
    Table,
    OriginalId,
    ReversalId,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    Direction,
    MethodId,
    AmountCents,
    PartyKind,
    PartyId,
    CounterAccountId,
    Reference,
    Note,
    PaymentDate,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Expenses {
    Table,
    Id,
    Title,
    AmountCents,
    CategoryId,
    MethodId,
    ExpenseDate,
    Note,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Id,
    UserId,
    IdemKey,
    RequestHash,
    Status,
    Body,
    CreatedAt,
}

/// Posted books are never deleted, so every reference into them refuses deletion of its target.
fn restrict(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    foreign_key(name, from, to, ForeignKeyAction::Restrict)
}

/// Who a line or payment concerns: `customer`/`supplier` and its id, both NULL for no party.
/// No foreign key: customers and suppliers get their tables in a later migration.
fn party_columns(
    table: &mut TableCreateStatement,
    kind: impl IntoIden,
    id: impl IntoIden,
) -> &mut TableCreateStatement {
    table
        .col(string_len_null(kind, 16))
        .col(big_integer_null(id))
}

fn accounts() -> TableCreateStatement {
    Table::create()
        .table(Accounts::Table)
        .col(id(Accounts::Id))
        .col(string_len(Accounts::Code, 16))
        .col(string_len(Accounts::Name, 120))
        .col(string_len(Accounts::Kind, 16))
        .col(boolean(Accounts::Active).default(true))
        .take()
}

fn payment_methods() -> TableCreateStatement {
    Table::create()
        .table(PaymentMethods::Table)
        .col(id(PaymentMethods::Id))
        .col(string_len(PaymentMethods::Code, 32))
        .col(string_len(PaymentMethods::Name, 120))
        .col(big_integer(PaymentMethods::AccountId))
        .col(boolean(PaymentMethods::Active).default(true))
        .foreign_key(&mut restrict(
            "fk_payment_methods_account_id",
            (PaymentMethods::Table, PaymentMethods::AccountId),
            (Accounts::Table, Accounts::Id),
        ))
        .take()
}

fn expense_categories() -> TableCreateStatement {
    Table::create()
        .table(ExpenseCategories::Table)
        .col(id(ExpenseCategories::Id))
        .col(string_len(ExpenseCategories::Name, 120))
        // The name folded to lower case, holding the unique index (as for brands).
        .col(string_len(ExpenseCategories::NameKey, 120))
        .col(big_integer(ExpenseCategories::AccountId))
        .foreign_key(&mut restrict(
            "fk_expense_categories_account_id",
            (ExpenseCategories::Table, ExpenseCategories::AccountId),
            (Accounts::Table, Accounts::Id),
        ))
        .take()
}

fn journal_entries() -> TableCreateStatement {
    Table::create()
        .table(JournalEntries::Table)
        .col(id(JournalEntries::Id))
        .col(day(JournalEntries::EntryDate))
        .col(string_len(JournalEntries::Memo, 500))
        .col(string_len(JournalEntries::SourceKind, 16))
        .col(big_integer_null(JournalEntries::SourceId))
        .col(big_integer(JournalEntries::UserId))
        .col(instant(JournalEntries::CreatedAt))
        .foreign_key(&mut restrict(
            "fk_journal_entries_user_id",
            (JournalEntries::Table, JournalEntries::UserId),
            (Users::Table, Users::Id),
        ))
        .take()
}

fn journal_lines() -> TableCreateStatement {
    let mut table = Table::create()
        .table(JournalLines::Table)
        .col(id(JournalLines::Id))
        .col(big_integer(JournalLines::EntryId))
        // The line's position in its entry, from 0: lines read back in the order posted.
        .col(integer(JournalLines::LineNo))
        .col(big_integer(JournalLines::AccountId))
        .col(string_len(JournalLines::Side, 6))
        .col(big_integer(JournalLines::AmountCents))
        // Positive by construction (`BalancedEntry`); the CHECK is the backstop. A table
        // constraint: MariaDB refuses a named CHECK inside a column definition.
        .check((
            "ck_journal_lines_amount_positive",
            Expr::col(JournalLines::AmountCents).gt(0),
        ))
        .take();
    party_columns(&mut table, JournalLines::PartyKind, JournalLines::PartyId);
    table
        // A copy of the entry's date (entries are immutable, so it never drifts): per-account
        // sums over a range of dates read one index without joining the entries.
        .col(day(JournalLines::EntryDate))
        .foreign_key(&mut restrict(
            "fk_journal_lines_entry_id",
            (JournalLines::Table, JournalLines::EntryId),
            (JournalEntries::Table, JournalEntries::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_journal_lines_account_id",
            (JournalLines::Table, JournalLines::AccountId),
            (Accounts::Table, Accounts::Id),
        ))
        .take()
}

fn entry_reversals() -> TableCreateStatement {
    Table::create()
        .table(EntryReversals::Table)
        // The primary key is the guard against a double reversal: a second link for the same
        // original fails on it, even when two reversals race.
        .col(
            ColumnDef::new(EntryReversals::OriginalId)
                .big_integer()
                .not_null()
                .primary_key(),
        )
        .col(big_integer(EntryReversals::ReversalId))
        .foreign_key(&mut restrict(
            "fk_entry_reversals_original_id",
            (EntryReversals::Table, EntryReversals::OriginalId),
            (JournalEntries::Table, JournalEntries::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_entry_reversals_reversal_id",
            (EntryReversals::Table, EntryReversals::ReversalId),
            (JournalEntries::Table, JournalEntries::Id),
        ))
        .take()
}

fn payments() -> TableCreateStatement {
    let mut table = Table::create()
        .table(Payments::Table)
        .col(id(Payments::Id))
        .col(string_len(Payments::Direction, 3))
        .col(big_integer(Payments::MethodId))
        .col(big_integer(Payments::AmountCents))
        .take();
    party_columns(&mut table, Payments::PartyKind, Payments::PartyId);
    table
        .col(big_integer(Payments::CounterAccountId))
        .col(string_len_null(Payments::Reference, 100))
        .col(string_len_null(Payments::Note, 500))
        .col(day(Payments::PaymentDate))
        .col(big_integer(Payments::UserId))
        .col(instant(Payments::CreatedAt))
        .foreign_key(&mut restrict(
            "fk_payments_method_id",
            (Payments::Table, Payments::MethodId),
            (PaymentMethods::Table, PaymentMethods::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_payments_counter_account_id",
            (Payments::Table, Payments::CounterAccountId),
            (Accounts::Table, Accounts::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_payments_user_id",
            (Payments::Table, Payments::UserId),
            (Users::Table, Users::Id),
        ))
        .take()
}

fn expenses() -> TableCreateStatement {
    Table::create()
        .table(Expenses::Table)
        .col(id(Expenses::Id))
        .col(string_len(Expenses::Title, 120))
        .col(big_integer(Expenses::AmountCents))
        .col(big_integer(Expenses::CategoryId))
        .col(big_integer(Expenses::MethodId))
        .col(day(Expenses::ExpenseDate))
        .col(string_len_null(Expenses::Note, 500))
        .col(big_integer(Expenses::UserId))
        .col(instant(Expenses::CreatedAt))
        .foreign_key(&mut restrict(
            "fk_expenses_category_id",
            (Expenses::Table, Expenses::CategoryId),
            (ExpenseCategories::Table, ExpenseCategories::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_expenses_method_id",
            (Expenses::Table, Expenses::MethodId),
            (PaymentMethods::Table, PaymentMethods::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_expenses_user_id",
            (Expenses::Table, Expenses::UserId),
            (Users::Table, Users::Id),
        ))
        .take()
}

fn idempotency_keys(backend: DbBackend) -> TableCreateStatement {
    // A stored response body. MySQL's TEXT stops at 64 KiB, so MEDIUMTEXT there (16 MiB);
    // SQLite's TEXT has no such limit.
    let mut body = ColumnDef::new(IdempotencyKeys::Body);
    if backend == DbBackend::MySql {
        body.custom(Alias::new("MEDIUMTEXT"));
    } else {
        body.text();
    }
    // No foreign key to users: a record is a cache of a response, purged by age, and must
    // never stand in the way of anything else.
    Table::create()
        .table(IdempotencyKeys::Table)
        .col(id(IdempotencyKeys::Id))
        .col(big_integer(IdempotencyKeys::UserId))
        .col(string_len(IdempotencyKeys::IdemKey, 128))
        .col(string_len(IdempotencyKeys::RequestHash, 64))
        .col(integer(IdempotencyKeys::Status))
        .col(body.not_null())
        .col(instant(IdempotencyKeys::CreatedAt))
        .take()
}

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        unique("ux_accounts_code", Accounts::Table, [Accounts::Code]),
        unique(
            "ux_payment_methods_code",
            PaymentMethods::Table,
            [PaymentMethods::Code],
        ),
        unique(
            "ux_expense_categories_name",
            ExpenseCategories::Table,
            [ExpenseCategories::NameKey],
        ),
        // The journal in ledger order, and an entry's source.
        index(
            "ix_journal_entries_date",
            JournalEntries::Table,
            [JournalEntries::EntryDate, JournalEntries::Id],
        ),
        index(
            "ix_journal_entries_source",
            JournalEntries::Table,
            [JournalEntries::SourceKind, JournalEntries::SourceId],
        ),
        // An account's lines in ledger order: statements, range sums and the account filter
        // of the journal read this index alone.
        index(
            "ix_journal_lines_account",
            JournalLines::Table,
            [
                JournalLines::AccountId,
                JournalLines::EntryDate,
                JournalLines::EntryId,
                JournalLines::LineNo,
            ],
        ),
        index(
            "ix_journal_lines_party",
            JournalLines::Table,
            [JournalLines::PartyKind, JournalLines::PartyId],
        ),
        // An entry's lines in order; unique, so no two lines of an entry share a position.
        unique(
            "ux_journal_lines_entry_line",
            JournalLines::Table,
            [JournalLines::EntryId, JournalLines::LineNo],
        ),
        // One entry reverses at most one other.
        unique(
            "ux_entry_reversals_reversal",
            EntryReversals::Table,
            [EntryReversals::ReversalId],
        ),
        index(
            "ix_payments_date",
            Payments::Table,
            [Payments::PaymentDate, Payments::Id],
        ),
        index(
            "ix_payments_party",
            Payments::Table,
            [Payments::PartyKind, Payments::PartyId],
        ),
        index(
            "ix_expenses_date",
            Expenses::Table,
            [Expenses::ExpenseDate, Expenses::Id],
        ),
        index(
            "ix_expenses_category_id",
            Expenses::Table,
            [Expenses::CategoryId],
        ),
        unique(
            "ux_idempotency_user_key",
            IdempotencyKeys::Table,
            [IdempotencyKeys::UserId, IdempotencyKeys::IdemKey],
        ),
        index(
            "ix_idempotency_keys_created_at",
            IdempotencyKeys::Table,
            [IdempotencyKeys::CreatedAt],
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        // Referenced tables first, so every foreign key points at an existing table.
        let tables = [
            accounts(),
            payment_methods(),
            expense_categories(),
            journal_entries(),
            journal_lines(),
            entry_reversals(),
            payments(),
            expenses(),
            idempotency_keys(backend),
        ];
        for table in tables {
            manager
                .create_table(with_table_options(table, backend))
                .await?;
        }
        for index in indexes() {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Dependents first; dropping a table drops its indexes too.
        let tables = [
            IdempotencyKeys::Table.into_iden(),
            Expenses::Table.into_iden(),
            Payments::Table.into_iden(),
            EntryReversals::Table.into_iden(),
            JournalLines::Table.into_iden(),
            JournalEntries::Table.into_iden(),
            ExpenseCategories::Table.into_iden(),
            PaymentMethods::Table.into_iden(),
            Accounts::Table.into_iden(),
        ];
        for table in tables {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
