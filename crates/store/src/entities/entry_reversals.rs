use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "entry_reversals")]
pub struct Model {
    /// The reversed entry: the primary key, so an entry is reversed at most once.
    #[sea_orm(primary_key, auto_increment = false)]
    pub original_id: i64,
    pub reversal_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
