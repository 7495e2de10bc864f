//! Transfers: stock moved between locations at its cost, in steps (created, shipped, received
//! in full or in part, cancelled before shipping). Each step is one transaction, runs at most
//! once per `Idempotency-Key`, and refuses (409 `transfer_state`) a step that does not follow
//! from where the transfer is, so a step repeated without a key changes nothing either.

mod error;

pub use error::TransferError;

use crate::app::{App, AppResult, Once, Reply};
use crate::ids::{LocationId, ProductId, TransferId, UserId};
use crate::inventory::{MovementKind, NewLot};
use crate::ledger::chart::codes;
use crate::money::Money;
use crate::paging::{ListQuery, Page};
use crate::ports::Tx;
use crate::quantity::Quantity;
use crate::services::ServiceError;
use crate::services::stock::{Context, account, apply_takes, lock, plan_takes, set_stock_logged};
use crate::transfer::{
    NewTransfer, NewTransitLot, ReceiptLine, Transfer, TransferAccounts, TransferFilter,
    TransferStatus, apply_receipt, check_lines, receipt_entry, ship_entry, split_receipt,
};
use crate::user::Stores;
use time::OffsetDateTime;

/// A transfer as asked for.
#[derive(Debug, Clone)]
pub struct CreateTransfer {
    pub from: LocationId,
    pub to: LocationId,
    pub note: Option<String>,
    pub lines: Vec<(ProductId, Quantity)>,
    pub user: UserId,
    /// Where the user works: stock leaves only from there.
    pub stores: Stores,
}

/// What arrived of a shipped transfer.
#[derive(Debug, Clone)]
pub struct ReceiveTransfer {
    pub transfer: TransferId,
    pub lines: Vec<ReceiptLine>,
    pub user: UserId,
    /// Where the user works: stock is received only there.
    pub stores: Stores,
}

/// Who takes a step of a transfer, and where they work.
#[derive(Debug, Clone)]
pub struct TransferStep {
    pub transfer: TransferId,
    pub user: UserId,
    /// Shipping and cancelling are the source's business, receiving the destination's.
    pub stores: Stores,
}

fn elsewhere(stores: &Stores, location: LocationId, what: &str) -> Result<(), TransferError> {
    match stores.refusal(location, what) {
        Some(refused) => Err(TransferError::Forbidden(refused)),
        None => Ok(()),
    }
}

/// The location, or a refusal (422, naming `field`) when it does not exist or is switched off.
async fn active_location(
    tx: &mut dyn Tx,
    id: LocationId,
    field: &str,
) -> Result<crate::location::Location, TransferError> {
    Ok(crate::services::stock::active_location(tx, id, field).await?)
}

async fn accounts(tx: &mut dyn Tx) -> Result<TransferAccounts, TransferError> {
    Ok(TransferAccounts {
        inventory: account(tx, codes::INVENTORY).await?,
        in_transit: account(tx, codes::INVENTORY_IN_TRANSIT).await?,
        shrinkage: account(tx, codes::INVENTORY_SHRINKAGE).await?,
    })
}

/// The transfer, its row held until commit; refused unless it is in one of `allowed`.
async fn locked_in(
    tx: &mut dyn Tx,
    id: TransferId,
    allowed: &[TransferStatus],
    hint: &'static str,
) -> Result<Transfer, TransferError> {
    let transfer = tx
        .lock_transfer(id)
        .await?
        .ok_or(TransferError::NotFound("transfer"))?;
    if !allowed.contains(&transfer.status) {
        return Err(TransferError::WrongState {
            id,
            status: transfer.status,
            hint,
        });
    }
    Ok(transfer)
}

fn context(
    kind: MovementKind,
    transfer: &Transfer,
    user: UserId,
    at: OffsetDateTime,
    day: time::Date,
    location: LocationId,
) -> Context {
    let reason = match kind {
        MovementKind::TransferOut => {
            format!("transfer {} to location {}", transfer.id, transfer.to)
        }
        _ => format!("transfer {} from location {}", transfer.id, transfer.from),
    };
    Context {
        kind,
        reference_id: Some(transfer.id.get()),
        reason: Some(reason),
        user_id: user,
        at,
        day,
        location,
    }
}

