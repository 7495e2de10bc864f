//! The counter's use cases: checkout, held sales, returns and customer payments.

mod error;

pub use error::{CheckoutError, NoOpenSession, RegisterClosed, SaleReturnError};

use super::error::Refusal;
use super::stock::{Context, account, account_in, lock, plan_takes, static_data_with};
use crate::StoreError;
use crate::catalog::Product;
use crate::catalog::{Percent, ProductStatus};
use crate::customers::{CreditError, check_credit};
use crate::ids::{CustomerId, ProductId, RegisterId, SaleId, SaleLineId, UserId};
use crate::inventory::{Lot, Take};
use crate::inventory::{MovementKind, NewMovement};
use crate::ledger::chart::codes;
use crate::ledger::money_events::PaymentMethod;
use crate::ledger::{
    BalancedEntry, EntryDraft, JournalEntry, LineDraft, Party, Source, SourceKind,
};
use crate::money::Money;
use crate::ports::{
    CashRepo, CustomerRepo, InventoryRepo, LedgerRepo, RegisterRepo, SalesRepo, StockOut,
};
use crate::quantity::Quantity;
use crate::register::{Numbering, Register, invoice_number};
use crate::sales::PricedCart;
use crate::sales::postings::{SaleAccounts, cogs_entry, sale_entry};
use crate::sales::returns::{LineReturn, NewSaleReturn, ReturnError, ReturnedLine, line_return};
use crate::sales::{
    CartLine, Discount, NewSale, PricingError, Sale, SaleLine, SaleStatus, TenderError, price_cart,
    settle,
};
use crate::services::cash::{SessionRefusal, till_for_document, till_for_sale};
use crate::static_data::StaticData;
use crate::user::Role;
use std::sync::Arc;
use time::{Date, OffsetDateTime};

/// One line as the till sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutLine {
    pub product_id: ProductId,
    pub quantity: Quantity,
    pub discount: Option<Discount>,
    /// Replaces the catalog price; managers and admins only.
    pub unit_price: Option<Money>,
}

#[derive(Debug, Clone)]
pub struct Checkout {
    /// Where the sale happens; its invoice number comes from this register's series.
    pub register_id: RegisterId,
    pub customer_id: Option<CustomerId>,
    pub lines: Vec<CheckoutLine>,
    pub order_discount: Option<Discount>,
    /// Payment method codes and the amounts tendered.
    pub tenders: Vec<(String, Money)>,
    /// What the till computed; the sale is refused if the server's total differs.
    pub expected_total: Option<Money>,
    pub note: Option<String>,
    pub date: Date,
    pub user_id: UserId,
    pub role: Role,
    /// Where the seller works: a register elsewhere is refused (403).
    pub stores: crate::user::Stores,
    /// The most staff may take off a sale in discounts, as a percent of its gross: a discount
    /// is a price change, and changing a price needs a manager.
    pub staff_discount_limit: Percent,
    pub at: OffsetDateTime,
}

/// The accounts a sale posts to, from the static data (an account's code never changes).
pub fn sale_accounts_in(data: &StaticData) -> Result<SaleAccounts, Refusal> {
    Ok(SaleAccounts {
        receivable: account_in(data, codes::ACCOUNTS_RECEIVABLE)?,
        revenue: account_in(data, codes::SALES_REVENUE)?,
        discounts: account_in(data, codes::DISCOUNTS)?,
        tax: account_in(data, codes::TAX_PAYABLE)?,
        cogs: account_in(data, codes::COST_OF_GOODS_SOLD)?,
        inventory: account_in(data, codes::INVENTORY)?,
    })
}

pub async fn sale_accounts<T: RegisterRepo + ?Sized>(tx: &mut T) -> Result<SaleAccounts, Refusal> {
    let data = static_data_with(tx, |d| sale_accounts_in(d).is_ok()).await?;
    sale_accounts_in(&data)
}

/// A completed sale, the entries it posted, and the static data it was priced with (which
/// names the entries' accounts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sold {
    pub sale: Sale,
    pub entries: Vec<JournalEntry>,
    pub statics: Arc<StaticData>,
}

