//! How checkout and the sale return fail.

use crate::catalog::Percent;
use crate::code::Code;
use crate::customers::CreditError;
use crate::error::StoreError;
use crate::money::Money;
use crate::sales::returns::ReturnError;
use crate::services::ServiceError;
use crate::services::error::{KEY_REUSED, UseCaseError, money_moving_error, store_code};
use crate::services::stock::InsufficientStock;

/// The register is switched off (409 `register_inactive`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Register {register} is switched off; sell at an active register (GET /api/registers).")]
pub struct RegisterClosed {
    /// The register's code.
    pub register: String,
}

impl From<RegisterClosed> for ServiceError {
    fn from(e: RegisterClosed) -> Self {
        ServiceError::Conflict {
            code: Code::RegisterInactive,
            message: e.to_string(),
        }
    }
}

/// The register has no open cash session, and is not the default one, whose first document
/// opens one (409 `no_open_session`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "Register {register} has no open cash session: open one with its float (POST \
     /api/registers/{id}/sessions), then sell."
)]
pub struct NoOpenSession {
    /// The register's code.
    pub register: String,
    pub id: i64,
}

impl From<NoOpenSession> for ServiceError {
    fn from(e: NoOpenSession) -> Self {
        ServiceError::Conflict {
            code: Code::NoOpenSession,
            message: e.to_string(),
        }
    }
}

