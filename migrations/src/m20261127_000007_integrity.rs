//! Books that no request can break: an expense is undone by voiding it, not by reversing its
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
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
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
