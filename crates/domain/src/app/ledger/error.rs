//! How the books' money-moving use cases fail: a payment, an expense and its void, a journal
//! reversal, the opening balances.

use crate::app::lookups::{ControlAccount, ManualAccountError};
use crate::code::Code;
use crate::error::StoreError;
use crate::ids::ExpenseId;
use crate::ledger::entry::{PostedByDocument, ReversalError};
use crate::services::ServiceError;
use crate::services::error::{KEY_REUSED, Refusal, UseCaseError, money_moving_error, store_code};

/// Why posting the mirror of an entry is refused: it is a reversal itself or was reversed
/// already (409 `not_reversible`), or a shared step refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnreversedError {
    #[error(transparent)]
    NotReversible(#[from] ReversalError),
    #[error(transparent)]
    Refusal(#[from] Refusal),
}

fn not_reversible(e: ReversalError) -> ServiceError {
    ServiceError::Conflict {
        code: Code::NotReversible,
        message: e.to_string(),
    }
}

/// Why recording a payment with no customer or supplier is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    /// The method, the counter account (unknown, inactive, the method's own) or the date.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{field} {}", crate::money::OutOfRange)]
    OutOfRange { field: String },
    #[error("no {0} with that id")]
    NotFound(&'static str),
    /// The counter account is a control account (422 `posted_by_*`).
    #[error(transparent)]
    ControlAccount(#[from] ControlAccount),
    /// Money out, or a payment against an expense account, by staff (403).
    #[error(
        "Paying money out, or a payment against an expense account (as {account} is), needs the \
         manager role or higher; expenses go through POST /api/expenses."
    )]
    ManagerOnly { account: String },
    #[error("{}", KEY_REUSED)]
    KeyReused,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

money_moving_error!(PaymentError);

impl From<ManualAccountError> for PaymentError {
    fn from(e: ManualAccountError) -> Self {
        match e {
            ManualAccountError::ControlAccount(e) => e.into(),
            ManualAccountError::Refusal(e) => e.into(),
        }
    }
}

impl UseCaseError for PaymentError {
    const CODES: &'static [Code] = &[
        Code::Forbidden,
        Code::NotFound,
        Code::AlreadyExists,
        Code::InUse,
        Code::IdempotencyKeyReused,
        Code::ValidationFailed,
        Code::AmountOutOfRange,
        Code::PostedBySales,
        Code::PostedBySupplierDocuments,
        Code::PostedByCustomerDocuments,
        Code::PostedByStockDocuments,
        Code::PostedByAdjustments,
        Code::PostedByOpening,
        Code::Internal,
        Code::Unavailable,
    ];

    fn code(&self) -> Code {
        match self {
            PaymentError::Invalid { .. } => Code::ValidationFailed,
            PaymentError::OutOfRange { .. } => Code::AmountOutOfRange,
            PaymentError::NotFound(_) => Code::NotFound,
            PaymentError::ControlAccount(e) => e.code(),
            PaymentError::ManagerOnly { .. } => Code::Forbidden,
            PaymentError::KeyReused => Code::IdempotencyKeyReused,
            PaymentError::Store(e) => store_code(e),
            PaymentError::Internal(_) => Code::Internal,
        }
    }
}

impl From<PaymentError> for ServiceError {
    fn from(e: PaymentError) -> Self {
        match e {
            PaymentError::Invalid { field, message } => ServiceError::Invalid { field, message },
            PaymentError::OutOfRange { field } => ServiceError::OutOfRange { field },
            PaymentError::NotFound(what) => ServiceError::NotFound(what),
            PaymentError::ControlAccount(e) => e.into(),
            e @ PaymentError::ManagerOnly { .. } => ServiceError::Forbidden(e.to_string()),
            PaymentError::KeyReused => ServiceError::key_reused(),
            PaymentError::Store(e) => ServiceError::Store(e),
            PaymentError::Internal(cause) => ServiceError::Internal(cause),
        }
    }
}

/// Why recording or voiding an expense is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpenseError {
    /// The category, the method or the date.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{field} {}", crate::money::OutOfRange)]
    OutOfRange { field: String },
    /// No such expense (a void).
    #[error("no {0} with that id")]
    NotFound(&'static str),
    /// The expense was voided already (409 `already_void`).
    #[error("Expense {0} is already void. Nothing was changed.")]
    AlreadyVoid(ExpenseId),
    /// Its entry was reversed already (409 `not_reversible`).
    #[error(transparent)]
    NotReversible(ReversalError),
    #[error("{}", KEY_REUSED)]
    KeyReused,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

money_moving_error!(ExpenseError);

impl From<UnreversedError> for ExpenseError {
    fn from(e: UnreversedError) -> Self {
        match e {
            UnreversedError::NotReversible(e) => ExpenseError::NotReversible(e),
            UnreversedError::Refusal(e) => e.into(),
        }
    }
}

impl UseCaseError for ExpenseError {
    const CODES: &'static [Code] = &[
        Code::NotFound,
        Code::AlreadyExists,
        Code::InUse,
        Code::IdempotencyKeyReused,
        Code::AlreadyVoid,
        Code::NotReversible,
        Code::ValidationFailed,
        Code::AmountOutOfRange,
        Code::Internal,
        Code::Unavailable,
    ];

    fn code(&self) -> Code {
        match self {
            ExpenseError::Invalid { .. } => Code::ValidationFailed,
            ExpenseError::OutOfRange { .. } => Code::AmountOutOfRange,
            ExpenseError::NotFound(_) => Code::NotFound,
            ExpenseError::AlreadyVoid(_) => Code::AlreadyVoid,
            ExpenseError::NotReversible(_) => Code::NotReversible,
            ExpenseError::KeyReused => Code::IdempotencyKeyReused,
            ExpenseError::Store(e) => store_code(e),
            ExpenseError::Internal(_) => Code::Internal,
        }
    }
}

