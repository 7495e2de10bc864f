//! The first schema: staff accounts, their login audit and refresh sessions, and the catalog.
//!
//! Unique indexes carry distinctive names (`ux_<table>_<column>`): MySQL reports a violation by
//! index name, and the adapter turns that name back into the field that clashed.

use crate::conventions::{instant, instant_null, with_table_options};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, boolean, string_len, string_len_null, text_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    Email,
    Name,
    Role,
    PasswordHash,
    Active,
    LastLoginAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LoginAttempts {
    Table,
    Id,
    UserId,
    Identifier,
    Success,
    Ip,
    UserAgent,
    At,
}

#[derive(DeriveIden)]
enum RefreshSessions {
    Table,
    Id,
    UserId,
    Family,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}

/// The columns brands and categories share (same shape, two tables).
#[derive(DeriveIden)]
enum Label {
    Id,
    Name,
    NameKey,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Brands {
    Table,
}

#[derive(DeriveIden)]
enum Categories {
    Table,
}

#[derive(DeriveIden)]
enum TaxRates {
    Table,
    Id,
    Name,
    NameKey,
    #[sea_orm(iden = "rate_e4")]
    RateE4,
    Mode,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    Name,
    Sku,
    Barcode,
    BrandId,
    CategoryId,
    TaxRateId,
    PriceCents,
    #[sea_orm(iden = "reorder_level_e3")]
    ReorderLevelE3,
    Unit,
    Status,
    Description,
    Image,
    #[sea_orm(iden = "stock_e3")]
    StockE3,
    CreatedAt,
    UpdatedAt,
}

/// A `BIGINT` auto-increment primary key. SQLite only auto-increments an `INTEGER PRIMARY KEY`,
/// which sea-query emits for this definition on SQLite; both are 64-bit.
fn id<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .take()
}

/// The name folded to lower case by the adapter, holding the unique index: "Acme" and "ACME"
/// are one brand on every backend, whatever the column collation (MySQL's case-insensitive
/// collations also ignore accents; SQLite's NOCASE only folds ASCII).
fn name_key<T: IntoIden>(name: T) -> ColumnDef {
    string_len(name, 120)
}

fn index(name: &str, table: impl IntoIden, column: impl IntoIden) -> IndexCreateStatement {
    Index::create().name(name).table(table).col(column).take()
}

fn unique(name: &str, table: impl IntoIden, column: impl IntoIden) -> IndexCreateStatement {
    index(name, table, column).unique().take()
}

fn foreign_key(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::Restrict)
        .take()
}

fn users() -> TableCreateStatement {
    Table::create()
        .table(Users::Table)
        .col(id(Users::Id))
        .col(string_len(Users::Username, 32))
        .col(string_len(Users::Email, 254))
        .col(string_len(Users::Name, 120))
        .col(string_len(Users::Role, 16))
        .col(string_len(Users::PasswordHash, 100))
        .col(boolean(Users::Active))
        .col(instant_null(Users::LastLoginAt))
        .col(instant(Users::CreatedAt))
        .col(instant(Users::UpdatedAt))
        .take()
}

fn login_attempts() -> TableCreateStatement {
    Table::create()
        .table(LoginAttempts::Table)
        .col(id(LoginAttempts::Id))
        .col(big_integer_null(LoginAttempts::UserId))
        .col(string_len(LoginAttempts::Identifier, 254))
        .col(boolean(LoginAttempts::Success))
        .col(string_len_null(LoginAttempts::Ip, 64))
        .col(string_len_null(LoginAttempts::UserAgent, 512))
        .col(instant(LoginAttempts::At))
        // The audit trail outlives an account, should one ever be removed.
        .foreign_key(&mut foreign_key(
            "fk_login_attempts_user_id",
            (LoginAttempts::Table, LoginAttempts::UserId),
            (Users::Table, Users::Id),
            ForeignKeyAction::SetNull,
        ))
        .take()
}

fn refresh_sessions() -> TableCreateStatement {
    Table::create()
        .table(RefreshSessions::Table)
        .col(id(RefreshSessions::Id))
        .col(big_integer(RefreshSessions::UserId))
        .col(string_len(RefreshSessions::Family, 64))
        .col(string_len(RefreshSessions::TokenHash, 64))
        .col(instant(RefreshSessions::CreatedAt))
        .col(instant(RefreshSessions::ExpiresAt))
        .col(instant_null(RefreshSessions::RevokedAt))
        // A session means nothing without its user.
        .foreign_key(&mut foreign_key(
            "fk_refresh_sessions_user_id",
            (RefreshSessions::Table, RefreshSessions::UserId),
            (Users::Table, Users::Id),
            ForeignKeyAction::Cascade,
        ))
        .take()
}

