//! Brands and categories: two tables of one shape, served by one generic implementation.

use crate::entities::{brands, categories, products};
use crate::errors::{corrupt, db_err};
use crate::paging::{fetch_page, lower, search, try_map_page};
use crate::timestamps::{as_stored, from_micros, to_micros};
use pos_domain::StoreError;
use pos_domain::catalog::{Label, LabelDraft, LabelSort};
use pos_domain::ids::{BrandId, CategoryId};
use pos_domain::paging::{ListQuery, Page};
use pos_domain::text::Name;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, FromQueryResult,
    IntoSimpleExpr, PrimaryKeyTrait, QueryFilter,
};
use time::OffsetDateTime;

/// The columns every label table has.
#[derive(Clone, Copy)]
pub(crate) enum LabelColumn {
    Id,
    Name,
    NameKey,
    Description,
    CreatedAt,
    UpdatedAt,
}

/// A table of labels: its entity, its typed id, and the product column that refers to it.
pub(crate) trait LabelTable:
    EntityTrait<Model: Send + Sync, PrimaryKey: PrimaryKeyTrait<ValueType = i64>>
{
    type Id: Copy + Send;
    /// The column of `products` that refers to this table.
    const PRODUCT_COLUMN: products::Column;
    fn column(column: LabelColumn) -> Self::Column;
    fn typed(raw: i64) -> Self::Id;
    fn raw(id: Self::Id) -> i64;
}

macro_rules! label_table {
    ($entity:path, $id:ty, $product_column:expr) => {
        impl LabelTable for $entity {
            type Id = $id;
            const PRODUCT_COLUMN: products::Column = $product_column;

            fn column(column: LabelColumn) -> Self::Column {
                type C = <$entity as sea_orm::EntityTrait>::Column;
                match column {
                    LabelColumn::Id => C::Id,
                    LabelColumn::Name => C::Name,
                    LabelColumn::NameKey => C::NameKey,
                    LabelColumn::Description => C::Description,
                    LabelColumn::CreatedAt => C::CreatedAt,
                    LabelColumn::UpdatedAt => C::UpdatedAt,
                }
            }

            fn typed(raw: i64) -> Self::Id {
                <$id>::new(raw)
            }

            fn raw(id: Self::Id) -> i64 {
                id.get()
            }
        }
    };
}

label_table!(brands::Entity, BrandId, products::Column::BrandId);
label_table!(categories::Entity, CategoryId, products::Column::CategoryId);

/// A row of any label table.
#[derive(FromQueryResult)]
struct LabelRow {
    id: i64,
    name: String,
    description: Option<String>,
    created_at: i64,
    updated_at: i64,
}

impl LabelRow {
    fn into_label<T: LabelTable>(self) -> Result<Label<T::Id>, StoreError> {
        Ok(Label {
            id: T::typed(self.id),
            name: Name::new(&self.name).map_err(|e| corrupt("label name", e))?,
            description: self.description,
            created_at: from_micros(self.created_at)?,
            updated_at: from_micros(self.updated_at)?,
        })
    }
}

async fn find_row<T: LabelTable>(
    conn: &DatabaseTransaction,
    raw: i64,
) -> Result<Option<LabelRow>, StoreError> {
    T::find()
        .filter(T::column(LabelColumn::Id).eq(raw))
        .into_model::<LabelRow>()
        .one(conn)
        .await
        .map_err(db_err)
}

/// The columns a draft sets, for both insert and update.
fn fields<T: LabelTable>(draft: &LabelDraft, at: OffsetDateTime) -> T::ActiveModel {
    let mut row = <T::ActiveModel as ActiveModelTrait>::default();
    row.set(T::column(LabelColumn::Name), draft.name.as_str().into());
    row.set(
        T::column(LabelColumn::NameKey),
        super::name_key(&draft.name).into(),
    );
    row.set(
        T::column(LabelColumn::Description),
        draft.description.clone().into(),
    );
    row.set(T::column(LabelColumn::UpdatedAt), to_micros(at).into());
    row
}

pub(crate) async fn insert<T: LabelTable>(
    conn: &DatabaseTransaction,
    draft: LabelDraft,
    at: OffsetDateTime,
) -> Result<Label<T::Id>, StoreError> {
    let mut row = fields::<T>(&draft, at);
    row.set(T::column(LabelColumn::CreatedAt), to_micros(at).into());
    let id = T::insert(row)
        .exec(conn)
        .await
        .map_err(db_err)?
        .last_insert_id;
    Ok(Label {
        id: T::typed(id),
        name: draft.name,
        description: draft.description,
        created_at: as_stored(at),
        updated_at: as_stored(at),
    })
}

pub(crate) async fn find<T: LabelTable>(
    conn: &DatabaseTransaction,
    id: T::Id,
) -> Result<Option<Label<T::Id>>, StoreError> {
    find_row::<T>(conn, T::raw(id))
        .await?
        .map(LabelRow::into_label::<T>)
        .transpose()
}

pub(crate) async fn update<T: LabelTable>(
    conn: &DatabaseTransaction,
    id: T::Id,
    draft: LabelDraft,
    at: OffsetDateTime,
) -> Result<Label<T::Id>, StoreError> {
    // Existence is checked by reading: MySQL counts only rows whose values changed as affected.
    let current = find_row::<T>(conn, T::raw(id))
        .await?
        .ok_or(StoreError::NotFound)?;
    T::update_many()
        .set(fields::<T>(&draft, at))
        .filter(T::column(LabelColumn::Id).eq(T::raw(id)))
        .exec(conn)
        .await
        .map_err(db_err)?;
    Ok(Label {
        id,
        name: draft.name,
        description: draft.description,
        created_at: from_micros(current.created_at)?,
        updated_at: as_stored(at),
    })
}

pub(crate) async fn delete<T: LabelTable>(
    conn: &DatabaseTransaction,
    id: T::Id,
) -> Result<(), StoreError> {
    super::delete_unless_used::<T>(
        conn,
        T::column(LabelColumn::Id),
        T::raw(id),
        T::PRODUCT_COLUMN,
    )
    .await
}

pub(crate) async fn list<T: LabelTable>(
    conn: &DatabaseTransaction,
    query: &ListQuery<Option<String>, LabelSort>,
) -> Result<Page<Label<T::Id>>, StoreError> {
    let mut select = T::find();
    if let Some(q) = &query.filter {
        select = select.filter(search(q, &[T::column(LabelColumn::Name)]));
    }
    let sort = match query.sort {
        LabelSort::Name => lower(T::column(LabelColumn::Name)),
        LabelSort::CreatedAt => T::column(LabelColumn::CreatedAt).into_simple_expr(),
    };
    let id = T::column(LabelColumn::Id);
    let page =
        fetch_page::<T, LabelRow, _>(conn, select, sort, id, query.order, query.page).await?;
    try_map_page(page, LabelRow::into_label::<T>)
}
