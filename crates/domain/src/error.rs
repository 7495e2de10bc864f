//! Errors that storage adapters report through the ports.

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
            Unique::AccountCode | Unique::PaymentMethodCode | Unique::RegisterCode => "code",
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
    /// Anything else: connection lost, bad schema... Details are for logs, not clients.
    #[error("storage failure: {0}")]
    Backend(String),
}
