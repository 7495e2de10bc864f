//! Cash sessions at every register.
//!
//! - `cash_sessions`: a register's drawer from its opening float to the count that closes it.
//!   `open_register_id` holds the register's id while the session is open and NULL once it is
//!   closed; being unique, it lets a register have at most one open session, whoever races to
//!   open one. A closed session keeps its Z number (gapless per register, from
//!   `registers.last_z_number`), the expected cash fixed at the close, the counted cash, and
//!   the entry that posted the differences.
//! - `cash_session_methods`: per non-cash method, what the session posted and what the terminal
//!   or wallet reported at the close. The differences' entry is the session's `session_close`
//!   entry (its source id is the session's).
//! - `cash_reasons`: why cash is paid in or out (petty cash, bank deposit...), each mapped to
//!   the account it posts against: data a shop extends.
//! - `cash_movements`: cash paid in or out of a drawer; each one's entry is the
//!   `cash_movement` entry with its id as source id.
//! - `journal_entries.cash_session_id`: the session an entry was posted in (a sale, a return, a
//!   movement, the close), so the expected cash of a session is its float plus its cash lines
//!   in the ledger and nothing else, and its documents are the sources of its entries.

use crate::conventions::{
    add_column, foreign_key, id, index, instant, instant_null, unique, with_table_options,
};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, boolean, string_len, string_len_null, text_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum CashSessions {
    Table,
    Id,
    RegisterId,
    OpenRegisterId,
    OpenedBy,
    OpenedAt,
    FloatCents,
    FloatCount,
    Blind,
    Automatic,
    ZNumber,
    ClosedBy,
    ClosedAt,
    ExpectedCents,
    CountedCents,
    CountedCount,
}

#[derive(DeriveIden, Clone, Copy)]
enum CashSessionMethods {
    Table,
    SessionId,
    MethodCode,
    AccountId,
    ExpectedCents,
    ReportedCents,
}

#[derive(DeriveIden, Clone, Copy)]
enum CashReasons {
    Table,
    Id,
    Code,
    Name,
    Direction,
    AccountId,
    Active,
}

