use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "held_sale_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub held_sale_id: i64,
    /// Position in the cart, from 0.
    pub line_no: i32,
    pub product_id: i64,
    /// Thousandths of a unit.
    pub quantity_e3: i64,
    /// `amount` or `percent`; NULL (with the value) for no discount.
    pub discount_kind: Option<String>,
    /// Cents, or ten-thousandths of a percent.
    pub discount_value: Option<i64>,
    pub unit_price_cents: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
