//! Transfers and their stock in transit, in memory.

use crate::MemoryTx;
use async_trait::async_trait;
use pos_domain::StoreError;
use pos_domain::ids::{LocationId, TransferId, TransitLotId};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, Order, Page};
use pos_domain::ports::TransferRepo;
use pos_domain::quantity::Quantity;
use pos_domain::transfer::{
    NewTransfer, NewTransitLot, Transfer, TransferFilter, TransferLine, TransferStatus, TransitLot,
};
use std::collections::BTreeMap;
use time::OffsetDateTime;

#[async_trait]
impl TransferRepo for MemoryTx {
    async fn insert_transfer(&mut self, new: &NewTransfer) -> Result<Transfer, StoreError> {
        for (product, _) in &new.lines {
            if !self.staged.products.contains_key(&product.get()) {
                return Err(StoreError::MissingReference("product_id"));
            }
        }
        let transfer = Transfer {
            id: TransferId::new(self.staged.next_id()),
            from: new.from,
            to: new.to,
            status: TransferStatus::Created,
            note: new.note.clone(),
            lines: new
                .lines
                .iter()
                .map(|(product_id, quantity)| TransferLine {
                    product_id: *product_id,
                    quantity: *quantity,
                    received: Quantity::ZERO,
                    short: Quantity::ZERO,
                })
                .collect(),
            created_by: new.created_by,
            created_at: new.at,
            shipped_at: None,
            closed_at: None,
        };
        self.staged
            .transfers
            .insert(transfer.id.get(), transfer.clone());
        Ok(transfer)
    }

    async fn find_transfer(&mut self, id: TransferId) -> Result<Option<Transfer>, StoreError> {
        Ok(self.staged.transfers.get(&id.get()).cloned())
    }

    async fn lock_transfer(&mut self, id: TransferId) -> Result<Option<Transfer>, StoreError> {
        self.find_transfer(id).await
    }

    async fn list_transfers(
        &mut self,
        query: &ListQuery<TransferFilter, ()>,
    ) -> Result<Page<Transfer>, StoreError> {
        let f = &query.filter;
        let mut rows: Vec<Transfer> = self
            .staged
            .transfers
            .values()
            .filter(|t| f.status.is_none_or(|s| t.status == s))
            .filter(|t| f.location.is_none_or(|l| t.from == l || t.to == l))
            .cloned()
            .collect();
        if query.order == Order::Desc {
            rows.reverse();
        }
        Ok(Page::slice(rows, query.page))
    }

    async fn update_transfer(
        &mut self,
        transfer: &Transfer,
        _at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let stored = self
            .staged
            .transfers
            .get_mut(&transfer.id.get())
            .ok_or(StoreError::NotFound)?;
        *stored = transfer.clone();
        Ok(())
    }

    async fn insert_transit_lots(&mut self, lots: &[NewTransitLot]) -> Result<(), StoreError> {
        for lot in lots {
            let id = TransitLotId::new(self.staged.next_id());
            self.staged.transit_lots.insert(
                id.get(),
                TransitLot {
                    id,
                    transfer_id: lot.transfer_id,
                    product_id: lot.product_id,
                    origin_lot_id: lot.origin_lot_id,
                    unit_cost: lot.unit_cost,
                    aged_at: lot.aged_at,
                    shipped: lot.quantity,
                    remaining: lot.quantity,
                    remaining_value: lot.value,
                },
            );
        }
        Ok(())
    }

    async fn transit_lots(&mut self, transfer: TransferId) -> Result<Vec<TransitLot>, StoreError> {
        let mut lots: Vec<TransitLot> = self
            .staged
            .transit_lots
            .values()
            .filter(|l| l.transfer_id == transfer && l.remaining > Quantity::ZERO)
            .cloned()
            .collect();
        lots.sort_by_key(|l| (l.product_id, l.aged_at, l.id));
        Ok(lots)
    }

    async fn take_from_transit(
        &mut self,
        lot: TransitLotId,
        quantity: Quantity,
        value: Money,
    ) -> Result<(), StoreError> {
        let stored = self
            .staged
            .transit_lots
            .get_mut(&lot.get())
            .ok_or(StoreError::NotFound)?;
        if stored.remaining < quantity || stored.remaining_value < value {
            return Err(StoreError::Contention(format!(
                "transit lot {lot} no longer holds {quantity}"
            )));
        }
        stored.remaining =
            Quantity::from_thousandths(stored.remaining.thousandths() - quantity.thousandths());
        stored.remaining_value =
            Money::from_minor_units(stored.remaining_value.minor_units() - value.minor_units());
        Ok(())
    }

    async fn in_transit(&mut self) -> Result<Vec<(LocationId, Quantity, Money)>, StoreError> {
        let mut sums: BTreeMap<LocationId, (i64, i64)> = BTreeMap::new();
        for lot in self.staged.transit_lots.values() {
            if lot.remaining <= Quantity::ZERO {
                continue;
            }
            let to = self
                .staged
                .transfers
                .get(&lot.transfer_id.get())
                .map(|t| t.to)
                .ok_or(StoreError::NotFound)?;
            let s = sums.entry(to).or_default();
            s.0 += lot.remaining.thousandths();
            s.1 += lot.remaining_value.minor_units();
        }
        Ok(sums
            .into_iter()
            .map(|(l, (q, v))| (l, Quantity::from_thousandths(q), Money::from_minor_units(v)))
            .collect())
    }
}
