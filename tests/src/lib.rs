#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test support code: a failed setup or assertion should panic the test"
)]
//! Shared test support: the port contract suite every storage adapter must pass, and a harness
//! that drives the real HTTP app in-process on in-memory adapters.

pub mod contract;
pub mod documented;
pub mod harness;
pub mod ledger_contract;
pub mod purchasing_contract;
pub mod sales_contract;
pub mod stores;
pub mod wire;

/// The default register's next invoice number, taken as a checkout takes it (a stale snapshot
/// of the static data is read again, as the checkout's retry does).
pub async fn next_number(tx: &mut dyn pos_domain::ports::Tx) -> i64 {
    for fresh in [false, true] {
        let version = tx.static_data(fresh).await.unwrap().version;
        match tx
            .take_sale_number(pos_domain::register::DEFAULT_REGISTER, version)
            .await
            .unwrap()
        {
            pos_domain::register::Numbering::Taken(n) => return n,
            pos_domain::register::Numbering::Stale => continue,
            pos_domain::register::Numbering::Closed => panic!("the default register is closed"),
        }
    }
    panic!("the static data stays stale")
}
