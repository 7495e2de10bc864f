//! Instants as stored: `BIGINT` microseconds since 1970-01-01T00:00:00Z, UTC.
//!
//! Chosen over `DATETIME(6)`/text because one integer encoding round-trips
//! `time::OffsetDateTime` at microsecond precision exactly on MySQL and SQLite alike, has no
//! 2038 limit, needs no per-backend column type and sorts numerically (see `pos-migrations`).
//! Finer precision than a microsecond is truncated towards the past; the domain hands over
//! values already truncated, so nothing is lost in practice.

use pos_domain::StoreError;
use time::OffsetDateTime;

const NANOS_PER_MICRO: i128 = 1_000;

/// The storage encoding of an instant.
pub(crate) fn to_micros(at: OffsetDateTime) -> i64 {
    // Any `OffsetDateTime` (years -9999..=9999) is within ±3.2e17 µs, far inside an i64.
    let micros = at.unix_timestamp_nanos().div_euclid(NANOS_PER_MICRO);
    i64::try_from(micros).unwrap_or(if micros < 0 { i64::MIN } else { i64::MAX })
}

/// Decodes a stored instant, in UTC.
pub(crate) fn from_micros(micros: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * NANOS_PER_MICRO)
        .map_err(|err| StoreError::backend(format!("stored instant {micros} out of range: {err}")))
}

/// `at` as it reads back once stored, for values returned without a round trip.
pub(crate) fn as_stored(at: OffsetDateTime) -> OffsetDateTime {
    from_micros(to_micros(at)).unwrap_or(at)
}

pub(crate) fn from_micros_opt(micros: Option<i64>) -> Result<Option<OffsetDateTime>, StoreError> {
    micros.map(from_micros).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn instants_round_trip_to_the_microsecond() {
        for at in [
            datetime!(2026-11-25 13:45:07.123456 UTC),
            datetime!(1969-12-31 23:59:59.999999 UTC),
            datetime!(2100-01-01 00:00:00 UTC),
        ] {
            assert_eq!(from_micros(to_micros(at)).unwrap(), at);
        }
    }

    #[test]
    fn sub_microseconds_are_truncated_towards_the_past() {
        let at = datetime!(1969-12-31 23:59:59.999999500 UTC);
        assert_eq!(
            from_micros(to_micros(at)).unwrap(),
            datetime!(1969-12-31 23:59:59.999999 UTC)
        );
    }
}
