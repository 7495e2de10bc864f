//! How ledger values are stored: calendar days as Julian day numbers (`crate::days`, re-exported
//! here), parties as a kind and an id, enums as their `as_str()` text; and the filters over
//! those encodings.

use crate::errors::corrupt;
use pos_domain::StoreError;
use pos_domain::ids::{CustomerId, SupplierId};
use pos_domain::ledger::money_events::Direction;
use pos_domain::ledger::{Party, Side, SourceKind};
use sea_orm::{ColumnTrait, Condition};

pub(crate) use crate::days::{from_day, in_days, to_day};

const CUSTOMER: &str = "customer";
const SUPPLIER: &str = "supplier";

/// `(party_kind, party_id)`, both `None` for no party.
pub(crate) fn party_columns(party: Option<Party>) -> (Option<String>, Option<i64>) {
    match party {
        None => (None, None),
        Some(Party::Customer(id)) => (Some(CUSTOMER.to_owned()), Some(id.get())),
        Some(Party::Supplier(id)) => (Some(SUPPLIER.to_owned()), Some(id.get())),
    }
}

/// Rows concerning exactly this party.
pub(crate) fn is_party<C: ColumnTrait>(kind: C, id: C, party: Party) -> Condition {
    let (party_kind, party_id) = party_columns(Some(party));
    Condition::all()
        .add(kind.eq(party_kind))
        .add(id.eq(party_id))
}

pub(crate) fn to_party(kind: Option<&str>, id: Option<i64>) -> Result<Option<Party>, StoreError> {
    match (kind, id) {
        (None, None) => Ok(None),
        (Some(CUSTOMER), Some(id)) => Ok(Some(Party::Customer(CustomerId::new(id)))),
        (Some(SUPPLIER), Some(id)) => Ok(Some(Party::Supplier(SupplierId::new(id)))),
        (kind, id) => Err(corrupt("party", format!("{kind:?} {id:?}"))),
    }
}

pub(crate) fn to_side(text: &str) -> Result<Side, StoreError> {
    [Side::Debit, Side::Credit]
        .into_iter()
        .find(|side| side.as_str() == text)
        .ok_or_else(|| corrupt("side", text))
}

pub(crate) fn to_direction(text: &str) -> Result<Direction, StoreError> {
    [Direction::In, Direction::Out]
        .into_iter()
        .find(|direction| direction.as_str() == text)
        .ok_or_else(|| corrupt("payment direction", text))
}

pub(crate) fn to_source_kind(text: &str) -> Result<SourceKind, StoreError> {
    SourceKind::parse(text).ok_or_else(|| corrupt("source kind", text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn days_round_trip_and_sort_like_dates() {
        let days = [
            date!(1970 - 01 - 01),
            date!(2026 - 11 - 25),
            date!(2026 - 11 - 26),
        ];
        for day in days {
            assert_eq!(from_day(to_day(day)).unwrap(), day);
        }
        assert!(to_day(days[1]) + 1 == to_day(days[2]));
    }

    #[test]
    fn parties_round_trip_and_half_a_party_is_corrupt() {
        for party in [
            None,
            Some(Party::Customer(CustomerId::new(4))),
            Some(Party::Supplier(SupplierId::new(4))),
        ] {
            let (kind, id) = party_columns(party);
            assert_eq!(to_party(kind.as_deref(), id).unwrap(), party);
        }
        assert!(to_party(Some(CUSTOMER), None).is_err());
        assert!(to_party(Some("vendor"), Some(1)).is_err());
    }

    #[test]
    fn enums_decode_from_their_text() {
        assert_eq!(to_side("credit").unwrap(), Side::Credit);
        assert_eq!(to_direction("out").unwrap(), Direction::Out);
        assert_eq!(to_source_kind("reversal").unwrap(), SourceKind::Reversal);
        assert!(to_side("Debit").is_err());
    }
}
