use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "purchases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub supplier_id: i64,
    pub invoice_no: String,
    /// Julian day number.
    pub purchase_date: i32,
    pub note: Option<String>,
    pub user_id: i64,
    pub total_cents: i64,
    pub paid_cents: i64,
    pub credited_cents: i64,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
