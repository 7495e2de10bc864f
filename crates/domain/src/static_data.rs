//! The data every checkout reads and hardly anything changes: the chart of accounts, the
//! payment methods, the tax rates and the registers. Adapters keep one snapshot per process.
//!
//! Correctness first, across any number of instances: every change of an account, a payment
//! method or a tax rate raises the database's static version in the changing transaction. A
//! checkout prices with the snapshot it holds and checks the snapshot's version in the very
//! statement that takes its invoice number (no extra round trip); a mismatch takes nothing,
//! drops the snapshot and prices the sale again from fresh data. So a sale is never priced with
//! a tax rate older than the one committed when its number was taken. Registers are in the
//! snapshot for their codes, which never change; whether a register is active is checked by
//! the same statement, on its row. Locations are in it for their calendars (a change of a
//! location raises the version too).

use crate::catalog::TaxRate;
use crate::ids::{RegisterId, TaxRateId};
use crate::ledger::Account;
use crate::ledger::money_events::PaymentMethod;
use crate::register::Register;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticData {
    /// The database's static version the snapshot was read at.
    pub version: i64,
    pub accounts: Vec<Account>,
    pub payment_methods: Vec<PaymentMethod>,
    pub tax_rates: Vec<TaxRate>,
    pub registers: Vec<Register>,
    /// For their calendars: a register's documents are dated on its store's.
    pub locations: Vec<crate::location::Location>,
}

impl StaticData {
    pub fn account_by_code(&self, code: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.code.as_str() == code)
    }

    pub fn payment_method(&self, code: &str) -> Option<&PaymentMethod> {
        self.payment_methods.iter().find(|m| m.code == code)
    }

    pub fn tax_rate(&self, id: TaxRateId) -> Option<&TaxRate> {
        self.tax_rates.iter().find(|t| t.id == id)
    }

    pub fn register(&self, id: RegisterId) -> Option<&Register> {
        self.registers.iter().find(|r| r.id == id)
    }

    /// The offset from UTC of the calendar a register's documents are dated on: its store's
    /// own, else `shop`'s.
    pub fn register_offset(&self, id: RegisterId, shop: time::UtcOffset) -> time::UtcOffset {
        self.register(id)
            .and_then(|r| self.locations.iter().find(|l| l.id == r.location_id))
            .map_or(shop, |l| l.offset(shop))
    }
}
