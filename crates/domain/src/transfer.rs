//! Transfers: stock moved from one location to another, in steps.
//!
//! A transfer is created with the quantities asked for; shipping takes them from the source's
//! lots, oldest first, at their cost, into stock in transit (one [`TransitLot`] per lot taken
//! from, keeping that lot's cost and FIFO age); a receipt moves units from transit into new lots
//! at the destination, with the same cost and age, and may report units short (they leave the
//! books to shrinkage); what is neither received nor short stays in transit. Only a transfer
//! not yet shipped can be cancelled.
//!
//! The books follow the units: shipping moves their cost from inventory at the source to
//! inventory in transit, a receipt from in transit to inventory at the destination, a shortage
//! from in transit to shrinkage. In-transit lines belong to the destination, where the units
//! are headed.

use crate::ids::{AccountId, LocationId, LotId, ProductId, TransferId, TransitLotId, UserId};
use crate::inventory::{LotBalance, Take, allocate};
use crate::ledger::{BalancedEntry, EntryDraft, LedgerError, LineDraft, Source, SourceKind};
use crate::money::Money;
use crate::quantity::Quantity;
use std::fmt;
use time::{Date, OffsetDateTime};

/// Where a transfer is in its steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransferStatus {
    /// Asked for; nothing has moved. It can still be cancelled.
    Created,
    /// Every unit left the source and is in transit.
    Shipped,
    /// Some units were received or reported short; the rest is still in transit.
    PartiallyReceived,
    /// Every unit shipped was received or reported short.
    Received,
    /// Called off before shipping.
    Cancelled,
}

impl TransferStatus {
    pub const ALL: [TransferStatus; 5] = [
        TransferStatus::Created,
        TransferStatus::Shipped,
        TransferStatus::PartiallyReceived,
        TransferStatus::Received,
        TransferStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TransferStatus::Created => "created",
            TransferStatus::Shipped => "shipped",
            TransferStatus::PartiallyReceived => "partially_received",
            TransferStatus::Received => "received",
            TransferStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Units of it are in transit (shipped, not all received or reported short).
    pub fn in_transit(self) -> bool {
        matches!(
            self,
            TransferStatus::Shipped | TransferStatus::PartiallyReceived
        )
    }
}

impl fmt::Display for TransferStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One product of a transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferLine {
    pub product_id: ProductId,
    /// Asked for, and (once shipped) shipped.
    pub quantity: Quantity,
    /// Received at the destination so far.
    pub received: Quantity,
    /// Reported short so far.
    pub short: Quantity,
}

impl TransferLine {
    /// Shipped, and neither received nor reported short (zero before shipping).
    pub fn outstanding(&self) -> Quantity {
        Quantity::from_thousandths(
            self.quantity.thousandths() - self.received.thousandths() - self.short.thousandths(),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub id: TransferId,
    pub from: LocationId,
    pub to: LocationId,
    pub status: TransferStatus,
    pub note: Option<String>,
    /// By product id.
    pub lines: Vec<TransferLine>,
    pub created_by: UserId,
    pub created_at: OffsetDateTime,
    pub shipped_at: Option<OffsetDateTime>,
    /// When it was received in full or cancelled.
    pub closed_at: Option<OffsetDateTime>,
}

impl Transfer {
    /// Units in transit of each line, by product (zero unless shipped).
    pub fn in_transit(&self, product: ProductId) -> Quantity {
        match self.lines.iter().find(|l| l.product_id == product) {
            Some(line) if self.status.in_transit() => line.outstanding(),
            _ => Quantity::ZERO,
        }
    }
}

/// A transfer as asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTransfer {
    pub from: LocationId,
    pub to: LocationId,
    pub note: Option<String>,
    /// By product id, each product once, every quantity above zero ([`check_lines`]).
    pub lines: Vec<(ProductId, Quantity)>,
    pub created_by: UserId,
    pub at: OffsetDateTime,
}

/// Units of one source lot in transit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitLot {
    pub id: TransitLotId,
    pub transfer_id: TransferId,
    pub product_id: ProductId,
    /// The lot they left.
    pub origin_lot_id: LotId,
    pub unit_cost: Money,
    /// The FIFO age of the lot they left, which the lot they arrive in keeps.
    pub aged_at: OffsetDateTime,
    pub shipped: Quantity,
    pub remaining: Quantity,
    pub remaining_value: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTransitLot {
    pub transfer_id: TransferId,
    pub product_id: ProductId,
    pub origin_lot_id: LotId,
    pub unit_cost: Money,
    pub aged_at: OffsetDateTime,
    pub quantity: Quantity,
    /// Exactly what the take from the origin lot cost.
    pub value: Money,
}

/// What arrived of one product, and what is reported short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiptLine {
    pub product_id: ProductId,
    pub received: Quantity,
    pub short: Quantity,
}

/// Why a transfer's lines or a receipt are refused, with the field they name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct LineError {
    pub field: String,
    pub message: String,
}

