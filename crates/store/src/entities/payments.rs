use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `Direction::as_str`.
    pub direction: String,
    pub method_id: i64,
    pub amount_cents: i64,
    pub party_kind: Option<String>,
    pub party_id: Option<i64>,
    pub counter_account_id: i64,
    pub reference: Option<String>,
    pub note: Option<String>,
    /// Julian day number.
    pub payment_date: i32,
    pub user_id: i64,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