impl From<ExpenseError> for ServiceError {
    fn from(e: ExpenseError) -> Self {
        match e {
            ExpenseError::Invalid { field, message } => ServiceError::Invalid { field, message },
            ExpenseError::OutOfRange { field } => ServiceError::OutOfRange { field },
            ExpenseError::NotFound(what) => ServiceError::NotFound(what),
            e @ ExpenseError::AlreadyVoid(_) => ServiceError::Conflict {
                code: Code::AlreadyVoid,
                message: e.to_string(),
            },
            ExpenseError::NotReversible(e) => not_reversible(e),
            ExpenseError::KeyReused => ServiceError::key_reused(),
            ExpenseError::Store(e) => ServiceError::Store(e),
            ExpenseError::Internal(cause) => ServiceError::Internal(cause),
        }
    }
}

/// Why reversing a journal entry is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReverseEntryError {
    /// The date.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{field} {}", crate::money::OutOfRange)]
    OutOfRange { field: String },
    /// No such entry.
    #[error("no {0} with that id")]
    NotFound(&'static str),
    /// A document posted it: its own operation undoes it (409 `posted_by_document`).
    #[error("{0}. Nothing was changed.")]
    PostedByDocument(#[source] PostedByDocument),
    /// Opening balances, reversed by someone below admin (403).
    #[error("Opening balances are posted and reversed by admins only.")]
    OpeningAdminOnly,
    /// A reversal itself, or reversed already (409 `not_reversible`).
    #[error(transparent)]
    NotReversible(ReversalError),
    #[error("{}", KEY_REUSED)]
    KeyReused,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

money_moving_error!(ReverseEntryError);

impl From<UnreversedError> for ReverseEntryError {
    fn from(e: UnreversedError) -> Self {
        match e {
            UnreversedError::NotReversible(e) => ReverseEntryError::NotReversible(e),
            UnreversedError::Refusal(e) => e.into(),
        }
    }
}

impl UseCaseError for ReverseEntryError {
    const CODES: &'static [Code] = &[
        Code::Forbidden,
        Code::NotFound,
        Code::AlreadyExists,
        Code::InUse,
        Code::IdempotencyKeyReused,
        Code::NotReversible,
        Code::PostedByDocument,
        Code::ValidationFailed,
        Code::AmountOutOfRange,
        Code::Internal,
        Code::Unavailable,
    ];

    fn code(&self) -> Code {
        match self {
            ReverseEntryError::Invalid { .. } => Code::ValidationFailed,
            ReverseEntryError::OutOfRange { .. } => Code::AmountOutOfRange,
            ReverseEntryError::NotFound(_) => Code::NotFound,
            ReverseEntryError::PostedByDocument(_) => Code::PostedByDocument,
            ReverseEntryError::OpeningAdminOnly => Code::Forbidden,
            ReverseEntryError::NotReversible(_) => Code::NotReversible,
            ReverseEntryError::KeyReused => Code::IdempotencyKeyReused,
            ReverseEntryError::Store(e) => store_code(e),
            ReverseEntryError::Internal(_) => Code::Internal,
        }
    }
}

impl From<ReverseEntryError> for ServiceError {
    fn from(e: ReverseEntryError) -> Self {
        match e {
            ReverseEntryError::Invalid { field, message } => {
                ServiceError::Invalid { field, message }
            }
            ReverseEntryError::OutOfRange { field } => ServiceError::OutOfRange { field },
            ReverseEntryError::NotFound(what) => ServiceError::NotFound(what),
            e @ ReverseEntryError::PostedByDocument(_) => ServiceError::Conflict {
                code: Code::PostedByDocument,
                message: e.to_string(),
            },
            e @ ReverseEntryError::OpeningAdminOnly => ServiceError::Forbidden(e.to_string()),
            ReverseEntryError::NotReversible(e) => not_reversible(e),
            ReverseEntryError::KeyReused => ServiceError::key_reused(),
            ReverseEntryError::Store(e) => ServiceError::Store(e),
            ReverseEntryError::Internal(cause) => ServiceError::Internal(cause),
        }
    }
}

/// Why posting the opening balances is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpeningError {
    /// An account (unknown, inactive, not on the balance sheet), the lines or the date.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{field} {}", crate::money::OutOfRange)]
    OutOfRange { field: String },
    #[error("no {0} with that id")]
    NotFound(&'static str),
    /// A line names a control account other than the opening-balances equity (422
    /// `posted_by_*`).
    #[error(transparent)]
    ControlAccount(#[from] ControlAccount),
    #[error("{}", KEY_REUSED)]
    KeyReused,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

money_moving_error!(OpeningError);

impl From<ManualAccountError> for OpeningError {
    fn from(e: ManualAccountError) -> Self {
        match e {
            ManualAccountError::ControlAccount(e) => e.into(),
            ManualAccountError::Refusal(e) => e.into(),
        }
    }
}

impl UseCaseError for OpeningError {
    const CODES: &'static [Code] = &[
        Code::NotFound,
        Code::AlreadyExists,
        Code::InUse,
        Code::IdempotencyKeyReused,
        Code::ValidationFailed,
        Code::AmountOutOfRange,
        Code::PostedBySales,
        Code::PostedBySupplierDocuments,
        Code::PostedByCustomerDocuments,
        Code::PostedByStockDocuments,
        Code::PostedByAdjustments,
        Code::Internal,
        Code::Unavailable,
    ];

    fn code(&self) -> Code {
        match self {
            OpeningError::Invalid { .. } => Code::ValidationFailed,
            OpeningError::OutOfRange { .. } => Code::AmountOutOfRange,
            OpeningError::NotFound(_) => Code::NotFound,
            OpeningError::ControlAccount(e) => e.code(),
            OpeningError::KeyReused => Code::IdempotencyKeyReused,
            OpeningError::Store(e) => store_code(e),
            OpeningError::Internal(_) => Code::Internal,
        }
    }
}

impl From<OpeningError> for ServiceError {
    fn from(e: OpeningError) -> Self {
        match e {
            OpeningError::Invalid { field, message } => ServiceError::Invalid { field, message },
            OpeningError::OutOfRange { field } => ServiceError::OutOfRange { field },
            OpeningError::NotFound(what) => ServiceError::NotFound(what),
            OpeningError::ControlAccount(e) => e.into(),
            OpeningError::KeyReused => ServiceError::key_reused(),
            OpeningError::Store(e) => ServiceError::Store(e),
            OpeningError::Internal(cause) => ServiceError::Internal(cause),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::EntryId;
    use crate::ledger::SourceKind;
    use crate::ledger::chart::PostedBy;
    use crate::services::error::check_catalogue;

    fn control(posted_by: PostedBy) -> ControlAccount {
        ControlAccount {
            posted_by,
            field: "account_code".to_owned(),
            account: "1200".to_owned(),
            name: "Inventory".to_owned(),
        }
    }

    const CONTROLLED: [PostedBy; 6] = [
        PostedBy::StockDocuments,
        PostedBy::CustomerDocuments,
        PostedBy::SupplierDocuments,
        PostedBy::Counter,
        PostedBy::Adjustments,
        PostedBy::Opening,
    ];

    #[test]
    fn a_payment_answers_the_codes_it_lists() {
        let mut samples = PaymentError::common_samples();
        samples.extend(CONTROLLED.map(|p| PaymentError::ControlAccount(control(p))));
        samples.push(PaymentError::ManagerOnly {
            account: "6100".to_owned(),
        });
        check_catalogue(samples);
    }

    #[test]
    fn an_expense_answers_the_codes_it_lists() {
        let mut samples = ExpenseError::common_samples();
        samples.push(ExpenseError::AlreadyVoid(ExpenseId::new(3)));
        samples.push(ExpenseError::NotReversible(ReversalError::AlreadyReversed(
            EntryId::new(7),
        )));
        check_catalogue(samples);
    }

    #[test]
    fn a_reversal_answers_the_codes_it_lists() {
        let mut samples = ReverseEntryError::common_samples();
        samples.push(ReverseEntryError::PostedByDocument(PostedByDocument {
            entry: EntryId::new(7),
            kind: SourceKind::Sale,
            undo: "return the goods",
        }));
        samples.push(ReverseEntryError::OpeningAdminOnly);
        samples.push(ReverseEntryError::NotReversible(
            ReversalError::IsAReversal(EntryId::new(7)),
        ));
        check_catalogue(samples);
    }

    #[test]
    fn the_opening_balances_answer_the_codes_they_list() {
        let mut samples = OpeningError::common_samples();
        // The opening-balances account is the one control account they post.
        samples.extend(
            CONTROLLED
                .into_iter()
                .filter(|p| *p != PostedBy::Opening)
                .map(|p| OpeningError::ControlAccount(control(p))),
        );
        check_catalogue(samples);
    }
}
