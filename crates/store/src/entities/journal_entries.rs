use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "journal_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Julian day number.
    pub entry_date: i32,
    pub memo: String,
    /// `SourceKind::as_str`.
    pub source_kind: String,
    pub source_id: Option<i64>,
    pub user_id: i64,
    /// The register it was posted at, if any (its day sums are kept per register).
    pub register_id: Option<i64>,
    /// The cash session it was posted in, if any.
    pub cash_session_id: Option<i64>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
