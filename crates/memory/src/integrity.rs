use crate::MemoryTx;
use async_trait::async_trait;
use pos_domain::error::StoreError;
use pos_domain::ids::EntryId;
use pos_domain::integrity::StockAudit;
use pos_domain::ledger::Side;
use pos_domain::money::Money;
use pos_domain::ports::IntegrityRepo;
use pos_domain::quantity::Quantity;

#[async_trait]
impl IntegrityRepo for MemoryTx {
    async fn unbalanced_entries(&mut self) -> Result<Vec<(EntryId, Money, Money)>, StoreError> {
        let mut out = Vec::new();
        for entry in self.staged.entries.values() {
            let side = |s: Side| {
                entry
                    .lines
                    .iter()
                    .filter(|l| l.side == s)
                    .map(|l| l.amount.minor_units())
                    .sum::<i64>()
            };
            let (debit, credit) = (side(Side::Debit), side(Side::Credit));
            if debit != credit {
                out.push((
                    entry.id,
                    Money::from_minor_units(debit),
                    Money::from_minor_units(credit),
                ));
            }
        }
        Ok(out)
    }

    async fn stock_audit(&mut self) -> Result<Vec<StockAudit>, StoreError> {
        Ok(self
            .staged
            .products
            .values()
            .map(|p| StockAudit {
                product_id: p.id,
                on_hand: p.stock_on_hand,
                in_lots: Quantity::from_thousandths(
                    self.staged
                        .lots
                        .values()
                        .filter(|l| l.product_id == p.id)
                        .map(|l| l.remaining.thousandths())
                        .sum(),
                ),
                logged_thousandths: self
                    .staged
                    .movements
                    .values()
                    .filter(|m| m.movement.product_id == p.id)
                    .map(|m| m.movement.change_thousandths())
                    .sum(),
            })
            .collect())
    }

    /// The books are summed from the entries themselves here: nothing can drift.
    async fn ledger_sums_drift(&mut self) -> Result<Vec<(time::Date, Money, Money)>, StoreError> {
        Ok(Vec::new())
    }

    /// Reports are computed from the sales themselves here: nothing can drift.
    async fn report_sums_drift(&mut self) -> Result<Vec<(time::Date, Money, Money)>, StoreError> {
        Ok(Vec::new())
    }

    async fn open_dues(&mut self) -> Result<(Money, Money), StoreError> {
        let customers = self
            .staged
            .sales
            .values()
            .filter(|s| s.customer_id.is_some())
            .map(|s| s.due().minor_units())
            .sum();
        let suppliers = self
            .staged
            .purchases
            .values()
            .map(|p| p.due().minor_units())
            .sum();
        Ok((
            Money::from_minor_units(customers),
            Money::from_minor_units(suppliers),
        ))
    }
}
