use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inventory_movements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub product_id: i64,
    /// `MovementKind::as_str`.
    pub kind: String,
    /// Thousandths of a unit.
    pub before_e3: i64,
    /// Thousandths of a unit.
    pub after_e3: i64,
    pub reference_id: Option<i64>,
    pub reason: Option<String>,
    pub user_id: i64,
    pub at: i64,
    /// The Julian day number of `at` in UTC.
    pub at_day: i32,
    /// Where the units came or went (migration 11).
    pub location_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
