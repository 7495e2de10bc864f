//! Time as a port, so rules that depend on "now" (token expiry, audit times) can be tested.

use time::OffsetDateTime;

#[cfg_attr(feature = "mock", mockall::automock)]
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}
