use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub sku: String,
    pub barcode: Option<String>,
    pub brand_id: Option<i64>,
    pub category_id: Option<i64>,
    pub tax_rate_id: Option<i64>,
    pub price_cents: i64,
    /// Thousandths of a unit.
    pub reorder_level_e3: i64,
    pub unit: String,
    pub status: String,
    pub description: Option<String>,
    pub image: Option<String>,
    /// Thousandths of a unit.
    pub stock_e3: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