/// Sells: prices from the catalog, settles the tender, takes FIFO lots, records the sale and
/// posts it. All or nothing: any refusal leaves no trace.
///
/// Locks are taken late and in one order: the customer (credit sales only), the products with
/// their open lots, and last the register's counter row, after everything has been read,
/// priced and checked; what follows the counter is only writes. Static data comes from the
/// process's snapshot and is confirmed by the statement that takes the number (see
/// [`crate::static_data`]).
pub async fn checkout<T>(tx: &mut T, c: Checkout) -> Result<Sold, CheckoutError>
where
    T: CashRepo + CustomerRepo + InventoryRepo + LedgerRepo + RegisterRepo + SalesRepo + ?Sized,
{
    let ids = product_ids(&c)?;
    let (data, register, tenders) = till(tx, &c).await?;
    let accounts = sale_accounts_in(&data)?;
    let customer = match c.customer_id {
        Some(id) => Some(active_customer(tx, id).await?),
        None => None,
    };
    // One lock order for every use case (ascending product id), so two tills selling the same
    // products in opposite orders queue instead of deadlocking.
    // The lots of the register's store: a sale takes only what is on its shelves.
    let stock = tx.lock_stock(&ids, register.location_id).await?;
    if stock.len() != ids.len() {
        return Err(Refusal::invalid("lines", "a line names a product that does not exist").into());
    }
    // A product may name a tax rate created after the snapshot was read.
    let data = if stock
        .iter()
        .filter_map(|(p, _)| p.draft.tax_rate_id)
        .all(|id| data.tax_rate(id).is_some())
    {
        data
    } else {
        tx.static_data(true).await?
    };
    let priced = price(&c, &stock, &data)?;
    let settlement = settle(priced.total, tenders).map_err(|e| match e {
        TenderError::OutOfRange => Refusal::out_of_range("payments"),
        other => Refusal::invalid("payments", other),
    })?;
    if settlement.due > Money::ZERO {
        allow_due(tx, customer.as_ref(), settlement.due, c.role).await?;
    }
    let takes = plan(&stock, &priced)?;
    // Everything is read, priced and checked: only now the register's counter row, held until
    // commit by this sale alone (other registers have their own).
    let number = match tx.take_sale_number(c.register_id, data.version).await? {
        Numbering::Taken(number) => number,
        Numbering::Closed => return Err(register_closed(register.code.as_str()).into()),
        Numbering::Stale => {
            return Err(CheckoutError::Store(StoreError::Contention(
                "the tax rates, payment methods or accounts changed while the sale was priced"
                    .to_owned(),
            )));
        }
    };
    // The register's row is held now: its open session cannot close before this commits.
    let till = till_for_sale(tx, &register, c.user_id, c.at)
        .await
        .map_err(|e| match e {
            SessionRefusal::None(e) => CheckoutError::NoOpenSession(e),
            SessionRefusal::Store(e) => CheckoutError::Store(e),
        })?;
    let new = NewSale {
        register_id: c.register_id,
        number,
        invoice_no: invoice_number(&register.code, number),
        date: c.date,
        customer_id: c.customer_id,
        user_id: c.user_id,
        cart: priced,
        takes,
        settlement,
        note: c.note,
        at: c.at,
    };
    let sale = tx.insert_sale(&new).await?;
    tx.take_stock(&stock_out(&new, &sale, &stock, register.location_id)?)
        .await?;
    let entries: Vec<BalancedEntry> = [
        sale_entry(&new, accounts, sale.id)?,
        cogs_entry(&new, accounts, sale.id)?,
    ]
    .into_iter()
    .flatten()
    .collect();
    let entries = tx.post_entries(entries, Some(till), c.at).await?;
    Ok(Sold {
        sale,
        entries,
        statics: data,
    })
}

/// The products of the lines, ascending: one line per product, a price override only by a
/// manager.
fn product_ids(c: &Checkout) -> Result<Vec<ProductId>, CheckoutError> {
    if c.lines.is_empty() {
        return Err(Refusal::invalid("lines", "a sale needs at least one line").into());
    }
    let mut ids: Vec<ProductId> = c.lines.iter().map(|l| l.product_id).collect();
    ids.sort_unstable();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        return Err(
            Refusal::invalid("lines", "a product is on two lines; put it on one line").into(),
        );
    }
    if c.lines.iter().any(|l| l.unit_price.is_some()) && !c.role.at_least(Role::Manager) {
        return Err(CheckoutError::PriceOverrideForbidden);
    }
    Ok(ids)
}

