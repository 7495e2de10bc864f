//! Purchases from suppliers and returns to them.

use crate::app::ledger::Posted;
use crate::app::lookups::{account_index, method_by_code};
use crate::app::{App, AppResult, Once, Reply};
use crate::ids::{PurchaseId, PurchaseLineId, SupplierId, UserId};
use crate::ledger::JournalEntry;
use crate::money::Money;
use crate::paging::{ListQuery, Page};
use crate::ports::LedgerRepo;
use crate::purchasing::returns::ReturnSettlement;
use crate::purchasing::{
    InvoiceNo, Purchase, PurchaseDraft, PurchaseError, PurchaseFilter, PurchaseLineDraft,
    price_purchase,
};
use crate::quantity::Quantity;
use crate::services::ServiceError;
use crate::services::error::Refusal;
use crate::services::purchasing::{self as service, ReceivePurchaseError, SupplierReturnError};
use time::Date;

/// The payment method a supplier return refunds by when none is named.
pub const DEFAULT_REFUND_METHOD: &str = "cash";

/// Receive goods from a supplier.
#[derive(Debug, Clone)]
pub struct NewPurchase {
    pub supplier: SupplierId,
    /// The supplier's invoice number, unique per supplier.
    pub invoice_no: InvoiceNo,
    /// Default today (the shop's calendar).
    pub date: Option<Date>,
    /// One line per product, each with a quantity above zero.
    pub lines: Vec<PurchaseLineDraft>,
    /// Paid at receipt, in the order sent (errors name `payments[i].method`); the rest is owed.
    pub payments: Vec<PurchaseTender>,
    pub note: Option<String>,
    pub user: UserId,
    /// Where the goods are received (a store or a warehouse); their lots are there.
    pub location: crate::ids::LocationId,
    /// Where the user works: goods are received only there.
    pub stores: crate::user::Stores,
}

/// A payment made when a purchase is received: a payment method code and an amount above zero.
#[derive(Debug, Clone)]
pub struct PurchaseTender {
    pub method: String,
    pub amount: Money,
}

/// A received purchase and the entry it posted (none for goods worth nothing).
#[derive(Debug, Clone)]
pub struct ReceivedPurchase {
    pub purchase: Purchase,
    pub entry: Option<Posted>,
}

/// Send units of a purchase back to its supplier.
#[derive(Debug, Clone)]
pub struct SupplierReturnCommand {
    pub purchase: PurchaseId,
    /// Purchase lines and the units of each to send back (above zero).
    pub lines: Vec<(PurchaseLineId, Quantity)>,
    /// A payment method code; [`DEFAULT_REFUND_METHOD`] when none is given.
    pub refund_method: Option<String>,
    pub date: Option<Date>,
    pub user: UserId,
}

/// Goods sent back: the purchase as it stands after, the cost of the units returned, how that
/// value was settled, and the entry posted (none when the value is zero).
#[derive(Debug, Clone)]
pub struct ReturnedToSupplier {
    pub purchase: Purchase,
    pub value: Money,
    pub settlement: ReturnSettlement,
    pub entry: Option<Posted>,
}

/// An entry paired with the chart, when there is one.
async fn posted<T: LedgerRepo + ?Sized>(
    tx: &mut T,
    entry: Option<JournalEntry>,
) -> Result<Option<Posted>, Refusal> {
    let accounts = account_index(tx).await?;
    Ok(entry.map(|entry| Posted { entry, accounts }))
}

impl App {
    /// Receives goods from a supplier: one FIFO lot per line at its cost, stock raised and
    /// logged, and Dr inventory / Cr payments and payables posted. Refuses (422) a date out of
    /// range, a payment method that is unknown or inactive (`payments[i].method`), an unknown
    /// or inactive supplier, a product that does not exist, payments above the total, and a
    /// line or total out of range; 409 `already_exists` when the supplier already has a
    /// purchase with this invoice number.
    pub async fn receive_purchase(
        &self,
        command: NewPurchase,
        once: Once<'_, ReceivedPurchase>,
    ) -> Result<Reply, ReceivePurchaseError> {
        self.once(once, async |tx, now| {
            let mut payments = Vec::new();
            for (i, tender) in command.payments.iter().enumerate() {
                let field = format!("payments[{i}].method");
                payments.push((
                    method_by_code(tx, &field, &tender.method).await?,
                    tender.amount,
                ));
            }
            if let Some(refused) = command.stores.refusal(command.location, "receive goods") {
                return Err(ReceivePurchaseError::Elsewhere(refused));
            }
            // Received on the calendar of the location it arrives at.
            let location =
                crate::services::stock::active_location(tx, command.location, "location_id")
                    .await?;
            let date =
                self.document_date_at(location.offset(self.policy().shop_offset), command.date)?;
            let draft = PurchaseDraft {
                location: command.location,
                supplier_id: command.supplier,
                invoice_no: command.invoice_no.clone(),
                date,
                lines: command.lines.clone(),
                payments,
                note: command.note.clone(),
                user_id: command.user,
            };
            let priced = price_purchase(draft).map_err(|e| match e {
                PurchaseError::OutOfRange { field } => Refusal::out_of_range(field),
                other => Refusal::invalid("lines", other),
            })?;
            let (purchase, entry) = service::receive_purchase(tx, priced, now).await?;
            Ok(ReceivedPurchase {
                purchase,
                entry: posted(tx, entry).await?,
            })
        })
        .await
    }

    /// Purchases by date then id, filtered by supplier, product, dates and whether something
    /// is still owed.
    pub async fn list_purchases(
        &self,
        query: ListQuery<PurchaseFilter, ()>,
    ) -> AppResult<Page<Purchase>> {
        self.read(async |tx| Ok(tx.list_purchases(&query).await?))
            .await
    }

    /// One purchase with its lines; 404 when there is none.
    pub async fn purchase(&self, id: PurchaseId) -> AppResult<Purchase> {
        self.read(async |tx| {
            tx.find_purchase(id)
                .await?
                .ok_or(ServiceError::NotFound("purchase"))
        })
        .await
    }

    /// Sends units of a purchase back to the supplier: they leave the lots their lines
    /// created, at those lots' cost; the value first reduces what is owed, the rest is
    /// refunded by the refund method. Refuses (422) a date out of range, an unknown or
    /// inactive refund method, a line not of this purchase, named twice or returning more
    /// than is left; 404 for no such purchase; 409 `insufficient_stock` when a lot no longer
    /// holds the units.
    pub async fn return_to_supplier(
        &self,
        command: SupplierReturnCommand,
        once: Once<'_, ReturnedToSupplier>,
    ) -> Result<Reply, SupplierReturnError> {
        let date = self.document_date(command.date)?;
        let id = command.purchase;
        let method_code = command
            .refund_method
            .clone()
            .unwrap_or_else(|| DEFAULT_REFUND_METHOD.to_owned());
        self.once(once, async |tx, now| {
            let method = method_by_code(tx, "refund_method", &method_code).await?;
            let done = service::return_to_supplier(
                tx,
                id,
                &command.lines,
                method,
                date,
                command.user,
                now,
            )
            .await?;
            let purchase = tx
                .find_purchase(id)
                .await?
                .ok_or(SupplierReturnError::NotFound("purchase"))?;
            Ok(ReturnedToSupplier {
                purchase,
                value: done.value,
                settlement: done.settlement,
                entry: posted(tx, done.entry).await?,
            })
        })
        .await
    }
}
