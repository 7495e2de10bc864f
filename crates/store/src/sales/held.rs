//! Held sales: carts parked at the counter, stored as entered (no prices, stock or ledger)
//! and deleted when completed or cancelled.

use crate::catalog::products::ensure_products_exist;
use crate::documents::{attach, children, document, grouped};
use crate::entities::{held_sale_lines, held_sales};
use crate::errors::{corrupt, db_err, missing_reference};
use crate::parties;
use crate::timestamps::{as_stored, from_micros, to_micros};
use pos_domain::catalog::Percent;
use pos_domain::customers::Customer;
use pos_domain::ids::{CustomerId, HeldSaleId, ProductId, UserId};
use pos_domain::quantity::Quantity;
use pos_domain::sales::Discount;
use pos_domain::sales::held::{HeldLine, HeldSale, NewHeldSale};
use pos_domain::{Money, StoreError};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};

pub(crate) use crate::documents::find;

use held_sale_lines::Column as L;
use held_sales::Column as H;

/// The stored kinds of a discount: its value is cents, or ten-thousandths of a percent.
const AMOUNT: &str = "amount";
const PERCENT: &str = "percent";

/// `(kind, value)`, both NULL for no discount.
fn discount_columns(discount: Option<Discount>) -> (Option<String>, Option<i64>) {
    match discount {
        None => (None, None),
        Some(Discount::Amount(amount)) => (Some(AMOUNT.to_owned()), Some(amount.minor_units())),
        Some(Discount::Percent(percent)) => (Some(PERCENT.to_owned()), Some(percent.scaled())),
    }
}

fn to_discount(kind: Option<&str>, value: Option<i64>) -> Result<Option<Discount>, StoreError> {
    match (kind, value) {
        (None, None) => Ok(None),
        (Some(AMOUNT), Some(cents)) => Ok(Some(Discount::Amount(Money::from_minor_units(cents)))),
        (Some(PERCENT), Some(scaled)) => Ok(Some(Discount::Percent(Percent::from_scaled(scaled)))),
        (kind, value) => Err(corrupt("discount", format!("{kind:?} {value:?}"))),
    }
}

fn to_line(row: held_sale_lines::Model) -> Result<HeldLine, StoreError> {
    Ok(HeldLine {
        product_id: ProductId::new(row.product_id),
        quantity: Quantity::from_thousandths(row.quantity_e3),
        discount: to_discount(row.discount_kind.as_deref(), row.discount_value)?,
        unit_price: row.unit_price_cents.map(Money::from_minor_units),
    })
}

fn to_held(row: held_sales::Model, lines: Vec<HeldLine>) -> Result<HeldSale, StoreError> {
    Ok(HeldSale {
        id: HeldSaleId::new(row.id),
        customer_id: row.customer_id.map(CustomerId::new),
        user_id: UserId::new(row.user_id),
        lines,
        order_discount: to_discount(row.order_discount_kind.as_deref(), row.order_discount_value)?,
        note: row.note,
        created_at: from_micros(row.created_at)?,
    })
}

/// Completes held-sale rows with their lines (one query); the rows keep their order.
async fn assemble(
    conn: &DatabaseTransaction,
    rows: Vec<held_sales::Model>,
) -> Result<Vec<HeldSale>, StoreError> {
    let ids = rows.iter().map(|r| r.id);
    let line_rows =
        children::<held_sale_lines::Entity>(conn, L::HeldSaleId, ids, L::LineNo).await?;
    let lines = grouped(line_rows, |l| l.held_sale_id, to_line)?;
    attach(rows, |r| r.id, lines, to_held)
}

document!(HeldSale, HeldSaleId, held_sales, assemble);

pub(crate) async fn insert(
    conn: &DatabaseTransaction,
    held: NewHeldSale,
) -> Result<HeldSale, StoreError> {
    // Checked first, with the field at fault: SQLite's foreign-key error does not say which
    // key failed. The user is the caller's own session: its key is the backstop.
    if let Some(customer) = held.customer_id {
        parties::ensure_exists::<Customer>(conn, customer).await?;
    }
    ensure_products_exist(conn, held.lines.iter().map(|l| l.product_id)).await?;
    let (kind, value) = discount_columns(held.order_discount);
    let header = held_sales::ActiveModel {
        id: NotSet,
        customer_id: Set(held.customer_id.map(CustomerId::get)),
        user_id: Set(held.user_id.get()),
        order_discount_kind: Set(kind),
        order_discount_value: Set(value),
        note: Set(held.note.clone()),
        created_at: Set(to_micros(held.created_at)),
    };
    let id = held_sales::Entity::insert(header)
        .exec(conn)
        .await
        .map_err(missing_reference)?
        .last_insert_id;
    if !held.lines.is_empty() {
        let lines = held.lines.iter().enumerate().map(|(line_no, line)| {
            let (kind, value) = discount_columns(line.discount);
            held_sale_lines::ActiveModel {
                id: NotSet,
                held_sale_id: Set(id),
                // A cart beyond i32 lines is not representable anyway.
                line_no: Set(i32::try_from(line_no).unwrap_or(i32::MAX)),
                product_id: Set(line.product_id.get()),
                quantity_e3: Set(line.quantity.thousandths()),
                discount_kind: Set(kind),
                discount_value: Set(value),
                unit_price_cents: Set(line.unit_price.map(Money::minor_units)),
            }
        });
        held_sale_lines::Entity::insert_many(lines)
            .exec_without_returning(conn)
            .await
            .map_err(missing_reference)?;
    }
    Ok(HeldSale {
        id: HeldSaleId::new(id),
        customer_id: held.customer_id,
        user_id: held.user_id,
        lines: held.lines,
        order_discount: held.order_discount,
        note: held.note,
        created_at: as_stored(held.created_at),
    })
}

/// Newest first: by `created_at`, then by id, both descending.
pub(crate) async fn list(
    conn: &DatabaseTransaction,
    user: Option<UserId>,
) -> Result<Vec<HeldSale>, StoreError> {
    let mut select = held_sales::Entity::find();
    if let Some(user) = user {
        select = select.filter(H::UserId.eq(user.get()));
    }
    let rows = select
        .order_by_desc(H::CreatedAt)
        .order_by_desc(H::Id)
        .all(conn)
        .await
        .map_err(db_err)?;
    assemble(conn, rows).await
}

/// A compare-and-delete: the header's DELETE reports whether this call removed it. On MySQL a
/// second till deleting the same held sale waits on the first one's row locks and then
/// deletes nothing (`false`); on SQLite writers are serialised. The lines are deleted
/// explicitly first rather than left to `ON DELETE CASCADE`, which only fires on connections
/// with `PRAGMA foreign_keys=ON` (ours have it; the cascade is the backstop).
pub(crate) async fn delete(conn: &DatabaseTransaction, id: HeldSaleId) -> Result<bool, StoreError> {
    held_sale_lines::Entity::delete_many()
        .filter(L::HeldSaleId.eq(id.get()))
        .exec(conn)
        .await
        .map_err(db_err)?;
    let deleted = held_sales::Entity::delete_by_id(id.get())
        .exec(conn)
        .await
        .map_err(db_err)?;
    Ok(deleted.rows_affected > 0)
}
