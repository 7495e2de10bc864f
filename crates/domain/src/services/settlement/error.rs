//! How settling a counterparty's open documents fails.

use crate::allocation::AllocationError;
use crate::code::Code;
use crate::error::StoreError;
use crate::services::ServiceError;
use crate::services::error::{KEY_REUSED, UseCaseError, money_moving_error, store_code};

/// Why a customer's payment or a payment to a supplier is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettlementError {
    /// The method, a named document that is not open, or the date.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{field} {}", crate::money::OutOfRange)]
    OutOfRange { field: String },
    /// No such customer or supplier.
    #[error("no {0} with that id")]
    NotFound(&'static str),
    /// More than is owed (409 `overpayment`).
    #[error(transparent)]
    Overpayment(AllocationError),
    #[error("{}", KEY_REUSED)]
    KeyReused,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

money_moving_error!(SettlementError);

impl UseCaseError for SettlementError {
    const CODES: &'static [Code] = &[
        Code::NotFound,
        Code::AlreadyExists,
        Code::InUse,
        Code::IdempotencyKeyReused,
        Code::Overpayment,
        Code::ValidationFailed,
        Code::AmountOutOfRange,
        Code::Internal,
        Code::Unavailable,
    ];

    fn code(&self) -> Code {
        match self {
            SettlementError::Invalid { .. } => Code::ValidationFailed,
            SettlementError::OutOfRange { .. } => Code::AmountOutOfRange,
            SettlementError::NotFound(_) => Code::NotFound,
            SettlementError::Overpayment(_) => Code::Overpayment,
            SettlementError::KeyReused => Code::IdempotencyKeyReused,
            SettlementError::Store(e) => store_code(e),
            SettlementError::Internal(_) => Code::Internal,
        }
    }
}

impl From<SettlementError> for ServiceError {
    fn from(e: SettlementError) -> Self {
        match e {
            SettlementError::Invalid { field, message } => ServiceError::Invalid { field, message },
            SettlementError::OutOfRange { field } => ServiceError::OutOfRange { field },
            SettlementError::NotFound(what) => ServiceError::NotFound(what),
            SettlementError::Overpayment(e) => ServiceError::Conflict {
                code: Code::Overpayment,
                message: e.to_string(),
            },
            SettlementError::KeyReused => ServiceError::key_reused(),
            SettlementError::Store(e) => ServiceError::Store(e),
            SettlementError::Internal(cause) => ServiceError::Internal(cause),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;
    use crate::services::error::check_catalogue;

    #[test]
    fn a_settlement_answers_the_codes_it_lists() {
        let mut samples = SettlementError::common_samples();
        samples.push(SettlementError::Overpayment(AllocationError::Overpaid {
            amount: Money::from_minor_units(200),
            owed: Money::from_minor_units(100),
        }));
        check_catalogue(samples);
    }
}
