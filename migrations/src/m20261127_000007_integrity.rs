//! Books that no request can break. Existing data is brought in line: expenses reversed through
//! the journal become void, payment methods on control accounts are switched off, and unique
//! names get their NFKC keys. Failed logins are counted from the stored attempts by
//! every instance alike, by account and by address (two indexes). An expense is undone by voiding it, not by reversing its
//! entry through the journal, so the expense records when it was voided and the entry that
//! reversed it. A voided expense stays listed and counts in no total.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::big_integer_null;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Expenses {
    Table,
    VoidedAt,
    VoidEntryId,
}

#[derive(DeriveIden, Clone, Copy)]
enum LoginAttempts {
    Table,
    UserId,
    Identifier,
    Ip,
    At,
}

/// Failed logins are counted per account and per address over a window, by every instance
/// from the stored attempts: each count is one range scan of one of these.
fn login_indexes() -> Vec<IndexCreateStatement> {
    vec![
        Index::create()
            .name("ix_login_attempts_identifier_at")
            .table(LoginAttempts::Table)
            .col(LoginAttempts::Identifier)
            .col(LoginAttempts::At)
            .take(),
        Index::create()
            .name("ix_login_attempts_user_at")
            .table(LoginAttempts::Table)
            .col(LoginAttempts::UserId)
            .col(LoginAttempts::At)
            .take(),
        Index::create()
            .name("ix_login_attempts_ip_at")
            .table(LoginAttempts::Table)
            .col(LoginAttempts::Ip)
            .col(LoginAttempts::At)
            .take(),
    ]
}

/// The codes `pos_domain::ledger::chart::posted_only_by` names, as they stood at this step.
const CONTROL_CODES: [&str; 11] = [
    "1100", "1200", "2000", "2100", "3100", "4000", "4200", "4900", "4910", "5000", "5100",
];

const VOID_REVERSED_EXPENSES: &str = "UPDATE expenses SET \
    void_entry_id = (SELECT r.reversal_id FROM journal_entries e \
        JOIN entry_reversals r ON r.original_id = e.id \
        WHERE e.source_kind = 'expense' AND e.source_id = expenses.id), \
    voided_at = (SELECT v.created_at FROM journal_entries e \
        JOIN entry_reversals r ON r.original_id = e.id \
        JOIN journal_entries v ON v.id = r.reversal_id \
        WHERE e.source_kind = 'expense' AND e.source_id = expenses.id) \
    WHERE EXISTS (SELECT 1 FROM journal_entries e JOIN entry_reversals r ON r.original_id = e.id \
        WHERE e.source_kind = 'expense' AND e.source_id = expenses.id)";

fn false_literal(backend: sea_orm_migration::sea_orm::DbBackend) -> &'static str {
    match backend {
        sea_orm_migration::sea_orm::DbBackend::MySql => "FALSE",
        _ => "0",
    }
}

/// Unique names now compare after NFKC and case folding (`pos_domain::text::comparison_key`):
/// the stored keys are computed again. Two names that now collide fail the step on the unique
/// index, naming it, rather than being merged behind the shop's back.
async fn rekey_names(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
    let backend = db.get_database_backend();
    for table in ["brands", "categories", "tax_rates", "expense_categories"] {
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                format!("SELECT id, name FROM {table}"),
            ))
            .await?;
        for row in rows {
            let id: i64 = row.try_get("", "id")?;
            let name: String = row.try_get("", "name")?;
            let key = pos_domain::text::comparison_key(&name);
            db.execute_raw(Statement::from_sql_and_values(
                backend,
                format!("UPDATE {table} SET name_key = ? WHERE id = ?"),
                [key.into(), id.into()],
            ))
            .await?;
        }
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one column at a time.
        for column in [Expenses::VoidedAt, Expenses::VoidEntryId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Expenses::Table)
                        .add_column(big_integer_null(column))
                        .take(),
                )
                .await?;
        }
        for index in login_indexes() {
            manager.create_index(index).await?;
        }
        let db = manager.get_connection();
        // Expenses whose entry was reversed through the journal (allowed before this step) are
        // the void expenses they always were in the books.
        db.execute_unprepared(VOID_REVERSED_EXPENSES).await?;
        // Payment methods that post to a control account would post it from every sale: they
        // are switched off (an admin can point a new method at a cash-like account).
        db.execute_unprepared(&format!(
            "UPDATE payment_methods SET active = {} WHERE account_id IN \
             (SELECT id FROM accounts WHERE code IN ({}))",
            false_literal(manager.get_database_backend()),
            CONTROL_CODES
                .iter()
                .map(|c| format!("'{c}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .await?;
        rekey_names(db).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "ix_login_attempts_identifier_at",
            "ix_login_attempts_user_at",
            "ix_login_attempts_ip_at",
        ] {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table(LoginAttempts::Table)
                        .to_owned(),
                )
                .await?;
        }
        for column in [Expenses::VoidEntryId, Expenses::VoidedAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Expenses::Table)
                        .drop_column(column)
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}
