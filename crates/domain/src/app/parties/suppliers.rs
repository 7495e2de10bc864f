//! Suppliers: profiles, what was bought from them, what is owed, and paying them.

use super::counterparty::{SetActive, Settle, Settlement};
use crate::app::{App, AppResult, Once, Reply};
use crate::ids::{ProductId, PurchaseId, PurchaseLineId, SupplierId};
use crate::ledger::Party;
use crate::ledger::chart::codes;
use crate::ledger::money_events::{Payment, PaymentFilter};
use crate::money::Money;
use crate::paging::{ListQuery, Order, Page, PageRequest};
use crate::ports::{LedgerRepo, RegisterRepo, SuppliedProduct, SupplierTotals};
use crate::purchasing::{InvoiceNo, Purchase, PurchaseFilter};
use crate::quantity::Quantity;
use crate::suppliers::{Supplier, SupplierDraft, SupplierFilter, SupplierSort};
use time::Date;

/// Replace a supplier's profile.
#[derive(Debug, Clone)]
pub struct UpdateSupplier {
    pub supplier: SupplierId,
    pub draft: SupplierDraft,
}

/// Pay a supplier against the open purchases.
pub type PaySupplier = Settle<SupplierId, PurchaseId>;

/// What is owed to a supplier and what was bought from them.
#[derive(Debug, Clone)]
pub struct SupplierDetails {
    pub supplier: Supplier,
    pub totals: SupplierTotals,
    /// The supplier's balance in accounts payable, from the ledger (credit minus debit).
    /// Equals `totals.due`.
    pub payable_balance: Money,
}

/// One product's purchase history from a supplier, newest first.
#[derive(Debug, Clone, Copy)]
pub struct SuppliedProductHistory {
    pub supplier: SupplierId,
    pub product: ProductId,
    pub page: PageRequest,
}

/// One line of a purchase of the product: what was bought when, at what cost, and what went
/// back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplyLine {
    pub purchase_id: PurchaseId,
    pub invoice_no: InvoiceNo,
    pub date: Date,
    pub purchase_line_id: PurchaseLineId,
    pub quantity: Quantity,
    pub unit_cost: Money,
    pub total: Money,
    pub returned: Quantity,
}

/// A supplier's statement for a period; dates are inclusive, `None` unbounded.
#[derive(Debug, Clone, Copy)]
pub struct SupplierPeriod {
    pub supplier: SupplierId,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// What happened with a supplier in a period: purchases (with their returns) and payments,
/// newest first (at most 100 of each), and the all-time totals.
#[derive(Debug, Clone)]
pub struct SupplierTransactions {
    pub totals: SupplierTotals,
    pub purchases: Vec<Purchase>,
    pub payments: Vec<Payment>,
}

/// The most of each kind a statement lists.
const FIRST_100: u32 = 100;

/// The supplier's balance in accounts payable: its credits there less its debits, summed by
/// the ledger in one query.
async fn payable_balance<T: LedgerRepo + RegisterRepo + ?Sized>(
    tx: &mut T,
    supplier: SupplierId,
) -> AppResult<Money> {
    let payable = crate::services::stock::account(tx, codes::ACCOUNTS_PAYABLE).await?;
    let (debit, credit) = tx.party_balance(payable, Party::Supplier(supplier)).await?;
    Ok(credit.wide_sub(debit)?)
}

/// The lines of `purchases` that are of `product`, in the purchases' order.
fn supply_lines(purchases: Vec<Purchase>, product: ProductId) -> Vec<SupplyLine> {
    purchases
        .into_iter()
        .flat_map(|p| {
            let (id, invoice, date) = (p.id, p.invoice_no, p.date);
            p.lines
                .into_iter()
                .filter(|l| l.product_id == product)
                .map(move |l| SupplyLine {
                    purchase_id: id,
                    invoice_no: invoice.clone(),
                    date,
                    purchase_line_id: l.id,
                    quantity: l.quantity,
                    unit_cost: l.unit_cost,
                    total: l.total,
                    returned: l.returned,
                })
        })
        .collect()
}

impl App {
    /// Suppliers, searched (name, phones, email), filtered and sorted.
    pub async fn list_suppliers(
        &self,
        query: ListQuery<SupplierFilter, SupplierSort>,
    ) -> AppResult<Page<Supplier>> {
        self.read(async |tx| Ok(tx.list_suppliers(&query).await?))
            .await
    }

    /// Adds a supplier.
    pub async fn create_supplier(&self, draft: SupplierDraft) -> AppResult<Supplier> {
        let now = self.now();
        self.write(async |tx| Ok(tx.insert_supplier(draft, now).await?))
            .await
    }

