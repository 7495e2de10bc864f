//! Report aggregates computed over the in-memory state, with the same definitions as the SQL
//! of pos-store (the port contract suite holds both to them).

use crate::MemoryTx;
use async_trait::async_trait;
use pos_domain::error::StoreError;
use pos_domain::ids::{CustomerId, PaymentMethodId, ProductId, UserId};
use pos_domain::inventory::MovementKind;
use pos_domain::money::Money;
use pos_domain::ports::{MethodTakings, ReportRepo};
use pos_domain::quantity::Quantity;
use pos_domain::reports::{
    GroupKey, Grouping, Period, ReturnFigures, SalesFigures, SalesScope, StockLevel,
};
use std::collections::{BTreeMap, BTreeSet};
use time::Date;

fn in_period(period: Period, day: Date) -> bool {
    day >= period.from() && day <= period.to()
}

fn plus(a: Money, b: Money) -> Money {
    Money::from_minor_units(a.minor_units() + b.minor_units())
}

fn plus_q(a: Quantity, b: Quantity) -> Quantity {
    Quantity::from_thousandths(a.thousandths() + b.thousandths())
}

impl MemoryTx {
    /// Units sold per product, in thousandths, by sales on the days `on` keeps.
    fn units_sold(&self, on: impl Fn(Date) -> bool) -> BTreeMap<ProductId, i64> {
        let mut sold: BTreeMap<ProductId, i64> = BTreeMap::new();
        for sale in self.staged.sales.values().filter(|s| on(s.date)) {
            for line in &sale.lines {
                *sold.entry(line.priced.product_id).or_default() +=
                    line.priced.quantity.thousandths();
            }
        }
        sold
    }
}

impl MemoryTx {
    /// The registers standing in the scope's locations; `None` for every register.
    fn registers_at(&self, scope: &SalesScope) -> Option<Vec<pos_domain::ids::RegisterId>> {
        if scope.locations.is_empty() {
            return None;
        }
        let mut at: Vec<_> = self
            .staged
            .registers
            .values()
            .filter(|r| scope.locations.contains(&r.location_id))
            .map(|r| r.id)
            .collect();
        // The default register stands in the default store before anything asked for it.
        if scope
            .locations
            .contains(&pos_domain::location::DEFAULT_LOCATION)
        {
            at.push(pos_domain::register::DEFAULT_REGISTER);
        }
        Some(at)
    }
}

#[async_trait]
impl ReportRepo for MemoryTx {
    async fn sales_by(
        &mut self,
        period: Period,
        scope: &SalesScope,
        by: Grouping,
    ) -> Result<Vec<(GroupKey, SalesFigures)>, StoreError> {
        let mut groups: BTreeMap<GroupKey, (SalesFigures, BTreeSet<i64>)> = BTreeMap::new();
        let at = self.registers_at(scope);
        let sales = self.staged.sales.values().filter(|s| {
            in_period(period, s.date)
                && scope.seller.is_none_or(|u| s.user_id == u)
                && scope.customer.is_none_or(|c| s.customer_id == Some(c))
                && at.as_ref().is_none_or(|at| at.contains(&s.register_id))
        });
        for sale in sales {
            for line in &sale.lines {
                let p = &line.priced;
                let key = match by {
                    Grouping::Day => GroupKey::Day(sale.date),
                    Grouping::Product => GroupKey::Product(p.product_id),
                    Grouping::Seller => GroupKey::Seller(sale.user_id),
                    Grouping::Customer => GroupKey::Customer(sale.customer_id),
                    Grouping::TaxRate => GroupKey::TaxRate(p.tax_rate.map(|(rate, _)| rate)),
                };
                let (f, ids) = groups.entry(key).or_default();
                ids.insert(sale.id.get());
                f.lines += 1;
                f.quantity = plus_q(f.quantity, p.quantity);
                f.total = plus(f.total, p.total);
                f.tax = plus(f.tax, p.tax);
                f.discount = plus(plus(f.discount, p.line_discount), p.order_discount);
                f.cost = plus(f.cost, line.cost());
            }
        }
        Ok(groups
            .into_iter()
            .map(|(k, (mut f, ids))| {
                f.sales = ids.len() as u64;
                (k, f)
            })
            .collect())
    }

