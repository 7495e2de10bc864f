//! Purchases and their lines: stored once, read back whole. Afterwards only the settlement
//! columns move (see `settlement`).

use crate::catalog::products::ensure_products_exist;
use crate::days::{from_day, in_days, to_day};
use crate::documents::{self, attach, children, document, grouped, is_open};
use crate::entities::{purchase_lines, purchases};
use crate::errors::{corrupt, missing_reference};
use crate::parties;
use crate::timestamps::{from_micros, to_micros};
use pos_domain::ids::{ProductId, PurchaseId, PurchaseLineId, SupplierId, UserId};
use pos_domain::paging::{ListQuery, Page};
use pos_domain::purchasing::{InvoiceNo, PricedPurchase, Purchase, PurchaseFilter, PurchaseLine};
use pos_domain::quantity::Quantity;
use pos_domain::suppliers::Supplier;
use pos_domain::{Money, StoreError};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use time::OffsetDateTime;

pub(crate) use documents::{find, open as open_of_supplier};

use purchase_lines::Column as L;
use purchases::Column as P;

fn to_line(row: purchase_lines::Model) -> PurchaseLine {
    PurchaseLine {
        id: PurchaseLineId::new(row.id),
        product_id: ProductId::new(row.product_id),
        quantity: Quantity::from_thousandths(row.quantity_e3),
        unit_cost: Money::from_minor_units(row.unit_cost_cents),
        total: Money::from_minor_units(row.total_cents),
        returned: Quantity::from_thousandths(row.returned_e3),
    }
}

fn to_purchase(row: purchases::Model, lines: Vec<PurchaseLine>) -> Result<Purchase, StoreError> {
    Ok(Purchase {
        id: PurchaseId::new(row.id),
        supplier_id: SupplierId::new(row.supplier_id),
        invoice_no: InvoiceNo::new(&row.invoice_no).map_err(|e| corrupt("invoice number", e))?,
        date: from_day(row.purchase_date)?,
        note: row.note,
        user_id: UserId::new(row.user_id),
        lines,
        total: Money::from_minor_units(row.total_cents),
        paid: Money::from_minor_units(row.paid_cents),
        credited: Money::from_minor_units(row.credited_cents),
        created_at: from_micros(row.created_at)?,
    })
}

/// Completes purchase rows with their lines: one query for any number of rows. The rows keep
/// their order; each purchase's lines are in line order.
async fn assemble(
    conn: &DatabaseTransaction,
    rows: Vec<purchases::Model>,
) -> Result<Vec<Purchase>, StoreError> {
    let ids = rows.iter().map(|r| r.id);
    let line_rows = children::<purchase_lines::Entity>(conn, L::PurchaseId, ids, L::LineNo).await?;
    let lines = grouped(line_rows, |l| l.purchase_id, |l| Ok(to_line(l)))?;
    attach(rows, |r| r.id, lines, to_purchase)
}

document!(Purchase, PurchaseId, purchases, assemble);

pub(crate) async fn insert(
    conn: &DatabaseTransaction,
    purchase: &PricedPurchase,
    at: OffsetDateTime,
) -> Result<Purchase, StoreError> {
    let draft = &purchase.draft;
    if purchase.line_totals.len() != draft.lines.len() {
        return Err(StoreError::backend(format!(
            "a priced purchase with {} lines and {} line totals",
            draft.lines.len(),
            purchase.line_totals.len()
        )));
    }
    // Checked before writing, with the field at fault: SQLite's foreign-key error does not
    // say which key failed. The foreign keys stay as the backstop.
    parties::ensure_exists::<Supplier>(conn, draft.supplier_id).await?;
    ensure_products_exist(conn, draft.lines.iter().map(|l| l.product_id)).await?;

    let header = purchases::ActiveModel {
        id: NotSet,
        supplier_id: Set(draft.supplier_id.get()),
        invoice_no: Set(draft.invoice_no.as_str().to_owned()),
        purchase_date: Set(to_day(draft.date)),
        note: Set(draft.note.clone()),
        user_id: Set(draft.user_id.get()),
        total_cents: Set(purchase.total.minor_units()),
        paid_cents: Set(purchase.paid.minor_units()),
        credited_cents: Set(0),
        created_at: Set(to_micros(at)),
    };
    // A clash on `ux_purchases_supplier_invoice` becomes `Duplicate(PurchaseInvoice)`.
    let id = purchases::Entity::insert(header)
        .exec(conn)
        .await
        .map_err(missing_reference)?
        .last_insert_id;
    let lines = draft
        .lines
        .iter()
        .zip(&purchase.line_totals)
        .enumerate()
        .map(|(line_no, (line, total))| purchase_lines::ActiveModel {
            id: NotSet,
            purchase_id: Set(id),
            // A purchase beyond i32 lines is not representable anyway.
            line_no: Set(i32::try_from(line_no).unwrap_or(i32::MAX)),
            product_id: Set(line.product_id.get()),
            quantity_e3: Set(line.quantity.thousandths()),
            unit_cost_cents: Set(line.unit_cost.minor_units()),
            total_cents: Set(total.minor_units()),
            returned_e3: Set(0),
        });
    purchase_lines::Entity::insert_many(lines)
        .exec_without_returning(conn)
        .await
        .map_err(missing_reference)?;
    // Read back rather than assembled here: the lines' ids come from the database, and a
    // multi-row insert does not promise consecutive ids on MySQL.
    documents::find(conn, PurchaseId::new(id))
        .await?
        .ok_or_else(|| StoreError::backend(format!("purchase {id} vanished after insert")))
}

pub(crate) async fn list(
    conn: &DatabaseTransaction,
    query: &ListQuery<PurchaseFilter, ()>,
) -> Result<Page<Purchase>, StoreError> {
    let filter = &query.filter;
    let mut select =
        purchases::Entity::find().filter(in_days(P::PurchaseDate, filter.from, filter.to));
    if let Some(supplier) = filter.supplier_id {
        select = select.filter(P::SupplierId.eq(supplier.get()));
    }
    if filter.open_only {
        select = select.filter(is_open::<Purchase>());
    }
    if let Some(product) = filter.product_id {
        let with_product = sea_orm::sea_query::Query::select()
            .column(L::PurchaseId)
            .from(purchase_lines::Entity)
            .and_where(L::ProductId.eq(product.get()))
            .to_owned();
        select = select.filter(P::Id.in_subquery(with_product));
    }
    documents::dated_page(conn, select, query.order, query.page).await
}
