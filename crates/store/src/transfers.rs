//! Transfers and the stock they hold in transit ([`TransferRepo`]), in plain SQL that runs
//! unchanged on MySQL and SQLite.

use crate::errors::corrupt;
use crate::raw::{execute, get, insert, rows};
use crate::sums::sum_sql;
use crate::timestamps::{from_micros, to_micros};
use crate::tx::SeaTx;
use async_trait::async_trait;
use pos_domain::StoreError;
use pos_domain::ids::{LocationId, LotId, ProductId, TransferId, TransitLotId, UserId};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, Order, Page};
use pos_domain::ports::TransferRepo;
use pos_domain::quantity::Quantity;
use pos_domain::transfer::{
    NewTransfer, NewTransitLot, Transfer, TransferFilter, TransferLine, TransferStatus, TransitLot,
};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, QueryResult, Value};
use time::OffsetDateTime;

const COLUMNS: &str = "id, from_location_id, to_location_id, status, note, created_by, created_at, shipped_at, \
     closed_at";

const LOT_COLUMNS: &str = "id, transfer_id, product_id, origin_lot_id, unit_cost_cents, aged_at, \
     shipped_e3, remaining_e3, remaining_value_cents";

fn instant(row: &QueryResult, column: &str) -> Result<Option<OffsetDateTime>, StoreError> {
    get::<Option<i64>>(row, column)?
        .map(from_micros)
        .transpose()
}

/// The transfers of `found` with their lines: one more query for any number of them.
async fn assemble(
    conn: &DatabaseTransaction,
    found: Vec<QueryResult>,
) -> Result<Vec<Transfer>, StoreError> {
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = found
        .iter()
        .map(|r| get::<i64>(r, "id"))
        .collect::<Result<_, _>>()?;
    let marks = vec!["?"; ids.len()].join(", ");
    let line_rows = rows(
        conn,
        &format!(
            "SELECT transfer_id, product_id, quantity_e3, received_e3, short_e3 \
             FROM transfer_lines WHERE transfer_id IN ({marks}) ORDER BY transfer_id, product_id"
        ),
        ids.iter().map(|id| (*id).into()).collect(),
    )
    .await?;
    let mut transfers = Vec::with_capacity(found.len());
    for row in &found {
        let id: i64 = get(row, "id")?;
        let status: String = get(row, "status")?;
        let mut lines = Vec::new();
        for line in &line_rows {
            if get::<i64>(line, "transfer_id")? == id {
                lines.push(TransferLine {
                    product_id: ProductId::new(get(line, "product_id")?),
                    quantity: Quantity::from_thousandths(get(line, "quantity_e3")?),
                    received: Quantity::from_thousandths(get(line, "received_e3")?),
                    short: Quantity::from_thousandths(get(line, "short_e3")?),
                });
            }
        }
        transfers.push(Transfer {
            id: TransferId::new(id),
            from: LocationId::new(get(row, "from_location_id")?),
            to: LocationId::new(get(row, "to_location_id")?),
            status: TransferStatus::parse(&status)
                .ok_or_else(|| corrupt("transfers.status", &status))?,
            note: get(row, "note")?,
            lines,
            created_by: UserId::new(get(row, "created_by")?),
            created_at: from_micros(get(row, "created_at")?)?,
            shipped_at: instant(row, "shipped_at")?,
            closed_at: instant(row, "closed_at")?,
        });
    }
    Ok(transfers)
}

async fn one(
    conn: &DatabaseTransaction,
    id: TransferId,
    lock: bool,
) -> Result<Option<Transfer>, StoreError> {
    // SQLite writers hold the whole database already.
    let lock = if lock && conn.get_database_backend() == DbBackend::MySql {
        " FOR UPDATE"
    } else {
        ""
    };
    let found = rows(
        conn,
        &format!("SELECT {COLUMNS} FROM transfers WHERE id = ?{lock}"),
        vec![id.get().into()],
    )
    .await?;
    Ok(assemble(conn, found).await?.pop())
}

