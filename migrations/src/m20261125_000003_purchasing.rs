//! Suppliers, purchases and FIFO inventory: who the shop buys from, what it received and still
//! owes, the lots that hold every unit in stock at its cost, and the inventory log.
//!
//! Quantities are thousandths of a unit (`_e3`), money is cents, purchase dates are Julian day
//! numbers, instants are microseconds (see the crate docs). Every CHECK is a table constraint:
//! MariaDB refuses a named CHECK inside a column definition.
//!
//! `products.stock_e3` gets no CHECK here: SQLite cannot add a constraint to an existing table
//! (it would need a rebuild of `products`, which many tables reference), and a MySQL-only CHECK
//! would make the backends answer the same call differently. The stock is a cache of the lots'
//! remaining units, and the lots' CHECKs are the real guard.

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

#[derive(DeriveIden)]
enum Suppliers {
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
    Note,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Purchases {
    Table,
    Id,
    SupplierId,
    InvoiceNo,
    PurchaseDate,
    Note,
    UserId,
    TotalCents,
    PaidCents,
    CreditedCents,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PurchaseLines {
    Table,
    Id,
    PurchaseId,
    LineNo,
    ProductId,
    #[sea_orm(iden = "quantity_e3")]
    QuantityE3,
    UnitCostCents,
    TotalCents,
    #[sea_orm(iden = "returned_e3")]
    ReturnedE3,
}

#[derive(DeriveIden)]
enum Lots {
    Table,
    Id,
    ProductId,
    PurchaseLineId,
    #[sea_orm(iden = "received_e3")]
    ReceivedE3,
    #[sea_orm(iden = "remaining_e3")]
    RemainingE3,
    UnitCostCents,
    RemainingValueCents,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum InventoryMovements {
    Table,
    Id,
    ProductId,
    Kind,
    #[sea_orm(iden = "before_e3")]
    BeforeE3,
    #[sea_orm(iden = "after_e3")]
    AfterE3,
    ReferenceId,
    Reason,
    UserId,
    At,
    AtDay,
}

/// Purchases, lots and the log are history: nothing they refer to may disappear.
fn restrict(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    foreign_key(name, from, to, ForeignKeyAction::Restrict)
}

fn suppliers() -> TableCreateStatement {
    let optional = |column: Suppliers| string_len_null(column, 120);
    Table::create()
        .table(Suppliers::Table)
        .col(id(Suppliers::Id))
        .col(string_len(Suppliers::Name, 120))
        .col(string_len_null(Suppliers::Phone, 32))
        .col(string_len_null(Suppliers::AltPhone, 32))
        .col(string_len_null(Suppliers::Email, 254))
        .col(optional(Suppliers::AddressLine1))
        .col(optional(Suppliers::AddressLine2))
        .col(optional(Suppliers::City))
        .col(optional(Suppliers::Region))
        .col(optional(Suppliers::PostalCode))
        .col(optional(Suppliers::Country))
        .col(string_len_null(Suppliers::Note, 1000))
        .col(boolean(Suppliers::Active).default(true))
        .col(instant(Suppliers::CreatedAt))
        .col(instant(Suppliers::UpdatedAt))
        .take()
}

fn purchases() -> TableCreateStatement {
    let col = |c: Purchases| Expr::col(c);
    Table::create()
        .table(Purchases::Table)
        .col(id(Purchases::Id))
        .col(big_integer(Purchases::SupplierId))
        .col(string_len(Purchases::InvoiceNo, 64))
        .col(day(Purchases::PurchaseDate))
        .col(string_len_null(Purchases::Note, 1000))
        .col(big_integer(Purchases::UserId))
        .col(big_integer(Purchases::TotalCents))
        // Paid at receipt and by later payments; credited by returns. Both only grow, and
        // together never pass the total: a payment racing another is refused here even if a
        // use case forgot to lock.
        .col(big_integer(Purchases::PaidCents).default(0))
        .col(big_integer(Purchases::CreditedCents).default(0))
        .col(instant(Purchases::CreatedAt))
        .check(("ck_purchases_paid_nonneg", col(Purchases::PaidCents).gte(0)))
        .check((
            "ck_purchases_credited_nonneg",
            col(Purchases::CreditedCents).gte(0),
        ))
        .check((
            "ck_purchases_settled_le_total",
            col(Purchases::PaidCents)
                .add(col(Purchases::CreditedCents))
                .lte(col(Purchases::TotalCents)),
        ))
        .foreign_key(&mut restrict(
            "fk_purchases_supplier_id",
            (Purchases::Table, Purchases::SupplierId),
            (Suppliers::Table, Suppliers::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_purchases_user_id",
            (Purchases::Table, Purchases::UserId),
            (Users::Table, Users::Id),
        ))
        .take()
}

fn purchase_lines() -> TableCreateStatement {
    Table::create()
        .table(PurchaseLines::Table)
        .col(id(PurchaseLines::Id))
        .col(big_integer(PurchaseLines::PurchaseId))
        // The line's position in its purchase, from 0: lines read back in the order given.
        .col(integer(PurchaseLines::LineNo))
        .col(big_integer(PurchaseLines::ProductId))
        .col(big_integer(PurchaseLines::QuantityE3))
        .col(big_integer(PurchaseLines::UnitCostCents))
        .col(big_integer(PurchaseLines::TotalCents))
        .col(big_integer(PurchaseLines::ReturnedE3).default(0))
        // More units can never go back than came in, however returns race.
        .check((
            "ck_purchase_lines_returned_range",
            Expr::col(PurchaseLines::ReturnedE3).gte(0).and(
                Expr::col(PurchaseLines::ReturnedE3).lte(Expr::col(PurchaseLines::QuantityE3)),
            ),
        ))
        .foreign_key(&mut restrict(
            "fk_purchase_lines_purchase_id",
            (PurchaseLines::Table, PurchaseLines::PurchaseId),
            (Purchases::Table, Purchases::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_purchase_lines_product_id",
            (PurchaseLines::Table, PurchaseLines::ProductId),
            (Products::Table, Products::Id),
        ))
        .take()
}

fn lots() -> TableCreateStatement {
    let col = |c: Lots| Expr::col(c);
    Table::create()
        .table(Lots::Table)
        // The id is the FIFO sequence: lots leave in ascending id order.
        .col(id(Lots::Id))
        .col(big_integer(Lots::ProductId))
        // NULL for a lot found by an adjustment.
        .col(big_integer_null(Lots::PurchaseLineId))
        .col(big_integer(Lots::ReceivedE3))
        .col(big_integer(Lots::RemainingE3))
        .col(big_integer(Lots::UnitCostCents))
        // The exact cost of what remains (not remaining x unit cost, which rounding would drift
        // from): the inventory account always equals the sum of this column.
        .col(big_integer(Lots::RemainingValueCents))
        .col(instant(Lots::ReceivedAt))
        // The guard against overselling: a take that would overdraw a lot fails here even if
        // the conditional update in the adapter were bypassed.
        .check(("ck_lots_remaining_nonneg", col(Lots::RemainingE3).gte(0)))
        .check((
            "ck_lots_remaining_le_received",
            col(Lots::RemainingE3).lte(col(Lots::ReceivedE3)),
        ))
        .check((
            "ck_lots_value_nonneg",
            col(Lots::RemainingValueCents).gte(0),
        ))
        .foreign_key(&mut restrict(
            "fk_lots_product_id",
            (Lots::Table, Lots::ProductId),
            (Products::Table, Products::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_lots_purchase_line_id",
            (Lots::Table, Lots::PurchaseLineId),
            (PurchaseLines::Table, PurchaseLines::Id),
        ))
        .take()
}

fn inventory_movements() -> TableCreateStatement {
    Table::create()
        .table(InventoryMovements::Table)
        .col(id(InventoryMovements::Id))
        .col(big_integer(InventoryMovements::ProductId))
        // `MovementKind::as_str`; the longest, `supplier_return`, has 15 characters.
        .col(string_len(InventoryMovements::Kind, 16))
        .col(big_integer(InventoryMovements::BeforeE3))
        .col(big_integer(InventoryMovements::AfterE3))
        // The purchase, return, adjustment or sale; which table depends on the kind, so no FK.
        .col(big_integer_null(InventoryMovements::ReferenceId))
        .col(string_len_null(InventoryMovements::Reason, 500))
        .col(big_integer(InventoryMovements::UserId))
        .col(instant(InventoryMovements::At))
        // The UTC calendar day of `at`, so date filters are plain integer ranges on both
        // backends (SQLite has no date functions over integer micros worth relying on).
        .col(day(InventoryMovements::AtDay))
        .foreign_key(&mut restrict(
            "fk_inventory_movements_product_id",
            (InventoryMovements::Table, InventoryMovements::ProductId),
            (Products::Table, Products::Id),
        ))
        .foreign_key(&mut restrict(
            "fk_inventory_movements_user_id",
            (InventoryMovements::Table, InventoryMovements::UserId),
            (Users::Table, Users::Id),
        ))
        .take()
}

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        // Not unique: two suppliers may share a name.
        index("ix_suppliers_name", Suppliers::Table, [Suppliers::Name]),
        // One invoice number per supplier; the name maps a clash to `invoice_no`.
        unique(
            "ux_purchases_supplier_invoice",
            Purchases::Table,
            [Purchases::SupplierId, Purchases::InvoiceNo],
        ),
        // A supplier's purchases by date: open purchases oldest first, statements, totals.
        index(
            "ix_purchases_supplier_date",
            Purchases::Table,
            [
                Purchases::SupplierId,
                Purchases::PurchaseDate,
                Purchases::Id,
            ],
        ),
        index(
            "ix_purchases_date",
            Purchases::Table,
            [Purchases::PurchaseDate, Purchases::Id],
        ),
        // A purchase's lines in order; unique, so no two lines share a position.
        unique(
            "ux_purchase_lines_purchase_line",
            PurchaseLines::Table,
            [PurchaseLines::PurchaseId, PurchaseLines::LineNo],
        ),
        index(
            "ix_purchase_lines_product",
            PurchaseLines::Table,
            [PurchaseLines::ProductId],
        ),
        // A purchase line creates at most one lot (NULLs, for found goods, do not clash).
        unique("ux_lots_purchase_line", Lots::Table, [Lots::PurchaseLineId]),
        // Two indexes on lots, each for its own reads:
        // - open lots, read by every sale: the range `remaining_e3 > 0` skips the exhausted
        //   lots that pile up over the years, leaving a handful to sort by id;
        index(
            "ix_lots_product_open",
            Lots::Table,
            [Lots::ProductId, Lots::RemainingE3, Lots::Id],
        ),
        // - every lot of a product in FIFO order: the lot list, the last cost (highest id) and
        //   the per-product sums of `stock_values`, grouped in index order.
        index("ix_lots_product", Lots::Table, [Lots::ProductId, Lots::Id]),
        // The log is read in its sequence, id order (times can disagree with it: a use case
        // stamps its time before it waits for the locks): one product's log, and the whole
        // log over a range of days.
        index(
            "ix_inventory_movements_product",
            InventoryMovements::Table,
            [InventoryMovements::ProductId, InventoryMovements::Id],
        ),
        index(
            "ix_inventory_movements_day",
            InventoryMovements::Table,
            [InventoryMovements::AtDay, InventoryMovements::Id],
        ),
        index(
            "ix_inventory_movements_kind",
            InventoryMovements::Table,
            [InventoryMovements::Kind],
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        // Referenced tables first, so every foreign key points at an existing table.
        let tables = [
            suppliers(),
            purchases(),
            purchase_lines(),
            lots(),
            inventory_movements(),
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
            InventoryMovements::Table.into_iden(),
            Lots::Table.into_iden(),
            PurchaseLines::Table.into_iden(),
            Purchases::Table.into_iden(),
            Suppliers::Table.into_iden(),
        ];
        for table in tables {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
