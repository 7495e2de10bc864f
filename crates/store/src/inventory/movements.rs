//! The inventory log: one row per stock change, never edited or deleted.

use crate::catalog::products::ensure_products_exist;
use crate::days::{from_day, in_days, to_day};
use crate::entities::inventory_movements;
use crate::errors::{corrupt, missing_reference};
use crate::paging::{fetch_sequence_page, try_map_page};
use crate::timestamps::{as_stored, from_micros, to_micros};
use pos_domain::StoreError;
use pos_domain::ids::{MovementId, ProductId, UserId};
use pos_domain::inventory::{Movement, MovementFilter, MovementKind, NewMovement};
use pos_domain::paging::{ListQuery, Page};
use pos_domain::quantity::Quantity;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

use inventory_movements::Column as M;

fn to_movement(row: inventory_movements::Model) -> Result<Movement, StoreError> {
    Ok(Movement {
        id: MovementId::new(row.id),
        movement: NewMovement {
            product_id: ProductId::new(row.product_id),
            kind: MovementKind::parse(&row.kind)
                .ok_or_else(|| corrupt("movement kind", &row.kind))?,
            before: Quantity::from_thousandths(row.before_e3),
            after: Quantity::from_thousandths(row.after_e3),
            reference_id: row.reference_id,
            reason: row.reason,
            user_id: UserId::new(row.user_id),
            at: from_micros(row.at)?,
            day: from_day(row.at_day)?,
            location: pos_domain::ids::LocationId::new(row.location_id),
        },
    })
}

pub(crate) async fn insert(
    conn: &DatabaseTransaction,
    movement: NewMovement,
) -> Result<Movement, StoreError> {
    // The product comes from the use case's own lock; checked anyway so a stray id reads the
    // same on both backends. The user is the caller's own session: its key is the backstop.
    ensure_products_exist(conn, [movement.product_id]).await?;
    let row = inventory_movements::ActiveModel {
        id: NotSet,
        product_id: Set(movement.product_id.get()),
        kind: Set(movement.kind.as_str().to_owned()),
        before_e3: Set(movement.before.thousandths()),
        after_e3: Set(movement.after.thousandths()),
        reference_id: Set(movement.reference_id),
        reason: Set(movement.reason.clone()),
        user_id: Set(movement.user_id.get()),
        at: Set(to_micros(movement.at)),
        at_day: Set(to_day(movement.day)),
        location_id: Set(movement.location.get()),
    };
    let id = inventory_movements::Entity::insert(row)
        .exec(conn)
        .await
        .map_err(missing_reference)?
        .last_insert_id;
    Ok(Movement {
        id: MovementId::new(id),
        movement: NewMovement {
            at: as_stored(movement.at),
            ..movement
        },
    })
}

pub(crate) async fn list(
    conn: &DatabaseTransaction,
    query: &ListQuery<MovementFilter, ()>,
) -> Result<Page<Movement>, StoreError> {
    let filter = &query.filter;
    let mut select =
        inventory_movements::Entity::find().filter(in_days(M::AtDay, filter.from, filter.to));
    if let Some(product) = filter.product_id {
        select = select.filter(M::ProductId.eq(product.get()));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(M::Kind.eq(kind.as_str()));
    }
    if let Some(location) = filter.location {
        select = select.filter(M::LocationId.eq(location.get()));
    }
    // The log's sequence is its ids, not `at`: a use case stamps its time before it waits for
    // the product locks, so times can disagree with the order stock actually changed in.
    let page = fetch_sequence_page(conn, select, M::Id, query.order, query.page).await?;
    try_map_page(page, to_movement)
}