fn line_error(field: impl Into<String>, message: impl Into<String>) -> LineError {
    LineError {
        field: field.into(),
        message: message.into(),
    }
}

/// A transfer names two places and at least one product, each once, for more than nothing.
pub fn check_lines(
    from: LocationId,
    to: LocationId,
    lines: &[(ProductId, Quantity)],
) -> Result<(), LineError> {
    if from == to {
        return Err(line_error(
            "to_location_id",
            "a transfer moves stock between two different locations",
        ));
    }
    if lines.is_empty() {
        return Err(line_error("lines", "name at least one product to move"));
    }
    for (i, (product, quantity)) in lines.iter().enumerate() {
        if *quantity <= Quantity::ZERO {
            return Err(line_error(
                format!("lines[{i}].quantity"),
                "must be greater than zero",
            ));
        }
        if lines[..i].iter().any(|(p, _)| p == product) {
            return Err(line_error(
                format!("lines[{i}].product_id"),
                "names a product already on the transfer: one line per product",
            ));
        }
    }
    Ok(())
}

/// Checks a receipt against what is in transit, and gives the transfer's lines after it and
/// its new status. Each product named must be on the transfer, once, with something received
/// or short, and no more than is still in transit.
pub fn apply_receipt(
    transfer: &Transfer,
    receipt: &[ReceiptLine],
) -> Result<(Vec<TransferLine>, TransferStatus), LineError> {
    if receipt.is_empty() {
        return Err(line_error(
            "lines",
            "name at least one product received or short",
        ));
    }
    let mut lines = transfer.lines.clone();
    for (i, r) in receipt.iter().enumerate() {
        if receipt[..i].iter().any(|o| o.product_id == r.product_id) {
            return Err(line_error(
                format!("lines[{i}].product_id"),
                "names a product twice: one line per product",
            ));
        }
        let line = lines
            .iter_mut()
            .find(|l| l.product_id == r.product_id)
            .ok_or_else(|| {
                line_error(
                    format!("lines[{i}].product_id"),
                    "is not a product of this transfer",
                )
            })?;
        if r.received < Quantity::ZERO || r.short < Quantity::ZERO {
            return Err(line_error(
                format!("lines[{i}]"),
                "received and short cannot be negative",
            ));
        }
        let accounted = r.received.thousandths() + r.short.thousandths();
        if accounted == 0 {
            return Err(line_error(
                format!("lines[{i}]"),
                "receive or report short at least some of it",
            ));
        }
        let outstanding = line.outstanding();
        if accounted > outstanding.thousandths() {
            return Err(line_error(
                format!("lines[{i}]"),
                format!(
                    "received and short come to {}, but only {outstanding} is in transit",
                    Quantity::from_thousandths(accounted)
                ),
            ));
        }
        line.received =
            Quantity::from_thousandths(line.received.thousandths() + r.received.thousandths());
        line.short = Quantity::from_thousandths(line.short.thousandths() + r.short.thousandths());
    }
    let status = if lines.iter().all(|l| l.outstanding() == Quantity::ZERO) {
        TransferStatus::Received
    } else {
        TransferStatus::PartiallyReceived
    };
    Ok((lines, status))
}

/// The balances of transit lots, as FIFO sees them (oldest first, as given).
pub fn transit_balances(lots: &[TransitLot]) -> Vec<LotBalance> {
    lots.iter()
        .map(|l| LotBalance {
            // The FIFO rule works on any lot-like balance; the id names the transit lot.
            lot_id: LotId::new(l.id.get()),
            remaining: l.remaining,
            remaining_value: l.remaining_value,
        })
        .collect()
}

