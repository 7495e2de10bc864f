//! Stock leaving at the counter, in a constant number of statements however many lines a sale
//! has: one locking read of the products with their open lots, then one update of the lots,
//! one of the products and one insert into the log.

use super::lots::to_lot;
use crate::catalog::products::to_product;
use crate::days::to_day;
use crate::entities::{lots, products};
use crate::errors::{db_err, missing_reference};
use crate::timestamps::to_micros;
use pos_domain::StoreError;
use pos_domain::catalog::Product;
use pos_domain::ids::ProductId;
use pos_domain::inventory::Lot;
use pos_domain::ports::StockOut;
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, FromQueryResult, Statement, Value};
use std::collections::BTreeSet;

fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Locks the products (ascending id, as every use case does) and the lots they have open, and
/// returns both, lots oldest first. One `SELECT ... FOR UPDATE` over a left join: a product
/// with no open lot comes back with none. SQLite drops the clause; its writer is exclusive.
pub(crate) async fn lock_stock(
    conn: &DatabaseTransaction,
    ids: &[ProductId],
    location: pos_domain::ids::LocationId,
) -> Result<Vec<(Product, Vec<Lot>)>, StoreError> {
    let ids: BTreeSet<i64> = ids.iter().map(|id| id.get()).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = conn.get_database_backend();
    let lock = if backend == DbBackend::MySql {
        " FOR UPDATE"
    } else {
        ""
    };
    let sql = format!(
        "SELECT p.*, l.id AS l_id, l.product_id AS l_product_id, \
         l.purchase_line_id AS l_purchase_line_id, l.received_e3 AS l_received_e3, \
         l.remaining_e3 AS l_remaining_e3, l.unit_cost_cents AS l_unit_cost_cents, \
         l.remaining_value_cents AS l_remaining_value_cents, l.received_at AS l_received_at, \
         l.location_id AS l_location_id \
         FROM products p LEFT JOIN lots l ON l.product_id = p.id AND l.remaining_e3 > 0 \
         AND l.location_id = ? WHERE p.id IN ({}) ORDER BY p.id, l.received_at, l.id{lock}",
        marks(ids.len())
    );
    let values: Vec<Value> = std::iter::once(location.get().into())
        .chain(ids.iter().map(|id| (*id).into()))
        .collect();
    let rows = conn
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .map_err(db_err)?;
    let mut out: Vec<(Product, Vec<Lot>)> = Vec::with_capacity(ids.len());
    for row in rows {
        let product_id: i64 = row.try_get("", "id").map_err(db_err)?;
        if out.last().is_none_or(|(p, _)| p.id.get() != product_id) {
            let model = products::Model::from_query_result(&row, "").map_err(db_err)?;
            out.push((to_product(model)?, Vec::new()));
        }
        let lot_id: Option<i64> = row.try_get("", "l_id").map_err(db_err)?;
        if lot_id.is_some() {
            let model = lots::Model::from_query_result(&row, "l_").map_err(db_err)?;
            if let Some((_, lots)) = out.last_mut() {
                lots.push(to_lot(model)?);
            }
        }
    }
    Ok(out)
}

/// `CASE id WHEN ? THEN ? ... END` over `pairs`, with its values.
fn case_by_id(pairs: &[(i64, i64)], values: &mut Vec<Value>) -> String {
    let mut sql = String::from("CASE id");
    for (id, v) in pairs {
        sql.push_str(" WHEN ? THEN ?");
        values.extend([(*id).into(), (*v).into()]);
    }
    sql.push_str(" END");
    sql
}

/// Applies the takes, the products' stock and the log, one statement each. The lots' update
/// is conditional on every lot still holding what is taken from it, so no interleaving can
/// overdraw one: fewer rows updated than lots named means a lot was drained since it was read
/// (`Contention`: the use case starts over).
pub(crate) async fn take_stock(
    conn: &DatabaseTransaction,
    outs: &[StockOut],
) -> Result<(), StoreError> {
    if outs.is_empty() {
        return Ok(());
    }
    take_from_lots(conn, outs).await?;
    lower_stock(conn, outs).await?;
    log_movements(conn, outs).await
}