/// Why a sale at the counter (a new cart or a held one) is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckoutError {
    /// The lines, the register, a payment method, the customer, a due without a customer, or
    /// the date.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// A line, the total, the payments or the sale's cost out of range.
    #[error("{field} {}", crate::money::OutOfRange)]
    OutOfRange { field: String },
    /// The held sale is gone (completed, discarded, or taken by another till).
    #[error("no {0} with that id")]
    NotFound(&'static str),
    /// A price override below the manager role (403).
    #[error("Overriding a price needs the manager role or higher.")]
    PriceOverrideForbidden,
    /// Discounts beyond the staff limit below the manager role (403).
    #[error(
        "Discounts above {} % of the sale ({allowed}) need the manager role or higher; these \
         come to {discount}.",
        .limit.value()
    )]
    DiscountForbidden {
        limit: Percent,
        allowed: Money,
        discount: Money,
    },
    /// A sale on credit below the manager role (403).
    #[error("A sale on credit needs the manager role or higher.")]
    CreditSaleForbidden,
    /// The customer is given no credit, or would owe more than the limit (409 `credit_limit`).
    #[error(transparent)]
    OverCreditLimit(CreditError),
    /// Fewer units on hand than a line sells (409 `insufficient_stock`).
    #[error(transparent)]
    InsufficientStock(#[from] InsufficientStock),
    /// The till expected another total (409 `total_mismatch`).
    #[error(
        "The sale totals {total} here, not {expected}: prices or taxes changed. Nothing was \
         charged."
    )]
    TotalMismatch { total: Money, expected: Money },
    /// The register is switched off (409 `register_inactive`).
    #[error(transparent)]
    RegisterClosed(#[from] RegisterClosed),
    /// The register has no open cash session (409 `no_open_session`).
    #[error(transparent)]
    NoOpenSession(#[from] NoOpenSession),
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

money_moving_error!(CheckoutError);

impl UseCaseError for CheckoutError {
    const CODES: &'static [Code] = &[
        Code::Forbidden,
        Code::NotFound,
        Code::AlreadyExists,
        Code::InUse,
        Code::IdempotencyKeyReused,
        Code::InsufficientStock,
        Code::CreditLimit,
        Code::TotalMismatch,
        Code::RegisterInactive,
        Code::NoOpenSession,
        Code::ValidationFailed,
        Code::AmountOutOfRange,
        Code::Internal,
        Code::Unavailable,
    ];

    fn code(&self) -> Code {
        match self {
            CheckoutError::Invalid { .. } => Code::ValidationFailed,
            CheckoutError::OutOfRange { .. } => Code::AmountOutOfRange,
            CheckoutError::NotFound(_) => Code::NotFound,
            CheckoutError::PriceOverrideForbidden
            | CheckoutError::DiscountForbidden { .. }
            | CheckoutError::CreditSaleForbidden => Code::Forbidden,
            CheckoutError::OverCreditLimit(_) => Code::CreditLimit,
            CheckoutError::InsufficientStock(_) => Code::InsufficientStock,
            CheckoutError::TotalMismatch { .. } => Code::TotalMismatch,
            CheckoutError::RegisterClosed(_) => Code::RegisterInactive,
            CheckoutError::NoOpenSession(_) => Code::NoOpenSession,
            CheckoutError::Elsewhere(_) => Code::Forbidden,
            CheckoutError::KeyReused => Code::IdempotencyKeyReused,
            CheckoutError::Store(e) => store_code(e),
            CheckoutError::Internal(_) => Code::Internal,
        }
    }
}

impl From<CheckoutError> for ServiceError {
    fn from(e: CheckoutError) -> Self {
        match e {
            CheckoutError::Invalid { field, message } => ServiceError::Invalid { field, message },
            CheckoutError::OutOfRange { field } => ServiceError::OutOfRange { field },
            CheckoutError::NotFound(what) => ServiceError::NotFound(what),
            e @ (CheckoutError::PriceOverrideForbidden
            | CheckoutError::DiscountForbidden { .. }
            | CheckoutError::CreditSaleForbidden) => ServiceError::Forbidden(e.to_string()),
            CheckoutError::OverCreditLimit(e) => ServiceError::Conflict {
                code: Code::CreditLimit,
                message: e.to_string(),
            },
            CheckoutError::InsufficientStock(e) => e.into(),
            e @ CheckoutError::TotalMismatch { .. } => ServiceError::Conflict {
                code: Code::TotalMismatch,
                message: e.to_string(),
            },
            CheckoutError::RegisterClosed(e) => e.into(),
            CheckoutError::NoOpenSession(e) => e.into(),
            CheckoutError::Elsewhere(message) => ServiceError::Forbidden(message),
            CheckoutError::KeyReused => ServiceError::key_reused(),
            CheckoutError::Store(e) => ServiceError::Store(e),
            CheckoutError::Internal(cause) => ServiceError::Internal(cause),
        }
    }
}

/// Why a return of part of a sale is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SaleReturnError {
    /// The lines (none, named twice, not of this sale, zero), the register, the refund method
    /// or the date.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{field} {}", crate::money::OutOfRange)]
    OutOfRange { field: String },
    /// No such sale.
    #[error("no {0} with that id")]
    NotFound(&'static str),
    /// The `line`th line returns more than is left of it (409 `return_exceeds_sale`).
    #[error("lines[{line}]: {error}")]
    ReturnExceedsSale {
        line: usize,
        #[source]
        error: ReturnError,
    },
    /// Refunds on the sale beyond the staff limit below the manager role (403).
    #[error(
        "Refunds on one sale above {limit} in all need the manager role or higher; this return \
         would bring the sale's refunds to {refunded}."
    )]
    RefundForbidden { limit: Money, refunded: Money },
    /// The register is switched off (409 `register_inactive`).
    #[error(transparent)]
    RegisterClosed(#[from] RegisterClosed),
    /// The register has no open cash session (409 `no_open_session`).
    #[error(transparent)]
    NoOpenSession(#[from] NoOpenSession),
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

money_moving_error!(SaleReturnError);

impl UseCaseError for SaleReturnError {
    const CODES: &'static [Code] = &[
        Code::Forbidden,
        Code::NotFound,
        Code::AlreadyExists,
        Code::InUse,
        Code::IdempotencyKeyReused,
        Code::ReturnExceedsSale,
        Code::RegisterInactive,
        Code::NoOpenSession,
        Code::ValidationFailed,
        Code::AmountOutOfRange,
        Code::Internal,
        Code::Unavailable,
    ];

    fn code(&self) -> Code {
        match self {
            SaleReturnError::Invalid { .. } => Code::ValidationFailed,
            SaleReturnError::OutOfRange { .. } => Code::AmountOutOfRange,
            SaleReturnError::NotFound(_) => Code::NotFound,
            SaleReturnError::ReturnExceedsSale { .. } => Code::ReturnExceedsSale,
            SaleReturnError::RefundForbidden { .. } => Code::Forbidden,
            SaleReturnError::RegisterClosed(_) => Code::RegisterInactive,
            SaleReturnError::NoOpenSession(_) => Code::NoOpenSession,
            SaleReturnError::Elsewhere(_) => Code::Forbidden,
            SaleReturnError::KeyReused => Code::IdempotencyKeyReused,
            SaleReturnError::Store(e) => store_code(e),
            SaleReturnError::Internal(_) => Code::Internal,
        }
    }
}

impl From<SaleReturnError> for ServiceError {
    fn from(e: SaleReturnError) -> Self {
        match e {
            SaleReturnError::Invalid { field, message } => ServiceError::Invalid { field, message },
            SaleReturnError::OutOfRange { field } => ServiceError::OutOfRange { field },
            SaleReturnError::NotFound(what) => ServiceError::NotFound(what),
            e @ SaleReturnError::ReturnExceedsSale { .. } => ServiceError::Conflict {
                code: Code::ReturnExceedsSale,
                message: e.to_string(),
            },
            e @ SaleReturnError::RefundForbidden { .. } => ServiceError::Forbidden(e.to_string()),
            SaleReturnError::RegisterClosed(e) => e.into(),
            SaleReturnError::NoOpenSession(e) => e.into(),
            SaleReturnError::Elsewhere(message) => ServiceError::Forbidden(message),
            SaleReturnError::KeyReused => ServiceError::key_reused(),
            SaleReturnError::Store(e) => ServiceError::Store(e),
            SaleReturnError::Internal(cause) => ServiceError::Internal(cause),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ProductId;
    use crate::quantity::Quantity;
    use crate::services::error::check_catalogue;

    fn closed() -> RegisterClosed {
        RegisterClosed {
            register: "R2".to_owned(),
        }
    }

    fn sessionless() -> NoOpenSession {
        NoOpenSession {
            register: "R2".to_owned(),
            id: 2,
        }
    }

    #[test]
    fn checkout_answers_the_codes_it_lists() {
        let money = Money::from_minor_units;
        let mut samples = CheckoutError::common_samples();
        samples.push(CheckoutError::Elsewhere("not your store".to_owned()));
        samples.extend([
            CheckoutError::PriceOverrideForbidden,
            CheckoutError::DiscountForbidden {
                limit: Percent::new(rust_decimal::Decimal::TEN).expect("a percent"),
                allowed: money(0),
                discount: money(100),
            },
            CheckoutError::CreditSaleForbidden,
            CheckoutError::OverCreditLimit(CreditError::NoCredit),
            CheckoutError::InsufficientStock(InsufficientStock {
                product_id: ProductId::new(1),
                sku: "SKU-1".to_owned(),
                requested: Quantity::from_thousandths(2_000),
                available: Quantity::from_thousandths(1_000),
            }),
            CheckoutError::TotalMismatch {
                total: money(1_000),
                expected: money(900),
            },
            CheckoutError::RegisterClosed(closed()),
            CheckoutError::NoOpenSession(sessionless()),
        ]);
        check_catalogue(samples);
    }

    #[test]
    fn a_sale_return_answers_the_codes_it_lists() {
        let mut samples = SaleReturnError::common_samples();
        samples.push(SaleReturnError::Elsewhere("not your store".to_owned()));
        samples.extend([
            SaleReturnError::ReturnExceedsSale {
                line: 0,
                error: ReturnError::TooMany {
                    left: Quantity::from_thousandths(1_000),
                    requested: Quantity::from_thousandths(2_000),
                },
            },
            SaleReturnError::RefundForbidden {
                limit: Money::from_minor_units(10_000),
                refunded: Money::from_minor_units(20_000),
            },
            SaleReturnError::RegisterClosed(closed()),
            SaleReturnError::NoOpenSession(sessionless()),
        ]);
        check_catalogue(samples);
    }
}
