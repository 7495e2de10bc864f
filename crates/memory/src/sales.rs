use crate::MemoryTx;
use crate::state::ordered;
use async_trait::async_trait;
use pos_domain::customers::{Customer, CustomerDraft, CustomerFilter, CustomerSort};
use pos_domain::error::StoreError;
use pos_domain::ids::{CustomerId, HeldSaleId, SaleId, SaleLineId, UserId};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, Order, Page, matches_search};
use pos_domain::ports::{CustomerRepo, CustomerTotals, PurchasedProduct, SalesRepo};
use pos_domain::quantity::Quantity;
use pos_domain::sales::held::{HeldSale, NewHeldSale};
use pos_domain::sales::returns::NewSaleReturn;
use pos_domain::sales::{NewSale, Sale, SaleFilter, SaleLine, SalePayment, SaleStatus};
use std::collections::BTreeMap;
use time::OffsetDateTime;

fn add(a: Money, b: Money) -> Money {
    Money::from_minor_units(a.minor_units() + b.minor_units())
}

impl MemoryTx {
    fn sales_of(&self, customer: CustomerId) -> impl Iterator<Item = &Sale> {
        self.staged
            .sales
            .values()
            .filter(move |s| s.customer_id == Some(customer))
    }
}

#[async_trait]
impl CustomerRepo for MemoryTx {
    async fn insert_customer(
        &mut self,
        draft: CustomerDraft,
        at: OffsetDateTime,
    ) -> Result<Customer, StoreError> {
        let customer = Customer {
            id: CustomerId::new(self.staged.next_id()),
            draft,
            active: true,
            created_at: at,
            updated_at: at,
        };
        self.staged
            .customers
            .insert(customer.id.get(), customer.clone());
        Ok(customer)
    }

    async fn find_customer(&mut self, id: CustomerId) -> Result<Option<Customer>, StoreError> {
        Ok(self.staged.customers.get(&id.get()).cloned())
    }

    async fn update_customer(
        &mut self,
        id: CustomerId,
        draft: CustomerDraft,
        at: OffsetDateTime,
    ) -> Result<Customer, StoreError> {
        let customer = self
            .staged
            .customers
            .get_mut(&id.get())
            .ok_or(StoreError::NotFound)?;
        customer.draft = draft;
        customer.updated_at = at;
        Ok(customer.clone())
    }

    async fn set_customer_active(
        &mut self,
        id: CustomerId,
        active: bool,
        at: OffsetDateTime,
    ) -> Result<Customer, StoreError> {
        let customer = self
            .staged
            .customers
            .get_mut(&id.get())
            .ok_or(StoreError::NotFound)?;
        customer.active = active;
        customer.updated_at = at;
        Ok(customer.clone())
    }

    async fn list_customers(
        &mut self,
        query: &ListQuery<CustomerFilter, CustomerSort>,
    ) -> Result<Page<Customer>, StoreError> {
        let f = &query.filter;
        let mut rows: Vec<Customer> = self
            .staged
            .customers
            .values()
            .filter(|c| {
                let d = &c.draft;
                let texts = [
                    d.name.as_str(),
                    d.phone.as_ref().map_or("", |p| p.as_str()),
                    d.alt_phone.as_ref().map_or("", |p| p.as_str()),
                    d.email.as_ref().map_or("", |e| e.as_str()),
                ];
                f.q.as_deref().is_none_or(|q| matches_search(q, &texts))
                    && f.active.is_none_or(|a| c.active == a)
            })
            .cloned()
            .collect();
        rows.sort_by(|a, b| {
            let key = |c: &Customer| match query.sort {
                CustomerSort::Name => (c.draft.name.as_str().to_lowercase(), None),
                CustomerSort::CreatedAt => (String::new(), Some(c.created_at)),
            };
            ordered(query.order, (key(a), a.id.get()), (key(b), b.id.get()))
        });
        Ok(Page::slice(rows, query.page))
    }

    async fn lock_customer(&mut self, id: CustomerId) -> Result<Option<Customer>, StoreError> {
        Ok(self.staged.customers.get(&id.get()).cloned())
    }
}

