//! Receiving purchases, paying suppliers and returning goods.

mod error;

pub use error::{ReceivePurchaseError, SupplierReturnError};

use super::error::Refusal;
use super::stock::{Context, account, apply_takes, lock, receive};
use crate::catalog::Product;
use crate::error::{StoreError, Unique};
use crate::ids::{ProductId, PurchaseId, PurchaseLineId, UserId};
use crate::inventory::{LotBalance, MovementKind, NewLot, take_from_lot};
use crate::ledger::JournalEntry;
use crate::ledger::chart::codes;
use crate::ledger::money_events::PaymentMethod;
use crate::money::Money;
use crate::ports::{InventoryRepo, LedgerRepo, PurchasingRepo, RegisterRepo};
use crate::purchasing::returns::{ReturnSettlement, settle_return, supplier_return_entry};
use crate::purchasing::{PricedPurchase, Purchase, purchase_entry};
use crate::quantity::Quantity;
use time::{Date, OffsetDateTime};

/// Receives a purchase: stores it, puts each line into a new lot, raises stock, logs it and
/// posts Dr inventory / Cr payments and payables.
pub async fn receive_purchase<T>(
    tx: &mut T,
    priced: PricedPurchase,
    at: OffsetDateTime,
) -> Result<(Purchase, Option<JournalEntry>), ReceivePurchaseError>
where
    T: InventoryRepo + LedgerRepo + PurchasingRepo + RegisterRepo + ?Sized,
{
    let supplier = tx
        .find_supplier(priced.draft.supplier_id)
        .await?
        .ok_or_else(|| Refusal::invalid("supplier_id", "no such supplier"))?;
    if !supplier.active {
        return Err(Refusal::invalid(
            "supplier_id",
            "the supplier is inactive; reactivate it first",
        )
        .into());
    }
    let ids: Vec<_> = priced.draft.lines.iter().map(|l| l.product_id).collect();
    let mut products = lock(tx, &ids).await.map_err(|e| match e {
        Refusal::NotFound(_) => {
            Refusal::invalid("lines", "a line names a product that does not exist")
        }
        other => other,
    })?;
    let purchase = tx.insert_purchase(&priced, at).await.map_err(|e| match e {
        StoreError::Duplicate(Unique::PurchaseInvoice) => ReceivePurchaseError::InvoiceTaken {
            supplier: supplier.id,
            invoice_no: priced.draft.invoice_no.as_str().to_owned(),
        },
        other => other.into(),
    })?;
    for line in &purchase.lines {
        let product = products
            .iter_mut()
            .find(|p| p.id == line.product_id)
            .ok_or(ReceivePurchaseError::NotFound("product"))?;
        let cx = Context {
            kind: MovementKind::Purchase,
            reference_id: Some(purchase.id.get()),
            reason: Some(format!("invoice {}", purchase.invoice_no.as_str())),
            user_id: priced.draft.user_id,
            at,
            day: priced.draft.date,
            location: priced.draft.location,
        };
        let lot = NewLot {
            product_id: line.product_id,
            purchase_line_id: Some(line.id),
            quantity: line.quantity,
            unit_cost: line.unit_cost,
            received_at: at,
            location: priced.draft.location,
            carried_value: None,
        };
        receive(tx, product, lot, &cx).await?;
    }
    let inventory = account(tx, codes::INVENTORY).await?;
    let payable = account(tx, codes::ACCOUNTS_PAYABLE).await?;
    let entry = match purchase_entry(&priced, inventory, payable, purchase.id)? {
        Some(entry) => Some(
            tx.post_entry(entry.located(priced.draft.location), at)
                .await?,
        ),
        None => None,
    };
    Ok((purchase, entry))
}

/// A payment to a supplier and what it paid on each purchase.
pub type SupplierPayment = super::settlement::Settlement<PurchaseId>;

/// Goods sent back and how their value was settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplierReturn {
    pub purchase_id: PurchaseId,
    pub value: Money,
    pub settlement: ReturnSettlement,
    pub entry: Option<JournalEntry>,
}

