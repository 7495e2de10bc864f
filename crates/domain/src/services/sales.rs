//! The counter's use cases: checkout, held sales, returns and customer payments.

use super::ServiceError;
use super::stock::{Context, account, apply_takes, lock, plan_fifo};
use crate::allocation::{AllocationError, allocate_payment};
use crate::catalog::{Percent, ProductStatus};
use crate::customers::{CreditError, check_credit};
use crate::ids::{CustomerId, ProductId, SaleId, SaleLineId, UserId};
use crate::inventory::MovementKind;
use crate::ledger::chart::codes;
use crate::ledger::money_events::{Direction, Payment, PaymentDraft, PaymentMethod};
use crate::ledger::{
    BalancedEntry, EntryDraft, JournalEntry, LineDraft, Party, Source, SourceKind,
};
use crate::money::Money;
use crate::ports::Tx;
use crate::quantity::Quantity;
use crate::sales::postings::{SaleAccounts, cogs_entry, sale_entry};
use crate::sales::returns::{NewSaleReturn, ReturnError, ReturnedLine, line_return};
use crate::sales::{
    CartLine, Discount, NewSale, PricingError, Sale, SaleStatus, TenderError, price_cart, settle,
};
use crate::user::Role;
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
    pub customer_id: Option<CustomerId>,
    pub lines: Vec<CheckoutLine>,
    pub order_discount: Option<Discount>,
    pub tenders: Vec<(PaymentMethod, Money)>,
    /// What the till computed; the sale is refused if the server's total differs.
    pub expected_total: Option<Money>,
    pub note: Option<String>,
    pub date: Date,
    pub user_id: UserId,
    pub role: Role,
    /// The most staff may take off a sale in discounts, as a percent of its gross: a discount
    /// is a price change, and changing a price needs a manager.
    pub staff_discount_limit: Percent,
    pub at: OffsetDateTime,
}

pub async fn sale_accounts(tx: &mut dyn Tx) -> Result<SaleAccounts, ServiceError> {
    Ok(SaleAccounts {
        receivable: account(tx, codes::ACCOUNTS_RECEIVABLE).await?,
        revenue: account(tx, codes::SALES_REVENUE).await?,
        discounts: account(tx, codes::DISCOUNTS).await?,
        tax: account(tx, codes::TAX_PAYABLE).await?,
        cogs: account(tx, codes::COST_OF_GOODS_SOLD).await?,
        inventory: account(tx, codes::INVENTORY).await?,
    })
}

/// A completed sale and the entries it posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sold {
    pub sale: Sale,
    pub entries: Vec<JournalEntry>,
}

