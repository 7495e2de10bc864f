//! Sales read back whole: header, lines in order with their takes in order, and payments.
//! Any number of sales costs four queries (the headers, then one `IN` query per child table).

use crate::days::{from_day, in_days};
use crate::entities::{sale_line_lots, sale_lines, sale_payments, sales};
use crate::errors::{corrupt, db_err};
use crate::paging::fetch_dated_page;
use crate::timestamps::from_micros;
use pos_domain::catalog::{Percent, TaxMode};
use pos_domain::ids::{CustomerId, LotId, PaymentMethodId, ProductId, SaleId, SaleLineId, UserId};
use pos_domain::inventory::Take;
use pos_domain::paging::{ListQuery, Page};
use pos_domain::quantity::Quantity;
use pos_domain::sales::{PricedLine, Sale, SaleFilter, SaleLine, SalePayment, SaleStatus};
use pos_domain::{Money, StoreError};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

use sale_line_lots::Column as T;
use sale_lines::Column as L;
use sale_payments::Column as P;
use sales::Column as S;

/// `total - paid - credited > 0`: a sale with something still owed.
fn is_open() -> SimpleExpr {
    Expr::col(S::TotalCents)
        .sub(Expr::col(S::PaidCents))
        .sub(Expr::col(S::CreditedCents))
        .gt(0)
}

fn cents(value: i64) -> Money {
    Money::from_minor_units(value)
}

/// The stored rate and mode: both or neither (a CHECK holds them together).
fn tax_rate(
    rate: Option<i64>,
    mode: Option<String>,
) -> Result<Option<(Percent, TaxMode)>, StoreError> {
    match (rate, mode) {
        (None, None) => Ok(None),
        (Some(rate), Some(mode)) => {
            let mode = mode
                .parse::<TaxMode>()
                .map_err(|e| corrupt("tax mode", e))?;
            Ok(Some((Percent::from_scaled(rate), mode)))
        }
        (rate, mode) => Err(corrupt("sale line tax", format!("{rate:?} {mode:?}"))),
    }
}

fn to_take(row: sale_line_lots::Model) -> Take {
    Take {
        lot_id: LotId::new(row.lot_id),
        quantity: Quantity::from_thousandths(row.quantity_e3),
        cost: cents(row.cost_cents),
    }
}

fn to_line(row: sale_lines::Model, takes: Vec<Take>) -> Result<SaleLine, StoreError> {
    Ok(SaleLine {
        id: SaleLineId::new(row.id),
        priced: PricedLine {
            product_id: ProductId::new(row.product_id),
            quantity: Quantity::from_thousandths(row.quantity_e3),
            unit_price: cents(row.unit_price_cents),
            tax_rate: tax_rate(row.tax_rate_e4, row.tax_mode)?,
            gross: cents(row.gross_cents),
            line_discount: cents(row.line_discount_cents),
            order_discount: cents(row.order_discount_cents),
            tax: cents(row.tax_cents),
            total: cents(row.total_cents),
        },
        takes,
        returned: Quantity::from_thousandths(row.returned_e3),
    })
}

fn to_sale(
    row: sales::Model,
    lines: Vec<SaleLine>,
    payments: Vec<SalePayment>,
) -> Result<Sale, StoreError> {
    Ok(Sale {
        id: SaleId::new(row.id),
        register_id: pos_domain::ids::RegisterId::new(row.register_id),
        number: row.number,
        invoice_no: row.invoice_no,
        date: from_day(row.sale_date)?,
        customer_id: row.customer_id.map(CustomerId::new),
        user_id: UserId::new(row.user_id),
        status: SaleStatus::parse(&row.status)
            .ok_or_else(|| corrupt("sale status", &row.status))?,
        lines,
        subtotal: cents(row.subtotal_cents),
        discount: cents(row.discount_cents),
        tax: cents(row.tax_cents),
        total: cents(row.total_cents),
        tendered: cents(row.tendered_cents),
        change: cents(row.change_cents),
        paid: cents(row.paid_cents),
        credited: cents(row.credited_cents),
        refunded: cents(row.refunded_cents),
        payments,
        note: row.note,
        created_at: from_micros(row.created_at)?,
    })
}

