use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sale_return_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub return_id: i64,
    pub sale_line_id: i64,
    pub product_id: i64,
    pub tax_rate_e4: Option<i64>,
    pub quantity_e3: i64,
    pub refund_cents: i64,
    pub tax_cents: i64,
    pub cost_cents: i64,
    pub restocked: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
