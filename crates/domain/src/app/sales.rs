//! Checkout, sales, receipts and returns.

use crate::app::held::take_held;
use crate::app::lookups::{AccountIndex, account_index, method_by_code, method_filter};
use crate::app::{App, AppResult, Once, Reply};
use crate::catalog::{Percent, TaxMode};
use crate::ids::{CustomerId, HeldSaleId, RegisterId, SaleId, UserId};
use crate::ledger::{JournalEntry, SourceKind};
use crate::money::Money;
use crate::paging::{ListQuery, Page};
use crate::quantity::Quantity;
use crate::register::DEFAULT_REGISTER;
use crate::sales::{Discount, Sale, SaleFilter};
use crate::services::ServiceError;
use crate::services::sales::{
    Checkout, CheckoutError, CheckoutLine, ReturnLine, Returned, SaleReturnError,
    SaleReturnRequest, Sold, checkout, return_sale,
};
use crate::user::Role;
use time::Date;

/// Where the cart of a sale comes from.
#[derive(Debug, Clone)]
pub enum Cart {
    /// The lines as the till sends them, dated `date` (today on the shop's calendar when
    /// none; at most twenty years back and one day ahead).
    New {
        customer: Option<CustomerId>,
        lines: Vec<CheckoutLine>,
        order_discount: Option<Discount>,
        note: Option<String>,
        date: Option<Date>,
    },
    /// A held sale, priced again from today's catalog and dated today; it is gone afterwards.
    Held(HeldSaleId),
}

/// Sell a cart at a register, paid by the tenders.
#[derive(Debug, Clone)]
pub struct Sell {
    /// The register (till); the default register when none.
    pub register: Option<RegisterId>,
    pub cart: Cart,
    /// Payment method codes and the amounts tendered (split tender; cash may exceed the total).
    pub tenders: Vec<(String, Money)>,
    /// The total the till shows: refused (409 `total_mismatch`) if the server's differs.
    pub expected_total: Option<Money>,
    pub user: UserId,
    /// The caller's role: price overrides, large discounts and credit sales need a manager.
    pub role: Role,
    /// Where the caller works: they sell only at registers there.
    pub stores: crate::user::Stores,
}

/// A sale with the journal entries it and its returns posted, and the chart they name.
#[derive(Debug, Clone)]
pub struct SaleWithEntries {
    pub sale: Sale,
    pub entries: Vec<JournalEntry>,
    pub accounts: AccountIndex,
}

/// One line of a receipt.
#[derive(Debug, Clone)]
pub struct ReceiptLine {
    /// The product's name, or `#<id>` when the product is gone.
    pub name: String,
    pub quantity: Quantity,
    /// As labelled on the shelf: before tax for a tax-exclusive rate, with it for an
    /// inclusive one (see `tax`).
    pub unit_price: Money,
    /// The rate and mode the line was taxed at; `None` when untaxed.
    pub tax: Option<(Percent, TaxMode)>,
    /// What the customer pays for the line: after discounts, tax included.
    pub total: Money,
}

/// What a printed receipt shows.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub sale: Sale,
    pub lines: Vec<ReceiptLine>,
    /// The sums under the lines, labelled: subtotal, discount, tax and total, each payment by
    /// its method's name, then change and due when there are any.
    pub totals: Vec<(String, Money)>,
}

/// Return some quantity of some lines of a sale.
#[derive(Debug, Clone)]
pub struct ReturnSale {
    pub sale: SaleId,
    /// The register the goods come back at; the default register when none.
    pub register: Option<RegisterId>,
    pub lines: Vec<ReturnLine>,
    /// A payment method code: how a refund beyond what the customer owes is paid back
    /// (`cash` when none).
    pub refund_method: Option<String>,
    pub date: Option<Date>,
    pub user: UserId,
    /// The caller's role: refunds beyond the staff limit need a manager.
    pub role: Role,
    /// Where the caller works: they take goods back only at registers there.
    pub stores: crate::user::Stores,
}

/// A return done, with the chart its entries name.
#[derive(Debug, Clone)]
pub struct SaleReturned {
    pub returned: Returned,
    pub accounts: AccountIndex,
}

impl App {
    /// Sells: prices every line from the catalog (a price override needs a manager), applies
    /// each product's tax, takes the units from FIFO lots, records the payments and posts the
    /// sale and its cost, in the one transaction of [`App::once`]. Refuses discounts beyond the
    /// staff limit (403 below manager), a due without a customer (422), a due by staff (403) or
    /// beyond the credit limit (409 `credit_limit`), insufficient stock (409, naming the
    /// product), a total the till did not expect (409 `total_mismatch`), an inactive register
    /// (409 `register_inactive`), and, for a held cart, one that is gone (404).
    ///
    /// The result carries the static data it was priced with, which names its entries'
    /// accounts: render from it, with no further reads.
    pub async fn checkout(
        &self,
        command: Sell,
        once: Once<'_, Sold>,
    ) -> Result<Reply, CheckoutError> {
        let register_id = command.register.unwrap_or(DEFAULT_REGISTER);
        let staff_discount_limit = self.policy().staff_discount_limit;
        self.once(once, async |tx, now| {
            // Dated on the register's store's calendar (its own offset, else the shop's).
            let offset = self.register_offset(tx, register_id).await?;
            let date = match &command.cart {
                Cart::New { date, .. } => self.document_date_at(offset, *date)?,
                Cart::Held(_) => self.document_date_at(offset, None)?,
            };
            let (customer_id, lines, order_discount, note) = match &command.cart {
                Cart::New {
                    customer,
                    lines,
                    order_discount,
                    note,
                    ..
                } => (*customer, lines.clone(), *order_discount, note.clone()),
                Cart::Held(id) => {
                    let held = take_held(tx, *id).await?;
                    let lines = held
                        .lines
                        .into_iter()
                        .map(|l| CheckoutLine {
                            product_id: l.product_id,
                            quantity: l.quantity,
                            discount: l.discount,
                            unit_price: l.unit_price,
                        })
                        .collect();
                    (held.customer_id, lines, held.order_discount, held.note)
                }
            };
            let sale = Checkout {
                register_id,
                customer_id,
                lines,
                order_discount,
                tenders: command.tenders.clone(),
                expected_total: command.expected_total,
                note,
                date,
                user_id: command.user,
                role: command.role,
                stores: command.stores.clone(),
                staff_discount_limit,
                at: now,
            };
            checkout(tx, sale).await
        })
        .await
    }

