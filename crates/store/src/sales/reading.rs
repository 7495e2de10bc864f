//! Sales read back whole: header, lines in order with their takes in order, and payments.
//! Any number of sales costs four queries (the headers, then one `IN` query per child table).

use crate::days::{from_day, in_days};
use crate::documents::{self, attach, children, document, grouped, is_open};
use crate::entities::{sale_line_lots, sale_lines, sale_payments, sales};
use crate::errors::corrupt;
use crate::timestamps::from_micros;
use pos_domain::catalog::{Percent, TaxMode};
use pos_domain::ids::{CustomerId, LotId, PaymentMethodId, ProductId, SaleId, SaleLineId, UserId};
use pos_domain::inventory::Take;
use pos_domain::paging::{ListQuery, Page};
use pos_domain::quantity::Quantity;
use pos_domain::sales::{PricedLine, Sale, SaleFilter, SaleLine, SalePayment, SaleStatus};
use pos_domain::{Money, StoreError};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

pub(crate) use documents::{find, open as open_of_customer};

use sale_line_lots::Column as T;
use sale_lines::Column as L;
use sale_payments::Column as P;
use sales::Column as S;

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

fn to_payment(row: sale_payments::Model) -> SalePayment {
    SalePayment {
        method_id: PaymentMethodId::new(row.method_id),
        amount: cents(row.amount_cents),
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
    let sale_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let line_rows =
        children::<sale_lines::Entity>(conn, L::SaleId, sale_ids.iter().copied(), L::LineNo)
            .await?;
    let line_ids = line_rows.iter().map(|l| l.id);
    let take_rows = children::<sale_line_lots::Entity>(conn, T::SaleLineId, line_ids, T::TakeNo);
    let mut takes = grouped(take_rows.await?, |t| t.sale_line_id, |t| Ok(to_take(t)))?;
    let lines = grouped(
        line_rows,
        |l| l.sale_id,
        |line| {
            let own = takes.remove(&line.id).unwrap_or_default();
            to_line(line, own)
        },
    )?;
    // Payments in the order they were taken: their ids ascend in insertion order.
    let payment_rows = children::<sale_payments::Entity>(conn, P::SaleId, sale_ids, P::Id).await?;
    let mut payments = grouped(payment_rows, |p| p.sale_id, |p| Ok(to_payment(p)))?;
    attach(
        rows,
        |r| r.id,
        lines,
        |row, own_lines| {
            let own_payments = payments.remove(&row.id).unwrap_or_default();
            to_sale(row, own_lines, own_payments)
        },
    )
}

document!(Sale, SaleId, sales, assemble);

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
        select = select.filter(is_open::<Sale>());
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
    documents::dated_page(conn, select, query.order, query.page).await
}
