//! What the reports read: dated return records, and the sale's date, seller, customer and FIFO
//! cost copied onto each sale line, so that every report is one index range scan of one table
//! grouped by what it reports on (a day, a product, a seller, a customer, a tax rate).
//!
//! Until this step a return only added to `sale_lines.returned_e3`, which says how much came back
//! but not when: a report of "returns in March" could not be answered. Returns are now history
//! rows of their own (`sale_returns`, `sale_return_lines`) carrying the exact refund, tax and
//! cost the books were posted with. Returns made before this step have no such rows (no shop
//! ran on the earlier schema).
//!
//! The copied columns are filled from `sales` and `sale_line_lots` for existing rows; the
//! adapter writes them with every new line. They never change after the sale.

use crate::conventions::{day, foreign_key, id, index, instant, with_table_options};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, big_integer_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Created by earlier migrations; only referenced here.
#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Sales {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum SaleLines {
    Table,
    Id,
    SaleDate,
    UserId,
    CustomerId,
    ProductId,
    CostCents,
}

#[derive(DeriveIden, Clone, Copy)]
enum SaleReturns {
    Table,
    Id,
    SaleId,
    ReturnDate,
    /// Who took the return back.
    UserId,
    /// Who made the sale, and to whom: returns count against the sale's seller and customer.
    SellerId,
    CustomerId,
    RefundCents,
    TaxCents,
    CostCents,
    CreditedCents,
    RefundedCents,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SaleReturnLines {
    Table,
    Id,
    ReturnId,
    SaleLineId,
    ProductId,
    #[sea_orm(iden = "tax_rate_e4")]
    TaxRateE4,
    #[sea_orm(iden = "quantity_e3")]
    QuantityE3,
    RefundCents,
    TaxCents,
    CostCents,
    Restocked,
}

fn restrict(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    foreign_key(name, from, to, ForeignKeyAction::Restrict)
}

fn nonneg<T: IntoIden + Copy>(
    table: &mut TableCreateStatement,
    prefix: &str,
    columns: &[(&str, T)],
) {
    for (name, column) in columns {
        table.check((
            format!("ck_{prefix}_{name}_nonneg"),
            Expr::col(*column).gte(0),
        ));
    }
}

fn sale_returns() -> TableCreateStatement {
    use SaleReturns as R;
    let mut table = Table::create()
        .table(R::Table)
        .col(id(R::Id))
        .col(big_integer(R::SaleId))
        .col(day(R::ReturnDate))
        .col(big_integer(R::UserId))
        .col(big_integer(R::SellerId))
        .col(big_integer_null(R::CustomerId))
        // Refund (tax included) and its tax; the FIFO cost of the units; how the refund was
        // settled: taken off the sale's due (credited) and paid back (refunded).
        .col(big_integer(R::RefundCents))
        .col(big_integer(R::TaxCents))
        .col(big_integer(R::CostCents))
        .col(big_integer(R::CreditedCents))
        .col(big_integer(R::RefundedCents))
        .col(instant(R::CreatedAt))
        .check((
            "ck_sale_returns_settled",
            Expr::col(R::CreditedCents)
                .add(Expr::col(R::RefundedCents))
                .eq(Expr::col(R::RefundCents)),
        ))
        .foreign_key(&mut restrict(
            "fk_sale_returns_sale_id",
            (R::Table, R::SaleId),
            (Sales::Table, Sales::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_sale_returns_user_id",
            (R::Table, R::UserId),
            (Users::Table, Users::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_sale_returns_seller_id",
            (R::Table, R::SellerId),
            (Users::Table, Users::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_sale_returns_customer_id",
            (R::Table, R::CustomerId),
            (Customers::Table, Customers::Id),
        ))
        .take();
    nonneg(
        &mut table,
        "sale_returns",
        &[
            ("refund", R::RefundCents),
            ("tax", R::TaxCents),
            ("cost", R::CostCents),
            ("credited", R::CreditedCents),
            ("refunded", R::RefundedCents),
        ],
    );
    table
}

fn sale_return_lines() -> TableCreateStatement {
    use SaleReturnLines as L;
    let mut table = Table::create()
        .table(L::Table)
        .col(id(L::Id))
        .col(big_integer(L::ReturnId))
        .col(big_integer(L::SaleLineId))
        .col(big_integer(L::ProductId))
        .col(big_integer_null(L::TaxRateE4))
        .col(big_integer(L::QuantityE3))
        .col(big_integer(L::RefundCents))
        .col(big_integer(L::TaxCents))
        .col(big_integer(L::CostCents))
        // Back on the shelf, or written off (damaged goods).
        .col(ColumnDef::new(L::Restocked).boolean().not_null())
        .check((
            "ck_sale_return_lines_quantity_pos",
            Expr::col(L::QuantityE3).gt(0),
        ))
        .foreign_key(&mut restrict(
            "fk_sale_return_lines_return_id",
            (L::Table, L::ReturnId),
            (SaleReturns::Table, SaleReturns::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_sale_return_lines_sale_line_id",
            (L::Table, L::SaleLineId),
            (SaleLines::Table, SaleLines::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_sale_return_lines_product_id",
            (L::Table, L::ProductId),
            (Products::Table, Products::Id),
        ))
        .take();
    nonneg(
        &mut table,
        "sale_return_lines",
        &[
            ("refund", L::RefundCents),
            ("tax", L::TaxCents),
            ("cost", L::CostCents),
        ],
    );
    table
}

/// The copied columns, one `ALTER` each (SQLite adds one column per statement). Defaults only
/// exist so existing rows can take the column; the backfill below replaces them.
fn sale_line_columns() -> Vec<TableAlterStatement> {
    let add = |column: ColumnDef| {
        Table::alter()
            .table(SaleLines::Table)
            .add_column(column)
            .take()
    };
    vec![
        add(ColumnDef::new(SaleLines::SaleDate)
            .integer()
            .not_null()
            .default(0)
            .take()),
        add(ColumnDef::new(SaleLines::UserId)
            .big_integer()
            .not_null()
            .default(0)
            .take()),
        add(ColumnDef::new(SaleLines::CustomerId)
            .big_integer()
            .null()
            .take()),
        add(ColumnDef::new(SaleLines::CostCents)
            .big_integer()
            .not_null()
            .default(0)
            .take()),
    ]
}

/// Portable SQL (a correlated subquery per column) that both backends run as written.
const BACKFILL: &str = "UPDATE sale_lines SET \
     sale_date = (SELECT s.sale_date FROM sales s WHERE s.id = sale_lines.sale_id), \
     user_id = (SELECT s.user_id FROM sales s WHERE s.id = sale_lines.sale_id), \
     customer_id = (SELECT s.customer_id FROM sales s WHERE s.id = sale_lines.sale_id), \
     cost_cents = COALESCE((SELECT SUM(t.cost_cents) FROM sale_line_lots t \
                            WHERE t.sale_line_id = sale_lines.id), 0)";

fn indexes() -> Vec<IndexCreateStatement> {
    use SaleLines as L;
    vec![
        // Sales by day and by product over a range of days.
        index(
            "ix_sale_lines_date_product",
            L::Table,
            [L::SaleDate, L::ProductId],
        ),
        // One seller's or one customer's lines over a range of days.
        index(
            "ix_sale_lines_user_date",
            L::Table,
            [L::UserId, L::SaleDate],
        ),
        index(
            "ix_sale_lines_customer_date",
            L::Table,
            [L::CustomerId, L::SaleDate],
        ),
        index(
            "ix_sale_returns_date",
            SaleReturns::Table,
            [SaleReturns::ReturnDate, SaleReturns::Id],
        ),
        index(
            "ix_sale_returns_sale",
            SaleReturns::Table,
            [SaleReturns::SaleId],
        ),
        index(
            "ix_sale_return_lines_return",
            SaleReturnLines::Table,
            [SaleReturnLines::ReturnId],
        ),
        index(
            "ix_sale_return_lines_product",
            SaleReturnLines::Table,
            [SaleReturnLines::ProductId],
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        for table in [sale_returns(), sale_return_lines()] {
            manager
                .create_table(with_table_options(table, backend))
                .await?;
        }
        for alter in sale_line_columns() {
            manager.alter_table(alter).await?;
        }
        manager
            .get_connection()
            .execute_unprepared(BACKFILL)
            .await?;
        for index in indexes() {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use SaleLines as L;
        for name in [
            "ix_sale_lines_date_product",
            "ix_sale_lines_user_date",
            "ix_sale_lines_customer_date",
        ] {
            manager
                .drop_index(Index::drop().name(name).table(L::Table).to_owned())
                .await?;
        }
        for column in [L::SaleDate, L::UserId, L::CustomerId, L::CostCents] {
            manager
                .alter_table(Table::alter().table(L::Table).drop_column(column).take())
                .await?;
        }
        for table in [
            SaleReturnLines::Table.into_iden(),
            SaleReturns::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
