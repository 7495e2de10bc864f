use crate::MemoryTx;
use crate::state::ordered;
use async_trait::async_trait;
use pos_domain::error::{StoreError, Unique};
use pos_domain::ids::{PurchaseId, PurchaseLineId, SupplierId};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, Order, Page, matches_search};
use pos_domain::ports::{PurchasingRepo, SuppliedProduct, SupplierTotals};
use pos_domain::purchasing::{PricedPurchase, Purchase, PurchaseFilter, PurchaseLine};
use pos_domain::quantity::Quantity;
use pos_domain::suppliers::{Supplier, SupplierDraft, SupplierFilter, SupplierSort};
use std::collections::BTreeMap;
use time::OffsetDateTime;

fn add(a: Money, b: Money) -> Money {
    Money::from_minor_units(a.minor_units() + b.minor_units())
}

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
        let supplier = Supplier {
            id: SupplierId::new(self.staged.next_id()),
            draft,
            active: true,
            created_at: at,
            updated_at: at,
        };
        self.staged
            .suppliers
            .insert(supplier.id.get(), supplier.clone());
        Ok(supplier)
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
        let supplier = self
            .staged
            .suppliers
            .get_mut(&id.get())
            .ok_or(StoreError::NotFound)?;
        supplier.draft = draft;
        supplier.updated_at = at;
        Ok(supplier.clone())
    }

    async fn set_supplier_active(
        &mut self,
        id: SupplierId,
        active: bool,
        at: OffsetDateTime,
    ) -> Result<Supplier, StoreError> {
        let supplier = self
            .staged
            .suppliers
            .get_mut(&id.get())
            .ok_or(StoreError::NotFound)?;
        supplier.active = active;
        supplier.updated_at = at;
        Ok(supplier.clone())
    }

    async fn list_suppliers(
        &mut self,
        query: &ListQuery<SupplierFilter, SupplierSort>,
    ) -> Result<Page<Supplier>, StoreError> {
        let f = &query.filter;
        let mut rows: Vec<Supplier> = self
            .staged
            .suppliers
            .values()
            .filter(|s| {
                let d = &s.draft;
                let texts = [
                    d.name.as_str(),
                    d.phone.as_ref().map_or("", |p| p.as_str()),
                    d.alt_phone.as_ref().map_or("", |p| p.as_str()),
                    d.email.as_ref().map_or("", |e| e.as_str()),
                ];
                f.q.as_deref().is_none_or(|q| matches_search(q, &texts))
                    && f.active.is_none_or(|a| s.active == a)
            })
            .cloned()
            .collect();
        rows.sort_by(|a, b| {
            let key = |s: &Supplier| match query.sort {
                SupplierSort::Name => (s.draft.name.as_str().to_lowercase(), None),
                SupplierSort::CreatedAt => (String::new(), Some(s.created_at)),
            };
            ordered(query.order, (key(a), a.id.get()), (key(b), b.id.get()))
        });
        Ok(Page::slice(rows, query.page))
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
        let mut rows: Vec<Purchase> = self
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
        rows.sort_by_key(|p| (p.date, p.id));
        if query.order == Order::Desc {
            rows.reverse();
        }
        Ok(Page::slice(rows, query.page))
    }

    async fn open_purchases(&mut self, supplier: SupplierId) -> Result<Vec<Purchase>, StoreError> {
        let mut open: Vec<Purchase> = self
            .purchases_of(supplier)
            .filter(|p| p.due() > Money::ZERO)
            .cloned()
            .collect();
        open.sort_by_key(|p| (p.date, p.id));
        Ok(open)
    }

    async fn add_purchase_payment(
        &mut self,
        id: PurchaseId,
        amount: Money,
    ) -> Result<(), StoreError> {
        let purchase = self.purchase_mut(id)?;
        purchase.paid = add(purchase.paid, amount);
        if purchase.due() < Money::ZERO {
            return Err(StoreError::Backend(format!(
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
            return Err(StoreError::Backend(format!(
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
            return Err(StoreError::Backend(format!(
                "line {line_id} would return more than it received"
            )));
        }
        Ok(())
    }

    async fn supplier_totals(
        &mut self,
        supplier: SupplierId,
    ) -> Result<SupplierTotals, StoreError> {
        let mut totals = SupplierTotals {
            purchases: 0,
            purchased: Money::ZERO,
            paid: Money::ZERO,
            credited: Money::ZERO,
            due: Money::ZERO,
        };
        for p in self.purchases_of(supplier) {
            totals.purchases += 1;
            totals.purchased = add(totals.purchased, p.total);
            totals.paid = add(totals.paid, p.paid);
            totals.credited = add(totals.credited, p.credited);
            totals.due = add(totals.due, p.due());
        }
        Ok(totals)
    }

    async fn supplied_products(
        &mut self,
        supplier: SupplierId,
    ) -> Result<Vec<SuppliedProduct>, StoreError> {
        let mut by_product: BTreeMap<i64, SuppliedProduct> = BTreeMap::new();
        for p in self.purchases_of(supplier) {
            for line in &p.lines {
                let entry = by_product
                    .entry(line.product_id.get())
                    .or_insert(SuppliedProduct {
                        product_id: line.product_id,
                        quantity: Quantity::ZERO,
                        returned: Quantity::ZERO,
                        total: Money::ZERO,
                        purchases: 0,
                    });
                entry.quantity = Quantity::from_thousandths(
                    entry.quantity.thousandths() + line.quantity.thousandths(),
                );
                entry.returned = Quantity::from_thousandths(
                    entry.returned.thousandths() + line.returned.thousandths(),
                );
                entry.total = add(entry.total, line.total);
                entry.purchases += 1;
            }
        }
        Ok(by_product.into_values().collect())
    }
}