/// Sells: prices from the catalog, settles the tender, takes FIFO lots, records the sale and
/// posts it. All or nothing: any refusal leaves no trace.
pub async fn checkout(tx: &mut dyn Tx, c: Checkout) -> Result<Sold, ServiceError> {
    if c.lines.is_empty() {
        return Err(ServiceError::invalid(
            "lines",
            "a sale needs at least one line",
        ));
    }
    let customer = match c.customer_id {
        None => None,
        Some(id) => {
            let customer = tx
                .lock_customer(id)
                .await?
                .ok_or_else(|| ServiceError::invalid("customer_id", "no such customer"))?;
            if !customer.active {
                return Err(ServiceError::invalid(
                    "customer_id",
                    "the customer is inactive",
                ));
            }
            Some(customer)
        }
    };
    let mut ids: Vec<ProductId> = c.lines.iter().map(|l| l.product_id).collect();
    ids.sort_unstable();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        return Err(ServiceError::invalid(
            "lines",
            "a product is on two lines; put it on one line",
        ));
    }
    // One lock order for every use case (ascending product id), so two tills selling the same
    // products in opposite orders queue instead of deadlocking.
    let mut products = lock(tx, &ids).await.map_err(|e| match e {
        ServiceError::NotFound(_) => {
            ServiceError::invalid("lines", "a line names a product that does not exist")
        }
        other => other,
    })?;
    let mut cart = Vec::with_capacity(c.lines.len());
    for (i, line) in c.lines.iter().enumerate() {
        let product = products
            .iter()
            .find(|p| p.id == line.product_id)
            .ok_or(ServiceError::NotFound("product"))?;
        if product.draft.status != ProductStatus::Active {
            return Err(ServiceError::invalid(
                format!("lines[{i}].product_id"),
                format!("{} is not for sale (inactive)", product.draft.sku),
            ));
        }
        if line.unit_price.is_some() && !c.role.at_least(Role::Manager) {
            return Err(ServiceError::Forbidden(
                "Overriding a price needs the manager role or higher.".to_owned(),
            ));
        }
        let tax = match product.draft.tax_rate_id {
            None => None,
            Some(id) => tx.find_tax_rate(id).await?.map(|t| (t.rate, t.mode)),
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
        PricingError::OutOfRange { field } => ServiceError::OutOfRange { field },
        other => ServiceError::invalid(other.field(), other),
    })?;
    let allowed = crate::sales::percent_of(priced.subtotal.minor_units(), c.staff_discount_limit);
    if priced.discount.minor_units() > allowed && !c.role.at_least(Role::Manager) {
        return Err(ServiceError::Forbidden(format!(
            "Discounts above {} % of the sale ({}) need the manager role or higher; these come \
             to {}.",
            c.staff_discount_limit.value(),
            Money::from_minor_units(allowed),
            priced.discount
        )));
    }
    if let Some(expected) = c.expected_total
        && expected != priced.total
    {
        return Err(ServiceError::Conflict {
            code: "total_mismatch",
            message: format!(
                "The sale totals {} here, not {expected}: prices or taxes changed. Nothing was charged.",
                priced.total
            ),
        });
    }
    let settlement = settle(priced.total, c.tenders).map_err(|e| match e {
        TenderError::OutOfRange => ServiceError::out_of_range("payments"),
        other => ServiceError::invalid("payments", other),
    })?;
    if settlement.due > Money::ZERO {
        let customer = customer.as_ref().ok_or_else(|| {
            ServiceError::invalid(
                "customer_id",
                format!(
                    "{} is left unpaid: a sale on credit needs a customer",
                    settlement.due
                ),
            )
        })?;
        if !c.role.at_least(Role::Manager) {
            return Err(ServiceError::Forbidden(
                "A sale on credit needs the manager role or higher.".to_owned(),
            ));
        }
        let owed = tx.customer_totals(customer.id).await?.due;
        check_credit(customer, owed, settlement.due).map_err(|e| match e {
            CreditError::NoCredit | CreditError::OverLimit { .. } => ServiceError::Conflict {
                code: "credit_limit",
                message: e.to_string(),
            },
        })?;
    }
    let mut takes = Vec::with_capacity(priced.lines.len());
    for line in &priced.lines {
        let product = products
            .iter()
            .find(|p| p.id == line.product_id)
            .ok_or(ServiceError::NotFound("product"))?;
        takes.push(plan_fifo(tx, product, line.quantity).await?);
    }
    // The FIFO cost of the sale is posted as one amount: it stays within range too.
    Money::checked_sum(takes.iter().flatten().map(|t| t.cost))
        .map_err(|_| ServiceError::out_of_range("lines"))?;
    // Every read before the number: taking it locks the counter row until commit, and every
    // checkout queues there, so the less work after it the more sales a second.
    let accounts = sale_accounts(tx).await?;
    let number = tx.next_sale_number().await?;
    let new = NewSale {
        number,
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
    for (line, line_takes) in new.cart.lines.iter().zip(&new.takes) {
        let product = products
            .iter_mut()
            .find(|p| p.id == line.product_id)
            .ok_or(ServiceError::NotFound("product"))?;
        let cx = Context {
            kind: MovementKind::Sale,
            reference_id: Some(sale.id.get()),
            reason: Some(sale.invoice_no()),
            user_id: c.user_id,
            at: c.at,
            day: c.date,
        };
        apply_takes(tx, product, line_takes, &cx).await?;
    }
    let mut entries = Vec::new();
    for entry in [
        sale_entry(&new, accounts, sale.id)?,
        cogs_entry(&new, accounts, sale.id)?,
    ]
    .into_iter()
    .flatten()
    {
        entries.push(tx.post_entry(entry, c.at).await?);
    }
    Ok(Sold { sale, entries })
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

/// Returns part of a sale. Never more than sold minus already returned; restocked units go back
/// to the very lots they left at their original cost; the refund first reduces what the
/// customer owes on the sale, the rest is paid out by `refund_method`.
#[allow(clippy::too_many_arguments)]
pub async fn return_sale(
    tx: &mut dyn Tx,
    sale_id: SaleId,
    lines: &[ReturnLine],
    refund_method: Option<PaymentMethod>,
    staff_refund_limit: Money,
    role: Role,
    date: Date,
    user_id: UserId,
    at: OffsetDateTime,
) -> Result<Returned, ServiceError> {
    if lines.is_empty() {
        return Err(ServiceError::invalid(
            "lines",
            "name at least one line to return",
        ));
    }
    let first_look = tx
        .find_sale(sale_id)
        .await?
        .ok_or(ServiceError::NotFound("sale"))?;
    let mut ids: Vec<ProductId> = first_look
        .lines
        .iter()
        .map(|l| l.priced.product_id)
        .collect();
    ids.sort_unstable();
    // Every return of this sale locks the same products first, so two returns of one sale run
    // one after the other and the second sees what the first returned.
    let mut products = lock(tx, &ids).await?;
    let sale = tx
        .find_sale(sale_id)
        .await?
        .ok_or(ServiceError::NotFound("sale"))?;
    let mut refund = 0;
    let mut tax = 0;
    let mut restocked_cost = 0;
    let mut written_off_cost = 0;
    let mut recorded = Vec::new();
    let mut seen = Vec::new();
    for (i, request) in lines.iter().enumerate() {
        if seen.contains(&request.sale_line_id) {
            return Err(ServiceError::invalid(
                format!("lines[{i}]"),
                "the line is named twice",
            ));
        }
        seen.push(request.sale_line_id);
        let line = sale
            .lines
            .iter()
            .find(|l| l.id == request.sale_line_id)
            .ok_or_else(|| {
                ServiceError::invalid(
                    format!("lines[{i}].sale_line_id"),
                    "is not a line of this sale",
                )
            })?;
        let back = line_return(line, request.quantity).map_err(|e| match e {
            ReturnError::TooMany { .. } => ServiceError::Conflict {
                code: "return_exceeds_sale",
                message: format!("lines[{i}]: {e}"),
            },
            ReturnError::Zero => ServiceError::invalid(format!("lines[{i}].quantity"), e),
        })?;
        refund += back.refund.minor_units();
        tax += back.tax.minor_units();
        if request.restock {
            restocked_cost += back.cost.minor_units();
            let product = products
                .iter_mut()
                .find(|p| p.id == line.priced.product_id)
                .ok_or(ServiceError::NotFound("product"))?;
            for (lot, quantity, value) in &back.lots {
                tx.return_to_lot(*lot, *quantity, *value).await?;
            }
            let after = Quantity::checked_from_thousandths(
                i128::from(product.stock_on_hand.thousandths())
                    + i128::from(request.quantity.thousandths()),
            )
            .map_err(|_| ServiceError::out_of_range(format!("lines[{i}].quantity")))?;
            let cx = Context {
                kind: MovementKind::SaleReturn,
                reference_id: Some(sale.id.get()),
                reason: Some(format!("returned from {}", sale.invoice_no())),
                user_id,
                at,
                day: date,
            };
            super::stock::set_stock_logged(tx, product, after, &cx).await?;
        } else {
            written_off_cost += back.cost.minor_units();
        }
        recorded.push(ReturnedLine {
            sale_line_id: request.sale_line_id,
            product_id: line.priced.product_id,
            tax_rate: line.priced.tax_rate.map(|(rate, _)| rate),
            quantity: request.quantity,
            refund: back.refund,
            tax: back.tax,
            cost: back.cost,
            restocked: request.restock,
        });
    }
    // The staff limit binds everything refunded on the sale, this return and the earlier
    // ones together, so it cannot be side-stepped by returning the goods a few at a time.
    let refunded_before = sale.credited.minor_units() + sale.refunded.minor_units();
    let refund_money = Money::from_minor_units(refund);
    let refunded_in_all = Money::from_minor_units(refunded_before + refund);
    if refunded_in_all > staff_refund_limit && !role.at_least(Role::Manager) {
        return Err(ServiceError::Forbidden(format!(
            "Refunds on one sale above {staff_refund_limit} in all need the manager role or \
             higher; this return would bring the sale's refunds to {refunded_in_all}."
        )));
    }
    let credited = refund.min(sale.due().minor_units().max(0));
    let refunded = refund - credited;
    let method = match (refunded > 0, refund_method) {
        (false, method) => method,
        (true, Some(method)) => Some(method),
        (true, None) => {
            return Err(ServiceError::invalid(
                "refund_method",
                "name how the refund is paid back",
            ));
        }
    };
    let fully = sale.lines.iter().all(|l| {
        let now = recorded
            .iter()
            .find(|r| r.sale_line_id == l.id)
            .map_or(0, |r| r.quantity.thousandths());
        l.returned.thousandths() + now == l.priced.quantity.thousandths()
    });
    let status = if fully {
        SaleStatus::Refunded
    } else {
        SaleStatus::PartiallyRefunded
    };
    tx.record_sale_return(&NewSaleReturn {
        sale_id: sale.id,
        date,
        user_id,
        seller_id: sale.user_id,
        customer_id: sale.customer_id,
        lines: recorded,
        credited: Money::from_minor_units(credited),
        refunded: Money::from_minor_units(refunded),
        status,
        at,
    })
    .await?;

    let a = sale_accounts(tx).await?;
    let returns = account(tx, codes::SALES_RETURNS).await?;
    let shrinkage = account(tx, codes::INVENTORY_SHRINKAGE).await?;
    let m = Money::from_minor_units;
    let source = Source {
        kind: SourceKind::Refund,
        id: Some(sale.id.get()),
    };
    let mut entries = Vec::new();
    if refund > 0 {
        let mut lines = vec![LineDraft::debit(returns, m(refund - tax))];
        if tax > 0 {
            lines.push(LineDraft::debit(a.tax, m(tax)));
        }
        if credited > 0 {
            lines.push(
                LineDraft::credit(a.receivable, m(credited))
                    .with_party(sale.customer_id.map(Party::Customer)),
            );
        }
        if let (true, Some(method)) = (refunded > 0, &method) {
            lines.push(LineDraft::credit(method.account_id, m(refunded)));
        }
        lines.retain(|l| l.amount > Money::ZERO);
        let entry = BalancedEntry::new(EntryDraft {
            date,
            memo: format!("Return on {}", sale.invoice_no()),
            source,
            user_id,
            lines,
        })?;
        entries.push(tx.post_entry(entry, at).await?);
    }
    if restocked_cost + written_off_cost > 0 {
        let mut lines = Vec::new();
        if restocked_cost > 0 {
            lines.push(LineDraft::debit(a.inventory, m(restocked_cost)));
        }
        if written_off_cost > 0 {
            lines.push(LineDraft::debit(shrinkage, m(written_off_cost)));
        }
        lines.push(LineDraft::credit(
            a.cogs,
            m(restocked_cost + written_off_cost),
        ));
        let entry = BalancedEntry::new(EntryDraft {
            date,
            memo: format!("Cost of return on {}", sale.invoice_no()),
            source,
            user_id,
            lines,
        })?;
        entries.push(tx.post_entry(entry, at).await?);
    }
    let sale = tx
        .find_sale(sale.id)
        .await?
        .ok_or(ServiceError::NotFound("sale"))?;
    Ok(Returned {
        sale,
        refund: refund_money,
        credited: m(credited),
        refunded: m(refunded),
        entries,
    })
}

/// A customer's payment against what they owe and where it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerPayment {
    pub payment: Payment,
    pub allocations: Vec<(SaleId, Money)>,
    pub entry: JournalEntry,
}

