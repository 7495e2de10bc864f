use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "purchase_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub purchase_id: i64,
    /// Position in the purchase, from 0.
    pub line_no: i32,
    pub product_id: i64,
    /// Thousandths of a unit.
    pub quantity_e3: i64,
    pub unit_cost_cents: i64,
    pub total_cents: i64,
    /// Thousandths of a unit sent back to the supplier.
    pub returned_e3: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
