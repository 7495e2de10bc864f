use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sales")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub register_id: i64,
    /// The place in the register's gapless series.
    pub number: i64,
    /// `{register code}-{number:06}`, unique.
    pub invoice_no: String,
    /// Julian day number.
    pub sale_date: i32,
    pub customer_id: Option<i64>,
    pub user_id: i64,
    /// `SaleStatus::as_str`.
    pub status: String,
    pub subtotal_cents: i64,
    pub discount_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
    pub tendered_cents: i64,
    pub change_cents: i64,
    pub paid_cents: i64,
    pub credited_cents: i64,
    pub refunded_cents: i64,
    pub note: Option<String>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