/// The static data, the register (active in the snapshot; its row decides at the counter) and
/// the tenders' payment methods (each active).
async fn till<T: RegisterRepo + ?Sized>(
    tx: &mut T,
    c: &Checkout,
) -> Result<(Arc<StaticData>, Register, Vec<(PaymentMethod, Money)>), CheckoutError> {
    let data = static_data_with(tx, |d| {
        d.register(c.register_id).is_some()
            && c.tenders
                .iter()
                .all(|(code, _)| d.payment_method(code).is_some())
    })
    .await?;
    let register = data
        .register(c.register_id)
        .cloned()
        .ok_or_else(|| Refusal::invalid("register_id", "no such register"))?;
    if !register.active {
        return Err(register_closed(register.code.as_str()).into());
    }
    if let Some(refused) = c.stores.refusal(register.location_id, "sell") {
        return Err(CheckoutError::Elsewhere(refused));
    }
    let mut tenders = Vec::with_capacity(c.tenders.len());
    for (i, (code, amount)) in c.tenders.iter().enumerate() {
        match data.payment_method(code) {
            Some(method) if method.active => tenders.push((method.clone(), *amount)),
            _ => {
                return Err(Refusal::invalid(
                    format!("payments[{i}].method"),
                    format!(
                        "{code:?} is not an active payment method; see GET /api/payment-methods"
                    ),
                )
                .into());
            }
        }
    }
    Ok((data, register, tenders))
}

/// Locks the customer a sale names; refused if missing or inactive.
async fn active_customer<T: CustomerRepo + ?Sized>(
    tx: &mut T,
    id: CustomerId,
) -> Result<crate::customers::Customer, Refusal> {
    let customer = tx
        .lock_customer(id)
        .await?
        .ok_or_else(|| Refusal::invalid("customer_id", "no such customer"))?;
    if !customer.active {
        return Err(Refusal::invalid("customer_id", "the customer is inactive"));
    }
    Ok(customer)
}

/// Prices the cart from the locked products and the snapshot's tax rates; refuses inactive
/// products, discounts beyond the staff limit and a total the till did not expect.
fn price(
    c: &Checkout,
    stock: &[(Product, Vec<Lot>)],
    data: &StaticData,
) -> Result<PricedCart, CheckoutError> {
    let mut cart = Vec::with_capacity(c.lines.len());
    for (i, line) in c.lines.iter().enumerate() {
        let product = locked(stock, line.product_id)?;
        if product.draft.status != ProductStatus::Active {
            return Err(Refusal::invalid(
                format!("lines[{i}].product_id"),
                format!("{} is not for sale (inactive)", product.draft.sku),
            )
            .into());
        }
        let tax = match product.draft.tax_rate_id {
            None => None,
            Some(id) => data.tax_rate(id).map(|t| (t.rate, t.mode)),
        };
        cart.push(CartLine {
            product_id: product.id,
            quantity: line.quantity,
            unit_price: line.unit_price.unwrap_or(product.draft.price),
            tax,
            discount: line.discount,
        });
    }
    let priced = price_cart(&cart, c.order_discount).map_err(|e| match e {
        PricingError::OutOfRange { field } => Refusal::OutOfRange { field },
        other => Refusal::invalid(other.field(), other),
    })?;
    let allowed = priced.subtotal.percent(c.staff_discount_limit);
    if priced.discount > allowed && !c.role.at_least(Role::Manager) {
        return Err(CheckoutError::DiscountForbidden {
            limit: c.staff_discount_limit,
            allowed,
            discount: priced.discount,
        });
    }
    if let Some(expected) = c.expected_total
        && expected != priced.total
    {
        return Err(CheckoutError::TotalMismatch {
            total: priced.total,
            expected,
        });
    }
    Ok(priced)
}

