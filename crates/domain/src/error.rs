//! Errors that storage adapters report through the ports.

use std::fmt;
use std::sync::Arc;

/// A unique constraint of the model, named so the API can say which field clashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unique {
    UserEmail,
    Username,
    BrandName,
    CategoryName,
    TaxRateName,
    ProductSku,
    ProductBarcode,
    AccountCode,
    PaymentMethodCode,
    ExpenseCategoryName,
    /// The same Idempotency-Key was stored by a concurrent request first.
    IdempotencyKey,
    /// The entry has already been reversed.
    Reversal,
    /// The supplier already has a purchase with this invoice number.
    PurchaseInvoice,
    RegisterCode,
    /// The register already has an open cash session.
    OpenSession,
    CashReasonCode,
    LocationCode,
}

impl Unique {
    /// The API field that must be unique.
    pub fn field(self) -> &'static str {
        match self {
            Unique::UserEmail => "email",
            Unique::Username => "username",
            Unique::BrandName | Unique::CategoryName | Unique::TaxRateName => "name",
            Unique::ProductSku => "sku",
            Unique::ProductBarcode => "barcode",
            Unique::AccountCode
            | Unique::PaymentMethodCode
            | Unique::RegisterCode
            | Unique::CashReasonCode
            | Unique::LocationCode => "code",
            Unique::OpenSession => "register_id",
            Unique::ExpenseCategoryName => "name",
            Unique::IdempotencyKey => "Idempotency-Key",
            Unique::Reversal => "id",
            Unique::PurchaseInvoice => "invoice_no",
        }
    }
}

/// A row another row depends on, so it cannot be deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Referenced {
    /// Products still use this brand, category or tax rate.
    ByProducts,
}

/// What went wrong in storage, in words, with the error that caused it when there is one.
#[derive(Debug, Clone)]
pub struct BackendError {
    message: String,
    cause: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl BackendError {
    /// A failure the adapter itself found (a row missing that must be there...).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            cause: None,
        }
    }

    /// A failure the driver reported: its text, and the error kept as the source.
    pub fn caused_by(cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self {
            message: cause.to_string(),
            cause: Some(Arc::new(cause)),
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BackendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // The cause's text is this error's message; skip to what caused the cause.
        self.cause.as_deref().and_then(|c| c.source())
    }
}

/// Two failures are the same when they say the same (the cause is for logs).
impl PartialEq for BackendError {
    fn eq(&self, other: &Self) -> bool {
        self.message == other.message
    }
}

impl Eq for BackendError {}

/// Every message of an error and its sources, outermost first: what a 5xx logs.
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut chain = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    chain
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("another record already has this {}", .0.field())]
    Duplicate(Unique),
    #[error("still in use")]
    InUse(Referenced),
    /// A referenced row (brand, category, tax rate...) does not exist.
    #[error("a referenced record does not exist: {0}")]
    MissingReference(&'static str),
    /// Lock contention the caller may retry (deadlock, lock wait timeout, busy database).
    #[error("the database is busy; try again: {0}")]
    Contention(String),
    /// A running total the database keeps (a day's debits on an account, a day's sales) would
    /// leave the documented range; names what it totals.
    #[error("{0} would leave the documented range")]
    OutOfRange(&'static str),
    /// Anything else: connection lost, bad schema... Details are for logs, not clients; the
    /// driver's error is kept as the source, so a 5xx logs the whole chain.
    #[error("storage failure")]
    Backend(#[source] BackendError),
}

impl StoreError {
    /// A storage failure described in words (no driver error behind it).
    pub fn backend(message: impl Into<String>) -> Self {
        StoreError::Backend(BackendError::new(message))
    }

    /// A storage failure the driver reported, kept as the source.
    pub fn caused_by(cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        StoreError::Backend(BackendError::caused_by(cause))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("connection reset by peer")]
    struct Io;

    #[derive(Debug, thiserror::Error)]
    #[error("error communicating with database")]
    struct Driver(#[source] Io);

    #[test]
    fn a_storage_failure_keeps_the_drivers_chain_for_the_log() {
        let err = StoreError::caused_by(Driver(Io));
        assert_eq!(
            error_chain(&err),
            "storage failure: error communicating with database: connection reset by peer"
        );
        assert_eq!(
            err,
            StoreError::backend("error communicating with database"),
            "equal by what they say"
        );
        assert_eq!(
            error_chain(&StoreError::backend("a row is missing")),
            "storage failure: a row is missing"
        );
    }
}
