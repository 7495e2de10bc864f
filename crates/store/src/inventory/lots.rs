//! FIFO lots: units received together at one cost, consumed oldest first (by `received_at`,
//! then id; a lot moved by a transfer keeps the age of the lot it left).

use crate::catalog::products::ensure_products_exist;
use crate::entities::{lots, purchase_lines};
use crate::errors::{db_err, missing_reference};
use crate::timestamps::{as_stored, from_micros, to_micros};
use pos_domain::ids::{LotId, ProductId, PurchaseLineId};
use pos_domain::inventory::{Lot, NewLot};
use pos_domain::quantity::Quantity;
use pos_domain::{Money, StoreError};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use lots::Column as L;

pub(crate) fn to_lot(row: lots::Model) -> Result<Lot, StoreError> {
    Ok(Lot {
        id: LotId::new(row.id),
        product_id: ProductId::new(row.product_id),
        purchase_line_id: row.purchase_line_id.map(PurchaseLineId::new),
        received: Quantity::from_thousandths(row.received_e3),
        remaining: Quantity::from_thousandths(row.remaining_e3),
        unit_cost: Money::from_minor_units(row.unit_cost_cents),
        remaining_value: Money::from_minor_units(row.remaining_value_cents),
        received_at: from_micros(row.received_at)?,
        location_id: pos_domain::ids::LocationId::new(row.location_id),
    })
}

fn to_lots(rows: Vec<lots::Model>) -> Result<Vec<Lot>, StoreError> {
    rows.into_iter().map(to_lot).collect()
}

/// The product's lots with units left, in FIFO order (the `ix_lots_product_open` range).
pub(crate) async fn open(
    conn: &DatabaseTransaction,
    product: ProductId,
) -> Result<Vec<Lot>, StoreError> {
    let rows = lots::Entity::find()
        .filter(L::ProductId.eq(product.get()))
        .filter(L::RemainingE3.gt(0))
        .order_by_asc(L::ReceivedAt)
        .order_by_asc(L::Id)
        .all(conn)
        .await
        .map_err(db_err)?;
    to_lots(rows)
}

pub(crate) async fn of_product(
    conn: &DatabaseTransaction,
    product: ProductId,
) -> Result<Vec<Lot>, StoreError> {
    let rows = lots::Entity::find()
        .filter(L::ProductId.eq(product.get()))
        .order_by_asc(L::ReceivedAt)
        .order_by_asc(L::Id)
        .all(conn)
        .await
        .map_err(db_err)?;
    to_lots(rows)
}

pub(crate) async fn find(conn: &DatabaseTransaction, id: LotId) -> Result<Option<Lot>, StoreError> {
    lots::Entity::find_by_id(id.get())
        .one(conn)
        .await
        .map_err(db_err)?
        .map(to_lot)
        .transpose()
}

pub(crate) async fn of_purchase_line(
    conn: &DatabaseTransaction,
    line: PurchaseLineId,
) -> Result<Option<Lot>, StoreError> {
    lots::Entity::find()
        .filter(L::PurchaseLineId.eq(line.get()))
        .one(conn)
        .await
        .map_err(db_err)?
        .map(to_lot)
        .transpose()
}

pub(crate) async fn insert(conn: &DatabaseTransaction, lot: NewLot) -> Result<Lot, StoreError> {
    // Checked first, with the field at fault, because SQLite's foreign-key error does not say
    // which key failed; the foreign keys stay as the backstop.
    ensure_products_exist(conn, [lot.product_id]).await?;
    if let Some(line) = lot.purchase_line_id {
        let found = purchase_lines::Entity::find_by_id(line.get())
            .count(conn)
            .await
            .map_err(db_err)?;
        if found == 0 {
            return Err(StoreError::MissingReference("purchase_line_id"));
        }
    }
    let value = lot
        .value()
        .map_err(|_| StoreError::OutOfRange("a lot's value"))?;
    let row = lots::ActiveModel {
        id: NotSet,
        product_id: Set(lot.product_id.get()),
        purchase_line_id: Set(lot.purchase_line_id.map(PurchaseLineId::get)),
        received_e3: Set(lot.quantity.thousandths()),
        remaining_e3: Set(lot.quantity.thousandths()),
        unit_cost_cents: Set(lot.unit_cost.minor_units()),
        remaining_value_cents: Set(value.minor_units()),
        received_at: Set(to_micros(lot.received_at)),
        location_id: Set(lot.location.get()),
    };
    // A second lot for one purchase line clashes on `ux_lots_purchase_line`: a bug, `Backend`.
    let id = lots::Entity::insert(row)
        .exec(conn)
        .await
        .map_err(missing_reference)?
        .last_insert_id;
    Ok(Lot {
        id: LotId::new(id),
        product_id: lot.product_id,
        purchase_line_id: lot.purchase_line_id,
        received: lot.quantity,
        remaining: lot.quantity,
        unit_cost: lot.unit_cost,
        remaining_value: value,
        received_at: as_stored(lot.received_at),
        location_id: lot.location,
    })
}

