use crate::error::StoreError;
use crate::ids::{PurchaseId, PurchaseLineId, SupplierId};
use crate::money::Money;
use crate::paging::{ListQuery, Page};
use crate::purchasing::{PricedPurchase, Purchase, PurchaseFilter};
use crate::quantity::Quantity;
use crate::suppliers::{Supplier, SupplierDraft, SupplierFilter, SupplierSort};
use async_trait::async_trait;
use time::OffsetDateTime;

/// Totals of what was bought from one supplier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupplierTotals {
    pub purchases: u64,
    pub purchased: Money,
    pub paid: Money,
    pub credited: Money,
    pub due: Money,
}

/// One product as bought from one supplier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppliedProduct {
    pub product_id: crate::ids::ProductId,
    pub quantity: Quantity,
    pub returned: Quantity,
    pub total: Money,
    pub purchases: u64,
}

/// Suppliers and purchases.
#[async_trait]
pub trait PurchasingRepo: Send {
    async fn insert_supplier(
        &mut self,
        draft: SupplierDraft,
        at: OffsetDateTime,
    ) -> Result<Supplier, StoreError>;
    async fn find_supplier(&mut self, id: SupplierId) -> Result<Option<Supplier>, StoreError>;
    /// `NotFound` when there is no such supplier.
    async fn update_supplier(
        &mut self,
        id: SupplierId,
        draft: SupplierDraft,
        at: OffsetDateTime,
    ) -> Result<Supplier, StoreError>;
    async fn set_supplier_active(
        &mut self,
        id: SupplierId,
        active: bool,
        at: OffsetDateTime,
    ) -> Result<Supplier, StoreError>;
    async fn list_suppliers(
        &mut self,
        query: &ListQuery<SupplierFilter, SupplierSort>,
    ) -> Result<Page<Supplier>, StoreError>;

    /// Stores the purchase and its lines (`paid` = the payments at receipt, `credited` = 0).
    /// `Duplicate(PurchaseInvoice)` when the supplier already has this invoice number.
    async fn insert_purchase(
        &mut self,
        purchase: &PricedPurchase,
        at: OffsetDateTime,
    ) -> Result<Purchase, StoreError>;
    async fn find_purchase(&mut self, id: PurchaseId) -> Result<Option<Purchase>, StoreError>;
    /// Purchases by date then id in the query's order.
    async fn list_purchases(
        &mut self,
        query: &ListQuery<PurchaseFilter, ()>,
    ) -> Result<Page<Purchase>, StoreError>;
    /// The supplier's purchases with something owed, oldest (date, then id) first, locked
    /// against concurrent payments (`FOR UPDATE` on MySQL).
    async fn open_purchases(&mut self, supplier: SupplierId) -> Result<Vec<Purchase>, StoreError>;
    /// Adds to what was paid on a purchase.
    async fn add_purchase_payment(
        &mut self,
        purchase: PurchaseId,
        amount: Money,
    ) -> Result<(), StoreError>;
    /// Adds to what returns took off a purchase's debt.
    async fn add_purchase_credit(
        &mut self,
        purchase: PurchaseId,
        amount: Money,
    ) -> Result<(), StoreError>;
    /// Adds to the units returned from a purchase line.
    async fn add_line_returned(
        &mut self,
        line: PurchaseLineId,
        quantity: Quantity,
    ) -> Result<(), StoreError>;

    async fn supplier_totals(&mut self, supplier: SupplierId)
    -> Result<SupplierTotals, StoreError>;
    /// Every product bought from the supplier with its totals, by product id.
    async fn supplied_products(
        &mut self,
        supplier: SupplierId,
    ) -> Result<Vec<SuppliedProduct>, StoreError>;
}
