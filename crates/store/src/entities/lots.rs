use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lots")]
pub struct Model {
    /// The FIFO sequence.
    #[sea_orm(primary_key)]
    pub id: i64,
    pub product_id: i64,
    pub purchase_line_id: Option<i64>,
    /// Thousandths of a unit.
    pub received_e3: i64,
    /// Thousandths of a unit.
    pub remaining_e3: i64,
    pub unit_cost_cents: i64,
    pub remaining_value_cents: i64,
    pub received_at: i64,
    /// Where its units are.
    pub location_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
