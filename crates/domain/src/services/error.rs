use crate::StoreError;
use crate::code::Code;
use crate::ids::ProductId;
use crate::quantity::Quantity;

/// Why a use case refused, in terms a caller can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServiceError {
    #[error("no {0} with that id")]
    NotFound(&'static str),
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{message}")]
    Conflict { code: Code, message: String },
    /// A business rule refuses the request as sent (422), with its own stable code and the
    /// field it refused: a control account named by a manual posting, a payment above what is
    /// owed.
    #[error("{field}: {message}")]
    Refused {
        code: Code,
        field: String,
        message: String,
    },
    /// Wrong or missing credentials, or a session that ended (401), with a stable code.
    #[error("{message}")]
    Unauthorized { code: Code, message: String },
    /// Too many failed attempts (429): `retry_after` seconds until the next try.
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: u64 },
    /// The user's role does not allow this (a price override, a credit sale, a large refund).
    #[error("{0}")]
    Forbidden(String),
    #[error("{sku} (product {product_id}): only {available} in stock, {requested} requested")]
    InsufficientStock {
        product_id: ProductId,
        sku: String,
        requested: Quantity,
        available: Quantity,
    },
    /// A computed figure (a line, a total, stock on hand) would leave the documented range.
    #[error("{field} {}", crate::money::OutOfRange)]
    OutOfRange { field: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A bug: a state the rules should have made impossible. Logged, never shown in detail.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    pub fn invalid(field: impl Into<String>, message: impl std::fmt::Display) -> Self {
        ServiceError::Invalid {
            field: field.into(),
            message: message.to_string(),
        }
    }
}

impl ServiceError {
    pub fn out_of_range(field: impl Into<String>) -> Self {
        ServiceError::OutOfRange {
            field: field.into(),
        }
    }
}

/// A balance or report total past 64 bits: the design bounds every balance well below that,
/// so this names a broken bound rather than wrapping.
impl From<crate::money::OutOfRange> for ServiceError {
    fn from(_: crate::money::OutOfRange) -> Self {
        ServiceError::out_of_range("balance")
    }
}

impl From<crate::ledger::LedgerError> for ServiceError {
    fn from(e: crate::ledger::LedgerError) -> Self {
        match e {
            crate::ledger::LedgerError::OutOfRange => ServiceError::out_of_range("amount"),
            e => ServiceError::invalid("amount", e),
        }
    }
}
