//! Use cases that span several ports: receiving goods, paying suppliers, returning goods,
//! adjusting stock. Each runs inside the caller's transaction and either does everything or
//! returns an error (and the caller drops the transaction, which undoes everything).
//!
//! They are plain async functions, each generic over the repositories it uses: no runtime,
//! no I/O of their own.

pub mod cash;
pub mod error;
pub mod purchasing;
pub mod registers;
pub mod reports;
pub mod sales;
pub mod settlement;
pub mod stock;

pub use error::ServiceError;

/// A payment that settles a counterparty's open documents: a customer's sales (`P` a customer,
/// `D` a sale) or a supplier's purchases (a supplier, a purchase). The oldest open document
/// first, unless one is named.
#[derive(Debug, Clone)]
pub struct PaymentRequest<P, D> {
    pub party: P,
    pub method: crate::ledger::money_events::PaymentMethod,
    pub amount: crate::Money,
    /// The one document to pay, if named.
    pub document: Option<D>,
    pub reference: Option<String>,
    pub note: Option<String>,
    pub date: time::Date,
    pub user_id: crate::ids::UserId,
    pub at: time::OffsetDateTime,
}