impl App {
    /// Asks for a move of stock between two active locations; nothing moves until it ships.
    /// Refuses: 422 for the same location twice, no lines, a product named twice, a quantity
    /// of zero or an inactive location; 404 `product`.
    pub async fn create_transfer(
        &self,
        command: CreateTransfer,
        once: Once<'_, Transfer>,
    ) -> Result<Reply, TransferError> {
        let mut lines = command.lines.clone();
        lines.sort_by_key(|(p, _)| *p);
        check_lines(command.from, command.to, &command.lines)?;
        elsewhere(&command.stores, command.from, "send stock from it")?;
        self.once(once, async |tx, now| {
            active_location(tx, command.from, "from_location_id").await?;
            active_location(tx, command.to, "to_location_id").await?;
            for (product, _) in &lines {
                tx.find_product(*product)
                    .await?
                    .ok_or(TransferError::NotFound("product"))?;
            }
            let new = NewTransfer {
                from: command.from,
                to: command.to,
                note: command.note.clone(),
                lines: lines.clone(),
                created_by: command.user,
                at: now,
            };
            Ok(tx.insert_transfer(&new).await?)
        })
        .await
    }

    /// Ships a created transfer: every line leaves the source's lots, oldest first, at their
    /// cost, into stock in transit, and the cost moves from inventory to in transit. Refuses:
    /// 404 `transfer`, 409 `transfer_state` unless it is `created`, 409 `insufficient_stock`
    /// when the source holds too few units (nothing moves).
    pub async fn ship_transfer(
        &self,
        step: TransferStep,
        once: Once<'_, Transfer>,
    ) -> Result<Reply, TransferError> {
        let user = step.user;
        self.once(once, async |tx, now| {
            let mut transfer = locked_in(
                tx,
                step.transfer,
                &[TransferStatus::Created],
                "only a created transfer ships, and only once",
            )
            .await?;
            elsewhere(&step.stores, transfer.from, "ship stock from it")?;
            // Shipped on the source's calendar.
            let source = active_location(tx, transfer.from, "from_location_id").await?;
            let day = self.document_date_at(source.offset(self.policy().shop_offset), None)?;
            let ids: Vec<ProductId> = transfer.lines.iter().map(|l| l.product_id).collect();
            let stock = tx.lock_stock(&ids, transfer.from).await?;
            if stock.len() != ids.len() {
                return Err(TransferError::NotFound("product"));
            }
            let cx = context(
                MovementKind::TransferOut,
                &transfer,
                user,
                now,
                day,
                transfer.from,
            );
            let mut transit = Vec::new();
            let mut cost = Money::ZERO;
            for (mut product, lots) in stock {
                let line = transfer
                    .lines
                    .iter()
                    .find(|l| l.product_id == product.id)
                    .ok_or(TransferError::NotFound("product"))?;
                let takes = plan_takes(&product, &lots, line.quantity)?;
                let taken = apply_takes(tx, &mut product, &takes, &cx).await?;
                cost = cost
                    .checked_add(taken)
                    .map_err(|_| ServiceError::out_of_range("lines"))?;
                for take in &takes {
                    let lot = lots
                        .iter()
                        .find(|l| l.id == take.lot_id)
                        .ok_or_else(|| TransferError::Internal("a take from no lot".into()))?;
                    transit.push(NewTransitLot {
                        transfer_id: transfer.id,
                        product_id: product.id,
                        origin_lot_id: lot.id,
                        unit_cost: lot.unit_cost,
                        aged_at: lot.received_at,
                        quantity: take.quantity,
                        value: take.cost,
                    });
                }
            }
            tx.insert_transit_lots(&transit).await?;
            let accounts = accounts(tx).await?;
            if let Some(entry) = ship_entry(&transfer, cost, accounts, day, user)? {
                tx.post_entry(entry, now).await?;
            }
            transfer.status = TransferStatus::Shipped;
            transfer.shipped_at = Some(now);
            tx.update_transfer(&transfer, now).await?;
            Ok(transfer)
        })
        .await
    }