    async fn returns_by(
        &mut self,
        period: Period,
        scope: &SalesScope,
        by: Grouping,
    ) -> Result<Vec<(GroupKey, ReturnFigures)>, StoreError> {
        let mut groups: BTreeMap<GroupKey, (ReturnFigures, BTreeSet<usize>)> = BTreeMap::new();
        let at = self.registers_at(scope);
        let returns = self
            .staged
            .sale_returns
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                in_period(period, r.date)
                    && scope.seller.is_none_or(|u| r.seller_id == u)
                    && scope.customer.is_none_or(|c| r.customer_id == Some(c))
                    && at.as_ref().is_none_or(|at| at.contains(&r.register_id))
            });
        for (n, r) in returns {
            for line in &r.lines {
                let key = match by {
                    Grouping::Day => GroupKey::Day(r.date),
                    Grouping::Product => GroupKey::Product(line.product_id),
                    Grouping::Seller => GroupKey::Seller(r.seller_id),
                    Grouping::Customer => GroupKey::Customer(r.customer_id),
                    Grouping::TaxRate => GroupKey::TaxRate(line.tax_rate),
                };
                let (f, ids) = groups.entry(key).or_default();
                ids.insert(n);
                f.quantity = plus_q(f.quantity, line.quantity);
                f.refund = plus(f.refund, line.refund);
                f.tax = plus(f.tax, line.tax);
                f.cost = plus(f.cost, line.cost);
            }
        }
        Ok(groups
            .into_iter()
            .map(|(k, (mut f, ids))| {
                f.returns = ids.len() as u64;
                (k, f)
            })
            .collect())
    }

    async fn counter_takings(&mut self, period: Period) -> Result<Vec<MethodTakings>, StoreError> {
        let mut by_method: BTreeMap<i64, (BTreeSet<i64>, Money)> = BTreeMap::new();
        for sale in self
            .staged
            .sales
            .values()
            .filter(|s| in_period(period, s.date))
        {
            // `payments` are those taken at the counter; later ones only add to `paid`.
            for payment in &sale.payments {
                let (ids, amount) = by_method.entry(payment.method_id.get()).or_default();
                ids.insert(sale.id.get());
                *amount = plus(*amount, payment.amount);
            }
        }
        Ok(by_method
            .into_iter()
            .map(|(method, (ids, amount))| MethodTakings {
                method_id: PaymentMethodId::new(method),
                sales: ids.len() as u64,
                amount,
            })
            .collect())
    }

    async fn stock_changes(
        &mut self,
        period: Period,
    ) -> Result<Vec<(ProductId, MovementKind, Quantity)>, StoreError> {
        let mut sums: BTreeMap<(ProductId, &'static str), (MovementKind, i64)> = BTreeMap::new();
        for (product, sold) in self.units_sold(|day| in_period(period, day)) {
            sums.insert(
                (product, MovementKind::Sale.as_str()),
                (MovementKind::Sale, -sold),
            );
        }
        for m in self.staged.movements.values() {
            let m = &m.movement;
            if in_period(period, m.day) && m.kind != MovementKind::Sale {
                let entry = sums
                    .entry((m.product_id, m.kind.as_str()))
                    .or_insert((m.kind, 0));
                entry.1 += m.change_thousandths();
            }
        }
        Ok(sums
            .into_iter()
            .map(|((product, _), (kind, change))| {
                (product, kind, Quantity::from_thousandths(change))
            })
            .collect())
    }

    async fn stock_changes_after(
        &mut self,
        day: Date,
    ) -> Result<Vec<(ProductId, Quantity)>, StoreError> {
        let mut sums: BTreeMap<ProductId, i64> = BTreeMap::new();
        for (product, sold) in self.units_sold(|d| d > day) {
            *sums.entry(product).or_default() -= sold;
        }
        for m in self.staged.movements.values() {
            if m.movement.day > day && m.movement.kind != MovementKind::Sale {
                *sums.entry(m.movement.product_id).or_default() += m.movement.change_thousandths();
            }
        }
        Ok(sums
            .into_iter()
            .map(|(p, c)| (p, Quantity::from_thousandths(c)))
            .collect())
    }

    async fn stock_levels(&mut self, low_only: bool) -> Result<Vec<StockLevel>, StoreError> {
        let mut values: BTreeMap<ProductId, i64> = BTreeMap::new();
        for lot in self.staged.lots.values() {
            *values.entry(lot.product_id).or_default() += lot.remaining_value.minor_units();
        }
        Ok(self
            .staged
            .products
            .values()
            .filter(|p| !low_only || p.stock_on_hand <= p.draft.reorder_level)
            .map(|p| StockLevel {
                product_id: p.id,
                sku: p.draft.sku.to_string(),
                name: p.draft.name.to_string(),
                status: p.draft.status,
                price: p.draft.price,
                reorder_level: p.draft.reorder_level,
                on_hand: p.stock_on_hand,
                value: Money::from_minor_units(values.get(&p.id).copied().unwrap_or(0)),
            })
            .collect())
    }

    async fn product_labels(
        &mut self,
        ids: &[ProductId],
    ) -> Result<Vec<(ProductId, String, String)>, StoreError> {
        let mut out: Vec<(ProductId, String, String)> = ids
            .iter()
            .filter_map(|id| {
                self.staged
                    .products
                    .get(&id.get())
                    .map(|p| (*id, p.draft.sku.to_string(), p.draft.name.to_string()))
            })
            .collect();
        out.sort();
        out.dedup();
        Ok(out)
    }

    async fn customer_names(
        &mut self,
        ids: &[CustomerId],
    ) -> Result<Vec<(CustomerId, String)>, StoreError> {
        let mut out: Vec<(CustomerId, String)> = ids
            .iter()
            .filter_map(|id| {
                self.staged
                    .customers
                    .get(&id.get())
                    .map(|c| (*id, c.draft.name.to_string()))
            })
            .collect();
        out.sort();
        out.dedup();
        Ok(out)
    }

    async fn user_labels(
        &mut self,
        ids: &[UserId],
    ) -> Result<Vec<(UserId, String, String)>, StoreError> {
        let mut out: Vec<(UserId, String, String)> = ids
            .iter()
            .filter_map(|id| {
                self.staged.users.get(&id.get()).map(|(u, _)| {
                    (
                        *id,
                        u.username.as_str().to_owned(),
                        u.name.as_str().to_owned(),
                    )
                })
            })
            .collect();
        out.sort();
        out.dedup();
        Ok(out)
    }

    async fn first_time_customers(&mut self, period: Period) -> Result<u64, StoreError> {
        let mut first: BTreeMap<CustomerId, Date> = BTreeMap::new();
        for sale in self.staged.sales.values() {
            if let Some(c) = sale.customer_id {
                let day = first.entry(c).or_insert(sale.date);
                *day = (*day).min(sale.date);
            }
        }
        Ok(first.values().filter(|d| in_period(period, **d)).count() as u64)
    }
}
