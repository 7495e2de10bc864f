//! Products.

use crate::entities::{brands, categories, products, tax_rates};
use crate::errors::{corrupt, db_err, missing_reference};
use crate::paging::{fetch_page, lower, search, try_map_page};
use crate::timestamps::{as_stored, from_micros, to_micros};
use pos_domain::catalog::{Product, ProductDraft, ProductFilter, ProductSort, ProductStatus, Unit};
use pos_domain::ids::{BrandId, CategoryId, ProductId, TaxRateId};
use pos_domain::paging::{ListQuery, Page};
use pos_domain::quantity::Quantity;
use pos_domain::text::{Barcode, Name, Sku};
use pos_domain::{Money, StoreError};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoSimpleExpr,
    PaginatorTrait, QueryFilter,
};
use std::collections::BTreeSet;
use time::OffsetDateTime;

use products::Column as P;

pub(crate) fn to_product(row: products::Model) -> Result<Product, StoreError> {
    let draft = ProductDraft {
        name: Name::new(&row.name).map_err(|e| corrupt("product name", e))?,
        sku: Sku::new(&row.sku).map_err(|e| corrupt("SKU", e))?,
        barcode: row
            .barcode
            .as_deref()
            .map(Barcode::new)
            .transpose()
            .map_err(|e| corrupt("barcode", e))?,
        brand_id: row.brand_id.map(BrandId::new),
        category_id: row.category_id.map(CategoryId::new),
        tax_rate_id: row.tax_rate_id.map(TaxRateId::new),
        price: Money::from_minor_units(row.price_cents),
        reorder_level: Quantity::from_thousandths(row.reorder_level_e3),
        unit: row.unit.parse::<Unit>().map_err(|e| corrupt("unit", e))?,
        status: row
            .status
            .parse::<ProductStatus>()
            .map_err(|e| corrupt("status", e))?,
        description: row.description,
    };
    Ok(Product {
        id: ProductId::new(row.id),
        draft,
        image: row.image,
        stock_on_hand: Quantity::from_thousandths(row.stock_e3),
        created_at: from_micros(row.created_at)?,
        updated_at: from_micros(row.updated_at)?,
    })
}

/// Writes the staff-edited fields of `draft` into `row`.
fn apply_draft(row: &mut products::ActiveModel, draft: &ProductDraft) {
    row.name = Set(draft.name.as_str().to_owned());
    row.sku = Set(draft.sku.as_str().to_owned());
    row.barcode = Set(draft.barcode.as_ref().map(|b| b.as_str().to_owned()));
    row.brand_id = Set(draft.brand_id.map(BrandId::get));
    row.category_id = Set(draft.category_id.map(CategoryId::get));
    row.tax_rate_id = Set(draft.tax_rate_id.map(TaxRateId::get));
    row.price_cents = Set(draft.price.minor_units());
    row.reorder_level_e3 = Set(draft.reorder_level.thousandths());
    row.unit = Set(draft.unit.as_str().to_owned());
    row.status = Set(draft.status.as_str().to_owned());
    row.description = Set(draft.description.clone());
}

/// Refuses a draft naming a brand, category or tax rate that does not exist, with the field at
/// fault. Checked before writing because SQLite's foreign-key error does not say which key
/// failed; the foreign keys stay as the backstop.
async fn ensure_references(
    conn: &DatabaseTransaction,
    draft: &ProductDraft,
) -> Result<(), StoreError> {
    if let Some(id) = draft.brand_id {
        ensure_exists::<brands::Entity>(conn, id.get(), "brand_id").await?;
    }
    if let Some(id) = draft.category_id {
        ensure_exists::<categories::Entity>(conn, id.get(), "category_id").await?;
    }
    if let Some(id) = draft.tax_rate_id {
        ensure_exists::<tax_rates::Entity>(conn, id.get(), "tax_rate_id").await?;
    }
    Ok(())
}

async fn ensure_exists<E>(
    conn: &DatabaseTransaction,
    id: i64,
    field: &'static str,
) -> Result<(), StoreError>
where
    E: EntityTrait<Model: Send + Sync>,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    let found = E::find_by_id(id).count(conn).await.map_err(db_err)?;
    if found == 0 {
        Err(StoreError::MissingReference(field))
    } else {
        Ok(())
    }
}

