use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "expenses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub amount_cents: i64,
    pub category_id: i64,
    pub method_id: i64,
    /// Julian day number.
    pub expense_date: i32,
    pub note: Option<String>,
    pub user_id: i64,
    pub created_at: i64,
    pub voided_at: Option<i64>,
    pub void_entry_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
