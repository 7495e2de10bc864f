//! Locations: the stores that sell (they have registers) and the warehouses that only hold
//! stock. Everything a shop did before locations happened at the default store, so a shop with
//! one store sees no change.

use crate::ids::LocationId;
use crate::register::RegisterCode;
use crate::text::Name;
use time::{OffsetDateTime, UtcOffset};

/// The store that exists from the start: where everything before locations happened, and
/// where a request that names no location happens.
pub const DEFAULT_LOCATION: LocationId = LocationId::new(1);

/// A location's code: the same spelling as a register's (1 to 8 capital letters and digits,
/// starting with a letter), and like it, never changed.
pub type LocationCode = RegisterCode;

/// What a location does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocationKind {
    /// Sells: has registers, and stock its sales take.
    Store,
    /// Only holds stock, received by purchases and moved on by transfers.
    Warehouse,
}

impl LocationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LocationKind::Store => "store",
            LocationKind::Warehouse => "warehouse",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "store" => Some(LocationKind::Store),
            "warehouse" => Some(LocationKind::Warehouse),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub id: LocationId,
    pub code: LocationCode,
    pub name: Name,
    pub kind: LocationKind,
    pub address: Option<String>,
    pub active: bool,
    /// Its own offset from UTC, for its documents' dates; `None`: the shop's (`POS_UTC_OFFSET`).
    pub utc_offset: Option<UtcOffset>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl Location {
    pub fn is_default(&self) -> bool {
        self.id == DEFAULT_LOCATION
    }

    /// The offset its calendar runs on: its own, or the shop's.
    pub fn offset(&self, shop: UtcOffset) -> UtcOffset {
        self.utc_offset.unwrap_or(shop)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLocation {
    pub code: LocationCode,
    pub name: Name,
    pub kind: LocationKind,
    pub address: Option<String>,
    pub utc_offset: Option<UtcOffset>,
}

/// What may change about a location: never its code nor its kind (a store's sales and a
/// warehouse's transfers would lose their meaning).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocationChange {
    pub name: Option<Name>,
    /// `Some(None)` clears it.
    pub address: Option<Option<String>>,
    pub active: Option<bool>,
    /// `Some(None)`: back to the shop's offset.
    pub utc_offset: Option<Option<UtcOffset>>,
}

/// An offset as stored: whole minutes east of UTC.
pub fn offset_minutes(offset: UtcOffset) -> i32 {
    offset.whole_minutes().into()
}

/// An offset from whole minutes east of UTC; `None` beyond ±25 hours.
pub fn offset_from_minutes(minutes: i32) -> Option<UtcOffset> {
    let minutes = i16::try_from(minutes).ok()?;
    UtcOffset::from_hms(
        i8::try_from(minutes / 60).ok()?,
        i8::try_from(minutes % 60).ok()?,
        0,
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_offsets_round_trip() {
        for kind in [LocationKind::Store, LocationKind::Warehouse] {
            assert_eq!(LocationKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(LocationKind::parse("shop"), None);
        for (h, m) in [(6, 0), (-5, -30), (5, 45), (0, 0)] {
            let offset = UtcOffset::from_hms(h, m, 0).unwrap_or(UtcOffset::UTC);
            assert_eq!(offset_from_minutes(offset_minutes(offset)), Some(offset));
        }
        assert_eq!(offset_from_minutes(26 * 60), None);
    }
}
