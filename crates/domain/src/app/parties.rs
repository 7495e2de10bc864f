//! Customers and suppliers: one counterparty model for what they share.
//!
//! Both are a profile (name, phones, email, address, note) that is searched, edited and
//! deactivated but never deleted; both have documents that leave something owed (a
//! customer's sales, the shop's purchases from a supplier), and one use case settles those
//! open documents with a payment, the oldest first unless one is named. What they share is
//! written once, over the [`Counterparty`](counterparty::Counterparty) model; what is each
//! one's own (a customer's credit limit, a supplier's payable balance and period statement)
//! lives in [`customers`] and [`suppliers`].

mod counterparty;
pub mod customers;
pub mod suppliers;

pub use counterparty::{SetActive, Settle, Settlement};
pub use customers::{
    CustomerDetails, CustomerSales, NewCustomer, ReceiveCustomerPayment, UpdateCustomer,
};
pub use suppliers::{
    PaySupplier, SuppliedProductHistory, SupplierDetails, SupplierPeriod, SupplierTransactions,
    SupplyLine, UpdateSupplier,
};