/// A sale that leaves something unpaid: a customer, a manager, and room in the credit limit.
async fn allow_due<T: SalesRepo + ?Sized>(
    tx: &mut T,
    customer: Option<&crate::customers::Customer>,
    due: Money,
    role: Role,
) -> Result<(), CheckoutError> {
    let customer = customer.ok_or_else(|| {
        Refusal::invalid(
            "customer_id",
            format!("{due} is left unpaid: a sale on credit needs a customer"),
        )
    })?;
    if !role.at_least(Role::Manager) {
        return Err(CheckoutError::CreditSaleForbidden);
    }
    let owed = tx.customer_totals(customer.id).await?.due;
    check_credit(customer, owed, due).map_err(|e| match e {
        CreditError::OutOfRange => Refusal::out_of_range("balance").into(),
        CreditError::NoCredit | CreditError::OverLimit { .. } => CheckoutError::OverCreditLimit(e),
    })
}

/// Each line's FIFO takes from its product's open lots; the sale's cost stays within range.
fn plan(
    stock: &[(Product, Vec<Lot>)],
    priced: &PricedCart,
) -> Result<Vec<Vec<Take>>, CheckoutError> {
    let mut takes = Vec::with_capacity(priced.lines.len());
    for line in &priced.lines {
        let (product, lots) = stock
            .iter()
            .find(|(p, _)| p.id == line.product_id)
            .ok_or(Refusal::NotFound("product"))?;
        takes.push(plan_takes(product, lots, line.quantity)?);
    }
    // The FIFO cost of the sale is posted as one amount: it stays within range too.
    Money::checked_sum(takes.iter().flatten().map(|t| t.cost))
        .map_err(|_| Refusal::out_of_range("lines"))?;
    Ok(takes)
}

/// The units leaving each line's lots and the log entries that say so.
fn stock_out(
    new: &NewSale,
    sale: &Sale,
    stock: &[(Product, Vec<Lot>)],
    location: crate::ids::LocationId,
) -> Result<Vec<StockOut>, Refusal> {
    let mut outs = Vec::with_capacity(new.cart.lines.len());
    for (line, line_takes) in new.cart.lines.iter().zip(&new.takes) {
        let product = locked(stock, line.product_id)?;
        let units: i64 = line_takes.iter().map(|t| t.quantity.thousandths()).sum();
        outs.push(StockOut {
            takes: line_takes.clone(),
            movement: NewMovement {
                product_id: product.id,
                kind: MovementKind::Sale,
                before: product.stock_on_hand,
                after: Quantity::from_thousandths(product.stock_on_hand.thousandths() - units),
                reference_id: Some(sale.id.get()),
                reason: Some(sale.invoice_no()),
                user_id: new.user_id,
                at: new.at,
                day: new.date,
                location,
            },
        });
    }
    Ok(outs)
}

fn locked(stock: &[(Product, Vec<Lot>)], id: ProductId) -> Result<&Product, Refusal> {
    stock
        .iter()
        .map(|(p, _)| p)
        .find(|p| p.id == id)
        .ok_or(Refusal::NotFound("product"))
}

fn register_closed(code: &str) -> RegisterClosed {
    RegisterClosed {
        register: code.to_owned(),
    }
}

/// One line to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReturnLine {
    pub sale_line_id: SaleLineId,
    pub quantity: Quantity,
    /// Back on the shelf (to the lots it came from); otherwise written off as shrinkage.
    pub restock: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Returned {
    pub sale: Sale,
    pub refund: Money,
    /// Taken off what the customer owes.
    pub credited: Money,
    /// Paid back by the refund method.
    pub refunded: Money,
    pub entries: Vec<JournalEntry>,
}

/// A return as the counter asks for it.
#[derive(Debug, Clone)]
pub struct SaleReturnRequest {
    /// Where the goods come back.
    pub register_id: RegisterId,
    pub sale_id: SaleId,
    pub lines: Vec<ReturnLine>,
    /// How a refund beyond what the customer owes is paid back.
    pub refund_method: Option<PaymentMethod>,
    /// The most staff may refund on one sale, all its returns together.
    pub staff_refund_limit: Money,
    pub role: Role,
    /// Where the caller works: a register elsewhere is refused (403).
    pub stores: crate::user::Stores,
    pub date: Date,
    pub user_id: UserId,
    pub at: OffsetDateTime,
}