/// Takes a customer's payment: the oldest open sales first unless one is named. Paying more
/// than is owed is refused (no store credit: a shop that wants it records it as a deposit).
#[allow(clippy::too_many_arguments)]
pub async fn take_customer_payment(
    tx: &mut dyn Tx,
    customer_id: CustomerId,
    method: PaymentMethod,
    amount: Money,
    sale: Option<SaleId>,
    reference: Option<String>,
    note: Option<String>,
    date: Date,
    user_id: UserId,
    at: OffsetDateTime,
) -> Result<CustomerPayment, ServiceError> {
    tx.lock_customer(customer_id)
        .await?
        .ok_or(ServiceError::NotFound("customer"))?;
    let open = tx.open_sales(customer_id).await?;
    let dues: Vec<(SaleId, Money)> = open.iter().map(|s| (s.id, s.due())).collect();
    let allocations = allocate_payment(&dues, amount, sale).map_err(|e| match e {
        AllocationError::Overpaid { .. } => ServiceError::Conflict {
            code: "overpayment",
            message: e.to_string(),
        },
        AllocationError::NotOpen(_) => ServiceError::invalid("sale_id", e),
    })?;
    let receivable = account(tx, codes::ACCOUNTS_RECEIVABLE).await?;
    let method_account = method.account_id;
    let draft = PaymentDraft {
        direction: Direction::In,
        method,
        amount,
        party: Some(Party::Customer(customer_id)),
        counter_account_id: receivable,
        reference,
        note,
        date,
        user_id,
    };
    let payment = tx.insert_payment(&draft, at).await?;
    for (sale, part) in &allocations {
        tx.add_sale_payment(*sale, *part).await?;
    }
    let entry = BalancedEntry::new(EntryDraft {
        date,
        memo: format!("Payment from customer {customer_id}"),
        source: Source {
            kind: SourceKind::Payment,
            id: Some(payment.id.get()),
        },
        user_id,
        lines: vec![
            LineDraft::debit(method_account, amount),
            LineDraft::credit(receivable, amount).with_party(Some(Party::Customer(customer_id))),
        ],
    })?;
    let entry = tx.post_entry(entry, at).await?;
    Ok(CustomerPayment {
        payment,
        allocations,
        entry,
    })
}