/// `MissingReference("product_id")` unless every product exists: one query for any number.
/// Checked before writing rows that refer to products (purchase lines, lots, movements), because
/// SQLite's foreign-key error does not say which key failed.
pub(crate) async fn ensure_products_exist(
    conn: &DatabaseTransaction,
    ids: impl IntoIterator<Item = ProductId>,
) -> Result<(), StoreError> {
    let wanted: BTreeSet<i64> = ids.into_iter().map(ProductId::get).collect();
    let found = products::Entity::find()
        .filter(P::Id.is_in(wanted.iter().copied()))
        .count(conn)
        .await
        .map_err(db_err)?;
    if found == wanted.len() as u64 {
        Ok(())
    } else {
        Err(StoreError::MissingReference("product_id"))
    }
}

async fn find_row(
    conn: &DatabaseTransaction,
    id: ProductId,
) -> Result<Option<products::Model>, StoreError> {
    products::Entity::find_by_id(id.get())
        .one(conn)
        .await
        .map_err(db_err)
}

pub(crate) async fn insert(
    conn: &DatabaseTransaction,
    draft: ProductDraft,
    at: OffsetDateTime,
) -> Result<Product, StoreError> {
    ensure_references(conn, &draft).await?;
    let mut row = products::ActiveModel {
        id: NotSet,
        image: Set(None),
        // Stock only moves through purchases, sales and adjustments.
        stock_e3: Set(0),
        created_at: Set(to_micros(at)),
        updated_at: Set(to_micros(at)),
        ..Default::default()
    };
    apply_draft(&mut row, &draft);
    let id = products::Entity::insert(row)
        .exec(conn)
        .await
        .map_err(missing_reference)?
        .last_insert_id;
    Ok(Product {
        id: ProductId::new(id),
        draft,
        image: None,
        stock_on_hand: Quantity::ZERO,
        created_at: as_stored(at),
        updated_at: as_stored(at),
    })
}

pub(crate) async fn find(
    conn: &DatabaseTransaction,
    id: ProductId,
) -> Result<Option<Product>, StoreError> {
    find_row(conn, id).await?.map(to_product).transpose()
}

pub(crate) async fn find_by_barcode(
    conn: &DatabaseTransaction,
    barcode: &str,
) -> Result<Option<Product>, StoreError> {
    products::Entity::find()
        .filter(P::Barcode.eq(barcode))
        .one(conn)
        .await
        .map_err(db_err)?
        .map(to_product)
        .transpose()
}

pub(crate) async fn update(
    conn: &DatabaseTransaction,
    id: ProductId,
    draft: ProductDraft,
    at: OffsetDateTime,
) -> Result<Product, StoreError> {
    let current = find_row(conn, id).await?.ok_or(StoreError::NotFound)?;
    ensure_references(conn, &draft).await?;
    let mut row: products::ActiveModel = current.into();
    apply_draft(&mut row, &draft);
    row.updated_at = Set(to_micros(at));
    to_product(row.update(conn).await.map_err(missing_reference)?)
}

pub(crate) async fn set_image(
    conn: &DatabaseTransaction,
    id: ProductId,
    image: Option<String>,
    at: OffsetDateTime,
) -> Result<Product, StoreError> {
    let mut row: products::ActiveModel = find_row(conn, id)
        .await?
        .ok_or(StoreError::NotFound)?
        .into();
    row.image = Set(image);
    row.updated_at = Set(to_micros(at));
    to_product(row.update(conn).await.map_err(db_err)?)
}

pub(crate) async fn list(
    conn: &DatabaseTransaction,
    query: &ListQuery<ProductFilter, ProductSort>,
) -> Result<Page<Product>, StoreError> {
    let filter = &query.filter;
    let mut select = products::Entity::find();
    if let Some(q) = &filter.q {
        select = select.filter(search(q, &[P::Name, P::Sku, P::Barcode]));
    }
    if let Some(id) = filter.brand_id {
        select = select.filter(P::BrandId.eq(id.get()));
    }
    if let Some(id) = filter.category_id {
        select = select.filter(P::CategoryId.eq(id.get()));
    }
    if let Some(id) = filter.tax_rate_id {
        select = select.filter(P::TaxRateId.eq(id.get()));
    }
    if let Some(status) = filter.status {
        select = select.filter(P::Status.eq(status.as_str()));
    }
    if filter.low_stock {
        select = select.filter(P::StockE3.into_expr().lte(P::ReorderLevelE3.into_expr()));
    }
    let sort = match query.sort {
        ProductSort::Name => lower(P::Name),
        ProductSort::Sku => P::Sku.into_simple_expr(),
        ProductSort::Price => P::PriceCents.into_simple_expr(),
        ProductSort::Stock => P::StockE3.into_simple_expr(),
        ProductSort::CreatedAt => P::CreatedAt.into_simple_expr(),
    };
    let page = fetch_page(conn, select, sort, P::Id, query.order, query.page).await?;
    try_map_page(page, to_product)
}
