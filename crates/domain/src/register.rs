//! Registers (tills): where sales, held-sale completions and returns happen. Each register has
//! its own gapless invoice series, printed with its code (`R2-000123`), so registers never
//! queue on one shop-wide counter.

use crate::ids::RegisterId;
use crate::text::Name;
use std::fmt;
use time::OffsetDateTime;

/// The register that exists from the start; a request that names none happens here, so
/// clients written before registers keep working. Its code, `INV`, keeps the invoice numbers
/// sales had before registers.
pub const DEFAULT_REGISTER: RegisterId = RegisterId::new(1);

/// The most registers a shop may have. Every day row of the books and of the sales rollup is
/// kept per register, and each holds at most the ceiling of an amount; 100 registers of twenty
/// years of such days still sum within 64 bits, so no report can overflow.
pub const MAX_REGISTERS: u64 = 100;

/// A register's code: 1 to 8 capital letters and digits, starting with a letter. It prefixes
/// every invoice number of the register and never changes, so neither does a printed number;
/// having no hyphen, it cannot make two registers' numbers collide.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegisterCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be 1 to 8 capital letters (A-Z) and digits, starting with a letter, such as R2")]
pub struct InvalidRegisterCode;

impl RegisterCode {
    pub const MAX: usize = 8;

    pub fn new(raw: &str) -> Result<Self, InvalidRegisterCode> {
        let valid = (1..=Self::MAX).contains(&raw.len())
            && raw.starts_with(|c: char| c.is_ascii_uppercase())
            && raw
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidRegisterCode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RegisterCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The printed number of a register's `sequence`-th sale: `R2-000123`.
pub fn invoice_number(code: &RegisterCode, sequence: i64) -> String {
    format!("{code}-{sequence:06}")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Register {
    pub id: RegisterId,
    pub code: RegisterCode,
    pub name: Name,
    pub active: bool,
    /// The last number of its series handed out (0: no sale yet).
    pub last_number: i64,
    /// The store it stands in: its sales take that store's stock.
    pub location_id: crate::ids::LocationId,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl Register {
    pub fn is_default(&self) -> bool {
        self.id == DEFAULT_REGISTER
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRegister {
    pub code: RegisterCode,
    pub name: Name,
    /// An active store (not a warehouse).
    pub location: crate::ids::LocationId,
}

/// What may change about a register: never its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterChange {
    pub name: Option<Name>,
    pub active: Option<bool>,
}

/// The outcome of asking for a register's next invoice number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    /// The number, now held by this transaction until it commits or rolls back.
    Taken(i64),
    /// No such register, or it is switched off.
    Closed,
    /// The static data the sale was priced with changed since it was read (see
    /// [`crate::static_data`]): nothing was taken, and the sale must be priced again.
    Stale,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_short_capitals_and_digits() {
        for good in ["R1", "INV", "A", "TILL0042"] {
            assert!(RegisterCode::new(good).is_ok(), "{good}");
        }
        for bad in ["", "r1", "1R", "R-1", "TILL00420", "R 1", "É1"] {
            assert!(RegisterCode::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn invoice_numbers_carry_the_code() {
        let code = RegisterCode::new("R2").unwrap_or_else(|_| unreachable!());
        assert_eq!(invoice_number(&code, 123), "R2-000123");
        assert_eq!(invoice_number(&code, 1_234_567), "R2-1234567");
    }
}