#[derive(DeriveIden, Clone, Copy)]
enum CashMovements {
    Table,
    Id,
    SessionId,
    RegisterId,
    ReasonId,
    Direction,
    AmountCents,
    Note,
    UserId,
    Day,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Registers {
    Table,
    Id,
    LastZNumber,
}

#[derive(DeriveIden, Clone, Copy)]
enum JournalEntries {
    Table,
    CashSessionId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Accounts {
    Table,
    Id,
}

fn cash_sessions() -> TableCreateStatement {
    use CashSessions as S;
    let open = Expr::col(S::OpenRegisterId)
        .eq(Expr::col(S::RegisterId))
        .and(Expr::col(S::ZNumber).is_null())
        .and(Expr::col(S::ClosedAt).is_null())
        .and(Expr::col(S::ExpectedCents).is_null())
        .and(Expr::col(S::CountedCents).is_null());
    let closed = Expr::col(S::OpenRegisterId)
        .is_null()
        .and(Expr::col(S::ZNumber).gte(1))
        .and(Expr::col(S::ClosedBy).is_not_null())
        .and(Expr::col(S::ClosedAt).is_not_null())
        .and(Expr::col(S::ExpectedCents).is_not_null())
        .and(Expr::col(S::CountedCents).gte(0));
    Table::create()
        .table(S::Table)
        .col(id(S::Id))
        .col(big_integer(S::RegisterId))
        .col(big_integer_null(S::OpenRegisterId))
        .col(big_integer(S::OpenedBy))
        .col(instant(S::OpenedAt))
        .col(big_integer(S::FloatCents))
        .col(text_null(S::FloatCount))
        .col(boolean(S::Blind).default(false))
        .col(boolean(S::Automatic).default(false))
        .col(big_integer_null(S::ZNumber))
        .col(big_integer_null(S::ClosedBy))
        .col(instant_null(S::ClosedAt))
        .col(big_integer_null(S::ExpectedCents))
        .col(big_integer_null(S::CountedCents))
        .col(text_null(S::CountedCount))
        .check(("ck_cash_sessions_float", Expr::col(S::FloatCents).gte(0)))
        .check(("ck_cash_sessions_open_or_closed", open.or(closed)))
        .foreign_key(&mut foreign_key(
            "fk_cash_sessions_register",
            (S::Table, S::RegisterId),
            (Registers::Table, Registers::Id),
            ForeignKeyAction::Restrict,
        ))
        .foreign_key(&mut foreign_key(
            "fk_cash_sessions_opened_by",
            (S::Table, S::OpenedBy),
            (Users::Table, Users::Id),
            ForeignKeyAction::Restrict,
        ))
        .take()
}

fn cash_session_methods() -> TableCreateStatement {
    use CashSessionMethods as M;
    Table::create()
        .table(M::Table)
        .col(big_integer(M::SessionId))
        .col(string_len(M::MethodCode, 32))
        .col(big_integer(M::AccountId))
        .col(big_integer(M::ExpectedCents))
        .col(big_integer(M::ReportedCents))
        .primary_key(Index::create().col(M::SessionId).col(M::MethodCode))
        .check((
            "ck_cash_session_methods_reported",
            Expr::col(M::ReportedCents).gte(0),
        ))
        .foreign_key(&mut foreign_key(
            "fk_cash_session_methods_session",
            (M::Table, M::SessionId),
            (CashSessions::Table, CashSessions::Id),
            ForeignKeyAction::Restrict,
        ))
        .take()
}

fn cash_reasons() -> TableCreateStatement {
    use CashReasons as R;
    Table::create()
        .table(R::Table)
        .col(id(R::Id))
        .col(string_len(R::Code, 32))
        .col(string_len(R::Name, 120))
        .col(string_len(R::Direction, 3))
        .col(big_integer(R::AccountId))
        .col(boolean(R::Active).default(true))
        .check((
            "ck_cash_reasons_direction",
            Expr::col(R::Direction).is_in(["in", "out"]),
        ))
        .foreign_key(&mut foreign_key(
            "fk_cash_reasons_account",
            (R::Table, R::AccountId),
            (Accounts::Table, Accounts::Id),
            ForeignKeyAction::Restrict,
        ))
        .take()
}

fn cash_movements() -> TableCreateStatement {
    use CashMovements as M;
    Table::create()
        .table(M::Table)
        .col(id(M::Id))
        .col(big_integer(M::SessionId))
        .col(big_integer(M::RegisterId))
        .col(big_integer(M::ReasonId))
        .col(string_len(M::Direction, 3))
        .col(big_integer(M::AmountCents))
        .col(string_len_null(M::Note, 500))
        .col(big_integer(M::UserId))
        .col(ColumnDef::new(M::Day).integer().not_null())
        .col(instant(M::CreatedAt))
        .check(("ck_cash_movements_amount", Expr::col(M::AmountCents).gt(0)))
        .check((
            "ck_cash_movements_direction",
            Expr::col(M::Direction).is_in(["in", "out"]),
        ))
        .foreign_key(&mut foreign_key(
            "fk_cash_movements_session",
            (M::Table, M::SessionId),
            (CashSessions::Table, CashSessions::Id),
            ForeignKeyAction::Restrict,
        ))
        .foreign_key(&mut foreign_key(
            "fk_cash_movements_reason",
            (M::Table, M::ReasonId),
            (CashReasons::Table, CashReasons::Id),
            ForeignKeyAction::Restrict,
        ))
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        add_column(
            manager,
            Registers::Table,
            big_integer(Registers::LastZNumber).default(0).take(),
        )
        .await?;
        for table in [
            cash_sessions(),
            cash_session_methods(),
            cash_reasons(),
            cash_movements(),
        ] {
            manager
                .create_table(with_table_options(table, backend))
                .await?;
        }
        manager
            .create_index(unique(
                "ux_cash_sessions_open",
                CashSessions::Table,
                [CashSessions::OpenRegisterId],
            ))
            .await?;
        manager
            .create_index(unique(
                "ux_cash_sessions_z",
                CashSessions::Table,
                [CashSessions::RegisterId, CashSessions::ZNumber],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_cash_sessions_opened",
                CashSessions::Table,
                [CashSessions::OpenedAt],
            ))
            .await?;
        manager
            .create_index(unique(
                "ux_cash_reasons_code",
                CashReasons::Table,
                [CashReasons::Code],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_cash_movements_session",
                CashMovements::Table,
                [CashMovements::SessionId],
            ))
            .await?;
        add_column(
            manager,
            JournalEntries::Table,
            big_integer_null(JournalEntries::CashSessionId),
        )
        .await?;
        manager
            .create_index(index(
                "ix_journal_entries_cash_session",
                JournalEntries::Table,
                [JournalEntries::CashSessionId],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        manager
            .drop_index(
                Index::drop()
                    .name("ix_journal_entries_cash_session")
                    .table(JournalEntries::Table)
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared("ALTER TABLE journal_entries DROP COLUMN cash_session_id")
            .await?;
        for table in [
            "cash_movements",
            "cash_reasons",
            "cash_session_methods",
            "cash_sessions",
        ] {
            db.execute_unprepared(&format!("DROP TABLE {table}"))
                .await?;
        }
        db.execute_unprepared("ALTER TABLE registers DROP COLUMN last_z_number")
            .await?;
        Ok(())
    }
}
