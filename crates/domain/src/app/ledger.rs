//! The books: the chart of accounts, payment methods and expense categories, the journal
//! (read, reverse, opening balances), payments, expenses and the financial reports.

mod accounts;
mod error;
mod expenses;
mod journal;
mod payments;
mod reports;

pub use accounts::{Categories, Methods, NewCategory, NewMethod};
pub use error::{ExpenseError, OpeningError, PaymentError, ReverseEntryError, UnreversedError};
pub use expenses::{ExpenseList, NewExpense, VoidExpense};
pub use journal::{OpeningBalances, OpeningLine, Posted, Reversal};
pub use payments::NewPayment;
pub use reports::{Statement, StatementQuery};

use crate::services::error::Refusal;
use time::Date;

/// How far back a document may be dated: twenty years. Every account's day totals have a
/// ceiling, so this bounds every balance to twenty years of them, which a 64-bit sum holds
/// exactly (see `crate::money::MAX_MINOR_UNITS`).
pub const MAX_BACKDATE_DAYS: i64 = 20 * 366;

/// A document's date: `today` when none is given, else the given date if it is at most twenty
/// years back and at most one day ahead; invalid `date` otherwise.
pub fn document_date(today: Date, date: Option<Date>) -> Result<Date, Refusal> {
    let Some(date) = date else {
        return Ok(today);
    };
    let earliest = today - time::Duration::days(MAX_BACKDATE_DAYS);
    let latest = today + time::Duration::days(1);
    if date < earliest || date > latest {
        return Err(Refusal::invalid(
            "date",
            format!(
                "a document is dated from {earliest} to {latest}: at most twenty years back and \
                 one day ahead of today on the shop's calendar"
            ),
        ));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_document_is_dated_twenty_years_back_to_one_day_ahead() {
        let today = date!(2026 - 11 - 28);
        assert_eq!(document_date(today, None), Ok(today));
        assert_eq!(
            document_date(today, Some(date!(2026 - 11 - 29))),
            Ok(date!(2026 - 11 - 29))
        );
        assert!(document_date(today, Some(date!(2026 - 11 - 30))).is_err());
        let earliest = today - time::Duration::days(MAX_BACKDATE_DAYS);
        assert_eq!(document_date(today, Some(earliest)), Ok(earliest));
        assert!(document_date(today, Some(earliest - time::Duration::days(1))).is_err());
    }
}
