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
    /// 409 `idempotency_key_reused`: the key was used for another request.
    pub fn key_reused() -> Self {
        ServiceError::Conflict {
            code: Code::IdempotencyKeyReused,
            message: KEY_REUSED.to_owned(),
        }
    }

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

impl From<Refusal> for ServiceError {
    fn from(e: Refusal) -> Self {
        match e {
            Refusal::Invalid { field, message } => ServiceError::Invalid { field, message },
            Refusal::OutOfRange { field } => ServiceError::OutOfRange { field },
            Refusal::NotFound(what) => ServiceError::NotFound(what),
            Refusal::Store(e) => ServiceError::Store(e),
        }
    }
}

impl ServiceError {
    /// The error's code in the catalogue: what the HTTP adapter answers with (its status comes
    /// from the code's kind).
    pub fn code(&self) -> Code {
        match self {
            ServiceError::NotFound(_) => Code::NotFound,
            ServiceError::Invalid { .. } => Code::ValidationFailed,
            ServiceError::Conflict { code, .. }
            | ServiceError::Refused { code, .. }
            | ServiceError::Unauthorized { code, .. } => *code,
            ServiceError::TooManyRequests { .. } => Code::RateLimited,
            ServiceError::Forbidden(_) => Code::Forbidden,
            ServiceError::InsufficientStock { .. } => Code::InsufficientStock,
            ServiceError::OutOfRange { .. } => Code::AmountOutOfRange,
            ServiceError::Store(e) => store_code(e),
            ServiceError::Internal(_) => Code::Internal,
        }
    }
}

/// The code a storage failure answers with.
pub const fn store_code(e: &StoreError) -> Code {
    match e {
        StoreError::NotFound => Code::NotFound,
        StoreError::Duplicate(_) => Code::AlreadyExists,
        StoreError::InUse(_) => Code::InUse,
        StoreError::MissingReference(_) => Code::ValidationFailed,
        StoreError::OutOfRange(_) => Code::AmountOutOfRange,
        StoreError::Backend(_) => Code::Internal,
        StoreError::Contention(_) => Code::Unavailable,
    }
}

/// Every code a [`StoreError`] answers with, in catalogue order.
pub const STORE_CODES: &[Code] = &[
    Code::NotFound,
    Code::AlreadyExists,
    Code::InUse,
    Code::ValidationFailed,
    Code::AmountOutOfRange,
    Code::Internal,
    Code::Unavailable,
];

/// The error of one use case: every way it can fail, each with its code in the catalogue.
/// It converts into [`ServiceError`] without losing anything, so it renders as before.
pub trait UseCaseError: std::error::Error + Into<ServiceError> + From<StoreError> {
    /// Every code the use case can answer with, in catalogue order.
    const CODES: &'static [Code];
    /// This error's code.
    fn code(&self) -> Code;
}

/// The error of a money-moving use case, run through [`crate::app::App`]'s `once`: it also
/// says that an `Idempotency-Key` was reused for another request, that the reply could not be
/// rendered, and which storage failure it is (a lost lock race is retried).
pub trait OnceError: UseCaseError {
    /// 409 `idempotency_key_reused`.
    fn key_reused() -> Self;
    /// The result could not be rendered into its reply (a bug).
    fn unrenderable(cause: String) -> Self;
    /// The storage failure this is, if it is one.
    fn store(&self) -> Option<&StoreError>;
}

