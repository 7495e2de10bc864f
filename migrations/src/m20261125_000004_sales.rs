//! The counter: customers, the gapless sale-number counter, sales with their lines, the FIFO
//! lots each line's units left and the payments taken, and held (parked) carts.
//!
//! Encodings as everywhere (see the crate docs): money in cents, quantities in thousandths
//! (`_e3`), percentages in ten-thousandths (`_e4`), sale dates as Julian day numbers, instants
//! in microseconds. Every CHECK is a named table constraint (MariaDB refuses a named CHECK in a
//! column definition).
//!
//! Sales are history: nothing a sale refers to may disappear (RESTRICT). A held sale is a
//! scratch cart: its lines go with it (CASCADE).

use crate::conventions::{day, foreign_key, id, index, instant, unique, with_table_options};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, boolean, integer, string_len, string_len_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Created by the first migration; only referenced here.
#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

/// Created by the first migration; only referenced here.
#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}

/// Created by the ledger migration; only referenced here.
#[derive(DeriveIden)]
enum PaymentMethods {
    Table,
    Id,
}

/// Created by the purchasing migration; only referenced here.
#[derive(DeriveIden)]
enum Lots {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
    Name,
    Phone,
    AltPhone,
    Email,
    #[sea_orm(iden = "address_line1")]
    AddressLine1,
    #[sea_orm(iden = "address_line2")]
    AddressLine2,
    City,
    Region,
    PostalCode,
    Country,
    CreditLimitCents,
    Note,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SaleCounter {
    Table,
    Id,
    LastNumber,
}

#[derive(DeriveIden)]
enum Sales {
    Table,
    Id,
    Number,
    SaleDate,
    CustomerId,
    UserId,
    Status,
    SubtotalCents,
    DiscountCents,
    TaxCents,
    TotalCents,
    TenderedCents,
    ChangeCents,
    PaidCents,
    CreditedCents,
    RefundedCents,
    Note,
    CreatedAt,
}

/// `Copy`: CHECK helpers use a column more than once.
#[derive(DeriveIden, Clone, Copy)]
enum SaleLines {
    Table,
    Id,
    SaleId,
    LineNo,
    ProductId,
    #[sea_orm(iden = "quantity_e3")]
    QuantityE3,
    UnitPriceCents,
    #[sea_orm(iden = "tax_rate_e4")]
    TaxRateE4,
    TaxMode,
    GrossCents,
    LineDiscountCents,
    OrderDiscountCents,
    TaxCents,
    TotalCents,
    #[sea_orm(iden = "returned_e3")]
    ReturnedE3,
}

#[derive(DeriveIden)]
enum SaleLineLots {
    Table,
    Id,
    SaleLineId,
    TakeNo,
    LotId,
    #[sea_orm(iden = "quantity_e3")]
    QuantityE3,
    CostCents,
}

#[derive(DeriveIden)]
enum SalePayments {
    Table,
    Id,
    SaleId,
    MethodId,
    AmountCents,
}

/// `Copy`: CHECK helpers use a column more than once.
#[derive(DeriveIden, Clone, Copy)]
enum HeldSales {
    Table,
    Id,
    CustomerId,
    UserId,
    OrderDiscountKind,
    OrderDiscountValue,
    Note,
    CreatedAt,
}

/// `Copy`: CHECK helpers use a column more than once.
#[derive(DeriveIden, Clone, Copy)]
enum HeldSaleLines {
    Table,
    Id,
    HeldSaleId,
    LineNo,
    ProductId,
    #[sea_orm(iden = "quantity_e3")]
    QuantityE3,
    DiscountKind,
    DiscountValue,
    UnitPriceCents,
}

fn restrict(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    foreign_key(name, from, to, ForeignKeyAction::Restrict)
}

/// `(a IS NULL AND b IS NULL) OR (a IS NOT NULL AND b IS NOT NULL)`: two columns that only
/// mean something together (a rate and its mode, a discount's kind and value).
fn both_or_neither(a: impl IntoIden + Copy, b: impl IntoIden + Copy) -> SimpleExpr {
    Expr::col(a)
        .is_null()
        .and(Expr::col(b).is_null())
        .or(Expr::col(a).is_not_null().and(Expr::col(b).is_not_null()))
}

/// A discount's kind: `amount` (the value is cents) or `percent` (ten-thousandths of a
/// percent), and a value that is never negative. NULLs pass (no discount).
fn discount_checks(
    table: &mut TableCreateStatement,
    prefix: &str,
    kind: impl IntoIden + Copy,
    value: impl IntoIden + Copy,
) {
    table
        .check((
            format!("ck_{prefix}_kind"),
            Expr::col(kind).is_in(["amount", "percent"]),
        ))
        .check((format!("ck_{prefix}_value_nonneg"), Expr::col(value).gte(0)))
        .check((format!("ck_{prefix}_pair"), both_or_neither(kind, value)));
}

fn customers() -> TableCreateStatement {
    let optional = |column: Customers| string_len_null(column, 120);
    Table::create()
        .table(Customers::Table)
        .col(id(Customers::Id))
        .col(string_len(Customers::Name, 120))
        .col(string_len_null(Customers::Phone, 32))
        .col(string_len_null(Customers::AltPhone, 32))
        .col(string_len_null(Customers::Email, 254))
        .col(optional(Customers::AddressLine1))
        .col(optional(Customers::AddressLine2))
        .col(optional(Customers::City))
        .col(optional(Customers::Region))
        .col(optional(Customers::PostalCode))
        .col(optional(Customers::Country))
        // NULL: no credit is given (not "unlimited").
        .col(big_integer_null(Customers::CreditLimitCents))
        .col(string_len_null(Customers::Note, 1000))
        .col(boolean(Customers::Active).default(true))
        .col(instant(Customers::CreatedAt))
        .col(instant(Customers::UpdatedAt))
        .check((
            "ck_customers_credit_limit_nonneg",
            Expr::col(Customers::CreditLimitCents).gte(0),
        ))
        .take()
}

/// One row, id 1: the last sale number handed out. Taking a number is an UPDATE of this row
/// inside the sale's transaction, so a rolled-back sale gives its number back (no gaps) and on
/// MySQL a second sale waits on the row lock until the first commits (no duplicates).
fn sale_counter() -> TableCreateStatement {
    Table::create()
        .table(SaleCounter::Table)
        .col(
            ColumnDef::new(SaleCounter::Id)
                .big_integer()
                .not_null()
                .primary_key(),
        )
        .col(big_integer(SaleCounter::LastNumber))
        .check(("ck_sale_counter_one_row", Expr::col(SaleCounter::Id).eq(1)))
        .check((
            "ck_sale_counter_last_nonneg",
            Expr::col(SaleCounter::LastNumber).gte(0),
        ))
        .take()
}

fn sales() -> TableCreateStatement {
    let col = |c: Sales| Expr::col(c);
    let mut table = Table::create()
        .table(Sales::Table)
        .col(id(Sales::Id))
        // The place in the gapless invoice sequence (printed as INV-000042).
        .col(big_integer(Sales::Number))
        .col(day(Sales::SaleDate))
        // NULL: a walk-in customer.
        .col(big_integer_null(Sales::CustomerId))
        .col(big_integer(Sales::UserId))
        // `SaleStatus::as_str`; the longest, `partially_refunded`, has 18 characters.
        .col(string_len(Sales::Status, 20))
        .col(big_integer(Sales::SubtotalCents))
        .col(big_integer(Sales::DiscountCents))
        .col(big_integer(Sales::TaxCents))
        .col(big_integer(Sales::TotalCents))
        .col(big_integer(Sales::TenderedCents))
        .col(big_integer(Sales::ChangeCents))
        // Paid at the counter and by later payments; credited (taken off the due) and refunded
        // (paid back) by returns. They only grow, by increments in the adapter.
        .col(big_integer(Sales::PaidCents).default(0))
        .col(big_integer(Sales::CreditedCents).default(0))
        .col(big_integer(Sales::RefundedCents).default(0))
        .col(string_len_null(Sales::Note, 500))
        .col(instant(Sales::CreatedAt))
        // A payment racing another can never settle more than the total, even if a use case
        // forgot to lock the sale first.
        .check((
            "ck_sales_settled_le_total",
            col(Sales::PaidCents)
                .add(col(Sales::CreditedCents))
                .lte(col(Sales::TotalCents)),
        ))
        .foreign_key(&mut restrict(
            "fk_sales_customer_id",
            (Sales::Table, Sales::CustomerId),
            (Customers::Table, Customers::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_sales_user_id",
            (Sales::Table, Sales::UserId),
            (Users::Table, Users::Id),
        ))
        .take();
    let amounts = [
        ("subtotal", Sales::SubtotalCents),
        ("discount", Sales::DiscountCents),
        ("tax", Sales::TaxCents),
        ("total", Sales::TotalCents),
        ("tendered", Sales::TenderedCents),
        ("change", Sales::ChangeCents),
        ("paid", Sales::PaidCents),
        ("credited", Sales::CreditedCents),
        ("refunded", Sales::RefundedCents),
    ];
    for (name, column) in amounts {
        table.check((format!("ck_sales_{name}_nonneg"), col(column).gte(0)));
    }
    table
}

fn sale_lines() -> TableCreateStatement {
    let col = |c: SaleLines| Expr::col(c);
    Table::create()
        .table(SaleLines::Table)
        .col(id(SaleLines::Id))
        .col(big_integer(SaleLines::SaleId))
        // The line's position in its sale, from 0: lines read back in the order sold.
        .col(integer(SaleLines::LineNo))
        .col(big_integer(SaleLines::ProductId))
        .col(big_integer(SaleLines::QuantityE3))
        .col(big_integer(SaleLines::UnitPriceCents))
        // The rate and mode the line was taxed at, kept because the product's rate may change;
        // both NULL for an untaxed line.
        .col(big_integer_null(SaleLines::TaxRateE4))
        .col(string_len_null(SaleLines::TaxMode, 9))
        .col(big_integer(SaleLines::GrossCents))
        .col(big_integer(SaleLines::LineDiscountCents))
        .col(big_integer(SaleLines::OrderDiscountCents))
        .col(big_integer(SaleLines::TaxCents))
        .col(big_integer(SaleLines::TotalCents))
        .col(big_integer(SaleLines::ReturnedE3).default(0))
        .check((
            "ck_sale_lines_tax_pair",
            both_or_neither(SaleLines::TaxRateE4, SaleLines::TaxMode),
        ))
        // More units can never come back than were sold, however returns race.
        .check((
            "ck_sale_lines_returned_range",
            col(SaleLines::ReturnedE3)
                .gte(0)
                .and(col(SaleLines::ReturnedE3).lte(col(SaleLines::QuantityE3))),
        ))
        .foreign_key(&mut restrict(
            "fk_sale_lines_sale_id",
            (SaleLines::Table, SaleLines::SaleId),
            (Sales::Table, Sales::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_sale_lines_product_id",
            (SaleLines::Table, SaleLines::ProductId),
            (Products::Table, Products::Id),
        ))
        .take()
}

/// The FIFO takes of a sale line: which lots its units left and at what cost, in take order.
/// Returns put units back into these lots.
fn sale_line_lots() -> TableCreateStatement {
    Table::create()
        .table(SaleLineLots::Table)
        .col(id(SaleLineLots::Id))
        .col(big_integer(SaleLineLots::SaleLineId))
        .col(integer(SaleLineLots::TakeNo))
        .col(big_integer(SaleLineLots::LotId))
        .col(big_integer(SaleLineLots::QuantityE3))
        .col(big_integer(SaleLineLots::CostCents))
        .foreign_key(&mut restrict(
            "fk_sale_line_lots_sale_line_id",
            (SaleLineLots::Table, SaleLineLots::SaleLineId),
            (SaleLines::Table, SaleLines::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_sale_line_lots_lot_id",
            (SaleLineLots::Table, SaleLineLots::LotId),
            (Lots::Table, Lots::Id),
        ))
        .take()
}

/// What each method kept at the counter (cash net of change), one row per method used. Later
/// payments of a due are ledger payments, not rows here.
fn sale_payments() -> TableCreateStatement {
    Table::create()
        .table(SalePayments::Table)
        .col(id(SalePayments::Id))
        .col(big_integer(SalePayments::SaleId))
        .col(big_integer(SalePayments::MethodId))
        .col(big_integer(SalePayments::AmountCents))
        .check((
            "ck_sale_payments_amount_nonneg",
            Expr::col(SalePayments::AmountCents).gte(0),
        ))
        .foreign_key(&mut restrict(
            "fk_sale_payments_sale_id",
            (SalePayments::Table, SalePayments::SaleId),
            (Sales::Table, Sales::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_sale_payments_method_id",
            (SalePayments::Table, SalePayments::MethodId),
            (PaymentMethods::Table, PaymentMethods::Id),
        ))
        .take()
}

fn held_sales() -> TableCreateStatement {
    let mut table = Table::create()
        .table(HeldSales::Table)
        .col(id(HeldSales::Id))
        .col(big_integer_null(HeldSales::CustomerId))
        .col(big_integer(HeldSales::UserId))
        // `amount` or `percent`, and its value in cents or ten-thousandths of a percent.
        .col(string_len_null(HeldSales::OrderDiscountKind, 7))
        .col(big_integer_null(HeldSales::OrderDiscountValue))
        .col(string_len_null(HeldSales::Note, 500))
        .col(instant(HeldSales::CreatedAt))
        .foreign_key(&mut restrict(
            "fk_held_sales_customer_id",
            (HeldSales::Table, HeldSales::CustomerId),
            (Customers::Table, Customers::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_held_sales_user_id",
            (HeldSales::Table, HeldSales::UserId),
            (Users::Table, Users::Id),
        ))
        .take();
    discount_checks(
        &mut table,
        "held_sales_order_discount",
        HeldSales::OrderDiscountKind,
        HeldSales::OrderDiscountValue,
    );
    table
}

fn held_sale_lines() -> TableCreateStatement {
    let mut table = Table::create()
        .table(HeldSaleLines::Table)
        .col(id(HeldSaleLines::Id))
        .col(big_integer(HeldSaleLines::HeldSaleId))
        .col(integer(HeldSaleLines::LineNo))
        .col(big_integer(HeldSaleLines::ProductId))
        .col(big_integer(HeldSaleLines::QuantityE3))
        .col(string_len_null(HeldSaleLines::DiscountKind, 7))
        .col(big_integer_null(HeldSaleLines::DiscountValue))
        // A manager's price override, checked again when the cart is completed.
        .col(big_integer_null(HeldSaleLines::UnitPriceCents))
        .foreign_key(&mut foreign_key(
            "fk_held_sale_lines_held_sale_id",
            (HeldSaleLines::Table, HeldSaleLines::HeldSaleId),
            (HeldSales::Table, HeldSales::Id),
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut restrict(
            "fk_held_sale_lines_product_id",
            (HeldSaleLines::Table, HeldSaleLines::ProductId),
            (Products::Table, Products::Id),
        ))
        .take();
    discount_checks(
        &mut table,
        "held_sale_lines_discount",
        HeldSaleLines::DiscountKind,
        HeldSaleLines::DiscountValue,
    );
    table
}

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        // Not unique: two customers may share a name.
        index("ix_customers_name", Customers::Table, [Customers::Name]),
        // The backstop of the counter: a number is never used twice. No port error names it
        // (the counter cannot hand one out twice), so a clash reads as a bug.
        unique("ux_sales_number", Sales::Table, [Sales::Number]),
        index("ix_sales_date", Sales::Table, [Sales::SaleDate, Sales::Id]),
        // A customer's sales by date: open sales oldest first (locked by payments), statements,
        // totals.
        index(
            "ix_sales_customer_date",
            Sales::Table,
            [Sales::CustomerId, Sales::SaleDate, Sales::Id],
        ),
        index(
            "ix_sales_user_date",
            Sales::Table,
            [Sales::UserId, Sales::SaleDate, Sales::Id],
        ),
        index("ix_sales_status", Sales::Table, [Sales::Status]),
        // A sale's lines in order; unique, so no two lines share a position.
        unique(
            "ux_sale_lines_sale_line",
            SaleLines::Table,
            [SaleLines::SaleId, SaleLines::LineNo],
        ),
        index(
            "ix_sale_lines_product",
            SaleLines::Table,
            [SaleLines::ProductId],
        ),
        unique(
            "ux_sale_line_lots_line_take",
            SaleLineLots::Table,
            [SaleLineLots::SaleLineId, SaleLineLots::TakeNo],
        ),
        // Which sales took from a lot.
        index(
            "ix_sale_line_lots_lot",
            SaleLineLots::Table,
            [SaleLineLots::LotId],
        ),
        // A sale's payments in the order taken (id order).
        index(
            "ix_sale_payments_sale",
            SalePayments::Table,
            [SalePayments::SaleId, SalePayments::Id],
        ),
        // Sales paid by a method (the sales list's method filter).
        index(
            "ix_sale_payments_method_sale",
            SalePayments::Table,
            [SalePayments::MethodId, SalePayments::SaleId],
        ),
        // Held sales newest first, all or one user's.
        index(
            "ix_held_sales_created",
            HeldSales::Table,
            [HeldSales::CreatedAt, HeldSales::Id],
        ),
        index(
            "ix_held_sales_user_created",
            HeldSales::Table,
            [HeldSales::UserId, HeldSales::CreatedAt, HeldSales::Id],
        ),
        unique(
            "ux_held_sale_lines_held_line",
            HeldSaleLines::Table,
            [HeldSaleLines::HeldSaleId, HeldSaleLines::LineNo],
        ),
    ]
}

/// The counter's only row, starting before the first number (the first sale is number 1).
fn seed_counter() -> Result<InsertStatement, DbErr> {
    let mut insert = Query::insert()
        .into_table(SaleCounter::Table)
        .columns([SaleCounter::Id, SaleCounter::LastNumber])
        .take();
    insert
        .values([1.into(), 0.into()])
        .map_err(|e| DbErr::Migration(format!("seeding the sale counter: {e}")))?;
    Ok(insert)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        // Referenced tables first, so every foreign key points at an existing table.
        let tables = [
            customers(),
            sale_counter(),
            sales(),
            sale_lines(),
            sale_line_lots(),
            sale_payments(),
            held_sales(),
            held_sale_lines(),
        ];
        for table in tables {
            manager
                .create_table(with_table_options(table, backend))
                .await?;
        }
        for index in indexes() {
            manager.create_index(index).await?;
        }
        manager.exec_stmt(seed_counter()?).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Dependents first; dropping a table drops its indexes too.
        let tables = [
            HeldSaleLines::Table.into_iden(),
            HeldSales::Table.into_iden(),
            SalePayments::Table.into_iden(),
            SaleLineLots::Table.into_iden(),
            SaleLines::Table.into_iden(),
            Sales::Table.into_iden(),
            SaleCounter::Table.into_iden(),
            Customers::Table.into_iden(),
        ];
        for table in tables {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