    /// A supplier with purchase totals and the payable balance from the ledger. 404 when
    /// unknown.
    pub async fn supplier_details(&self, id: SupplierId) -> AppResult<SupplierDetails> {
        self.of_party(id, async |tx, supplier| {
            let totals = tx.supplier_totals(id).await?;
            let payable_balance = payable_balance(tx, id).await?;
            Ok(SupplierDetails {
                supplier,
                totals,
                payable_balance,
            })
        })
        .await
    }

    /// Replaces a supplier's profile. 404 when unknown.
    pub async fn update_supplier(&self, command: UpdateSupplier) -> AppResult<Supplier> {
        self.update_party(command.supplier, command.draft, |_, _| Ok(()))
            .await
    }

    /// Activates or deactivates a supplier: an inactive one keeps its history but takes no
    /// new purchases. 404 when unknown.
    pub async fn set_supplier_active(&self, command: SetActive<SupplierId>) -> AppResult<Supplier> {
        self.set_party_active(command).await
    }

    /// Every product bought from a supplier, with totals. 404 when unknown.
    pub async fn supplier_products(&self, id: SupplierId) -> AppResult<Vec<SuppliedProduct>> {
        self.party_products(id).await
    }

    /// The supplier's purchases with something still owed, oldest first (at most 100). 404
    /// when unknown.
    pub async fn supplier_dues(&self, id: SupplierId) -> AppResult<Vec<Purchase>> {
        self.of_party(id, async |tx, _| {
            let query = ListQuery {
                filter: PurchaseFilter {
                    supplier_id: Some(id),
                    open_only: true,
                    ..Default::default()
                },
                sort: (),
                order: Order::Asc,
                page: PageRequest::new(Some(1), Some(FIRST_100)),
            };
            Ok(tx.list_purchases(&query).await?.items)
        })
        .await
    }

    /// One product's purchase history from a supplier, newest first: a page of the purchases
    /// with the product, as their lines of it (the page's counts are of purchases). 404 when
    /// the supplier is unknown.
    pub async fn supplied_product_history(
        &self,
        query: SuppliedProductHistory,
    ) -> AppResult<Page<SupplyLine>> {
        self.of_party(query.supplier, async |tx, _| {
            let list = ListQuery {
                filter: PurchaseFilter {
                    supplier_id: Some(query.supplier),
                    product_id: Some(query.product),
                    ..Default::default()
                },
                sort: (),
                order: Order::Desc,
                page: query.page,
            };
            let purchases = tx.list_purchases(&list).await?;
            Ok(Page {
                page: purchases.page,
                per_page: purchases.per_page,
                total: purchases.total,
                items: supply_lines(purchases.items, query.product),
            })
        })
        .await
    }

    /// A supplier's purchases and payments in a period (at most 100 of each, newest first)
    /// and the totals of all of them. 404 when unknown.
    pub async fn supplier_transactions(
        &self,
        query: SupplierPeriod,
    ) -> AppResult<SupplierTransactions> {
        let id = query.supplier;
        self.of_party(id, async |tx, _| {
            let totals = tx.supplier_totals(id).await?;
            let first_100 = PageRequest::new(Some(1), Some(FIRST_100));
            let purchases = tx
                .list_purchases(&ListQuery {
                    filter: PurchaseFilter {
                        supplier_id: Some(id),
                        from: query.from,
                        to: query.to,
                        ..Default::default()
                    },
                    sort: (),
                    order: Order::Desc,
                    page: first_100,
                })
                .await?;
            let payments = tx
                .list_payments(&ListQuery {
                    filter: PaymentFilter {
                        from: query.from,
                        to: query.to,
                        party: Some(Party::Supplier(id)),
                        ..Default::default()
                    },
                    sort: (),
                    order: Order::Desc,
                    page: first_100,
                })
                .await?;
            Ok(SupplierTransactions {
                totals,
                purchases: purchases.items,
                payments: payments.items,
            })
        })
        .await
    }

    /// Pays a supplier, at most once per key: the named purchase, else the oldest open
    /// purchases first. More than is owed is refused (409 `overpayment`). The other refusals are
    /// those of settling open documents (`settle_open_documents`).
    pub async fn pay_supplier(
        &self,
        command: PaySupplier,
        once: Once<'_, Settlement<PurchaseId>>,
    ) -> Result<Reply, crate::services::settlement::SettlementError> {
        self.settle_open_documents(command, once).await
    }
}
