//! How moving stock outside purchases and sales fails.

use crate::code::Code;
use crate::error::StoreError;
use crate::ids::ProductId;
use crate::quantity::Quantity;
use crate::services::ServiceError;
use crate::services::error::{KEY_REUSED, UseCaseError, money_moving_error};

/// Fewer units on hand than would be taken (409 `insufficient_stock`, naming the product).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{sku} (product {product_id}): only {available} in stock, {requested} requested")]
pub struct InsufficientStock {
    pub product_id: ProductId,
    pub sku: String,
    pub requested: Quantity,
    pub available: Quantity,
}

impl From<InsufficientStock> for ServiceError {
    fn from(e: InsufficientStock) -> Self {
        ServiceError::InsufficientStock {
            product_id: e.product_id,
            sku: e.sku,
            requested: e.requested,
            available: e.available,
        }
    }
}

/// Why a stock adjustment or a stock count is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StockError {
    /// A field refused as sent: a product counted twice, the date, the quantity.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// The stock or its value would leave the documented range.
    #[error("{field} {}", crate::money::OutOfRange)]
    OutOfRange { field: String },
    /// No such product.
    #[error("no {0} with that id")]
    NotFound(&'static str),
    /// A decrease takes more units than are on hand.
    #[error(transparent)]
    InsufficientStock(#[from] InsufficientStock),
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

money_moving_error!(StockError);

impl UseCaseError for StockError {
    const CODES: &'static [Code] = &[
        Code::Forbidden,
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
            StockError::Invalid { .. } => Code::ValidationFailed,
            StockError::OutOfRange { .. } => Code::AmountOutOfRange,
            StockError::NotFound(_) => Code::NotFound,
            StockError::InsufficientStock(_) => Code::InsufficientStock,
            StockError::Elsewhere(_) => Code::Forbidden,
            StockError::KeyReused => Code::IdempotencyKeyReused,
            StockError::Store(e) => crate::services::error::store_code(e),
            StockError::Internal(_) => Code::Internal,
        }
    }
}

impl From<StockError> for ServiceError {
    fn from(e: StockError) -> Self {
        match e {
            StockError::Invalid { field, message } => ServiceError::Invalid { field, message },
            StockError::OutOfRange { field } => ServiceError::OutOfRange { field },
            StockError::NotFound(what) => ServiceError::NotFound(what),
            StockError::InsufficientStock(e) => e.into(),
            StockError::Elsewhere(message) => ServiceError::Forbidden(message),
            StockError::KeyReused => ServiceError::key_reused(),
            StockError::Store(e) => ServiceError::Store(e),
            StockError::Internal(cause) => ServiceError::Internal(cause),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::error::check_catalogue;

    #[test]
    fn every_variant_answers_a_code_of_the_catalogue_and_every_code_is_answered() {
        let mut samples = StockError::common_samples();
        samples.push(StockError::Elsewhere("not your store".to_owned()));
        samples.push(StockError::InsufficientStock(InsufficientStock {
            product_id: ProductId::new(1),
            sku: "SKU-1".to_owned(),
            requested: Quantity::from_thousandths(2_000),
            available: Quantity::from_thousandths(1_000),
        }));
        check_catalogue(samples);
    }
}
