//! Storing a new sale: header, lines with their lot takes, and the payments taken.

use crate::days::to_day;
use crate::entities::{sale_line_lots, sale_lines, sale_payments, sales};
use crate::errors::{db_err, missing_reference};
use crate::timestamps::{as_stored, to_micros};
use pos_domain::ids::{SaleId, SaleLineId};
use pos_domain::inventory::Take;
use pos_domain::quantity::Quantity;
use pos_domain::sales::{NewSale, PricedLine, Sale, SaleLine, SalePayment, SaleStatus};
use pos_domain::{Money, StoreError};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::QueryTrait;
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// A position (line or take number) as stored; beyond `i32` it is not representable anyway.
fn position(index: usize) -> i32 {
    i32::try_from(index).unwrap_or(i32::MAX)
}

fn line_row(
    sale_id: i64,
    sale: &NewSale,
    line_no: usize,
    line: &PricedLine,
    takes: &[Take],
) -> sale_lines::ActiveModel {
    let (rate, mode) = match line.tax_rate {
        Some((rate, mode)) => (Some(rate.scaled()), Some(mode.as_str().to_owned())),
        None => (None, None),
    };
    sale_lines::ActiveModel {
        id: NotSet,
        sale_id: Set(sale_id),
        line_no: Set(position(line_no)),
        product_id: Set(line.product_id.get()),
        quantity_e3: Set(line.quantity.thousandths()),
        unit_price_cents: Set(line.unit_price.minor_units()),
        tax_rate_e4: Set(rate),
        tax_mode: Set(mode),
        gross_cents: Set(line.gross.minor_units()),
        line_discount_cents: Set(line.line_discount.minor_units()),
        order_discount_cents: Set(line.order_discount.minor_units()),
        tax_cents: Set(line.tax.minor_units()),
        total_cents: Set(line.total.minor_units()),
        returned_e3: Set(0),
        sale_date: Set(to_day(sale.date)),
        user_id: Set(sale.user_id.get()),
        customer_id: Set(sale.customer_id.map(|c| c.get())),
        cost_cents: Set(takes.iter().map(|t| t.cost.minor_units()).sum()),
    }
}

fn take_row(line: i64, take_no: usize, take: &Take) -> sale_line_lots::ActiveModel {
    sale_line_lots::ActiveModel {
        id: NotSet,
        sale_line_id: Set(line),
        take_no: Set(position(take_no)),
        lot_id: Set(take.lot_id.get()),
        quantity_e3: Set(take.quantity.thousandths()),
        cost_cents: Set(take.cost.minor_units()),
    }
}

/// Stores a sale. No existence checks: the use case holds the customer's and the products'
/// locks and read the lots under them, the methods come from the static data the register's
/// counter confirmed, and the foreign keys back all of it up.
pub(crate) async fn insert(
    conn: &DatabaseTransaction,
    sale: &NewSale,
    returning: bool,
) -> Result<Sale, StoreError> {
    if sale.takes.len() != sale.cart.lines.len() {
        return Err(StoreError::backend(format!(
            "a sale with {} lines and takes for {}",
            sale.cart.lines.len(),
            sale.takes.len()
        )));
    }
    // What was received after change, within range: each amount is, and the tenders' sum was
    // checked when the sale was settled.
    let paid = Money::checked_sum(sale.settlement.received.iter().map(|(_, amount)| *amount))
        .map_err(|_| StoreError::OutOfRange("paid"))?;
    // A clash on `ux_sales_register_number` means the counter was bypassed: `Backend`.
    let id = sales::Entity::insert(header(sale, paid))
        .exec(conn)
        .await
        .map_err(missing_reference)?
        .last_insert_id;
    let line_ids = insert_lines(conn, id, sale, returning).await?;
    insert_takes(conn, &line_ids, sale).await?;
    insert_payments(conn, id, sale).await?;
    crate::rollup::add_sale(conn, sale).await?;
    Ok(stored(SaleId::new(id), line_ids, sale, paid))
}

fn header(sale: &NewSale, paid: Money) -> sales::ActiveModel {
    let (cart, settlement) = (&sale.cart, &sale.settlement);
    sales::ActiveModel {
        id: NotSet,
        register_id: Set(sale.register_id.get()),
        number: Set(sale.number),
        invoice_no: Set(sale.invoice_no.clone()),
        sale_date: Set(to_day(sale.date)),
        customer_id: Set(sale.customer_id.map(|c| c.get())),
        user_id: Set(sale.user_id.get()),
        status: Set(SaleStatus::Completed.as_str().to_owned()),
        subtotal_cents: Set(cart.subtotal.minor_units()),
        discount_cents: Set(cart.discount.minor_units()),
        tax_cents: Set(cart.tax.minor_units()),
        total_cents: Set(cart.total.minor_units()),
        tendered_cents: Set(settlement.tendered.minor_units()),
        change_cents: Set(settlement.change.minor_units()),
        paid_cents: Set(paid.minor_units()),
        credited_cents: Set(0),
        refunded_cents: Set(0),
        note: Set(sale.note.clone()),
        created_at: Set(to_micros(sale.at)),
    }
}