/// What the returned lines come to, before the refund is split.
struct TakenBack {
    lines: Vec<ReturnedLine>,
    refund: Money,
    tax: Money,
    restocked_cost: Money,
    written_off_cost: Money,
}

/// Returns part of a sale. Never more than sold minus already returned; restocked units go back
/// to the very lots they left at their original cost; the refund first reduces what the
/// customer owes on the sale, the rest is paid out by `refund_method`.
pub async fn return_sale<
    T: CashRepo + InventoryRepo + LedgerRepo + RegisterRepo + SalesRepo + ?Sized,
>(
    tx: &mut T,
    r: SaleReturnRequest,
) -> Result<Returned, SaleReturnError> {
    if r.lines.is_empty() {
        return Err(Refusal::invalid("lines", "name at least one line to return").into());
    }
    let register = tx
        .find_register(r.register_id)
        .await?
        .ok_or_else(|| Refusal::invalid("register_id", "no such register"))?;
    if !register.active {
        return Err(register_closed(register.code.as_str()).into());
    }
    if let Some(refused) = r.stores.refusal(register.location_id, "take goods back") {
        return Err(SaleReturnError::Elsewhere(refused));
    }
    let (sale, mut products) = lock_sale(tx, r.sale_id).await?;
    // The goods go back to the lots they left, at the sale's store: so they are taken back
    // there, by one of its registers, and every line of the return belongs to that store.
    if sale.register_id != register.id {
        let sold_at = tx
            .find_register(sale.register_id)
            .await?
            .map_or(crate::location::DEFAULT_LOCATION, |r| r.location_id);
        if sold_at != register.location_id {
            return Err(Refusal::invalid(
                "register_id",
                format!(
                    "the sale was made at another store (location {sold_at}): take the goods \
                     back at one of its registers, where they return to the lots they left"
                ),
            )
            .into());
        }
    }
    let back = take_back(tx, &sale, &mut products, &r, register.location_id).await?;
    // The staff limit binds everything refunded on the sale, this return and the earlier
    // ones together, so it cannot be side-stepped by returning the goods a few at a time.
    let refunded_in_all = Money::checked_sum([sale.credited, sale.refunded, back.refund])
        .map_err(|_| Refusal::out_of_range("lines"))?;
    if refunded_in_all > r.staff_refund_limit && !r.role.at_least(Role::Manager) {
        return Err(SaleReturnError::RefundForbidden {
            limit: r.staff_refund_limit,
            refunded: refunded_in_all,
        });
    }
    let credited = back.refund.min(sale.due().max(Money::ZERO));
    let refunded = back
        .refund
        .checked_sub(credited)
        .map_err(|_| Refusal::out_of_range("lines"))?;
    let method = match (refunded > Money::ZERO, r.refund_method.clone()) {
        (true, None) => {
            return Err(
                Refusal::invalid("refund_method", "name how the refund is paid back").into(),
            );
        }
        (_, method) => method,
    };
    tx.record_sale_return(&NewSaleReturn {
        sale_id: sale.id,
        register_id: r.register_id,
        date: r.date,
        user_id: r.user_id,
        seller_id: sale.user_id,
        customer_id: sale.customer_id,
        lines: back.lines.clone(),
        credited,
        refunded,
        status: status_after(&sale, &back.lines),
        at: r.at,
    })
    .await?;
    let drafts = return_entries(tx, &sale, &back, credited, refunded, method.as_ref(), &r).await?;
    // Last, after the sale and its products: the register's row, and its open session.
    let till = till_for_document(tx, &register, r.user_id, r.at)
        .await
        .map_err(|e| match e {
            SessionRefusal::None(e) => SaleReturnError::NoOpenSession(e),
            SessionRefusal::Store(e) => SaleReturnError::Store(e),
        })?;
    let entries = tx.post_entries(drafts, Some(till), r.at).await?;
    let sale = tx
        .find_sale(sale.id)
        .await?
        .ok_or(Refusal::NotFound("sale"))?;
    Ok(Returned {
        sale,
        refund: back.refund,
        credited,
        refunded,
        entries,
    })
}

