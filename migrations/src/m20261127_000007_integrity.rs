//! Books that no request can break. Failed logins are counted from the stored attempts by
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
            .name("ix_login_attempts_ip_at")
            .table(LoginAttempts::Table)
            .col(LoginAttempts::Ip)
            .col(LoginAttempts::At)
            .take(),
    ]
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
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["ix_login_attempts_identifier_at", "ix_login_attempts_ip_at"] {
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