    /// Sales, filtered and paged. A payment method code that names no method matches nothing.
    pub async fn sales(
        &self,
        query: ListQuery<SaleFilter, ()>,
        method: Option<String>,
    ) -> AppResult<Page<Sale>> {
        self.read(async |tx| {
            let Some(method_id) = method_filter(tx, method.as_deref()).await? else {
                return Ok(Page::slice(Vec::new(), query.page));
            };
            let query = ListQuery {
                filter: SaleFilter {
                    method_id,
                    ..query.filter
                },
                ..query
            };
            Ok(tx.list_sales(&query).await?)
        })
        .await
    }

    /// One sale with the entries it and its returns posted; 404 when there is none.
    pub async fn sale(&self, id: SaleId) -> AppResult<SaleWithEntries> {
        self.read(async |tx| {
            let sale = tx
                .find_sale(id)
                .await?
                .ok_or(ServiceError::NotFound("sale"))?;
            let mut entries = tx.entries_for_source(SourceKind::Sale, id.get()).await?;
            entries.extend(tx.entries_for_source(SourceKind::Refund, id.get()).await?);
            let accounts = account_index(tx).await?;
            Ok(SaleWithEntries {
                sale,
                entries,
                accounts,
            })
        })
        .await
    }

    /// What a sale's receipt shows: its lines by product name and its sums; 404 when there is
    /// no such sale.
    pub async fn receipt(&self, id: SaleId) -> AppResult<Receipt> {
        self.read(async |tx| {
            let sale = tx
                .find_sale(id)
                .await?
                .ok_or(ServiceError::NotFound("sale"))?;
            let methods = tx.list_payment_methods().await?;
            let mut lines = Vec::with_capacity(sale.lines.len());
            for line in &sale.lines {
                let name = tx.find_product(line.priced.product_id).await?.map_or_else(
                    || format!("#{}", line.priced.product_id),
                    |p| p.draft.name.into_inner(),
                );
                lines.push(ReceiptLine {
                    name,
                    quantity: line.priced.quantity,
                    unit_price: line.priced.unit_price,
                    tax: line.priced.tax_rate,
                    total: line.priced.total,
                });
            }
            let mut totals = vec![
                ("Subtotal".to_owned(), sale.subtotal),
                ("Discount".to_owned(), sale.discount),
                ("Tax".to_owned(), sale.tax),
                ("Total".to_owned(), sale.total),
            ];
            for p in &sale.payments {
                let name = methods
                    .iter()
                    .find(|m| m.id == p.method_id)
                    .map_or("Paid", |m| m.name.as_str());
                let name = if name.is_empty() { "Paid" } else { name };
                totals.push((name.to_owned(), p.amount));
            }
            if sale.change > Money::ZERO {
                totals.push(("Change".to_owned(), sale.change));
            }
            if sale.due() > Money::ZERO {
                totals.push(("Due".to_owned(), sale.due()));
            }
            Ok(Receipt {
                sale,
                lines,
                totals,
            })
        })
        .await
    }

    /// Returns some quantity of some lines of a sale: never more than sold minus already
    /// returned (409 `return_exceeds_sale`). Restocked units go back to the lots they came from
    /// at their original cost; the refund first reduces what the customer owes, the rest is
    /// paid out by the refund method (422 on `refund_method` when it is no active method).
    /// Refunds on one sale beyond the staff limit, all its returns together, need a manager
    /// (403). 404 when there is no such sale.
    pub async fn return_sale(
        &self,
        command: ReturnSale,
        once: Once<'_, SaleReturned>,
    ) -> Result<Reply, SaleReturnError> {
        let method_code = command.refund_method.as_deref().unwrap_or("cash");
        let register_id = command.register.unwrap_or(DEFAULT_REGISTER);
        let staff_refund_limit = self.policy().staff_refund_limit;
        self.once(once, async |tx, now| {
            let offset = self.register_offset(tx, register_id).await?;
            let date = self.document_date_at(offset, command.date)?;
            let method = method_by_code(tx, "refund_method", method_code).await?;
            let returned = return_sale(
                tx,
                SaleReturnRequest {
                    register_id,
                    sale_id: command.sale,
                    lines: command.lines.clone(),
                    refund_method: Some(method),
                    staff_refund_limit,
                    role: command.role,
                    stores: command.stores.clone(),
                    date,
                    user_id: command.user,
                    at: now,
                },
            )
            .await?;
            let accounts = account_index(tx).await?;
            Ok(SaleReturned { returned, accounts })
        })
        .await
    }
}
