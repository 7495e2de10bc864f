use crate::error::StoreError;
use crate::ids::{LocationId, TransferId, TransitLotId};
use crate::money::Money;
use crate::paging::{ListQuery, Page};
use crate::quantity::Quantity;
use crate::transfer::{NewTransfer, NewTransitLot, Transfer, TransferFilter, TransitLot};
use async_trait::async_trait;
use time::OffsetDateTime;

/// Transfers between locations and the stock they hold in transit.
///
/// A step (ship, receive, cancel) locks the transfer first (`lock_transfer`), then the
/// products, in the one order every stock use case follows; on MySQL the transfer's row is
/// locked, on SQLite the writer transaction is exclusive already. So two steps of one transfer
/// are serialised and see each other's effects.
#[async_trait]
pub trait TransferRepo: Send {
    async fn insert_transfer(&mut self, transfer: &NewTransfer) -> Result<Transfer, StoreError>;
    async fn find_transfer(&mut self, id: TransferId) -> Result<Option<Transfer>, StoreError>;
    /// [`Self::find_transfer`], holding the transfer's row until commit.
    async fn lock_transfer(&mut self, id: TransferId) -> Result<Option<Transfer>, StoreError>;
    /// Newest first with `Order::Desc`.
    async fn list_transfers(
        &mut self,
        query: &ListQuery<TransferFilter, ()>,
    ) -> Result<Page<Transfer>, StoreError>;
    /// Writes a locked transfer's status, its lines' received and short quantities, and its
    /// shipped and closed times.
    async fn update_transfer(
        &mut self,
        transfer: &Transfer,
        at: OffsetDateTime,
    ) -> Result<(), StoreError>;
    async fn insert_transit_lots(&mut self, lots: &[NewTransitLot]) -> Result<(), StoreError>;
    /// The transfer's transit lots with units remaining, oldest (by age, then id) first.
    async fn transit_lots(&mut self, transfer: TransferId) -> Result<Vec<TransitLot>, StoreError>;
    /// Takes units and value out of a transit lot. Refuses (`Contention`) rather than let it go
    /// negative.
    async fn take_from_transit(
        &mut self,
        lot: TransitLotId,
        quantity: Quantity,
        value: Money,
    ) -> Result<(), StoreError>;
    /// What is in transit to each destination: the remaining units and value of every transit
    /// lot, summed per destination, by location id. What the in-transit account must equal.
    async fn in_transit(&mut self) -> Result<Vec<(LocationId, Quantity, Money)>, StoreError>;
}