fn to_transit_lot(row: &QueryResult) -> Result<TransitLot, StoreError> {
    Ok(TransitLot {
        id: TransitLotId::new(get(row, "id")?),
        transfer_id: TransferId::new(get(row, "transfer_id")?),
        product_id: ProductId::new(get(row, "product_id")?),
        origin_lot_id: LotId::new(get(row, "origin_lot_id")?),
        unit_cost: Money::from_minor_units(get(row, "unit_cost_cents")?),
        aged_at: from_micros(get(row, "aged_at")?)?,
        shipped: Quantity::from_thousandths(get(row, "shipped_e3")?),
        remaining: Quantity::from_thousandths(get(row, "remaining_e3")?),
        remaining_value: Money::from_minor_units(get(row, "remaining_value_cents")?),
    })
}

#[async_trait]
impl TransferRepo for SeaTx {
    async fn insert_transfer(&mut self, new: &NewTransfer) -> Result<Transfer, StoreError> {
        let conn = self.conn();
        let at = to_micros(new.at);
        let id = insert(
            conn,
            "INSERT INTO transfers (from_location_id, to_location_id, status, note, created_by, \
             created_at, updated_at) VALUES (?, ?, 'created', ?, ?, ?, ?)",
            vec![
                new.from.get().into(),
                new.to.get().into(),
                new.note.clone().into(),
                new.created_by.get().into(),
                at.into(),
                at.into(),
            ],
        )
        .await?;
        if !new.lines.is_empty() {
            let marks = vec!["(?, ?, ?, ?)"; new.lines.len()].join(", ");
            let mut values: Vec<Value> = Vec::with_capacity(new.lines.len() * 4);
            for (no, (product, quantity)) in new.lines.iter().enumerate() {
                values.extend([
                    id.into(),
                    i64::try_from(no).unwrap_or(i64::MAX).into(),
                    product.get().into(),
                    quantity.thousandths().into(),
                ]);
            }
            execute(
                conn,
                &format!(
                    "INSERT INTO transfer_lines (transfer_id, line_no, product_id, quantity_e3) \
                     VALUES {marks}"
                ),
                values,
            )
            .await?;
        }
        one(conn, TransferId::new(id), false)
            .await?
            .ok_or(StoreError::NotFound)
    }

    async fn find_transfer(&mut self, id: TransferId) -> Result<Option<Transfer>, StoreError> {
        one(self.conn(), id, false).await
    }

    async fn lock_transfer(&mut self, id: TransferId) -> Result<Option<Transfer>, StoreError> {
        one(self.conn(), id, true).await
    }

    async fn list_transfers(
        &mut self,
        query: &ListQuery<TransferFilter, ()>,
    ) -> Result<Page<Transfer>, StoreError> {
        let conn = self.conn();
        let mut conditions = vec!["1 = 1".to_owned()];
        let mut values: Vec<Value> = Vec::new();
        if let Some(status) = query.filter.status {
            conditions.push("status = ?".into());
            values.push(status.as_str().into());
        }
        if let Some(location) = query.filter.location {
            conditions.push("(from_location_id = ? OR to_location_id = ?)".into());
            values.push(location.get().into());
            values.push(location.get().into());
        }
        let filter = conditions.join(" AND ");
        let order = match query.order {
            Order::Asc => "id ASC",
            Order::Desc => "id DESC",
        };
        let page = query.page;
        let (found, total) =
            crate::raw::page(conn, (COLUMNS, "transfers", &filter, order), values, page).await?;
        Ok(Page {
            items: assemble(conn, found).await?,
            page: page.page(),
            per_page: page.per_page(),
            total,
        })
    }

