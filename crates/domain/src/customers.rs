//! Customers: who the shop sells to on account, with an optional credit limit.

use crate::contact::{Address, Phone};
use crate::ids::CustomerId;
use crate::money::Money;
use crate::text::{Email, Name};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerDraft {
    pub name: Name,
    pub phone: Option<Phone>,
    pub alt_phone: Option<Phone>,
    pub email: Option<Email>,
    pub address: Address,
    /// The most the customer may owe; `None`: no credit is given.
    pub credit_limit: Option<Money>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: CustomerId,
    pub draft: CustomerDraft,
    pub active: bool,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Default)]
pub struct CustomerFilter {
    /// Matches name, phones or email.
    pub q: Option<String>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CustomerSort {
    #[default]
    Name,
    CreatedAt,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditError {
    #[error("this customer is not given credit; take full payment")]
    NoCredit,
    #[error("the customer would owe {would_owe}, over the credit limit of {limit}")]
    OverLimit { would_owe: Money, limit: Money },
    /// What the customer would owe is past what 64 bits hold (a broken bound on balances).
    #[error("what the customer would owe {}", crate::money::OutOfRange)]
    OutOfRange,
}

/// Whether a customer who owes `owed` may owe `more` on top.
pub fn check_credit(customer: &Customer, owed: Money, more: Money) -> Result<(), CreditError> {
    let limit = customer.draft.credit_limit.ok_or(CreditError::NoCredit)?;
    // What is owed is a balance over many sales, so it may pass one document's range.
    let would_owe = owed.wide_add(more).map_err(|_| CreditError::OutOfRange)?;
    if would_owe > limit {
        return Err(CreditError::OverLimit { would_owe, limit });
    }
    Ok(())
}

/// Who may give a customer credit: a credit limit is set or changed by managers and admins,
/// whether on the customer's creation or later, so that no route lets staff do what another
/// refuses them. `before` is `None` for a new customer.
pub fn may_set_credit_limit(
    role: crate::user::Role,
    before: Option<Option<Money>>,
    after: Option<Money>,
) -> bool {
    let unchanged = match before {
        Some(current) => current == after,
        // A new customer without credit is what anyone may create.
        None => after.is_none(),
    };
    unchanged || role.at_least(crate::user::Role::Manager)
}
