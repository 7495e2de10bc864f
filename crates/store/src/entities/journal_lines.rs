use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "journal_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub entry_id: i64,
    /// Position in the entry, from 0.
    pub line_no: i32,
    pub account_id: i64,
    /// `Side::as_str`.
    pub side: String,
    pub amount_cents: i64,
    /// `customer` or `supplier`, with `party_id`; both `None` for no party.
    pub party_kind: Option<String>,
    pub party_id: Option<i64>,
    /// The entry's date, copied (Julian day number).
    pub entry_date: i32,
    /// The store or warehouse the line belongs to (migration 11).
    pub location_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
