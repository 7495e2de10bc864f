//! Suppliers: who the shop buys from. Never deleted (purchases refer to them); deactivated.

use crate::contact::{email, email_text, phone, phone_text};
use crate::entities::suppliers;
use crate::errors::{corrupt, db_err};
use crate::paging::{fetch_page, lower, search, try_map_page};
use crate::timestamps::{as_stored, from_micros, to_micros};
use pos_domain::StoreError;
use pos_domain::ids::SupplierId;
use pos_domain::paging::{ListQuery, Page};
use pos_domain::suppliers::{Address, Supplier, SupplierDraft, SupplierFilter, SupplierSort};
use pos_domain::text::Name;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoSimpleExpr, QueryFilter,
};
use time::OffsetDateTime;

use suppliers::Column as S;

fn to_supplier(row: suppliers::Model) -> Result<Supplier, StoreError> {
    let draft = SupplierDraft {
        name: Name::new(&row.name).map_err(|e| corrupt("supplier name", e))?,
        phone: phone(row.phone, "supplier phone")?,
        alt_phone: phone(row.alt_phone, "supplier phone")?,
        email: email(row.email, "supplier email")?,
        address: Address {
            line1: row.address_line1,
            line2: row.address_line2,
            city: row.city,
            region: row.region,
            postal_code: row.postal_code,
            country: row.country,
        },
        note: row.note,
    };
    Ok(Supplier {
        id: SupplierId::new(row.id),
        draft,
        active: row.active,
        created_at: from_micros(row.created_at)?,
        updated_at: from_micros(row.updated_at)?,
    })
}

/// Writes the staff-edited fields of `draft` into `row`.
fn apply_draft(row: &mut suppliers::ActiveModel, draft: &SupplierDraft) {
    row.name = Set(draft.name.as_str().to_owned());
    row.phone = Set(phone_text(&draft.phone));
    row.alt_phone = Set(phone_text(&draft.alt_phone));
    row.email = Set(email_text(&draft.email));
    let address = &draft.address;
    row.address_line1 = Set(address.line1.clone());
    row.address_line2 = Set(address.line2.clone());
    row.city = Set(address.city.clone());
    row.region = Set(address.region.clone());
    row.postal_code = Set(address.postal_code.clone());
    row.country = Set(address.country.clone());
    row.note = Set(draft.note.clone());
}

async fn find_row(
    conn: &DatabaseTransaction,
    id: SupplierId,
) -> Result<Option<suppliers::Model>, StoreError> {
    suppliers::Entity::find_by_id(id.get())
        .one(conn)
        .await
        .map_err(db_err)
}

/// `MissingReference("supplier_id")` unless the supplier exists. Checked before writing a
/// purchase because SQLite's foreign-key error does not say which key failed.
pub(crate) async fn ensure_exists(
    conn: &DatabaseTransaction,
    id: SupplierId,
) -> Result<(), StoreError> {
    match find_row(conn, id).await? {
        Some(_) => Ok(()),
        None => Err(StoreError::MissingReference("supplier_id")),
    }
}

pub(crate) async fn insert(
    conn: &DatabaseTransaction,
    draft: SupplierDraft,
    at: OffsetDateTime,
) -> Result<Supplier, StoreError> {
    let mut row = suppliers::ActiveModel {
        id: NotSet,
        active: Set(true),
        created_at: Set(to_micros(at)),
        updated_at: Set(to_micros(at)),
        ..Default::default()
    };
    apply_draft(&mut row, &draft);
    let id = suppliers::Entity::insert(row)
        .exec(conn)
        .await
        .map_err(db_err)?
        .last_insert_id;
    Ok(Supplier {
        id: SupplierId::new(id),
        draft,
        active: true,
        created_at: as_stored(at),
        updated_at: as_stored(at),
    })
}

pub(crate) async fn find(
    conn: &DatabaseTransaction,
    id: SupplierId,
) -> Result<Option<Supplier>, StoreError> {
    find_row(conn, id).await?.map(to_supplier).transpose()
}

pub(crate) async fn update(
    conn: &DatabaseTransaction,
    id: SupplierId,
    draft: SupplierDraft,
    at: OffsetDateTime,
) -> Result<Supplier, StoreError> {
    let mut row: suppliers::ActiveModel = find_row(conn, id)
        .await?
        .ok_or(StoreError::NotFound)?
        .into();
    apply_draft(&mut row, &draft);
    row.updated_at = Set(to_micros(at));
    to_supplier(row.update(conn).await.map_err(db_err)?)
}

pub(crate) async fn set_active(
    conn: &DatabaseTransaction,
    id: SupplierId,
    active: bool,
    at: OffsetDateTime,
) -> Result<Supplier, StoreError> {
    let mut row: suppliers::ActiveModel = find_row(conn, id)
        .await?
        .ok_or(StoreError::NotFound)?
        .into();
    row.active = Set(active);
    row.updated_at = Set(to_micros(at));
    to_supplier(row.update(conn).await.map_err(db_err)?)
}

pub(crate) async fn list(
    conn: &DatabaseTransaction,
    query: &ListQuery<SupplierFilter, SupplierSort>,
) -> Result<Page<Supplier>, StoreError> {
    let filter = &query.filter;
    let mut select = suppliers::Entity::find();
    if let Some(q) = &filter.q {
        // A NULL phone or email matches nothing: `lower(NULL) LIKE ..` is NULL, not true.
        select = select.filter(search(q, &[S::Name, S::Phone, S::AltPhone, S::Email]));
    }
    if let Some(active) = filter.active {
        select = select.filter(S::Active.eq(active));
    }
    let sort = match query.sort {
        SupplierSort::Name => lower(S::Name),
        SupplierSort::CreatedAt => S::CreatedAt.into_simple_expr(),
    };
    let page = fetch_page(conn, select, sort, S::Id, query.order, query.page).await?;
    try_map_page(page, to_supplier)
}
