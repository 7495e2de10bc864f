//! The books over HTTP: accounts, the journal, payments, expenses and the financial reports.

use pos_api::ledger::*;

pub mod accounts;
pub mod expenses;
pub mod journal;
pub mod payments;
pub mod reports;
