//! Customers and suppliers ("parties"): two tables of one shape, served by one generic
//! implementation. Both hold a name, phones, an email, an address, a note and the active flag;
//! customers add a credit limit. Never deleted (documents refer to them); deactivated.

use crate::contact::{email, email_text, phone, phone_text};
use crate::entities::{customers, suppliers};
use crate::errors::{corrupt, db_err};
use crate::paging::{fetch_page, lower, search, try_map_page};
use crate::timestamps::{as_stored, from_micros, to_micros};
use pos_domain::contact::{Address, Phone};
use pos_domain::customers::{Customer, CustomerDraft, CustomerFilter, CustomerSort};
use pos_domain::ids::{CustomerId, SupplierId};
use pos_domain::paging::{ListQuery, Page};
use pos_domain::suppliers::{Supplier, SupplierDraft, SupplierFilter, SupplierSort};
use pos_domain::text::{Email, Name};
use pos_domain::{Money, StoreError};
use sea_orm::sea_query::ValueType;
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait,
    FromQueryResult, IntoActiveModel, IntoSimpleExpr, ModelTrait, PrimaryKeyTrait, QueryFilter,
    QuerySelect, Value,
};
use time::OffsetDateTime;

/// The columns both party tables have.
#[derive(Clone, Copy)]
pub(crate) enum PartyColumn {
    Id,
    Name,
    Phone,
    AltPhone,
    Email,
    AddressLine1,
    AddressLine2,
    City,
    Region,
    PostalCode,
    Country,
    Note,
    Active,
    CreatedAt,
    UpdatedAt,
}

/// The fields of a draft both tables hold.
pub(crate) struct Contact {
    name: Name,
    phone: Option<Phone>,
    alt_phone: Option<Phone>,
    email: Option<Email>,
    address: Address,
    note: Option<String>,
}

