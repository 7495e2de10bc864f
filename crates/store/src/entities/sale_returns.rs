use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sale_returns")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sale_id: i64,
    pub register_id: i64,
    /// Julian day.
    pub return_date: i32,
    pub user_id: i64,
    pub seller_id: i64,
    pub customer_id: Option<i64>,
    pub refund_cents: i64,
    pub tax_cents: i64,
    pub cost_cents: i64,
    pub credited_cents: i64,
    pub refunded_cents: i64,
    /// Microseconds since the epoch, UTC.
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