/// Sends units of a purchase's lines back: they leave the very lot each line created, at its
/// cost; the value first reduces what is owed on the purchase, the rest is refunded by
/// `refund_method`. Refused when a lot no longer holds the units (they were sold or adjusted
/// away) or more would be returned than was received.
pub async fn return_to_supplier<T>(
    tx: &mut T,
    purchase_id: PurchaseId,
    lines: &[(PurchaseLineId, Quantity)],
    refund_method: PaymentMethod,
    date: Date,
    user_id: UserId,
    at: OffsetDateTime,
) -> Result<SupplierReturn, SupplierReturnError>
where
    T: InventoryRepo + LedgerRepo + PurchasingRepo + RegisterRepo + ?Sized,
{
    let purchase = tx
        .find_purchase(purchase_id)
        .await?
        .ok_or(SupplierReturnError::NotFound("purchase"))?;
    let ids = returnable_products(&purchase, lines)?;
    let mut products = lock(tx, &ids).await?;
    // A purchase was received at one location: its lots, and so the goods going back, are there.
    let location = match lines.first() {
        Some((line, _)) => tx
            .lot_of_purchase_line(*line)
            .await?
            .map_or(crate::location::DEFAULT_LOCATION, |lot| lot.location_id),
        None => crate::location::DEFAULT_LOCATION,
    };
    let cx = Context {
        kind: MovementKind::SupplierReturn,
        reference_id: Some(purchase_id.get()),
        reason: Some(format!(
            "returned to supplier, invoice {}",
            purchase.invoice_no.as_str()
        )),
        user_id,
        at,
        day: date,
        location,
    };
    let value = take_back_from_lots(tx, lines, &mut products, &cx).await?;
    let settlement =
        settle_return(value, purchase.due()).map_err(|_| Refusal::out_of_range("lines"))?;
    if settlement.credited != Money::ZERO {
        tx.add_purchase_credit(purchase_id, settlement.credited)
            .await?;
    }
    let inventory = account(tx, codes::INVENTORY).await?;
    let payable = account(tx, codes::ACCOUNTS_PAYABLE).await?;
    let entry = match supplier_return_entry(
        settlement,
        purchase.supplier_id,
        (inventory, payable),
        refund_method.account_id,
        date,
        purchase_id.get(),
        user_id,
    )? {
        Some(entry) => Some(tx.post_entry(entry.located(location), at).await?),
        None => None,
    };
    Ok(SupplierReturn {
        purchase_id,
        value,
        settlement,
        entry,
    })
}

/// The products of the lines to return, each a line of the purchase named once, for more than
/// nothing and at most what is left of it.
fn returnable_products(
    purchase: &Purchase,
    lines: &[(PurchaseLineId, Quantity)],
) -> Result<Vec<ProductId>, Refusal> {
    if lines.is_empty() {
        return Err(Refusal::invalid(
            "lines",
            "name at least one line to return",
        ));
    }
    let mut ids = Vec::new();
    for (i, (line_id, quantity)) in lines.iter().enumerate() {
        let line = purchase
            .lines
            .iter()
            .find(|l| l.id == *line_id)
            .ok_or_else(|| {
                Refusal::invalid(
                    format!("lines[{i}].purchase_line_id"),
                    "is not a line of this purchase",
                )
            })?;
        if *quantity == Quantity::ZERO {
            return Err(Refusal::invalid(
                format!("lines[{i}].quantity"),
                "must be greater than zero",
            ));
        }
        // What is returned never exceeds what was bought, so this is never below zero.
        let left = line
            .quantity
            .checked_sub(line.returned)
            .unwrap_or(Quantity::ZERO);
        if *quantity > left {
            return Err(Refusal::invalid(
                format!("lines[{i}].quantity"),
                format!("only {left} of this line can still be returned"),
            ));
        }
        if ids.contains(&line.product_id) {
            return Err(Refusal::invalid(
                format!("lines[{i}]"),
                "the line is named twice",
            ));
        }
        ids.push(line.product_id);
    }
    Ok(ids)
}

/// Takes each returned quantity out of the lot its line created, at that lot's cost; the value
/// of all that left.
async fn take_back_from_lots<T>(
    tx: &mut T,
    lines: &[(PurchaseLineId, Quantity)],
    products: &mut [Product],
    cx: &Context,
) -> Result<Money, SupplierReturnError>
where
    T: InventoryRepo + PurchasingRepo + ?Sized,
{
    let mut value = Money::ZERO;
    for (i, (line_id, quantity)) in lines.iter().enumerate() {
        let lot = tx
            .lot_of_purchase_line(*line_id)
            .await?
            .ok_or(SupplierReturnError::NotFound("lot"))?;
        let balance = LotBalance {
            lot_id: lot.id,
            remaining: lot.remaining,
            remaining_value: lot.remaining_value,
        };
        let take =
            take_from_lot(&balance, *quantity).map_err(|e| SupplierReturnError::LotShort {
                line: i,
                available: e.available,
                requested: e.requested,
            })?;
        let product = products
            .iter_mut()
            .find(|p| p.id == lot.product_id)
            .ok_or(SupplierReturnError::NotFound("product"))?;
        let cost = apply_takes(tx, product, &[take], cx).await?;
        value = value
            .checked_add(cost)
            .map_err(|_| Refusal::out_of_range("lines"))?;
        tx.add_line_returned(*line_id, *quantity).await?;
    }
    Ok(value)
}
