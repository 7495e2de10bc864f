//! Customers ([`CustomerRepo`]): who the shop sells to, on account up to a credit limit. Never
//! deleted (sales refer to them); deactivated.

use crate::contact::{email, email_text, phone, phone_text};
use crate::entities::customers;
use crate::errors::{corrupt, db_err};
use crate::paging::{fetch_page, lower, search, try_map_page};
use crate::timestamps::{as_stored, from_micros, to_micros};
use crate::tx::SeaTx;
use async_trait::async_trait;
use pos_domain::contact::Address;
use pos_domain::customers::{Customer, CustomerDraft, CustomerFilter, CustomerSort};
use pos_domain::ids::CustomerId;
use pos_domain::paging::{ListQuery, Page};
use pos_domain::ports::CustomerRepo;
use pos_domain::text::Name;
use pos_domain::{Money, StoreError};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoSimpleExpr, QueryFilter,
    QuerySelect,
};
use time::OffsetDateTime;

use customers::Column as C;

#[async_trait]
impl CustomerRepo for SeaTx {
    async fn insert_customer(
        &mut self,
        draft: CustomerDraft,
        at: OffsetDateTime,
    ) -> Result<Customer, StoreError> {
        insert(self.conn(), draft, at).await
    }

    async fn find_customer(&mut self, id: CustomerId) -> Result<Option<Customer>, StoreError> {
        find_row(self.conn(), id)
            .await?
            .map(to_customer)
            .transpose()
    }

    async fn update_customer(
        &mut self,
        id: CustomerId,
        draft: CustomerDraft,
        at: OffsetDateTime,
    ) -> Result<Customer, StoreError> {
        update(self.conn(), id, |row| apply_draft(row, &draft), at).await
    }

    async fn set_customer_active(
        &mut self,
        id: CustomerId,
        active: bool,
        at: OffsetDateTime,
    ) -> Result<Customer, StoreError> {
        update(self.conn(), id, |row| row.active = Set(active), at).await
    }

    async fn list_customers(
        &mut self,
        query: &ListQuery<CustomerFilter, CustomerSort>,
    ) -> Result<Page<Customer>, StoreError> {
        list(self.conn(), query).await
    }

    async fn lock_customer(&mut self, id: CustomerId) -> Result<Option<Customer>, StoreError> {
        lock(self.conn(), id).await
    }
}

fn to_customer(row: customers::Model) -> Result<Customer, StoreError> {
    let draft = CustomerDraft {
        name: Name::new(&row.name).map_err(|e| corrupt("customer name", e))?,
        phone: phone(row.phone, "customer phone")?,
        alt_phone: phone(row.alt_phone, "customer phone")?,
        email: email(row.email, "customer email")?,
        address: Address {
            line1: row.address_line1,
            line2: row.address_line2,
            city: row.city,
            region: row.region,
            postal_code: row.postal_code,
            country: row.country,
        },
        credit_limit: row.credit_limit_cents.map(Money::from_minor_units),
        note: row.note,
    };
    Ok(Customer {
        id: CustomerId::new(row.id),
        draft,
        active: row.active,
        created_at: from_micros(row.created_at)?,
        updated_at: from_micros(row.updated_at)?,
    })
}

/// Writes the staff-edited fields of `draft` into `row`.
fn apply_draft(row: &mut customers::ActiveModel, draft: &CustomerDraft) {
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
    row.credit_limit_cents = Set(draft.credit_limit.map(Money::minor_units));
    row.note = Set(draft.note.clone());
}

async fn find_row(
    conn: &DatabaseTransaction,
    id: CustomerId,
) -> Result<Option<customers::Model>, StoreError> {
    customers::Entity::find_by_id(id.get())
        .one(conn)
        .await
        .map_err(db_err)
}

/// `MissingReference("customer_id")` unless the customer exists. Checked before writing a sale
/// or a held sale because SQLite's foreign-key error does not say which key failed.
pub(crate) async fn ensure_exists(
    conn: &DatabaseTransaction,
    id: CustomerId,
) -> Result<(), StoreError> {
    match find_row(conn, id).await? {
        Some(_) => Ok(()),
        None => Err(StoreError::MissingReference("customer_id")),
    }
}

async fn insert(
    conn: &DatabaseTransaction,
    draft: CustomerDraft,
    at: OffsetDateTime,
) -> Result<Customer, StoreError> {
    let mut row = customers::ActiveModel {
        id: NotSet,
        active: Set(true),
        created_at: Set(to_micros(at)),
        updated_at: Set(to_micros(at)),
        ..Default::default()
    };
    apply_draft(&mut row, &draft);
    let id = customers::Entity::insert(row)
        .exec(conn)
        .await
        .map_err(db_err)?
        .last_insert_id;
    Ok(Customer {
        id: CustomerId::new(id),
        draft,
        active: true,
        created_at: as_stored(at),
        updated_at: as_stored(at),
    })
}

/// Applies `change` to the stored customer and stamps `updated_at`; `NotFound` if missing.
async fn update(
    conn: &DatabaseTransaction,
    id: CustomerId,
    change: impl FnOnce(&mut customers::ActiveModel),
    at: OffsetDateTime,
) -> Result<Customer, StoreError> {
    let mut row: customers::ActiveModel = find_row(conn, id)
        .await?
        .ok_or(StoreError::NotFound)?
        .into();
    change(&mut row);
    row.updated_at = Set(to_micros(at));
    to_customer(row.update(conn).await.map_err(db_err)?)
}

async fn list(
    conn: &DatabaseTransaction,
    query: &ListQuery<CustomerFilter, CustomerSort>,
) -> Result<Page<Customer>, StoreError> {
    let filter = &query.filter;
    let mut select = customers::Entity::find();
    if let Some(q) = &filter.q {
        // A NULL phone or email matches nothing: `lower(NULL) LIKE ..` is NULL, not true.
        select = select.filter(search(q, &[C::Name, C::Phone, C::AltPhone, C::Email]));
    }
    if let Some(active) = filter.active {
        select = select.filter(C::Active.eq(active));
    }
    let sort = match query.sort {
        CustomerSort::Name => lower(C::Name),
        CustomerSort::CreatedAt => C::CreatedAt.into_simple_expr(),
    };
    let page = fetch_page(conn, select, sort, C::Id, query.order, query.page).await?;
    try_map_page(page, to_customer)
}

/// Reads the customer with `FOR UPDATE` on MySQL: a second credit sale or payment for the same
/// customer waits here until the first commits, then sees what it added to the due. SQLite
/// drops the clause, its writer transaction being exclusive already.
async fn lock(conn: &DatabaseTransaction, id: CustomerId) -> Result<Option<Customer>, StoreError> {
    customers::Entity::find_by_id(id.get())
        .lock_exclusive()
        .one(conn)
        .await
        .map_err(db_err)?
        .map(to_customer)
        .transpose()
}