/// Takes `received` and then `short` from one product's transit lots, oldest first: the takes
/// that arrive and the takes reported short. The second allocation sees what the first left,
/// so a lot split between the two gives up its exact value, never a cent more or less.
pub fn split_receipt(
    lots: &[TransitLot],
    received: Quantity,
    short: Quantity,
) -> Result<(Vec<Take>, Vec<Take>), crate::inventory::InsufficientStock> {
    let mut balances = transit_balances(lots);
    let arriving = allocate(&balances, received)?;
    for take in &arriving {
        if let Some(b) = balances.iter_mut().find(|b| b.lot_id == take.lot_id) {
            b.remaining =
                Quantity::from_thousandths(b.remaining.thousandths() - take.quantity.thousandths());
            b.remaining_value =
                Money::from_minor_units(b.remaining_value.minor_units() - take.cost.minor_units());
        }
    }
    let lost = allocate(&balances, short)?;
    Ok((arriving, lost))
}

/// The accounts a transfer posts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferAccounts {
    pub inventory: AccountId,
    pub in_transit: AccountId,
    pub shrinkage: AccountId,
}

/// Shipping: the units' cost moves from inventory at the source to in transit (at the
/// destination). `None` when they cost nothing.
pub fn ship_entry(
    transfer: &Transfer,
    cost: Money,
    accounts: TransferAccounts,
    date: Date,
    user: UserId,
) -> Result<Option<BalancedEntry>, LedgerError> {
    if cost <= Money::ZERO {
        return Ok(None);
    }
    let draft = EntryDraft {
        date,
        memo: format!(
            "Transfer {} shipped from location {} to location {}",
            transfer.id, transfer.from, transfer.to
        ),
        source: Source {
            kind: SourceKind::Transfer,
            id: Some(transfer.id.get()),
        },
        user_id: user,
        lines: vec![
            LineDraft::debit(accounts.in_transit, cost).at(transfer.to),
            LineDraft::credit(accounts.inventory, cost).at(transfer.from),
        ],
    };
    BalancedEntry::new(draft).map(Some)
}

/// A receipt: what arrived moves from in transit to inventory at the destination, what is short
/// to shrinkage there. `None` when nothing of value moved.
pub fn receipt_entry(
    transfer: &Transfer,
    received: Money,
    short: Money,
    accounts: TransferAccounts,
    date: Date,
    user: UserId,
) -> Result<Option<BalancedEntry>, LedgerError> {
    let total = received
        .checked_add(short)
        .map_err(|_| LedgerError::OutOfRange)?;
    if total <= Money::ZERO {
        return Ok(None);
    }
    let mut lines = Vec::with_capacity(3);
    if received > Money::ZERO {
        lines.push(LineDraft::debit(accounts.inventory, received).at(transfer.to));
    }
    if short > Money::ZERO {
        lines.push(LineDraft::debit(accounts.shrinkage, short).at(transfer.to));
    }
    lines.push(LineDraft::credit(accounts.in_transit, total).at(transfer.to));
    let draft = EntryDraft {
        date,
        memo: format!(
            "Transfer {} received at location {} from location {}",
            transfer.id, transfer.to, transfer.from
        ),
        source: Source {
            kind: SourceKind::Transfer,
            id: Some(transfer.id.get()),
        },
        user_id: user,
        lines,
    };
    BalancedEntry::new(draft).map(Some)
}

/// Which transfers a list shows.
#[derive(Debug, Clone, Default)]
pub struct TransferFilter {
    pub status: Option<TransferStatus>,
    /// Transfers from or to this location.
    pub location: Option<LocationId>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn q(units: i64) -> Quantity {
        Quantity::from_thousandths(units * 1000)
    }

    fn shipped(lines: &[(i64, i64, i64, i64)]) -> Transfer {
        Transfer {
            id: TransferId::new(1),
            from: LocationId::new(2),
            to: LocationId::new(3),
            status: TransferStatus::Shipped,
            note: None,
            lines: lines
                .iter()
                .map(|(p, qty, rec, short)| TransferLine {
                    product_id: ProductId::new(*p),
                    quantity: q(*qty),
                    received: q(*rec),
                    short: q(*short),
                })
                .collect(),
            created_by: UserId::new(1),
            created_at: datetime!(2026-11-28 10:00 UTC),
            shipped_at: Some(datetime!(2026-11-28 10:00 UTC)),
            closed_at: None,
        }
    }

    fn receipt(p: i64, received: i64, short: i64) -> ReceiptLine {
        ReceiptLine {
            product_id: ProductId::new(p),
            received: q(received),
            short: q(short),
        }
    }

