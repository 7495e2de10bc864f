use sea_orm::entity::prelude::*;

/// One FIFO take of a sale line.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sale_line_lots")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sale_line_id: i64,
    /// Position among the line's takes, from 0.
    pub take_no: i32,
    pub lot_id: i64,
    /// Thousandths of a unit.
    pub quantity_e3: i64,
    pub cost_cents: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