/// Completes sale rows with their lines, takes and payments. The rows keep their order.
async fn assemble(
    conn: &DatabaseTransaction,
    rows: Vec<sales::Model>,
) -> Result<Vec<Sale>, StoreError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let sale_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let line_rows = sale_lines::Entity::find()
        .filter(L::SaleId.is_in(sale_ids.iter().copied()))
        .order_by_asc(L::SaleId)
        .order_by_asc(L::LineNo)
        .all(conn)
        .await
        .map_err(db_err)?;
    let mut takes: HashMap<i64, Vec<Take>> = HashMap::new();
    if !line_rows.is_empty() {
        let take_rows = sale_line_lots::Entity::find()
            .filter(T::SaleLineId.is_in(line_rows.iter().map(|l| l.id)))
            .order_by_asc(T::SaleLineId)
            .order_by_asc(T::TakeNo)
            .all(conn)
            .await
            .map_err(db_err)?;
        for row in take_rows {
            takes
                .entry(row.sale_line_id)
                .or_default()
                .push(to_take(row));
        }
    }
    let mut lines: HashMap<i64, Vec<SaleLine>> = HashMap::new();
    for row in line_rows {
        let sale = row.sale_id;
        let own = takes.remove(&row.id).unwrap_or_default();
        lines.entry(sale).or_default().push(to_line(row, own)?);
    }
    // Payments in the order they were taken: their ids ascend in insertion order.
    let payment_rows = sale_payments::Entity::find()
        .filter(P::SaleId.is_in(sale_ids))
        .order_by_asc(P::SaleId)
        .order_by_asc(P::Id)
        .all(conn)
        .await
        .map_err(db_err)?;
    let mut payments: HashMap<i64, Vec<SalePayment>> = HashMap::new();
    for row in payment_rows {
        payments.entry(row.sale_id).or_default().push(SalePayment {
            method_id: PaymentMethodId::new(row.method_id),
            amount: cents(row.amount_cents),
        });
    }
    rows.into_iter()
        .map(|row| {
            let own_lines = lines.remove(&row.id).unwrap_or_default();
            let own_payments = payments.remove(&row.id).unwrap_or_default();
            to_sale(row, own_lines, own_payments)
        })
        .collect()
}

pub(crate) async fn find(
    conn: &DatabaseTransaction,
    id: SaleId,
) -> Result<Option<Sale>, StoreError> {
    let Some(row) = sales::Entity::find_by_id(id.get())
        .one(conn)
        .await
        .map_err(db_err)?
    else {
        return Ok(None);
    };
    Ok(assemble(conn, vec![row]).await?.pop())
}

pub(crate) async fn list(
    conn: &DatabaseTransaction,
    query: &ListQuery<SaleFilter, ()>,
) -> Result<Page<Sale>, StoreError> {
    let filter = &query.filter;
    let mut select = sales::Entity::find().filter(in_days(S::SaleDate, filter.from, filter.to));
    if let Some(customer) = filter.customer_id {
        select = select.filter(S::CustomerId.eq(customer.get()));
    }
    if let Some(user) = filter.user_id {
        select = select.filter(S::UserId.eq(user.get()));
    }
    if let Some(status) = filter.status {
        select = select.filter(S::Status.eq(status.as_str()));
    }
    if let Some(method) = filter.method_id {
        // Sales with at least one payment by the method (read from `ix_sale_payments_method_sale`).
        let paid_by = Query::select()
            .column(P::SaleId)
            .from(sale_payments::Entity)
            .and_where(P::MethodId.eq(method.get()))
            .to_owned();
        select = select.filter(S::Id.in_subquery(paid_by));
    }
    if filter.open_only {
        select = select.filter(is_open());
    }
    if let Some(product) = filter.product_id {
        // Sales with a line of the product (read from the lines' product index).
        let with_product = Query::select()
            .column(sale_lines::Column::SaleId)
            .from(sale_lines::Entity)
            .and_where(sale_lines::Column::ProductId.eq(product.get()))
            .to_owned();
        select = select.filter(S::Id.in_subquery(with_product));
    }
    let page = fetch_dated_page(conn, select, S::SaleDate, S::Id, query.order, query.page).await?;
    Ok(Page {
        items: assemble(conn, page.items).await?,
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    })
}

/// The customer's sales with something owed, oldest first. On MySQL `FOR UPDATE` locks them
/// (found through `ix_sales_customer_date`), so two payments from one customer queue here and
/// the second reads what the first paid (a locking read sees the latest commit). A sale that
/// becomes open meanwhile is a new credit sale, which the use case serialises on the customer's
/// row (`lock_customer`). SQLite drops the clause, its writer transaction being exclusive.
pub(crate) async fn open_of_customer(
    conn: &DatabaseTransaction,
    customer: CustomerId,
) -> Result<Vec<Sale>, StoreError> {
    let rows = sales::Entity::find()
        .filter(S::CustomerId.eq(customer.get()))
        .filter(is_open())
        .order_by_asc(S::SaleDate)
        .order_by_asc(S::Id)
        .lock_exclusive()
        .all(conn)
        .await
        .map_err(db_err)?;
    assemble(conn, rows).await
}
