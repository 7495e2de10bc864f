use crate::MemoryTx;
use crate::documents::{self, Amounts, ProductLine, ProductSums, add};
use crate::parties::{self, Party};
use async_trait::async_trait;
use pos_domain::error::{StoreError, Unique};
use pos_domain::ids::{PurchaseId, PurchaseLineId, SupplierId};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, Page};
use pos_domain::ports::{PurchasingRepo, SuppliedProduct, SupplierTotals};
use pos_domain::purchasing::{PricedPurchase, Purchase, PurchaseFilter, PurchaseLine};
use pos_domain::quantity::Quantity;
use pos_domain::suppliers::{Supplier, SupplierDraft, SupplierFilter, SupplierSort};
use time::{Date, OffsetDateTime};

impl MemoryTx {
    fn purchase_mut(&mut self, id: PurchaseId) -> Result<&mut Purchase, StoreError> {
        self.staged
            .purchases
            .get_mut(&id.get())
            .ok_or(StoreError::NotFound)
    }

    fn purchases_of(&self, supplier: SupplierId) -> impl Iterator<Item = &Purchase> {
        self.staged
            .purchases
            .values()
            .filter(move |p| p.supplier_id == supplier)
    }
}

#[async_trait]
impl PurchasingRepo for MemoryTx {
    async fn insert_supplier(
        &mut self,
        draft: SupplierDraft,
        at: OffsetDateTime,
    ) -> Result<Supplier, StoreError> {
        let id = self.staged.next_id();
        Ok(parties::insert(&mut self.staged.suppliers, id, draft, at))
    }

    async fn find_supplier(&mut self, id: SupplierId) -> Result<Option<Supplier>, StoreError> {
        Ok(self.staged.suppliers.get(&id.get()).cloned())
    }

    async fn update_supplier(
        &mut self,
        id: SupplierId,
        draft: SupplierDraft,
        at: OffsetDateTime,
    ) -> Result<Supplier, StoreError> {
        let suppliers = &mut self.staged.suppliers;
        parties::change(suppliers, id.get(), |s| s.set_draft(draft), at)
    }

    async fn set_supplier_active(
        &mut self,
        id: SupplierId,
        active: bool,
        at: OffsetDateTime,
    ) -> Result<Supplier, StoreError> {
        let suppliers = &mut self.staged.suppliers;
        parties::change(suppliers, id.get(), |s| s.set_active(active), at)
    }

    async fn list_suppliers(
        &mut self,
        query: &ListQuery<SupplierFilter, SupplierSort>,
    ) -> Result<Page<Supplier>, StoreError> {
        Ok(parties::list(&self.staged.suppliers, query))
    }

    async fn insert_purchase(
        &mut self,
        p: &PricedPurchase,
        at: OffsetDateTime,
    ) -> Result<Purchase, StoreError> {
        let d = &p.draft;
        if !self.staged.suppliers.contains_key(&d.supplier_id.get()) {
            return Err(StoreError::MissingReference("supplier_id"));
        }
        if d.lines
            .iter()
            .any(|l| !self.staged.products.contains_key(&l.product_id.get()))
        {
            return Err(StoreError::MissingReference("product_id"));
        }
        if self
            .purchases_of(d.supplier_id)
            .any(|x| x.invoice_no == d.invoice_no)
        {
            return Err(StoreError::Duplicate(Unique::PurchaseInvoice));
        }
        let id = PurchaseId::new(self.staged.next_id());
        let mut lines = Vec::with_capacity(d.lines.len());
        for (line, total) in d.lines.iter().zip(&p.line_totals) {
            lines.push(PurchaseLine {
                id: PurchaseLineId::new(self.staged.next_id()),
                product_id: line.product_id,
                quantity: line.quantity,
                unit_cost: line.unit_cost,
                total: *total,
                returned: Quantity::ZERO,
            });
        }
        let purchase = Purchase {
            id,
            supplier_id: d.supplier_id,
            invoice_no: d.invoice_no.clone(),
            date: d.date,
            note: d.note.clone(),
            user_id: d.user_id,
            lines,
            total: p.total,
            paid: p.paid,
            credited: Money::ZERO,
            created_at: at,
        };
        self.staged.purchases.insert(id.get(), purchase.clone());
        Ok(purchase)
    }