/// The lots each line took from, in one statement.
async fn insert_takes(
    conn: &DatabaseTransaction,
    line_ids: &[i64],
    sale: &NewSale,
) -> Result<(), StoreError> {
    let takes = line_ids
        .iter()
        .zip(&sale.takes)
        .flat_map(|(line, takes)| {
            takes
                .iter()
                .enumerate()
                .map(|(take_no, take)| take_row(*line, take_no, take))
        })
        .collect::<Vec<_>>();
    if !takes.is_empty() {
        sale_line_lots::Entity::insert_many(takes)
            .exec_without_returning(conn)
            .await
            .map_err(missing_reference)?;
    }
    Ok(())
}

/// What each method received, in one statement: its rows get ascending ids in this order,
/// which is the order payments read back in.
async fn insert_payments(
    conn: &DatabaseTransaction,
    id: i64,
    sale: &NewSale,
) -> Result<(), StoreError> {
    let payments = sale
        .settlement
        .received
        .iter()
        .map(|(method, amount)| sale_payments::ActiveModel {
            id: NotSet,
            sale_id: Set(id),
            method_id: Set(method.id.get()),
            amount_cents: Set(amount.minor_units()),
        })
        .collect::<Vec<_>>();
    if !payments.is_empty() {
        sale_payments::Entity::insert_many(payments)
            .exec_without_returning(conn)
            .await
            .map_err(missing_reference)?;
    }
    Ok(())
}

/// The sale as stored: exactly what was written; only the ids came from the database.
fn stored(id: SaleId, line_ids: Vec<i64>, sale: &NewSale, paid: Money) -> Sale {
    let (cart, settlement) = (&sale.cart, &sale.settlement);
    let lines = line_ids
        .into_iter()
        .zip(cart.lines.iter().zip(&sale.takes))
        .map(|(line_id, (priced, takes))| SaleLine {
            id: SaleLineId::new(line_id),
            priced: priced.clone(),
            takes: takes.clone(),
            returned: Quantity::ZERO,
        })
        .collect();
    Sale {
        id,
        register_id: sale.register_id,
        number: sale.number,
        invoice_no: sale.invoice_no.clone(),
        date: sale.date,
        customer_id: sale.customer_id,
        user_id: sale.user_id,
        status: SaleStatus::Completed,
        lines,
        subtotal: cart.subtotal,
        discount: cart.discount,
        tax: cart.tax,
        total: cart.total,
        tendered: settlement.tendered,
        change: settlement.change,
        paid,
        credited: Money::ZERO,
        refunded: Money::ZERO,
        payments: settlement
            .received
            .iter()
            .map(|(method, amount)| SalePayment {
                method_id: method.id,
                amount: *amount,
            })
            .collect(),
        note: sale.note.clone(),
        created_at: as_stored(sale.at),
    }
}

/// Inserts the lines in one statement and returns their ids in line order: one line's id is
/// the insert's own; several come back through `RETURNING` where the database has it, and are
/// read back by `(sale_id, line_no)` where it does not (MySQL: a multi-row insert does not
/// promise consecutive ids).
async fn insert_lines(
    conn: &DatabaseTransaction,
    sale_id: i64,
    sale: &NewSale,
    returning: bool,
) -> Result<Vec<i64>, StoreError> {
    let lines = &sale.cart.lines;
    if lines.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows = lines
        .iter()
        .zip(&sale.takes)
        .enumerate()
        .map(|(line_no, (line, takes))| line_row(sale_id, sale, line_no, line, takes));
    let ids: Vec<i64> = if lines.len() == 1 {
        let row = rows
            .next()
            .ok_or_else(|| StoreError::backend("a one-line sale without its line"))?;
        vec![
            sale_lines::Entity::insert(row)
                .exec(conn)
                .await
                .map_err(missing_reference)?
                .last_insert_id,
        ]
    } else if returning {
        let insert = sale_lines::Entity::insert_many(rows).into_query();
        crate::returning::insert_ids(conn, &insert, "id")
            .await
            .map_err(missing_reference)?
    } else {
        sale_lines::Entity::insert_many(rows)
            .exec_without_returning(conn)
            .await
            .map_err(missing_reference)?;
        sale_lines::Entity::find()
            .select_only()
            .column(sale_lines::Column::Id)
            .filter(sale_lines::Column::SaleId.eq(sale_id))
            .order_by_asc(sale_lines::Column::LineNo)
            .into_tuple()
            .all(conn)
            .await
            .map_err(db_err)?
    };
    if ids.len() != lines.len() {
        return Err(StoreError::backend(format!(
            "sale {sale_id}: wrote {} lines, read back {}",
            lines.len(),
            ids.len()
        )));
    }
    Ok(ids)
}