/// Locks the sale's products, then reads the sale again under those locks: every return of a
/// sale locks the same products first, so two returns of one sale run one after the other and
/// the second sees what the first returned.
async fn lock_sale<T: InventoryRepo + SalesRepo + ?Sized>(
    tx: &mut T,
    id: SaleId,
) -> Result<(Sale, Vec<Product>), Refusal> {
    let first_look = tx.find_sale(id).await?.ok_or(Refusal::NotFound("sale"))?;
    let mut ids: Vec<ProductId> = first_look
        .lines
        .iter()
        .map(|l| l.priced.product_id)
        .collect();
    ids.sort_unstable();
    let products = lock(tx, &ids).await?;
    let sale = tx.find_sale(id).await?.ok_or(Refusal::NotFound("sale"))?;
    Ok((sale, products))
}

/// Takes each requested line back: restocked units to the lots they left, the rest written
/// off; what they come to.
async fn take_back<T: InventoryRepo + ?Sized>(
    tx: &mut T,
    sale: &Sale,
    products: &mut [Product],
    r: &SaleReturnRequest,
    location: crate::ids::LocationId,
) -> Result<TakenBack, SaleReturnError> {
    let mut back = TakenBack {
        lines: Vec::with_capacity(r.lines.len()),
        refund: Money::ZERO,
        tax: Money::ZERO,
        restocked_cost: Money::ZERO,
        written_off_cost: Money::ZERO,
    };
    let sum = |a: Money, b: Money, field: &str| {
        a.checked_add(b)
            .map_err(|_| Refusal::out_of_range(field.to_owned()))
    };
    for (i, request) in r.lines.iter().enumerate() {
        let (line, returned) = returned_line(sale, r, i)?;
        back.refund = sum(back.refund, returned.refund, "lines")?;
        back.tax = sum(back.tax, returned.tax, "lines")?;
        if request.restock {
            back.restocked_cost = sum(back.restocked_cost, returned.cost, "lines")?;
            restock(tx, sale, products, r, i, &returned, location).await?;
        } else {
            back.written_off_cost = sum(back.written_off_cost, returned.cost, "lines")?;
        }
        back.lines.push(ReturnedLine {
            sale_line_id: request.sale_line_id,
            product_id: line.priced.product_id,
            tax_rate: line.priced.tax_rate.map(|(rate, _)| rate),
            quantity: request.quantity,
            refund: returned.refund,
            tax: returned.tax,
            cost: returned.cost,
            restocked: request.restock,
        });
    }
    Ok(back)
}

/// The sale's line the `i`th requested line names (once), and what returning it gives back.
fn returned_line<'s>(
    sale: &'s Sale,
    r: &SaleReturnRequest,
    i: usize,
) -> Result<(&'s SaleLine, LineReturn), SaleReturnError> {
    let request = &r.lines[i];
    if r.lines[..i]
        .iter()
        .any(|l| l.sale_line_id == request.sale_line_id)
    {
        return Err(Refusal::invalid(format!("lines[{i}]"), "the line is named twice").into());
    }
    let line = sale
        .lines
        .iter()
        .find(|l| l.id == request.sale_line_id)
        .ok_or_else(|| {
            Refusal::invalid(
                format!("lines[{i}].sale_line_id"),
                "is not a line of this sale",
            )
        })?;
    let returned = line_return(line, request.quantity).map_err(|e| match e {
        ReturnError::TooMany { .. } => SaleReturnError::ReturnExceedsSale { line: i, error: e },
        ReturnError::Zero => Refusal::invalid(format!("lines[{i}].quantity"), e).into(),
        ReturnError::OutOfRange => Refusal::out_of_range(format!("lines[{i}].quantity")).into(),
    })?;
    Ok((line, returned))
}