#[async_trait]
impl SalesRepo for MemoryTx {
    async fn insert_sale(&mut self, new: &NewSale) -> Result<Sale, StoreError> {
        if new
            .customer_id
            .is_some_and(|c| !self.staged.customers.contains_key(&c.get()))
        {
            return Err(StoreError::MissingReference("customer_id"));
        }
        let id = SaleId::new(self.staged.next_id());
        let mut lines = Vec::with_capacity(new.cart.lines.len());
        for (priced, takes) in new.cart.lines.iter().zip(&new.takes) {
            lines.push(SaleLine {
                id: SaleLineId::new(self.staged.next_id()),
                priced: priced.clone(),
                takes: takes.clone(),
                returned: Quantity::ZERO,
            });
        }
        let received = &new.settlement.received;
        let sale = Sale {
            id,
            register_id: new.register_id,
            number: new.number,
            invoice_no: new.invoice_no.clone(),
            date: new.date,
            customer_id: new.customer_id,
            user_id: new.user_id,
            status: SaleStatus::Completed,
            lines,
            subtotal: new.cart.subtotal,
            discount: new.cart.discount,
            tax: new.cart.tax,
            total: new.cart.total,
            tendered: new.settlement.tendered,
            change: new.settlement.change,
            paid: Money::from_minor_units(received.iter().map(|(_, m)| m.minor_units()).sum()),
            credited: Money::ZERO,
            refunded: Money::ZERO,
            payments: received
                .iter()
                .map(|(method, amount)| SalePayment {
                    method_id: method.id,
                    amount: *amount,
                })
                .collect(),
            note: new.note.clone(),
            created_at: new.at,
        };
        self.staged.sales.insert(id.get(), sale.clone());
        Ok(sale)
    }

    async fn find_sale(&mut self, id: SaleId) -> Result<Option<Sale>, StoreError> {
        Ok(self.staged.sales.get(&id.get()).cloned())
    }

    async fn list_sales(
        &mut self,
        query: &ListQuery<SaleFilter, ()>,
    ) -> Result<Page<Sale>, StoreError> {
        let f = &query.filter;
        let mut rows: Vec<Sale> = self
            .staged
            .sales
            .values()
            .filter(|s| f.from.is_none_or(|d| s.date >= d) && f.to.is_none_or(|d| s.date <= d))
            .filter(|s| f.customer_id.is_none_or(|c| s.customer_id == Some(c)))
            .filter(|s| f.user_id.is_none_or(|u| s.user_id == u))
            .filter(|s| f.status.is_none_or(|st| s.status == st))
            .filter(|s| {
                f.method_id
                    .is_none_or(|m| s.payments.iter().any(|p| p.method_id == m))
            })
            .filter(|s| !f.open_only || s.due() > Money::ZERO)
            .filter(|s| {
                f.product_id
                    .is_none_or(|p| s.lines.iter().any(|l| l.priced.product_id == p))
            })
            .cloned()
            .collect();
        rows.sort_by_key(|s| (s.date, s.id));
        if query.order == Order::Desc {
            rows.reverse();
        }
        Ok(Page::slice(rows, query.page))
    }

    async fn open_sales(&mut self, customer: CustomerId) -> Result<Vec<Sale>, StoreError> {
        let mut open: Vec<Sale> = self
            .sales_of(customer)
            .filter(|s| s.due() > Money::ZERO)
            .cloned()
            .collect();
        open.sort_by_key(|s| (s.date, s.id));
        Ok(open)
    }

    async fn add_sale_payment(&mut self, id: SaleId, amount: Money) -> Result<(), StoreError> {
        let sale = self
            .staged
            .sales
            .get_mut(&id.get())
            .ok_or(StoreError::NotFound)?;
        if amount > sale.due() {
            return Err(StoreError::Backend(format!("sale {id} would be overpaid")));
        }
        sale.paid = add(sale.paid, amount);
        Ok(())
    }

