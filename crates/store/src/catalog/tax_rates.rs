//! Tax rates.

use crate::entities::{products, tax_rates};
use crate::errors::{corrupt, db_err};
use crate::paging::{fetch_page, lower, search, try_map_page};
use crate::timestamps::{as_stored, from_micros, to_micros};
use pos_domain::StoreError;
use pos_domain::catalog::{Percent, TaxMode, TaxRate, TaxRateDraft, TaxRateSort};
use pos_domain::ids::TaxRateId;
use pos_domain::paging::{ListQuery, Page};
use pos_domain::text::Name;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, DatabaseTransaction, EntityTrait, IntoSimpleExpr, QueryFilter, QueryOrder,
};
use time::OffsetDateTime;

use tax_rates::Column as T;

fn to_tax_rate(row: tax_rates::Model) -> Result<TaxRate, StoreError> {
    Ok(TaxRate {
        id: TaxRateId::new(row.id),
        name: Name::new(&row.name).map_err(|e| corrupt("tax rate name", e))?,
        rate: Percent::from_scaled(row.rate_e4),
        mode: row
            .mode
            .parse::<TaxMode>()
            .map_err(|e| corrupt("tax mode", e))?,
        created_at: from_micros(row.created_at)?,
        updated_at: from_micros(row.updated_at)?,
    })
}

async fn find_row(
    conn: &DatabaseTransaction,
    id: TaxRateId,
) -> Result<Option<tax_rates::Model>, StoreError> {
    tax_rates::Entity::find_by_id(id.get())
        .one(conn)
        .await
        .map_err(db_err)
}

pub(crate) async fn insert(
    conn: &DatabaseTransaction,
    draft: TaxRateDraft,
    at: OffsetDateTime,
) -> Result<TaxRate, StoreError> {
    let row = tax_rates::ActiveModel {
        id: NotSet,
        name: Set(draft.name.as_str().to_owned()),
        name_key: Set(super::name_key(&draft.name)),
        rate_e4: Set(draft.rate.scaled()),
        mode: Set(draft.mode.as_str().to_owned()),
        created_at: Set(to_micros(at)),
        updated_at: Set(to_micros(at)),
    };
    let id = tax_rates::Entity::insert(row)
        .exec(conn)
        .await
        .map_err(db_err)?
        .last_insert_id;
    Ok(TaxRate {
        id: TaxRateId::new(id),
        name: draft.name,
        rate: draft.rate,
        mode: draft.mode,
        created_at: as_stored(at),
        updated_at: as_stored(at),
    })
}

/// Every tax rate, by id (for the static data).
pub(crate) async fn all(conn: &DatabaseTransaction) -> Result<Vec<TaxRate>, StoreError> {
    tax_rates::Entity::find()
        .order_by_asc(tax_rates::Column::Id)
        .all(conn)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(to_tax_rate)
        .collect()
}

pub(crate) async fn find(
    conn: &DatabaseTransaction,
    id: TaxRateId,
) -> Result<Option<TaxRate>, StoreError> {
    find_row(conn, id).await?.map(to_tax_rate).transpose()
}

pub(crate) async fn update(
    conn: &DatabaseTransaction,
    id: TaxRateId,
    draft: TaxRateDraft,
    at: OffsetDateTime,
) -> Result<TaxRate, StoreError> {
    let mut row: tax_rates::ActiveModel = find_row(conn, id)
        .await?
        .ok_or(StoreError::NotFound)?
        .into();
    row.name = Set(draft.name.as_str().to_owned());
    row.name_key = Set(super::name_key(&draft.name));
    row.rate_e4 = Set(draft.rate.scaled());
    row.mode = Set(draft.mode.as_str().to_owned());
    row.updated_at = Set(to_micros(at));
    to_tax_rate(row.update(conn).await.map_err(db_err)?)
}

pub(crate) async fn delete(conn: &DatabaseTransaction, id: TaxRateId) -> Result<(), StoreError> {
    super::delete_unless_used::<tax_rates::Entity>(
        conn,
        T::Id,
        id.get(),
        products::Column::TaxRateId,
    )
    .await
}

pub(crate) async fn list(
    conn: &DatabaseTransaction,
    query: &ListQuery<Option<String>, TaxRateSort>,
) -> Result<Page<TaxRate>, StoreError> {
    let mut select = tax_rates::Entity::find();
    if let Some(q) = &query.filter {
        select = select.filter(search(q, &[T::Name]));
    }
    let sort = match query.sort {
        TaxRateSort::Name => lower(T::Name),
        TaxRateSort::Rate => T::RateE4.into_simple_expr(),
    };
    let page = fetch_page(conn, select, sort, T::Id, query.order, query.page).await?;
    try_map_page(page, to_tax_rate)
}