    #[test]
    fn a_receipt_accounts_for_what_is_in_transit_and_no_more() {
        let t = shipped(&[(1, 10, 0, 0), (2, 4, 0, 0)]);
        let (lines, status) = apply_receipt(&t, &[receipt(1, 9, 1)]).unwrap();
        assert_eq!(status, TransferStatus::PartiallyReceived);
        assert_eq!(lines[0].outstanding(), Quantity::ZERO);
        assert_eq!(lines[1].outstanding(), q(4));
        let t = Transfer { lines, ..t };
        let (_, status) = apply_receipt(&t, &[receipt(2, 4, 0)]).unwrap();
        assert_eq!(status, TransferStatus::Received);
        let err = apply_receipt(&t, &[receipt(2, 4, 1)]).unwrap_err();
        assert_eq!(err.field, "lines[0]");
        assert!(err.message.contains("only 4 is in transit"), "{err}");
        assert_eq!(
            apply_receipt(&t, &[receipt(1, 1, 0)]).unwrap_err().field,
            "lines[0]"
        );
        assert_eq!(
            apply_receipt(&t, &[receipt(7, 1, 0)]).unwrap_err().field,
            "lines[0].product_id"
        );
        assert_eq!(
            apply_receipt(&t, &[receipt(2, 0, 0)]).unwrap_err().field,
            "lines[0]"
        );
        assert_eq!(
            apply_receipt(&t, &[receipt(2, 1, 0), receipt(2, 1, 0)])
                .unwrap_err()
                .field,
            "lines[1].product_id"
        );
    }

    #[test]
    fn lines_name_two_places_and_each_product_once() {
        let (a, b) = (LocationId::new(1), LocationId::new(2));
        let p = ProductId::new(5);
        assert!(check_lines(a, b, &[(p, q(1))]).is_ok());
        assert_eq!(
            check_lines(a, a, &[(p, q(1))]).unwrap_err().field,
            "to_location_id"
        );
        assert_eq!(check_lines(a, b, &[]).unwrap_err().field, "lines");
        assert_eq!(
            check_lines(a, b, &[(p, Quantity::ZERO)]).unwrap_err().field,
            "lines[0].quantity"
        );
        assert_eq!(
            check_lines(a, b, &[(p, q(1)), (p, q(2))])
                .unwrap_err()
                .field,
            "lines[1].product_id"
        );
    }

    #[test]
    fn a_split_receipt_keeps_every_cent() {
        // 3 units worth 10.00: thirds round, but received + short is exactly 10.00.
        let lot = TransitLot {
            id: TransitLotId::new(4),
            transfer_id: TransferId::new(1),
            product_id: ProductId::new(1),
            origin_lot_id: LotId::new(9),
            unit_cost: Money::from_minor_units(333),
            aged_at: datetime!(2026-11-01 09:00 UTC),
            shipped: q(3),
            remaining: q(3),
            remaining_value: Money::from_minor_units(1000),
        };
        let (arriving, lost) = split_receipt(&[lot], q(2), q(1)).unwrap();
        let sum = |t: &[Take]| t.iter().map(|t| t.cost.minor_units()).sum::<i64>();
        assert_eq!(sum(&arriving) + sum(&lost), 1000);
        assert_eq!(sum(&arriving), 667);
    }

    #[test]
    fn entries_move_cost_between_places() {
        let t = shipped(&[(1, 10, 0, 0)]);
        let accounts = TransferAccounts {
            inventory: AccountId::new(1),
            in_transit: AccountId::new(2),
            shrinkage: AccountId::new(3),
        };
        let day = time::macros::date!(2026 - 11 - 28);
        let user = UserId::new(1);
        let ship = ship_entry(&t, Money::from_minor_units(500), accounts, day, user)
            .unwrap()
            .unwrap();
        let lines = &ship.draft().lines;
        assert_eq!(lines[0].location, Some(t.to));
        assert_eq!(lines[1].location, Some(t.from));
        assert!(
            ship_entry(&t, Money::ZERO, accounts, day, user)
                .unwrap()
                .is_none()
        );
        let receipt = receipt_entry(
            &t,
            Money::from_minor_units(450),
            Money::from_minor_units(50),
            accounts,
            day,
            user,
        )
        .unwrap()
        .unwrap();
        assert_eq!(receipt.total(), Money::from_minor_units(500));
        assert!(
            receipt
                .draft()
                .lines
                .iter()
                .all(|l| l.location == Some(t.to))
        );
    }
}