    async fn update_transfer(
        &mut self,
        transfer: &Transfer,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let conn = self.conn();
        let changed = execute(
            conn,
            "UPDATE transfers SET status = ?, shipped_at = ?, closed_at = ?, updated_at = ? \
             WHERE id = ?",
            vec![
                transfer.status.as_str().into(),
                transfer.shipped_at.map(to_micros).into(),
                transfer.closed_at.map(to_micros).into(),
                to_micros(at).into(),
                transfer.id.get().into(),
            ],
        )
        .await?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        for line in &transfer.lines {
            execute(
                conn,
                "UPDATE transfer_lines SET received_e3 = ?, short_e3 = ? \
                 WHERE transfer_id = ? AND product_id = ?",
                vec![
                    line.received.thousandths().into(),
                    line.short.thousandths().into(),
                    transfer.id.get().into(),
                    line.product_id.get().into(),
                ],
            )
            .await?;
        }
        Ok(())
    }

    async fn insert_transit_lots(&mut self, lots: &[NewTransitLot]) -> Result<(), StoreError> {
        if lots.is_empty() {
            return Ok(());
        }
        let marks = vec!["(?, ?, ?, ?, ?, ?, ?, ?)"; lots.len()].join(", ");
        let mut values: Vec<Value> = Vec::with_capacity(lots.len() * 8);
        for lot in lots {
            values.extend([
                lot.transfer_id.get().into(),
                lot.product_id.get().into(),
                lot.origin_lot_id.get().into(),
                lot.unit_cost.minor_units().into(),
                to_micros(lot.aged_at).into(),
                lot.quantity.thousandths().into(),
                lot.quantity.thousandths().into(),
                lot.value.minor_units().into(),
            ]);
        }
        execute(
            self.conn(),
            &format!(
                "INSERT INTO transit_lots (transfer_id, product_id, origin_lot_id, \
                 unit_cost_cents, aged_at, shipped_e3, remaining_e3, remaining_value_cents) \
                 VALUES {marks}"
            ),
            values,
        )
        .await?;
        Ok(())
    }

    async fn transit_lots(&mut self, transfer: TransferId) -> Result<Vec<TransitLot>, StoreError> {
        rows(
            self.conn(),
            &format!(
                "SELECT {LOT_COLUMNS} FROM transit_lots WHERE transfer_id = ? AND \
                 remaining_e3 > 0 ORDER BY product_id, aged_at, id"
            ),
            vec![transfer.get().into()],
        )
        .await?
        .iter()
        .map(to_transit_lot)
        .collect()
    }

    async fn take_from_transit(
        &mut self,
        lot: TransitLotId,
        quantity: Quantity,
        value: Money,
    ) -> Result<(), StoreError> {
        let changed = execute(
            self.conn(),
            "UPDATE transit_lots SET remaining_e3 = remaining_e3 - ?, \
             remaining_value_cents = remaining_value_cents - ? \
             WHERE id = ? AND remaining_e3 >= ? AND remaining_value_cents >= ?",
            vec![
                quantity.thousandths().into(),
                value.minor_units().into(),
                lot.get().into(),
                quantity.thousandths().into(),
                value.minor_units().into(),
            ],
        )
        .await?;
        if changed == 0 {
            return Err(StoreError::Contention(format!(
                "transit lot {lot} no longer holds {quantity}"
            )));
        }
        Ok(())
    }

    async fn in_transit(&mut self) -> Result<Vec<(LocationId, Quantity, Money)>, StoreError> {
        let conn = self.conn();
        let backend = conn.get_database_backend();
        rows(
            conn,
            &format!(
                "SELECT t.to_location_id AS location_id, {} AS units, {} AS value \
                 FROM transit_lots l JOIN transfers t ON t.id = l.transfer_id \
                 WHERE l.remaining_e3 > 0 GROUP BY t.to_location_id ORDER BY t.to_location_id",
                sum_sql(backend, "l.remaining_e3"),
                sum_sql(backend, "l.remaining_value_cents"),
            ),
            vec![],
        )
        .await?
        .iter()
        .map(|row| {
            let units: i64 = get(row, "units")?;
            let value: i64 = get(row, "value")?;
            Ok((
                LocationId::new(get(row, "location_id")?),
                Quantity::from_thousandths(units),
                Money::from_minor_units(value),
            ))
        })
        .collect()
    }
}
