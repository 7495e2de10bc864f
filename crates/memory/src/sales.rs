use crate::MemoryTx;
use crate::documents::{self, Amounts, ProductLine, ProductSums, add};
use crate::parties::{self, Party};
use async_trait::async_trait;
use pos_domain::customers::{Customer, CustomerDraft, CustomerFilter, CustomerSort};
use pos_domain::error::StoreError;
use pos_domain::ids::{CustomerId, HeldSaleId, SaleId, SaleLineId, UserId};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, Page};
use pos_domain::ports::{CustomerRepo, CustomerTotals, PurchasedProduct, SalesRepo};
use pos_domain::quantity::Quantity;
use pos_domain::sales::held::{HeldSale, NewHeldSale};
use pos_domain::sales::returns::NewSaleReturn;
use pos_domain::sales::{NewSale, Sale, SaleFilter, SaleLine, SalePayment, SaleStatus};
use time::{Date, OffsetDateTime};

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
        let id = self.staged.next_id();
        Ok(parties::insert(&mut self.staged.customers, id, draft, at))
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
        let customers = &mut self.staged.customers;
        parties::change(customers, id.get(), |c| c.set_draft(draft), at)
    }

    async fn set_customer_active(
        &mut self,
        id: CustomerId,
        active: bool,
        at: OffsetDateTime,
    ) -> Result<Customer, StoreError> {
        let customers = &mut self.staged.customers;
        parties::change(customers, id.get(), |c| c.set_active(active), at)
    }

    async fn list_customers(
        &mut self,
        query: &ListQuery<CustomerFilter, CustomerSort>,
    ) -> Result<Page<Customer>, StoreError> {
        Ok(parties::list(&self.staged.customers, query))
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
        let rows: Vec<Sale> = self
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
        Ok(documents::dated_page(rows, ledger_key, query))
    }

    async fn open_sales(&mut self, customer: CustomerId) -> Result<Vec<Sale>, StoreError> {
        let sales = self.sales_of(customer);
        Ok(documents::open(sales, Sale::due, ledger_key))
    }

    async fn add_sale_payment(&mut self, id: SaleId, amount: Money) -> Result<(), StoreError> {
        let sale = self
            .staged
            .sales
            .get_mut(&id.get())
            .ok_or(StoreError::NotFound)?;
        if amount > sale.due() {
            return Err(StoreError::backend(format!("sale {id} would be overpaid")));
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
                return Err(StoreError::backend(format!(
                    "line {line_id} would return more than was sold"
                )));
            }
            line.returned = Quantity::from_thousandths(returned);
        }
        updated.credited = add(updated.credited, credited);
        updated.refunded = add(updated.refunded, refunded);
        updated.status = status;
        if updated.due() < Money::ZERO {
            return Err(StoreError::backend(format!(
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
        let sums = documents::sums(self.sales_of(customer), |s| Amounts {
            total: s.total,
            paid: s.paid,
            credited: s.credited,
            refunded: s.refunded,
            due: s.due(),
        });
        let a = sums.amounts;
        Ok(CustomerTotals {
            sales: sums.documents,
            total: a.total,
            paid: a.paid,
            credited: a.credited,
            refunded: a.refunded,
            due: a.due,
        })
    }

    async fn purchased_products(
        &mut self,
        customer: CustomerId,
    ) -> Result<Vec<PurchasedProduct>, StoreError> {
        let lines = |s: &Sale| {
            let line = |l: &SaleLine| ProductLine {
                product_id: l.priced.product_id,
                quantity: l.priced.quantity,
                returned: l.returned,
                total: l.priced.total,
            };
            s.lines.iter().map(line).collect()
        };
        let products = documents::products(self.sales_of(customer), lines);
        let purchased = |p: ProductSums| PurchasedProduct {
            product_id: p.line.product_id,
            quantity: p.line.quantity,
            returned: p.line.returned,
            total: p.line.total,
            sales: p.lines,
        };
        Ok(products.into_iter().map(purchased).collect())
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

/// Ledger order: by date, then by id.
fn ledger_key(s: &Sale) -> (Date, i64) {
    (s.date, s.id.get())
}