    async fn find_purchase(&mut self, id: PurchaseId) -> Result<Option<Purchase>, StoreError> {
        Ok(self.staged.purchases.get(&id.get()).cloned())
    }

    async fn list_purchases(
        &mut self,
        query: &ListQuery<PurchaseFilter, ()>,
    ) -> Result<Page<Purchase>, StoreError> {
        let f = &query.filter;
        let rows: Vec<Purchase> = self
            .staged
            .purchases
            .values()
            .filter(|p| f.supplier_id.is_none_or(|s| p.supplier_id == s))
            .filter(|p| f.from.is_none_or(|d| p.date >= d) && f.to.is_none_or(|d| p.date <= d))
            .filter(|p| !f.open_only || p.due() > Money::ZERO)
            .filter(|p| {
                f.product_id
                    .is_none_or(|id| p.lines.iter().any(|l| l.product_id == id))
            })
            .cloned()
            .collect();
        Ok(documents::dated_page(rows, ledger_key, query))
    }

    async fn open_purchases(&mut self, supplier: SupplierId) -> Result<Vec<Purchase>, StoreError> {
        let purchases = self.purchases_of(supplier);
        Ok(documents::open(purchases, Purchase::due, ledger_key))
    }

    async fn add_purchase_payment(
        &mut self,
        id: PurchaseId,
        amount: Money,
    ) -> Result<(), StoreError> {
        let purchase = self.purchase_mut(id)?;
        purchase.paid = add(purchase.paid, amount);
        if purchase.due() < Money::ZERO {
            return Err(StoreError::backend(format!(
                "purchase {id} would be overpaid"
            )));
        }
        Ok(())
    }

    async fn add_purchase_credit(
        &mut self,
        id: PurchaseId,
        amount: Money,
    ) -> Result<(), StoreError> {
        let purchase = self.purchase_mut(id)?;
        purchase.credited = add(purchase.credited, amount);
        if purchase.due() < Money::ZERO {
            return Err(StoreError::backend(format!(
                "purchase {id} would be over-credited"
            )));
        }
        Ok(())
    }

    async fn add_line_returned(
        &mut self,
        line_id: PurchaseLineId,
        quantity: Quantity,
    ) -> Result<(), StoreError> {
        let line = self
            .staged
            .purchases
            .values_mut()
            .flat_map(|p| p.lines.iter_mut())
            .find(|l| l.id == line_id)
            .ok_or(StoreError::NotFound)?;
        line.returned =
            Quantity::from_thousandths(line.returned.thousandths() + quantity.thousandths());
        if line.returned > line.quantity {
            return Err(StoreError::backend(format!(
                "line {line_id} would return more than it received"
            )));
        }
        Ok(())
    }

    async fn supplier_totals(
        &mut self,
        supplier: SupplierId,
    ) -> Result<SupplierTotals, StoreError> {
        let sums = documents::sums(self.purchases_of(supplier), |p| Amounts {
            total: p.total,
            paid: p.paid,
            credited: p.credited,
            refunded: Money::ZERO,
            due: p.due(),
        });
        let a = sums.amounts;
        Ok(SupplierTotals {
            purchases: sums.documents,
            purchased: a.total,
            paid: a.paid,
            credited: a.credited,
            due: a.due,
        })
    }

    async fn supplied_products(
        &mut self,
        supplier: SupplierId,
    ) -> Result<Vec<SuppliedProduct>, StoreError> {
        let lines = |p: &Purchase| {
            let line = |l: &PurchaseLine| ProductLine {
                product_id: l.product_id,
                quantity: l.quantity,
                returned: l.returned,
                total: l.total,
            };
            p.lines.iter().map(line).collect()
        };
        let products = documents::products(self.purchases_of(supplier), lines);
        let supplied = |p: ProductSums| SuppliedProduct {
            product_id: p.line.product_id,
            quantity: p.line.quantity,
            returned: p.line.returned,
            total: p.line.total,
            purchases: p.lines,
        };
        Ok(products.into_iter().map(supplied).collect())
    }
}

/// Ledger order: by date, then by id.
fn ledger_key(p: &Purchase) -> (Date, i64) {
    (p.date, p.id.get())
}
