//! How receiving a purchase and returning goods to the supplier fail.

use crate::code::Code;
use crate::error::StoreError;
use crate::ids::SupplierId;
use crate::quantity::Quantity;
use crate::services::ServiceError;
use crate::services::error::{KEY_REUSED, UseCaseError, money_moving_error, store_code};

/// Why receiving a purchase is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceivePurchaseError {
    /// The supplier (unknown, inactive), a product that does not exist, a payment method,
    /// payments above the total, or the date.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// A line or the total out of range.
    #[error("{field} {}", crate::money::OutOfRange)]
    OutOfRange { field: String },
    #[error("no {0} with that id")]
    NotFound(&'static str),
    /// The supplier already has a purchase with this invoice number (409 `already_exists`).
    #[error("supplier {supplier} already has a purchase with invoice {invoice_no}")]
    InvoiceTaken {
        supplier: SupplierId,
        invoice_no: String,
    },
    /// Not at a location the user works at (403).
    #[error("{0}")]
    Elsewhere(String),
    #[error("{}", KEY_REUSED)]
    KeyReused,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

money_moving_error!(ReceivePurchaseError);

impl UseCaseError for ReceivePurchaseError {
    const CODES: &'static [Code] = &[
        Code::Forbidden,
        Code::NotFound,
        Code::AlreadyExists,
        Code::InUse,
        Code::IdempotencyKeyReused,
        Code::ValidationFailed,
        Code::AmountOutOfRange,
        Code::Internal,
        Code::Unavailable,
    ];

    fn code(&self) -> Code {
        match self {
            ReceivePurchaseError::Invalid { .. } => Code::ValidationFailed,
            ReceivePurchaseError::OutOfRange { .. } => Code::AmountOutOfRange,
            ReceivePurchaseError::NotFound(_) => Code::NotFound,
            ReceivePurchaseError::InvoiceTaken { .. } => Code::AlreadyExists,
            ReceivePurchaseError::Elsewhere(_) => Code::Forbidden,
            ReceivePurchaseError::KeyReused => Code::IdempotencyKeyReused,
            ReceivePurchaseError::Store(e) => store_code(e),
            ReceivePurchaseError::Internal(_) => Code::Internal,
        }
    }
}

impl From<ReceivePurchaseError> for ServiceError {
    fn from(e: ReceivePurchaseError) -> Self {
        match e {
            ReceivePurchaseError::Invalid { field, message } => {
                ServiceError::Invalid { field, message }
            }
            ReceivePurchaseError::OutOfRange { field } => ServiceError::OutOfRange { field },
            ReceivePurchaseError::NotFound(what) => ServiceError::NotFound(what),
            e @ ReceivePurchaseError::InvoiceTaken { .. } => ServiceError::Conflict {
                code: Code::AlreadyExists,
                message: e.to_string(),
            },
            ReceivePurchaseError::Elsewhere(message) => ServiceError::Forbidden(message),
            ReceivePurchaseError::KeyReused => ServiceError::key_reused(),
            ReceivePurchaseError::Store(e) => ServiceError::Store(e),
            ReceivePurchaseError::Internal(cause) => ServiceError::Internal(cause),
        }
    }
}

/// Why sending goods back to the supplier is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SupplierReturnError {
    /// The refund method, a line (not of this purchase, named twice, zero, more than is
    /// left), or the date.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{field} {}", crate::money::OutOfRange)]
    OutOfRange { field: String },
    /// No such purchase.
    #[error("no {0} with that id")]
    NotFound(&'static str),
    /// The lot the `line`th line created no longer holds the units (sold or adjusted away):
    /// 409 `insufficient_stock`.
    #[error(
        "lines[{line}]: the lot this line created holds only {available} now ({requested} requested)"
    )]
    LotShort {
        line: usize,
        available: Quantity,
        requested: Quantity,
    },
    #[error("{}", KEY_REUSED)]
    KeyReused,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

money_moving_error!(SupplierReturnError);

impl UseCaseError for SupplierReturnError {
    const CODES: &'static [Code] = &[
        Code::NotFound,
        Code::AlreadyExists,
        Code::InUse,
        Code::IdempotencyKeyReused,
        Code::InsufficientStock,
        Code::ValidationFailed,
        Code::AmountOutOfRange,
        Code::Internal,
        Code::Unavailable,
    ];

    fn code(&self) -> Code {
        match self {
            SupplierReturnError::Invalid { .. } => Code::ValidationFailed,
            SupplierReturnError::OutOfRange { .. } => Code::AmountOutOfRange,
            SupplierReturnError::NotFound(_) => Code::NotFound,
            SupplierReturnError::LotShort { .. } => Code::InsufficientStock,
            SupplierReturnError::KeyReused => Code::IdempotencyKeyReused,
            SupplierReturnError::Store(e) => store_code(e),
            SupplierReturnError::Internal(_) => Code::Internal,
        }
    }
}

impl From<SupplierReturnError> for ServiceError {
    fn from(e: SupplierReturnError) -> Self {
        match e {
            SupplierReturnError::Invalid { field, message } => {
                ServiceError::Invalid { field, message }
            }
            SupplierReturnError::OutOfRange { field } => ServiceError::OutOfRange { field },
            SupplierReturnError::NotFound(what) => ServiceError::NotFound(what),
            e @ SupplierReturnError::LotShort { .. } => ServiceError::Conflict {
                code: Code::InsufficientStock,
                message: e.to_string(),
            },
            SupplierReturnError::KeyReused => ServiceError::key_reused(),
            SupplierReturnError::Store(e) => ServiceError::Store(e),
            SupplierReturnError::Internal(cause) => ServiceError::Internal(cause),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::error::check_catalogue;

    #[test]
    fn receiving_a_purchase_answers_the_codes_it_lists() {
        let mut samples = ReceivePurchaseError::common_samples();
        samples.push(ReceivePurchaseError::Elsewhere("not your store".to_owned()));
        samples.push(ReceivePurchaseError::InvoiceTaken {
            supplier: SupplierId::new(2),
            invoice_no: "INV-1".to_owned(),
        });
        check_catalogue(samples);
    }

    #[test]
    fn a_supplier_return_answers_the_codes_it_lists() {
        let mut samples = SupplierReturnError::common_samples();
        samples.push(SupplierReturnError::LotShort {
            line: 0,
            available: Quantity::from_thousandths(1_000),
            requested: Quantity::from_thousandths(2_000),
        });
        check_catalogue(samples);
    }
}
