//! Payments: money received or paid out by one method. Their journal entry finds them through
//! its source; nothing here points at the entry.

use super::chart::ensure_accounts_exist;
use super::encoding::{from_day, in_days, is_party, party_columns, to_day, to_direction, to_party};
use crate::entities::payments;
use crate::errors::missing_reference;
use crate::paging::{fetch_dated_page, try_map_page};
use crate::timestamps::{as_stored, from_micros, to_micros};
use pos_domain::ids::{AccountId, PaymentId, PaymentMethodId, UserId};
use pos_domain::ledger::money_events::{Payment, PaymentDraft, PaymentFilter};
use pos_domain::paging::{ListQuery, Page};
use pos_domain::{Money, StoreError};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use time::OffsetDateTime;

use payments::Column as P;

fn to_payment(row: payments::Model) -> Result<Payment, StoreError> {
    Ok(Payment {
        id: PaymentId::new(row.id),
        direction: to_direction(&row.direction)?,
        method_id: PaymentMethodId::new(row.method_id),
        amount: Money::from_minor_units(row.amount_cents),
        party: to_party(row.party_kind.as_deref(), row.party_id)?,
        counter_account_id: AccountId::new(row.counter_account_id),
        reference: row.reference,
        note: row.note,
        date: from_day(row.payment_date)?,
        user_id: UserId::new(row.user_id),
        created_at: from_micros(row.created_at)?,
    })
}

pub(crate) async fn insert(
    conn: &DatabaseTransaction,
    draft: &PaymentDraft,
    at: OffsetDateTime,
) -> Result<Payment, StoreError> {
    // The counter account comes from the client; the method was looked up by the use case.
    ensure_accounts_exist(conn, [draft.counter_account_id]).await?;
    let (party_kind, party_id) = party_columns(draft.party);
    let row = payments::ActiveModel {
        id: NotSet,
        direction: Set(draft.direction.as_str().to_owned()),
        method_id: Set(draft.method.id.get()),
        amount_cents: Set(draft.amount.minor_units()),
        party_kind: Set(party_kind),
        party_id: Set(party_id),
        counter_account_id: Set(draft.counter_account_id.get()),
        reference: Set(draft.reference.clone()),
        note: Set(draft.note.clone()),
        payment_date: Set(to_day(draft.date)),
        user_id: Set(draft.user_id.get()),
        created_at: Set(to_micros(at)),
    };
    let id = payments::Entity::insert(row)
        .exec(conn)
        .await
        .map_err(missing_reference)?
        .last_insert_id;
    Ok(Payment {
        id: PaymentId::new(id),
        direction: draft.direction,
        method_id: draft.method.id,
        amount: draft.amount,
        party: draft.party,
        counter_account_id: draft.counter_account_id,
        reference: draft.reference.clone(),
        note: draft.note.clone(),
        date: draft.date,
        user_id: draft.user_id,
        created_at: as_stored(at),
    })
}

pub(crate) async fn list(
    conn: &DatabaseTransaction,
    query: &ListQuery<PaymentFilter, ()>,
) -> Result<Page<Payment>, StoreError> {
    let filter = &query.filter;
    let mut select =
        payments::Entity::find().filter(in_days(P::PaymentDate, filter.from, filter.to));
    if let Some(direction) = filter.direction {
        select = select.filter(P::Direction.eq(direction.as_str()));
    }
    if let Some(method) = filter.method_id {
        select = select.filter(P::MethodId.eq(method.get()));
    }
    if let Some(party) = filter.party {
        select = select.filter(is_party(P::PartyKind, P::PartyId, party));
    }
    let page =
        fetch_dated_page(conn, select, P::PaymentDate, P::Id, query.order, query.page).await?;
    try_map_page(page, to_payment)
}