/// Puts the `i`th returned line back into the lots it came from, and onto the shelf.
async fn restock<T: InventoryRepo + ?Sized>(
    tx: &mut T,
    sale: &Sale,
    products: &mut [Product],
    r: &SaleReturnRequest,
    i: usize,
    returned: &LineReturn,
    location: crate::ids::LocationId,
) -> Result<(), Refusal> {
    let request = &r.lines[i];
    let product_id = returned_product(sale, request.sale_line_id)?;
    let product = products
        .iter_mut()
        .find(|p| p.id == product_id)
        .ok_or(Refusal::NotFound("product"))?;
    for (lot, quantity, value) in &returned.lots {
        tx.return_to_lot(*lot, *quantity, *value).await?;
    }
    let after = product
        .stock_on_hand
        .checked_add(request.quantity)
        .map_err(|_| Refusal::out_of_range(format!("lines[{i}].quantity")))?;
    let cx = Context {
        kind: MovementKind::SaleReturn,
        reference_id: Some(sale.id.get()),
        reason: Some(format!("returned from {}", sale.invoice_no())),
        user_id: r.user_id,
        at: r.at,
        day: r.date,
        location,
    };
    super::stock::set_stock_logged(tx, product, after, &cx).await
}

fn returned_product(sale: &Sale, line: SaleLineId) -> Result<ProductId, Refusal> {
    sale.lines
        .iter()
        .find(|l| l.id == line)
        .map(|l| l.priced.product_id)
        .ok_or(Refusal::NotFound("sale line"))
}

/// Refunded when every unit of every line has come back, partly refunded otherwise.
fn status_after(sale: &Sale, now: &[ReturnedLine]) -> SaleStatus {
    let fully = sale.lines.iter().all(|l| {
        let now = now
            .iter()
            .find(|r| r.sale_line_id == l.id)
            .map_or(0, |r| r.quantity.thousandths());
        l.returned.thousandths() + now == l.priced.quantity.thousandths()
    });
    if fully {
        SaleStatus::Refunded
    } else {
        SaleStatus::PartiallyRefunded
    }
}

/// The return's entries: the refund (returns and tax against what the customer owed and what
/// was paid back), and the cost coming back into stock or written off.
async fn return_entries<T: RegisterRepo + ?Sized>(
    tx: &mut T,
    sale: &Sale,
    back: &TakenBack,
    credited: Money,
    refunded: Money,
    method: Option<&PaymentMethod>,
    r: &SaleReturnRequest,
) -> Result<Vec<BalancedEntry>, Refusal> {
    let a = sale_accounts(tx).await?;
    let returns = account(tx, codes::SALES_RETURNS).await?;
    let shrinkage = account(tx, codes::INVENTORY_SHRINKAGE).await?;
    let source = Source {
        kind: SourceKind::Refund,
        id: Some(sale.id.get()),
    };
    let entry = |memo: String, lines: Vec<LineDraft>| {
        BalancedEntry::new(EntryDraft {
            date: r.date,
            memo,
            source,
            user_id: r.user_id,
            lines,
        })
    };
    let mut drafts = Vec::new();
    if back.refund > Money::ZERO {
        let net = back
            .refund
            .checked_sub(back.tax)
            .map_err(|_| Refusal::out_of_range("lines"))?;
        let mut lines = vec![LineDraft::debit(returns, net)];
        if back.tax > Money::ZERO {
            lines.push(LineDraft::debit(a.tax, back.tax));
        }
        if credited > Money::ZERO {
            lines.push(
                LineDraft::credit(a.receivable, credited)
                    .with_party(sale.customer_id.map(Party::Customer)),
            );
        }
        if let (true, Some(method)) = (refunded > Money::ZERO, method) {
            lines.push(LineDraft::credit(method.account_id, refunded));
        }
        lines.retain(|l| l.amount > Money::ZERO);
        drafts.push(entry(format!("Return on {}", sale.invoice_no()), lines)?);
    }
    let cost = back
        .restocked_cost
        .checked_add(back.written_off_cost)
        .map_err(|_| Refusal::out_of_range("lines"))?;
    if cost > Money::ZERO {
        let mut lines = Vec::new();
        if back.restocked_cost > Money::ZERO {
            lines.push(LineDraft::debit(a.inventory, back.restocked_cost));
        }
        if back.written_off_cost > Money::ZERO {
            lines.push(LineDraft::debit(shrinkage, back.written_off_cost));
        }
        lines.push(LineDraft::credit(a.cogs, cost));
        drafts.push(entry(
            format!("Cost of return on {}", sale.invoice_no()),
            lines,
        )?);
    }
    Ok(drafts)
}

/// A customer's payment and what it paid on each sale.
pub type CustomerPayment = super::settlement::Settlement<SaleId>;