/// A stored party as both tables hold it, its draft being the domain's own.
pub(crate) struct Record<D> {
    id: i64,
    draft: D,
    active: bool,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

/// A party type of the domain and the table that stores it.
pub(crate) trait Party: Sized + Send {
    type Entity: EntityTrait<
            Model = Self::Row,
            ActiveModel = Self::Active,
            PrimaryKey: PrimaryKeyTrait<ValueType = i64>,
        >;
    type Row: ModelTrait<Entity = Self::Entity>
        + FromQueryResult
        + IntoActiveModel<Self::Active>
        + Send
        + Sync;
    type Active: ActiveModelTrait<Entity = Self::Entity>
        + ActiveModelBehavior
        + From<Self::Row>
        + Send;
    type Id: Copy + Send;
    type Draft: Send + Sync;
    type Filter: Sync;
    type Sort: Copy + Sync;
    /// What it is called in errors (`customer`).
    const NOUN: &'static str;
    /// The key documents refer to it by, as a missing one is reported (`customer_id`).
    const REFERENCE: &'static str;
    /// How a bad stored name, phone and email are reported (`customer name`).
    const CORRUPT: [&'static str; 3];

    fn column(column: PartyColumn) -> <Self::Entity as EntityTrait>::Column;
    fn raw(id: Self::Id) -> i64;
    fn from_record(record: Record<Self::Draft>) -> Self;
    /// The draft of `contact` and what only this table stores, read from `row`.
    fn draft(contact: Contact, row: &Self::Row) -> Self::Draft;
    /// The shared fields of `draft`, for writing.
    fn contact(draft: &Self::Draft) -> Contact;
    /// Writes what only this table stores.
    fn write_own(row: &mut Self::Active, draft: &Self::Draft);
    /// The filter's search text and active flag.
    fn filter(filter: &Self::Filter) -> (Option<&str>, Option<bool>);
    /// Whether the list is sorted by name (else by creation).
    fn by_name(sort: Self::Sort) -> bool;
}

macro_rules! party {
    (
        $party:ident($draft:ident, $id:ident, $filter:ident, $sort:ident) in $table:ident
        as $noun:literal $(, $money:ident in $cents:ident)?
    ) => {
        impl Party for $party {
            type Entity = $table::Entity;
            type Row = $table::Model;
            type Active = $table::ActiveModel;
            type Id = $id;
            type Draft = $draft;
            type Filter = $filter;
            type Sort = $sort;
            const NOUN: &'static str = $noun;
            const REFERENCE: &'static str = concat!($noun, "_id");
            const CORRUPT: [&'static str; 3] =
                [concat!($noun, " name"), concat!($noun, " phone"), concat!($noun, " email")];

            fn column(column: PartyColumn) -> $table::Column {
                use $table::Column as C;
                match column {
                    PartyColumn::Id => C::Id,
                    PartyColumn::Name => C::Name,
                    PartyColumn::Phone => C::Phone,
                    PartyColumn::AltPhone => C::AltPhone,
                    PartyColumn::Email => C::Email,
                    PartyColumn::AddressLine1 => C::AddressLine1,
                    PartyColumn::AddressLine2 => C::AddressLine2,
                    PartyColumn::City => C::City,
                    PartyColumn::Region => C::Region,
                    PartyColumn::PostalCode => C::PostalCode,
                    PartyColumn::Country => C::Country,
                    PartyColumn::Note => C::Note,
                    PartyColumn::Active => C::Active,
                    PartyColumn::CreatedAt => C::CreatedAt,
                    PartyColumn::UpdatedAt => C::UpdatedAt,
                }
            }

            fn raw(id: $id) -> i64 {
                id.get()
            }

            fn from_record(r: Record<$draft>) -> Self {
                $party {
                    id: $id::new(r.id),
                    draft: r.draft,
                    active: r.active,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                }
            }

            fn draft(c: Contact, _row: &$table::Model) -> $draft {
                $draft {
                    name: c.name,
                    phone: c.phone,
                    alt_phone: c.alt_phone,
                    email: c.email,
                    address: c.address,
                    $($money: _row.$cents.map(Money::from_minor_units),)?
                    note: c.note,
                }
            }

            fn contact(d: &$draft) -> Contact {
                Contact {
                    name: d.name.clone(),
                    phone: d.phone.clone(),
                    alt_phone: d.alt_phone.clone(),
                    email: d.email.clone(),
                    address: d.address.clone(),
                    note: d.note.clone(),
                }
            }

            fn write_own(_row: &mut $table::ActiveModel, _draft: &$draft) {
                $(_row.$cents = sea_orm::ActiveValue::Set(_draft.$money.map(Money::minor_units));)?
            }

            fn filter(filter: &$filter) -> (Option<&str>, Option<bool>) {
                (filter.q.as_deref(), filter.active)
            }

            fn by_name(sort: $sort) -> bool {
                matches!(sort, $sort::Name)
            }
        }
    };
}

party!(Customer(CustomerDraft, CustomerId, CustomerFilter, CustomerSort) in customers
    as "customer", credit_limit in credit_limit_cents);
party!(Supplier(SupplierDraft, SupplierId, SupplierFilter, SupplierSort) in suppliers
    as "supplier");

/// One column of a stored row, as `T`; a value of another type is a corrupt row.
fn get<P: Party, T: ValueType>(row: &P::Row, column: PartyColumn) -> Result<T, StoreError> {
    T::try_from(row.get(P::column(column))).map_err(|e| corrupt(P::NOUN, e))
}

fn to_party<P: Party>(row: P::Row) -> Result<P, StoreError> {
    let text = |column| get::<P, Option<String>>(&row, column);
    let [name_what, phone_what, email_what] = P::CORRUPT;
    let name: String = get::<P, _>(&row, PartyColumn::Name)?;
    let contact = Contact {
        name: Name::new(&name).map_err(|e| corrupt(name_what, e))?,
        phone: phone(text(PartyColumn::Phone)?, phone_what)?,
        alt_phone: phone(text(PartyColumn::AltPhone)?, phone_what)?,
        email: email(text(PartyColumn::Email)?, email_what)?,
        address: Address {
            line1: text(PartyColumn::AddressLine1)?,
            line2: text(PartyColumn::AddressLine2)?,
            city: text(PartyColumn::City)?,
            region: text(PartyColumn::Region)?,
            postal_code: text(PartyColumn::PostalCode)?,
            country: text(PartyColumn::Country)?,
        },
        note: text(PartyColumn::Note)?,
    };
    Ok(P::from_record(Record {
        id: get::<P, _>(&row, PartyColumn::Id)?,
        active: get::<P, _>(&row, PartyColumn::Active)?,
        created_at: from_micros(get::<P, _>(&row, PartyColumn::CreatedAt)?)?,
        updated_at: from_micros(get::<P, _>(&row, PartyColumn::UpdatedAt)?)?,
        draft: P::draft(contact, &row),
    }))
}

/// Writes the staff-edited fields of `draft` into `row`.
fn write_draft<P: Party>(row: &mut P::Active, draft: &P::Draft) {
    let c = P::contact(draft);
    let address = c.address;
    let values: [(PartyColumn, Value); 11] = [
        (PartyColumn::Name, c.name.as_str().into()),
        (PartyColumn::Phone, phone_text(&c.phone).into()),
        (PartyColumn::AltPhone, phone_text(&c.alt_phone).into()),
        (PartyColumn::Email, email_text(&c.email).into()),
        (PartyColumn::AddressLine1, address.line1.into()),
        (PartyColumn::AddressLine2, address.line2.into()),
        (PartyColumn::City, address.city.into()),
        (PartyColumn::Region, address.region.into()),
        (PartyColumn::PostalCode, address.postal_code.into()),
        (PartyColumn::Country, address.country.into()),
        (PartyColumn::Note, c.note.into()),
    ];
    for (column, value) in values {
        row.set(P::column(column), value);
    }
    P::write_own(row, draft);
}

async fn find_row<P: Party>(
    conn: &DatabaseTransaction,
    id: P::Id,
) -> Result<Option<P::Row>, StoreError> {
    P::Entity::find_by_id(P::raw(id))
        .one(conn)
        .await
        .map_err(db_err)
}

/// `MissingReference("customer_id")` (or `supplier_id`) unless the party exists. Checked before
/// writing a document because SQLite's foreign-key error does not say which key failed.
pub(crate) async fn ensure_exists<P: Party>(
    conn: &DatabaseTransaction,
    id: P::Id,
) -> Result<(), StoreError> {
    match find_row::<P>(conn, id).await? {
        Some(_) => Ok(()),
        None => Err(StoreError::MissingReference(P::REFERENCE)),
    }
}

pub(crate) async fn insert<P: Party>(
    conn: &DatabaseTransaction,
    draft: P::Draft,
    at: OffsetDateTime,
) -> Result<P, StoreError> {
    let mut row = <P::Active as ActiveModelTrait>::default();
    row.set(P::column(PartyColumn::Active), true.into());
    row.set(P::column(PartyColumn::CreatedAt), to_micros(at).into());
    row.set(P::column(PartyColumn::UpdatedAt), to_micros(at).into());
    write_draft::<P>(&mut row, &draft);
    let id = P::Entity::insert(row)
        .exec(conn)
        .await
        .map_err(db_err)?
        .last_insert_id;
    Ok(P::from_record(Record {
        id,
        draft,
        active: true,
        created_at: as_stored(at),
        updated_at: as_stored(at),
    }))
}

pub(crate) async fn find<P: Party>(
    conn: &DatabaseTransaction,
    id: P::Id,
) -> Result<Option<P>, StoreError> {
    find_row::<P>(conn, id).await?.map(to_party).transpose()
}

/// Applies `change` to the stored party and stamps `updated_at`; `NotFound` if missing.
async fn change<P: Party>(
    conn: &DatabaseTransaction,
    id: P::Id,
    change: impl FnOnce(&mut P::Active) + Send,
    at: OffsetDateTime,
) -> Result<P, StoreError> {
    let mut row: P::Active = find_row::<P>(conn, id)
        .await?
        .ok_or(StoreError::NotFound)?
        .into();
    change(&mut row);
    row.set(P::column(PartyColumn::UpdatedAt), to_micros(at).into());
    to_party(row.update(conn).await.map_err(db_err)?)
}

pub(crate) async fn update<P: Party>(
    conn: &DatabaseTransaction,
    id: P::Id,
    draft: P::Draft,
    at: OffsetDateTime,
) -> Result<P, StoreError> {
    change::<P>(conn, id, |row| write_draft::<P>(row, &draft), at).await
}

pub(crate) async fn set_active<P: Party>(
    conn: &DatabaseTransaction,
    id: P::Id,
    active: bool,
    at: OffsetDateTime,
) -> Result<P, StoreError> {
    let column = P::column(PartyColumn::Active);
    change::<P>(conn, id, |row| row.set(column, active.into()), at).await
}

pub(crate) async fn list<P: Party>(
    conn: &DatabaseTransaction,
    query: &ListQuery<P::Filter, P::Sort>,
) -> Result<Page<P>, StoreError> {
    let (q, active) = P::filter(&query.filter);
    let column = P::column;
    let mut select = P::Entity::find();
    if let Some(q) = q {
        // A NULL phone or email matches nothing: `lower(NULL) LIKE ..` is NULL, not true.
        let texts = [
            PartyColumn::Name,
            PartyColumn::Phone,
            PartyColumn::AltPhone,
            PartyColumn::Email,
        ];
        select = select.filter(search(q, &texts.map(column)));
    }
    if let Some(active) = active {
        select = select.filter(column(PartyColumn::Active).eq(active));
    }
    let sort = if P::by_name(query.sort) {
        lower(column(PartyColumn::Name))
    } else {
        column(PartyColumn::CreatedAt).into_simple_expr()
    };
    let id = column(PartyColumn::Id);
    let page = fetch_page(conn, select, sort, id, query.order, query.page).await?;
    try_map_page(page, to_party)
}

/// Reads the party with `FOR UPDATE` on MySQL: a second credit sale or payment for the same
/// customer waits here until the first commits, then sees what it added to the due. SQLite
/// drops the clause, its writer transaction being exclusive already.
pub(crate) async fn lock<P: Party>(
    conn: &DatabaseTransaction,
    id: P::Id,
) -> Result<Option<P>, StoreError> {
    P::Entity::find_by_id(P::raw(id))
        .lock_exclusive()
        .one(conn)
        .await
        .map_err(db_err)?
        .map(to_party)
        .transpose()
}