/// Takes units and value out of a lot with one conditional update: it only applies while the
/// lot still holds both, so no interleaving of takes can overdraw a lot, even one that skipped
/// the product lock. No row updated means the lot was drained since it was read:
/// `Contention`, so the use case can start over with fresh lots; `NotFound` if there is no
/// such lot.
pub(crate) async fn take(
    conn: &DatabaseTransaction,
    lot: LotId,
    quantity: Quantity,
    value: Money,
) -> Result<(), StoreError> {
    let (units, cents) = (quantity.thousandths(), value.minor_units());
    let result = lots::Entity::update_many()
        .col_expr(L::RemainingE3, Expr::col(L::RemainingE3).sub(units))
        .col_expr(
            L::RemainingValueCents,
            Expr::col(L::RemainingValueCents).sub(cents),
        )
        .filter(L::Id.eq(lot.get()))
        .filter(L::RemainingE3.gte(units))
        .filter(L::RemainingValueCents.gte(cents))
        .exec(conn)
        .await
        .map_err(db_err)?;
    if result.rows_affected > 0 {
        return Ok(());
    }
    // Lots are never deleted, so a missing one is the caller's mistake, not a race.
    if find(conn, lot).await?.is_none() {
        return Err(StoreError::NotFound);
    }
    Err(StoreError::Contention(format!(
        "lot {lot} no longer holds {quantity} units worth {value}"
    )))
}

/// Puts returned units and their cost back into a lot with one conditional update that only
/// applies while the lot would still hold no more than it received: a return can never
/// overfill a lot, however returns race. No row updated means that bound (`Contention`: the
/// caller read a stale lot) or no such lot (`NotFound`).
pub(crate) async fn put_back(
    conn: &DatabaseTransaction,
    lot: LotId,
    quantity: Quantity,
    value: Money,
) -> Result<(), StoreError> {
    let (units, cents) = (quantity.thousandths(), value.minor_units());
    let result = lots::Entity::update_many()
        .col_expr(L::RemainingE3, Expr::col(L::RemainingE3).add(units))
        .col_expr(
            L::RemainingValueCents,
            Expr::col(L::RemainingValueCents).add(cents),
        )
        .filter(L::Id.eq(lot.get()))
        .filter(
            Expr::col(L::RemainingE3)
                .add(units)
                .lte(Expr::col(L::ReceivedE3)),
        )
        .exec(conn)
        .await
        .map_err(db_err)?;
    if result.rows_affected > 0 {
        return Ok(());
    }
    if find(conn, lot).await?.is_none() {
        return Err(StoreError::NotFound);
    }
    Err(StoreError::Contention(format!(
        "lot {lot} cannot take back {quantity} units without holding more than it received"
    )))
}

/// The unit cost of the product's latest lot (highest id), read from `ix_lots_product`.
pub(crate) async fn last_unit_cost(
    conn: &DatabaseTransaction,
    product: ProductId,
) -> Result<Option<Money>, StoreError> {
    let cost: Option<i64> = lots::Entity::find()
        .select_only()
        .column(L::UnitCostCents)
        .filter(L::ProductId.eq(product.get()))
        .order_by_desc(L::Id)
        .limit(1)
        .into_tuple()
        .one(conn)
        .await
        .map_err(db_err)?;
    Ok(cost.map(Money::from_minor_units))
}