/// Takes from every lot in one conditional update; `Contention` when a lot was drained since
/// it was read.
async fn take_from_lots(conn: &DatabaseTransaction, outs: &[StockOut]) -> Result<(), StoreError> {
    let takes: Vec<_> = outs.iter().flat_map(|o| &o.takes).collect();
    if takes.is_empty() {
        return Ok(());
    }
    let units: Vec<(i64, i64)> = takes
        .iter()
        .map(|t| (t.lot_id.get(), t.quantity.thousandths()))
        .collect();
    let cents: Vec<(i64, i64)> = takes
        .iter()
        .map(|t| (t.lot_id.get(), t.cost.minor_units()))
        .collect();
    let mut values = Vec::new();
    let set_units = case_by_id(&units, &mut values);
    let set_cents = case_by_id(&cents, &mut values);
    let ids: Vec<Value> = takes.iter().map(|t| t.lot_id.get().into()).collect();
    let id_marks = marks(ids.len());
    values.extend(ids);
    let enough_units = case_by_id(&units, &mut values);
    let enough_cents = case_by_id(&cents, &mut values);
    let sql = format!(
        "UPDATE lots SET remaining_e3 = remaining_e3 - {set_units}, \
         remaining_value_cents = remaining_value_cents - {set_cents} \
         WHERE id IN ({id_marks}) AND remaining_e3 >= {enough_units} \
         AND remaining_value_cents >= {enough_cents}"
    );
    let backend = conn.get_database_backend();
    let updated = conn
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .map_err(db_err)?
        .rows_affected();
    if updated != takes.len() as u64 {
        return Err(StoreError::Contention(format!(
            "{} of {} lots no longer hold what the sale takes from them",
            takes.len() as u64 - updated.min(takes.len() as u64),
            takes.len()
        )));
    }
    Ok(())
}

/// Lowers each product's stock by what left, relative to the row, not set from the value read.
async fn lower_stock(conn: &DatabaseTransaction, outs: &[StockOut]) -> Result<(), StoreError> {
    let deltas: Vec<(i64, i64)> = outs
        .iter()
        .map(|o| {
            (
                o.movement.product_id.get(),
                o.movement.before.thousandths() - o.movement.after.thousandths(),
            )
        })
        .collect();
    let mut values = Vec::new();
    let set_stock = case_by_id(&deltas, &mut values);
    values.extend(deltas.iter().map(|(id, _)| Value::from(*id)));
    let sql = format!(
        "UPDATE products SET stock_e3 = stock_e3 - {set_stock} WHERE id IN ({})",
        marks(deltas.len())
    );
    let backend = conn.get_database_backend();
    let updated = conn
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .map_err(db_err)?
        .rows_affected();
    if updated != deltas.len() as u64 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Writes the inventory log of every product, in one statement.
async fn log_movements(conn: &DatabaseTransaction, outs: &[StockOut]) -> Result<(), StoreError> {
    let mut values: Vec<Value> = Vec::with_capacity(outs.len() * 10);
    for o in outs {
        let m = &o.movement;
        values.extend([
            m.product_id.get().into(),
            m.kind.as_str().into(),
            m.before.thousandths().into(),
            m.after.thousandths().into(),
            m.reference_id.into(),
            m.reason.clone().into(),
            m.user_id.get().into(),
            to_micros(m.at).into(),
            to_day(m.day).into(),
            m.location.get().into(),
        ]);
    }
    let sql = format!(
        "INSERT INTO inventory_movements (product_id, kind, before_e3, after_e3, reference_id, \
         reason, user_id, at, at_day, location_id) VALUES {}",
        vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; outs.len()].join(", ")
    );
    let backend = conn.get_database_backend();
    conn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .map_err(missing_reference)?;
    Ok(())
}