    async fn record_sale_return(&mut self, r: &NewSaleReturn) -> Result<(), StoreError> {
        let (id, credited, refunded, status) = (r.sale_id, r.credited, r.refunded, r.status);
        let sale = self
            .staged
            .sales
            .get_mut(&id.get())
            .ok_or(StoreError::NotFound)?;
        let mut updated = sale.clone();
        for back in &r.lines {
            let line_id = back.sale_line_id;
            let line = updated
                .lines
                .iter_mut()
                .find(|l| l.id == line_id)
                .ok_or(StoreError::NotFound)?;
            let returned = line.returned.thousandths() + back.quantity.thousandths();
            if returned > line.priced.quantity.thousandths() {
                return Err(StoreError::Backend(format!(
                    "line {line_id} would return more than was sold"
                )));
            }
            line.returned = Quantity::from_thousandths(returned);
        }
        updated.credited = add(updated.credited, credited);
        updated.refunded = add(updated.refunded, refunded);
        updated.status = status;
        if updated.due() < Money::ZERO {
            return Err(StoreError::Backend(format!(
                "sale {id} would be over-credited"
            )));
        }
        *sale = updated;
        self.staged.sale_returns.push(r.clone());
        Ok(())
    }

    async fn customer_totals(
        &mut self,
        customer: CustomerId,
    ) -> Result<CustomerTotals, StoreError> {
        let mut t = CustomerTotals {
            sales: 0,
            total: Money::ZERO,
            paid: Money::ZERO,
            credited: Money::ZERO,
            refunded: Money::ZERO,
            due: Money::ZERO,
        };
        for s in self.sales_of(customer) {
            t.sales += 1;
            t.total = add(t.total, s.total);
            t.paid = add(t.paid, s.paid);
            t.credited = add(t.credited, s.credited);
            t.refunded = add(t.refunded, s.refunded);
            t.due = add(t.due, s.due());
        }
        Ok(t)
    }

    async fn purchased_products(
        &mut self,
        customer: CustomerId,
    ) -> Result<Vec<PurchasedProduct>, StoreError> {
        let mut by_product: BTreeMap<i64, PurchasedProduct> = BTreeMap::new();
        for s in self.sales_of(customer) {
            for line in &s.lines {
                let p = &line.priced;
                let entry = by_product
                    .entry(p.product_id.get())
                    .or_insert(PurchasedProduct {
                        product_id: p.product_id,
                        quantity: Quantity::ZERO,
                        returned: Quantity::ZERO,
                        total: Money::ZERO,
                        sales: 0,
                    });
                entry.quantity = Quantity::from_thousandths(
                    entry.quantity.thousandths() + p.quantity.thousandths(),
                );
                entry.returned = Quantity::from_thousandths(
                    entry.returned.thousandths() + line.returned.thousandths(),
                );
                entry.total = add(entry.total, p.total);
                entry.sales += 1;
            }
        }
        Ok(by_product.into_values().collect())
    }

    async fn insert_held_sale(&mut self, held: NewHeldSale) -> Result<HeldSale, StoreError> {
        let held = HeldSale {
            id: HeldSaleId::new(self.staged.next_id()),
            customer_id: held.customer_id,
            user_id: held.user_id,
            lines: held.lines,
            order_discount: held.order_discount,
            note: held.note,
            created_at: held.created_at,
        };
        self.staged.held_sales.insert(held.id.get(), held.clone());
        Ok(held)
    }

    async fn find_held_sale(&mut self, id: HeldSaleId) -> Result<Option<HeldSale>, StoreError> {
        Ok(self.staged.held_sales.get(&id.get()).cloned())
    }

    async fn list_held_sales(&mut self, user: Option<UserId>) -> Result<Vec<HeldSale>, StoreError> {
        let mut held: Vec<HeldSale> = self
            .staged
            .held_sales
            .values()
            .filter(|h| user.is_none_or(|u| h.user_id == u))
            .cloned()
            .collect();
        held.sort_by_key(|h| std::cmp::Reverse((h.created_at, h.id)));
        Ok(held)
    }

    async fn delete_held_sale(&mut self, id: HeldSaleId) -> Result<bool, StoreError> {
        Ok(self.staged.held_sales.remove(&id.get()).is_some())
    }
}
