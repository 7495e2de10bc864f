//! How the transfers' use cases fail.

use crate::code::Code;
use crate::error::StoreError;
use crate::ids::TransferId;
use crate::services::ServiceError;
use crate::services::error::{KEY_REUSED, UseCaseError, money_moving_error, store_code};
use crate::services::stock::InsufficientStock;
use crate::transfer::TransferStatus;

/// Why creating, shipping, receiving or cancelling a transfer is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransferError {
    /// A location, a line, a quantity.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{field} {}", crate::money::OutOfRange)]
    OutOfRange { field: String },
    #[error("no {0} with that id")]
    NotFound(&'static str),
    /// The source holds fewer units than the transfer ships (409 `insufficient_stock`).
    #[error(transparent)]
    InsufficientStock(#[from] InsufficientStock),
    /// The step does not follow from where the transfer is (409 `transfer_state`).
    #[error("Transfer {id} is {status}: {hint}")]
    WrongState {
        id: TransferId,
        status: TransferStatus,
        hint: &'static str,
    },
    /// The user may not do this at that location (403).
    #[error("{0}")]
    Forbidden(String),
    #[error("{}", KEY_REUSED)]
    KeyReused,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

money_moving_error!(TransferError);

impl From<crate::transfer::LineError> for TransferError {
    fn from(e: crate::transfer::LineError) -> Self {
        TransferError::Invalid {
            field: e.field,
            message: e.message,
        }
    }
}

impl From<ServiceError> for TransferError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid { field, message } => TransferError::Invalid { field, message },
            ServiceError::OutOfRange { field } => TransferError::OutOfRange { field },
            ServiceError::NotFound(what) => TransferError::NotFound(what),
            ServiceError::Forbidden(message) => TransferError::Forbidden(message),
            ServiceError::Store(e) => TransferError::Store(e),
            other => TransferError::Internal(other.to_string()),
        }
    }
}

impl UseCaseError for TransferError {
    const CODES: &'static [Code] = &[
        Code::Forbidden,
        Code::NotFound,
        Code::AlreadyExists,
        Code::InUse,
        Code::IdempotencyKeyReused,
        Code::InsufficientStock,
        Code::TransferState,
        Code::ValidationFailed,
        Code::AmountOutOfRange,
        Code::Internal,
        Code::Unavailable,
    ];

    fn code(&self) -> Code {
        match self {
            TransferError::Invalid { .. } => Code::ValidationFailed,
            TransferError::OutOfRange { .. } => Code::AmountOutOfRange,
            TransferError::NotFound(_) => Code::NotFound,
            TransferError::InsufficientStock(_) => Code::InsufficientStock,
            TransferError::WrongState { .. } => Code::TransferState,
            TransferError::Forbidden(_) => Code::Forbidden,
            TransferError::KeyReused => Code::IdempotencyKeyReused,
            TransferError::Store(e) => store_code(e),
            TransferError::Internal(_) => Code::Internal,
        }
    }
}

impl From<TransferError> for ServiceError {
    fn from(e: TransferError) -> Self {
        match e {
            TransferError::Invalid { field, message } => ServiceError::Invalid { field, message },
            TransferError::OutOfRange { field } => ServiceError::OutOfRange { field },
            TransferError::NotFound(what) => ServiceError::NotFound(what),
            TransferError::InsufficientStock(e) => e.into(),
            e @ TransferError::WrongState { .. } => ServiceError::Conflict {
                code: Code::TransferState,
                message: e.to_string(),
            },
            TransferError::Forbidden(message) => ServiceError::Forbidden(message),
            TransferError::KeyReused => ServiceError::key_reused(),
            TransferError::Store(e) => ServiceError::Store(e),
            TransferError::Internal(cause) => ServiceError::Internal(cause),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::error::check_catalogue;

    #[test]
    fn transfers_answer_the_codes_they_list() {
        let mut samples = TransferError::common_samples();
        samples.extend([
            TransferError::InsufficientStock(InsufficientStock {
                product_id: crate::ids::ProductId::new(1),
                sku: "MUG".to_owned(),
                requested: crate::quantity::Quantity::from_thousandths(2000),
                available: crate::quantity::Quantity::ZERO,
            }),
            TransferError::WrongState {
                id: TransferId::new(3),
                status: TransferStatus::Shipped,
                hint: "it can no longer be cancelled",
            },
            TransferError::Forbidden("not your store".to_owned()),
        ]);
        check_catalogue(samples);
    }
}