fn label(table: impl IntoIden) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(id(Label::Id))
        .col(string_len(Label::Name, 120))
        .col(name_key(Label::NameKey))
        // Bounded to 1000 characters by the domain; TEXT leaves room without a migration.
        .col(text_null(Label::Description))
        .col(instant(Label::CreatedAt))
        .col(instant(Label::UpdatedAt))
        .take()
}

fn tax_rates() -> TableCreateStatement {
    Table::create()
        .table(TaxRates::Table)
        .col(id(TaxRates::Id))
        .col(string_len(TaxRates::Name, 120))
        .col(name_key(TaxRates::NameKey))
        .col(big_integer(TaxRates::RateE4))
        .col(string_len(TaxRates::Mode, 16))
        .col(instant(TaxRates::CreatedAt))
        .col(instant(TaxRates::UpdatedAt))
        .take()
}

fn products() -> TableCreateStatement {
    // RESTRICT: a brand, category or tax rate in use cannot disappear from under its products.
    let restrict = |name, column, table| {
        foreign_key(
            name,
            (Products::Table, column),
            (table, Label::Id),
            ForeignKeyAction::Restrict,
        )
    };
    Table::create()
        .table(Products::Table)
        .col(id(Products::Id))
        .col(string_len(Products::Name, 120))
        .col(string_len(Products::Sku, 64))
        .col(string_len_null(Products::Barcode, 64))
        .col(big_integer_null(Products::BrandId))
        .col(big_integer_null(Products::CategoryId))
        .col(big_integer_null(Products::TaxRateId))
        .col(big_integer(Products::PriceCents))
        .col(big_integer(Products::ReorderLevelE3))
        .col(string_len(Products::Unit, 8))
        .col(string_len(Products::Status, 16))
        .col(text_null(Products::Description))
        .col(string_len_null(Products::Image, 255))
        .col(big_integer(Products::StockE3).default(0))
        .col(instant(Products::CreatedAt))
        .col(instant(Products::UpdatedAt))
        .foreign_key(&mut restrict(
            "fk_products_brand_id",
            Products::BrandId,
            Brands::Table.into_iden(),
        ))
        .foreign_key(&mut restrict(
            "fk_products_category_id",
            Products::CategoryId,
            Categories::Table.into_iden(),
        ))
        .foreign_key(&mut restrict(
            "fk_products_tax_rate_id",
            Products::TaxRateId,
            TaxRates::Table.into_iden(),
        ))
        .take()
}

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        unique("ux_users_username", Users::Table, Users::Username),
        unique("ux_users_email", Users::Table, Users::Email),
        index(
            "ix_login_attempts_at",
            LoginAttempts::Table,
            LoginAttempts::At,
        ),
        index(
            "ix_login_attempts_user_id",
            LoginAttempts::Table,
            LoginAttempts::UserId,
        ),
        unique(
            "ux_refresh_sessions_token_hash",
            RefreshSessions::Table,
            RefreshSessions::TokenHash,
        ),
        index(
            "ix_refresh_sessions_family",
            RefreshSessions::Table,
            RefreshSessions::Family,
        ),
        index(
            "ix_refresh_sessions_user_id",
            RefreshSessions::Table,
            RefreshSessions::UserId,
        ),
        unique("ux_brands_name", Brands::Table, Label::NameKey),
        unique("ux_categories_name", Categories::Table, Label::NameKey),
        unique("ux_tax_rates_name", TaxRates::Table, TaxRates::NameKey),
        unique("ux_products_sku", Products::Table, Products::Sku),
        // Several products may have no barcode: both backends let a unique index hold many NULLs.
        unique("ux_products_barcode", Products::Table, Products::Barcode),
        index("ix_products_name", Products::Table, Products::Name),
        // On MySQL these replace the indexes InnoDB creates implicitly for the foreign keys; on
        // SQLite they keep the RESTRICT check on delete from scanning every product.
        index("ix_products_brand_id", Products::Table, Products::BrandId),
        index(
            "ix_products_category_id",
            Products::Table,
            Products::CategoryId,
        ),
        index(
            "ix_products_tax_rate_id",
            Products::Table,
            Products::TaxRateId,
        ),
        index("ix_products_status", Products::Table, Products::Status),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        // Referenced tables first, so every foreign key points at an existing table.
        let tables = [
            users(),
            login_attempts(),
            refresh_sessions(),
            label(Brands::Table),
            label(Categories::Table),
            tax_rates(),
            products(),
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
            Products::Table.into_iden(),
            TaxRates::Table.into_iden(),
            Categories::Table.into_iden(),
            Brands::Table.into_iden(),
            RefreshSessions::Table.into_iden(),
            LoginAttempts::Table.into_iden(),
            Users::Table.into_iden(),
        ];
        for table in tables {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
