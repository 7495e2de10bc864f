#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test support code: a failed setup or assertion should panic the test"
)]
//! Shared test support: the port contract suite every storage adapter must pass, and a harness
//! that drives the real HTTP app in-process on in-memory adapters.

pub mod contract;
pub mod harness;
pub mod ledger_contract;
pub mod purchasing_contract;
pub mod sales_contract;
pub mod stores;
pub mod wire;
