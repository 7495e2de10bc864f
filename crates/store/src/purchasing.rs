//! Suppliers and purchases ([`PurchasingRepo`]).
//!
//! A purchase's header carries what is owed on it (`total - paid - credited`); its lines carry
//! what was returned. Those counters only ever grow, by increments in the database, and CHECK
//! constraints keep them within the totals whatever the callers do.

mod purchases;
mod settlement;
mod suppliers;
mod totals;

use crate::tx::SeaTx;
use async_trait::async_trait;
use pos_domain::ids::{PurchaseId, PurchaseLineId, SupplierId};
use pos_domain::paging::{ListQuery, Page};
use pos_domain::ports::{PurchasingRepo, SuppliedProduct, SupplierTotals};
use pos_domain::purchasing::{PricedPurchase, Purchase, PurchaseFilter};
use pos_domain::quantity::Quantity;
use pos_domain::suppliers::{Supplier, SupplierDraft, SupplierFilter, SupplierSort};
use pos_domain::{Money, StoreError};
use time::OffsetDateTime;

#[async_trait]
impl PurchasingRepo for SeaTx {
    async fn insert_supplier(
        &mut self,
        draft: SupplierDraft,
        at: OffsetDateTime,
    ) -> Result<Supplier, StoreError> {
        suppliers::insert(self.conn(), draft, at).await
    }

    async fn find_supplier(&mut self, id: SupplierId) -> Result<Option<Supplier>, StoreError> {
        suppliers::find(self.conn(), id).await
    }

    async fn update_supplier(
        &mut self,
        id: SupplierId,
        draft: SupplierDraft,
        at: OffsetDateTime,
    ) -> Result<Supplier, StoreError> {
        suppliers::update(self.conn(), id, draft, at).await
    }

    async fn set_supplier_active(
        &mut self,
        id: SupplierId,
        active: bool,
        at: OffsetDateTime,
    ) -> Result<Supplier, StoreError> {
        suppliers::set_active(self.conn(), id, active, at).await
    }

    async fn list_suppliers(
        &mut self,
        query: &ListQuery<SupplierFilter, SupplierSort>,
    ) -> Result<Page<Supplier>, StoreError> {
        suppliers::list(self.conn(), query).await
    }

    async fn insert_purchase(
        &mut self,
        purchase: &PricedPurchase,
        at: OffsetDateTime,
    ) -> Result<Purchase, StoreError> {
        purchases::insert(self.conn(), purchase, at).await
    }

    async fn find_purchase(&mut self, id: PurchaseId) -> Result<Option<Purchase>, StoreError> {
        purchases::find(self.conn(), id).await
    }

    async fn list_purchases(
        &mut self,
        query: &ListQuery<PurchaseFilter, ()>,
    ) -> Result<Page<Purchase>, StoreError> {
        purchases::list(self.conn(), query).await
    }

    async fn open_purchases(&mut self, supplier: SupplierId) -> Result<Vec<Purchase>, StoreError> {
        purchases::open_of_supplier(self.conn(), supplier).await
    }

    async fn add_purchase_payment(
        &mut self,
        purchase: PurchaseId,
        amount: Money,
    ) -> Result<(), StoreError> {
        settlement::add_payment(self.conn(), purchase, amount).await
    }

    async fn add_purchase_credit(
        &mut self,
        purchase: PurchaseId,
        amount: Money,
    ) -> Result<(), StoreError> {
        settlement::add_credit(self.conn(), purchase, amount).await
    }

    async fn add_line_returned(
        &mut self,
        line: PurchaseLineId,
        quantity: Quantity,
    ) -> Result<(), StoreError> {
        settlement::add_returned(self.conn(), line, quantity).await
    }

    async fn supplier_totals(
        &mut self,
        supplier: SupplierId,
    ) -> Result<SupplierTotals, StoreError> {
        totals::of_supplier(self.conn(), supplier).await
    }

    async fn supplied_products(
        &mut self,
        supplier: SupplierId,
    ) -> Result<Vec<SuppliedProduct>, StoreError> {
        totals::supplied_products(self.conn(), supplier).await
    }
}