/// What the shared steps of the money-moving use cases refuse (locking products, moving stock,
/// looking up accounts and payment methods, posting): a field, a figure out of range, a
/// missing record, or storage. Every money-moving error converts from it, variant to variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{field} {}", crate::money::OutOfRange)]
    OutOfRange { field: String },
    #[error("no {0} with that id")]
    NotFound(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Refusal {
    pub fn invalid(field: impl Into<String>, message: impl std::fmt::Display) -> Self {
        Refusal::Invalid {
            field: field.into(),
            message: message.to_string(),
        }
    }

    pub fn out_of_range(field: impl Into<String>) -> Self {
        Refusal::OutOfRange {
            field: field.into(),
        }
    }
}

/// As [`ServiceError`]'s: a balance past 64 bits.
impl From<crate::money::OutOfRange> for Refusal {
    fn from(_: crate::money::OutOfRange) -> Self {
        Refusal::out_of_range("balance")
    }
}

/// As [`ServiceError`]'s: an entry that does not balance is invalid `amount`.
impl From<crate::ledger::LedgerError> for Refusal {
    fn from(e: crate::ledger::LedgerError) -> Self {
        match e {
            crate::ledger::LedgerError::OutOfRange => Refusal::out_of_range("amount"),
            e => Refusal::invalid("amount", e),
        }
    }
}

/// The message of 409 `idempotency_key_reused`.
pub const KEY_REUSED: &str = "This Idempotency-Key was already used for a different request; use \
                              a new key for a new request.";

/// Implements, for a money-moving use case's error with the common variants (`Invalid`,
/// `OutOfRange`, `NotFound`, `KeyReused`, `Store`, `Internal`), the conversions from the shared
/// refusals and [`OnceError`].
macro_rules! money_moving_error {
    ($error:ident) => {
        impl From<$crate::services::error::Refusal> for $error {
            fn from(e: $crate::services::error::Refusal) -> Self {
                use $crate::services::error::Refusal;
                match e {
                    Refusal::Invalid { field, message } => $error::Invalid { field, message },
                    Refusal::OutOfRange { field } => $error::OutOfRange { field },
                    Refusal::NotFound(what) => $error::NotFound(what),
                    Refusal::Store(e) => $error::Store(e),
                }
            }
        }

        impl From<$crate::money::OutOfRange> for $error {
            fn from(e: $crate::money::OutOfRange) -> Self {
                $crate::services::error::Refusal::from(e).into()
            }
        }

        impl From<$crate::ledger::LedgerError> for $error {
            fn from(e: $crate::ledger::LedgerError) -> Self {
                $crate::services::error::Refusal::from(e).into()
            }
        }

        impl $crate::services::error::OnceError for $error {
            fn key_reused() -> Self {
                $error::KeyReused
            }
            fn unrenderable(cause: String) -> Self {
                $error::Internal(cause)
            }
            fn store(&self) -> Option<&$crate::error::StoreError> {
                match self {
                    $error::Store(e) => Some(e),
                    _ => None,
                }
            }
        }

        #[cfg(test)]
        impl $error {
            /// One sample of each common variant, and one storage failure of each code.
            pub(crate) fn common_samples() -> Vec<Self> {
                let mut samples = vec![
                    $error::Invalid {
                        field: "date".to_owned(),
                        message: "out of range".to_owned(),
                    },
                    $error::OutOfRange {
                        field: "lines".to_owned(),
                    },
                    $error::NotFound("record"),
                    $error::KeyReused,
                    $error::Internal("a bug".to_owned()),
                ];
                samples.extend(
                    $crate::services::error::store_samples()
                        .into_iter()
                        .map($error::Store),
                );
                samples
            }
        }
    };
}
pub(crate) use money_moving_error;

/// Checks a use case's catalogue against one sample of each variant: every sample's code is
/// in `CODES` and is the code its [`ServiceError`] renders with, every code of `CODES` comes
/// from some sample, and `CODES` is in catalogue order.
#[cfg(test)]
pub(crate) fn check_catalogue<E: UseCaseError + Clone>(samples: Vec<E>) {
    let codes = E::CODES;
    assert!(
        codes.windows(2).all(|w| w[0] < w[1]),
        "CODES out of catalogue order: {codes:?}"
    );
    let mut produced = Vec::new();
    for sample in samples {
        let code = sample.code();
        assert!(
            codes.contains(&code),
            "{sample:?} answers {code}, not in CODES"
        );
        let service: ServiceError = sample.clone().into();
        assert_eq!(service.code(), code, "{sample:?} renders as {service:?}");
        produced.push(code);
    }
    for code in codes {
        assert!(produced.contains(code), "no sample answers {code}");
    }
}

/// One storage failure of each code.
#[cfg(test)]
pub(crate) fn store_samples() -> Vec<StoreError> {
    use crate::error::{Referenced, Unique};
    vec![
        StoreError::NotFound,
        StoreError::Duplicate(Unique::ProductSku),
        StoreError::InUse(Referenced::ByProducts),
        StoreError::MissingReference("category_id"),
        StoreError::OutOfRange("a balance"),
        StoreError::backend("a row is missing"),
        StoreError::Contention("deadlock".to_owned()),
    ]
}