    /// Receives a shipped transfer, in full or in part: what arrived goes into new lots at the
    /// destination with the cost and FIFO age of the lots it left, what is reported short goes
    /// to shrinkage there, the rest stays in transit for a later receipt. Refuses: 404
    /// `transfer`, 409 `transfer_state` unless it is in transit, 422 for a line that is not
    /// the transfer's, named twice, empty or more than is in transit.
    pub async fn receive_transfer(
        &self,
        command: ReceiveTransfer,
        once: Once<'_, Transfer>,
    ) -> Result<Reply, TransferError> {
        self.once(once, async |tx, now| {
            let mut transfer = locked_in(
                tx,
                command.transfer,
                &[TransferStatus::Shipped, TransferStatus::PartiallyReceived],
                "only units in transit can be received or reported short",
            )
            .await?;
            elsewhere(&command.stores, transfer.to, "receive stock there")?;
            // Received on the destination's calendar (it may have been switched off since).
            let day = match tx.find_location(transfer.to).await? {
                Some(to) => self.document_date_at(to.offset(self.policy().shop_offset), None)?,
                None => return Err(TransferError::NotFound("location")),
            };
            let (lines, status) = apply_receipt(&transfer, &command.lines)?;
            let mut receipt = command.lines.clone();
            receipt.sort_by_key(|r| r.product_id);
            let ids: Vec<ProductId> = receipt.iter().map(|r| r.product_id).collect();
            let mut products = lock(tx, &ids).await?;
            let transit = tx.transit_lots(transfer.id).await?;
            let cx = context(
                MovementKind::TransferIn,
                &transfer,
                command.user,
                now,
                day,
                transfer.to,
            );
            let (mut received_cost, mut short_cost) = (Money::ZERO, Money::ZERO);
            let add = |a: Money, b: Money| {
                a.checked_add(b).map_err(|_| TransferError::OutOfRange {
                    field: "lines".to_owned(),
                })
            };
            for r in &receipt {
                let product = products
                    .iter_mut()
                    .find(|p| p.id == r.product_id)
                    .ok_or(TransferError::NotFound("product"))?;
                let lots: Vec<_> = transit
                    .iter()
                    .filter(|l| l.product_id == r.product_id)
                    .cloned()
                    .collect();
                let (arriving, lost) = split_receipt(&lots, r.received, r.short).map_err(|_| {
                    TransferError::Internal("transit lots short of their line".into())
                })?;
                for take in &arriving {
                    let from = lots
                        .iter()
                        .find(|l| l.id.get() == take.lot_id.get())
                        .ok_or_else(|| {
                            TransferError::Internal("a take from no transit lot".into())
                        })?;
                    tx.take_from_transit(from.id, take.quantity, take.cost)
                        .await?;
                    tx.insert_lot(NewLot {
                        product_id: product.id,
                        purchase_line_id: None,
                        quantity: take.quantity,
                        unit_cost: from.unit_cost,
                        received_at: from.aged_at,
                        location: transfer.to,
                        carried_value: Some(take.cost),
                    })
                    .await?;
                    received_cost = add(received_cost, take.cost)?;
                }
                for take in &lost {
                    let id = crate::ids::TransitLotId::new(take.lot_id.get());
                    tx.take_from_transit(id, take.quantity, take.cost).await?;
                    short_cost = add(short_cost, take.cost)?;
                }
                if r.received > Quantity::ZERO {
                    let after = product.stock_on_hand.checked_add(r.received).map_err(|_| {
                        TransferError::OutOfRange {
                            field: format!("quantity (the stock of {})", product.draft.sku),
                        }
                    })?;
                    set_stock_logged(tx, product, after, &cx).await?;
                }
            }
            let accounts = accounts(tx).await?;
            if let Some(entry) = receipt_entry(
                &transfer,
                received_cost,
                short_cost,
                accounts,
                day,
                command.user,
            )? {
                tx.post_entry(entry, now).await?;
            }
            transfer.lines = lines;
            transfer.status = status;
            if status == TransferStatus::Received {
                transfer.closed_at = Some(now);
            }
            tx.update_transfer(&transfer, now).await?;
            Ok(transfer)
        })
        .await
    }

    /// Calls off a transfer that has not shipped. Refuses: 404 `transfer`, 409
    /// `transfer_state` once it shipped (receive it, or send the goods back with a new one).
    pub async fn cancel_transfer(
        &self,
        step: TransferStep,
        once: Once<'_, Transfer>,
    ) -> Result<Reply, TransferError> {
        self.once(once, async |tx, now| {
            let mut transfer = locked_in(
                tx,
                step.transfer,
                &[TransferStatus::Created],
                "only a transfer that has not shipped can be cancelled; receive it, or send the \
                 goods back with a new transfer",
            )
            .await?;
            elsewhere(&step.stores, transfer.from, "cancel its transfers")?;
            transfer.status = TransferStatus::Cancelled;
            transfer.closed_at = Some(now);
            tx.update_transfer(&transfer, now).await?;
            Ok(transfer)
        })
        .await
    }

    /// One transfer. Refuses: 404 `transfer`.
    pub async fn transfer(&self, id: TransferId) -> AppResult<Transfer> {
        self.read(async |tx| {
            tx.find_transfer(id)
                .await?
                .ok_or(ServiceError::NotFound("transfer"))
        })
        .await
    }

    /// Transfers, newest first by default, by status and location.
    pub async fn transfers(
        &self,
        query: ListQuery<TransferFilter, ()>,
    ) -> AppResult<Page<Transfer>> {
        self.read(async |tx| Ok(tx.list_transfers(&query).await?))
            .await
    }
}
