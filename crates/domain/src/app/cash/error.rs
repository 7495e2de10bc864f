//! How the cash sessions' use cases fail.

use crate::code::Code;
use crate::error::StoreError;
use crate::ids::CashSessionId;
use crate::money::Money;
use crate::services::ServiceError;
use crate::services::error::{KEY_REUSED, UseCaseError, money_moving_error, store_code};
use crate::services::sales::{NoOpenSession, RegisterClosed};

/// Why opening, paying in or out of, or closing a session is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CashError {
    /// The float, the count, the reason, a reported method or the date.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{field} {}", crate::money::OutOfRange)]
    OutOfRange { field: String },
    #[error("no {0} with that id")]
    NotFound(&'static str),
    /// The register is switched off (409 `register_inactive`).
    #[error(transparent)]
    RegisterClosed(#[from] RegisterClosed),
    /// Cash moved at a register with no open session (409 `no_open_session`).
    #[error(transparent)]
    NoOpenSession(#[from] NoOpenSession),
    /// The register already has an open session (409 `session_open`).
    #[error(
        "Register {register} already has an open session ({session}): close it with its count \
         before opening another."
    )]
    SessionOpen {
        register: String,
        session: CashSessionId,
    },
    /// The session was closed already (409 `session_closed`).
    #[error("Cash session {0} is closed; its Z report is final.")]
    SessionClosed(CashSessionId),
    /// Staff paying out more than their limit (403).
    #[error("Paying out more than {limit} needs the manager role or higher; this is {amount}.")]
    PayoutForbidden { limit: Money, amount: Money },
    /// Staff closing with a difference beyond the tolerance (403).
    #[error(
        "The count differs from the expected cash by {difference}, more than the {tolerance} \
         staff may close with: count again, or ask a manager to close."
    )]
    CloseForbidden { tolerance: Money, difference: Money },
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

money_moving_error!(CashError);

impl From<ServiceError> for CashError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid { field, message } => CashError::Invalid { field, message },
            ServiceError::OutOfRange { field } => CashError::OutOfRange { field },
            ServiceError::NotFound(what) => CashError::NotFound(what),
            ServiceError::Store(e) => CashError::Store(e),
            other => CashError::Internal(other.to_string()),
        }
    }
}

impl UseCaseError for CashError {
    const CODES: &'static [Code] = &[
        Code::Forbidden,
        Code::NotFound,
        Code::AlreadyExists,
        Code::InUse,
        Code::IdempotencyKeyReused,
        Code::RegisterInactive,
        Code::NoOpenSession,
        Code::SessionOpen,
        Code::SessionClosed,
        Code::ValidationFailed,
        Code::AmountOutOfRange,
        Code::Internal,
        Code::Unavailable,
    ];

    fn code(&self) -> Code {
        match self {
            CashError::Invalid { .. } => Code::ValidationFailed,
            CashError::OutOfRange { .. } => Code::AmountOutOfRange,
            CashError::NotFound(_) => Code::NotFound,
            CashError::RegisterClosed(_) => Code::RegisterInactive,
            CashError::NoOpenSession(_) => Code::NoOpenSession,
            CashError::SessionOpen { .. } => Code::SessionOpen,
            CashError::SessionClosed(_) => Code::SessionClosed,
            CashError::PayoutForbidden { .. } | CashError::CloseForbidden { .. } => Code::Forbidden,
            CashError::Elsewhere(_) => Code::Forbidden,
            CashError::KeyReused => Code::IdempotencyKeyReused,
            CashError::Store(e) => store_code(e),
            CashError::Internal(_) => Code::Internal,
        }
    }
}

impl From<CashError> for ServiceError {
    fn from(e: CashError) -> Self {
        match e {
            CashError::Invalid { field, message } => ServiceError::Invalid { field, message },
            CashError::OutOfRange { field } => ServiceError::OutOfRange { field },
            CashError::NotFound(what) => ServiceError::NotFound(what),
            CashError::RegisterClosed(e) => e.into(),
            CashError::NoOpenSession(e) => e.into(),
            e @ CashError::SessionOpen { .. } => ServiceError::Conflict {
                code: Code::SessionOpen,
                message: e.to_string(),
            },
            e @ CashError::SessionClosed(_) => ServiceError::Conflict {
                code: Code::SessionClosed,
                message: e.to_string(),
            },
            e @ (CashError::PayoutForbidden { .. } | CashError::CloseForbidden { .. }) => {
                ServiceError::Forbidden(e.to_string())
            }
            CashError::Elsewhere(message) => ServiceError::Forbidden(message),
            CashError::KeyReused => ServiceError::key_reused(),
            CashError::Store(e) => ServiceError::Store(e),
            CashError::Internal(cause) => ServiceError::Internal(cause),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::error::check_catalogue;

    #[test]
    fn cash_sessions_answer_the_codes_they_list() {
        let mut samples = CashError::common_samples();
        samples.push(CashError::Elsewhere("not your store".to_owned()));
        samples.extend([
            CashError::RegisterClosed(RegisterClosed {
                register: "R2".to_owned(),
            }),
            CashError::NoOpenSession(NoOpenSession {
                register: "R2".to_owned(),
                id: 2,
            }),
            CashError::SessionOpen {
                register: "R2".to_owned(),
                session: CashSessionId::new(4),
            },
            CashError::SessionClosed(CashSessionId::new(4)),
            CashError::PayoutForbidden {
                limit: Money::from_minor_units(2_000),
                amount: Money::from_minor_units(5_000),
            },
            CashError::CloseForbidden {
                tolerance: Money::from_minor_units(500),
                difference: Money::from_minor_units(-900),
            },
        ]);
        check_catalogue(samples);
    }
}
