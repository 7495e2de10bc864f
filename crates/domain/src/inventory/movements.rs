//! The inventory log: every stock mutation, never edited or deleted.

use crate::ids::{MovementId, ProductId, UserId};
use crate::quantity::Quantity;
use std::fmt;
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MovementKind {
    Purchase,
    SupplierReturn,
    Adjustment,
    Sale,
    SaleReturn,
    /// Units shipped out of a location on a transfer.
    TransferOut,
    /// Units received at a location from a transfer. (Units reported short never come back
    /// on hand: they left it when they were shipped.)
    TransferIn,
}

impl MovementKind {
    pub const ALL: [MovementKind; 7] = [
        MovementKind::Purchase,
        MovementKind::SupplierReturn,
        MovementKind::Adjustment,
        MovementKind::Sale,
        MovementKind::SaleReturn,
        MovementKind::TransferOut,
        MovementKind::TransferIn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Purchase => "purchase",
            MovementKind::SupplierReturn => "supplier_return",
            MovementKind::Adjustment => "adjustment",
            MovementKind::Sale => "sale",
            MovementKind::SaleReturn => "sale_return",
            MovementKind::TransferOut => "transfer_out",
            MovementKind::TransferIn => "transfer_in",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for MovementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change of a product's stock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMovement {
    pub product_id: ProductId,
    pub kind: MovementKind,
    /// Stock before and after; the change is their difference.
    pub before: Quantity,
    pub after: Quantity,
    /// The purchase, return, adjustment or sale that made it.
    pub reference_id: Option<i64>,
    /// Why (for adjustments: the reason and note).
    pub reason: Option<String>,
    pub user_id: UserId,
    pub at: OffsetDateTime,
    /// The business day of the document that made it (the shop's calendar), which reports
    /// group by.
    pub day: Date,
    /// Where the units came or went: a transfer logs at both ends.
    pub location: crate::ids::LocationId,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    pub id: MovementId,
    pub movement: NewMovement,
}

impl NewMovement {
    /// after - before, in thousandths (negative when stock left).
    pub fn change_thousandths(&self) -> i64 {
        self.after.thousandths() - self.before.thousandths()
    }
}

#[derive(Debug, Clone, Default)]
pub struct MovementFilter {
    pub product_id: Option<ProductId>,
    pub kind: Option<MovementKind>,
    /// Inclusive, on the movement's business day.
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub location: Option<crate::ids::LocationId>,
}
