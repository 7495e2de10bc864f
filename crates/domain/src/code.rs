//! The catalogue of error codes: every refusal the shop can answer, each with its stable code,
//! the kind of failure it is (which the HTTP adapter turns into a status) and what it means.
//!
//! A client branches on the code; the problem document's `detail` says what to do in words.
//! Codes are never renamed or reused: add a variant for a new refusal.

/// What kind of failure a code is; the HTTP adapter maps each to one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The request cannot be read (400).
    Malformed,
    /// No or bad credentials, or a login that ended (401).
    Unauthenticated,
    /// The caller's role does not allow it (403).
    Forbidden,
    /// Nothing exists there (404).
    NotFound,
    /// The path does not take that method (405).
    MethodNotAllowed,
    /// The current state refuses it: a clash, a rule on what is stored (409).
    Conflict,
    /// The body is larger than allowed (413).
    TooLarge,
    /// The body is not of a type the route takes (415).
    UnsupportedMediaType,
    /// Well-formed, but the values are refused as sent (422).
    Invalid,
    /// Too many attempts; retry later (429).
    TooManyRequests,
    /// A bug; logged, never detailed (500).
    Internal,
    /// The database is busy or unreachable; retrying may succeed (503).
    Unavailable,
}

macro_rules! catalogue {
    ($($(#[doc = $doc:literal])+ $variant:ident = $code:literal, $kind:ident;)+) => {
        /// A stable error code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl Code {
            /// Every code, in catalogue order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)+];

            /// The code as clients see it (`insufficient_stock`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)+
                }
            }

            pub const fn kind(self) -> Kind {
                match self {
                    $(Code::$variant => Kind::$kind,)+
                }
            }

            /// What the code means, in a line.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!($($doc),+).trim_ascii(),)+
                }
            }
        }
    };
}

catalogue! {
    /// The body is not valid JSON of the documented shape.
    MalformedJson = "malformed_json", Malformed;
    /// The body is not valid UTF-8 or could not be read.
    UnreadableBody = "unreadable_body", Malformed;
    /// The query string does not parse.
    InvalidQuery = "invalid_query", Malformed;
    /// A multipart upload is malformed.
    InvalidMultipart = "invalid_multipart", Malformed;
    /// The Idempotency-Key header is not 1 to 128 printable ASCII characters.
    InvalidIdempotencyKey = "invalid_idempotency_key", Malformed;
    /// Another error of the request's form.
    BadRequest = "bad_request", Malformed;
    /// No access token was sent.
    Unauthenticated = "unauthenticated", Unauthenticated;
    /// The access token is malformed or its signature is wrong.
    InvalidToken = "invalid_token", Unauthenticated;
    /// The access token has expired: refresh it.
    TokenExpired = "token_expired", Unauthenticated;
    /// The token's login ended (logout, password change, deactivation): log in again.
    SessionEnded = "session_ended", Unauthenticated;
    /// Wrong user or password (the two are not told apart).
    InvalidCredentials = "invalid_credentials", Unauthenticated;
    /// A refresh without the refresh cookie.
    RefreshTokenMissing = "refresh_token_missing", Unauthenticated;
    /// The refresh token is unknown.
    RefreshTokenInvalid = "refresh_token_invalid", Unauthenticated;
    /// The refresh token has expired: log in again.
    RefreshTokenExpired = "refresh_token_expired", Unauthenticated;
    /// A refresh token was used twice, so its whole login was ended.
    RefreshTokenReused = "refresh_token_reused", Unauthenticated;
    /// The account was deactivated.
    AccountInactive = "account_inactive", Unauthenticated;
    /// The caller's role does not allow this.
    Forbidden = "forbidden", Forbidden;
    /// Nothing exists with that identifier, or no such route.
    NotFound = "not_found", NotFound;
    /// The path exists but does not take this method.
    MethodNotAllowed = "method_not_allowed", MethodNotAllowed;
    /// Another record already has this unique value.
    AlreadyExists = "already_exists", Conflict;
    /// Products still refer to the record, so it cannot be deleted.
    InUse = "in_use", Conflict;
    /// The Idempotency-Key was already used for a different request.
    IdempotencyKeyReused = "idempotency_key_reused", Conflict;
    /// Not enough stock for a sale, a return to a supplier or a transfer.
    InsufficientStock = "insufficient_stock", Conflict;
    /// A credit sale would take the customer past their credit limit.
    CreditLimit = "credit_limit", Conflict;
    /// A payment is more than is owed.
    Overpayment = "overpayment", Conflict;
    /// A return is for more than is left of the sale.
    ReturnExceedsSale = "return_exceeds_sale", Conflict;
    /// The client's expected total differs from the server's price of the cart.
    TotalMismatch = "total_mismatch", Conflict;
    /// The register is switched off.
    RegisterInactive = "register_inactive", Conflict;
    /// The shop has as many registers as it may.
    RegisterLimit = "register_limit", Conflict;
    /// The default register cannot be switched off.
    DefaultRegister = "default_register", Conflict;
    /// The default store cannot be switched off.
    DefaultLocation = "default_location", Conflict;
    /// The register has no open cash session: open one first.
    NoOpenSession = "no_open_session", Conflict;
    /// The register already has an open cash session.
    SessionOpen = "session_open", Conflict;
    /// The cash session is closed; its Z report is final.
    SessionClosed = "session_closed", Conflict;
    /// The transfer is not in the step this asks for (shipping a shipped transfer, cancelling
    /// one on its way).
    TransferState = "transfer_state", Conflict;
    /// The last active admin cannot be demoted or deactivated.
    LastAdmin = "last_admin", Conflict;
    /// The current password given is wrong.
    PasswordChanged = "password_changed", Conflict;
    /// The expense was already voided.
    AlreadyVoid = "already_void", Conflict;
    /// The entry is a reversal itself, or was already reversed.
    NotReversible = "not_reversible", Conflict;
    /// The entry was posted by a document: undo the document instead.
    PostedByDocument = "posted_by_document", Conflict;
    /// The body is larger than the route takes.
    PayloadTooLarge = "payload_too_large", TooLarge;
    /// The body's content type is not one the route takes.
    UnsupportedMediaType = "unsupported_media_type", UnsupportedMediaType;
    /// Some fields are invalid; see `errors`.
    ValidationFailed = "validation_failed", Invalid;
    /// A figure would leave the documented range of amounts or quantities.
    AmountOutOfRange = "amount_out_of_range", Invalid;
    /// Only sales post to this control account.
    PostedBySales = "posted_by_sales", Invalid;
    /// Only purchases, supplier returns and supplier payments post to this control account.
    PostedBySupplierDocuments = "posted_by_supplier_documents", Invalid;
    /// Only sales, returns and customer payments post to this control account.
    PostedByCustomerDocuments = "posted_by_customer_documents", Invalid;
    /// Only stock documents (purchases, sales, returns, adjustments) post to this account.
    PostedByStockDocuments = "posted_by_stock_documents", Invalid;
    /// Only stock adjustments and counts post to this account.
    PostedByAdjustments = "posted_by_adjustments", Invalid;
    /// Only the opening balances post to this account.
    PostedByOpening = "posted_by_opening", Invalid;
    /// Too many attempts; retry after the Retry-After header's seconds.
    RateLimited = "rate_limited", TooManyRequests;
    /// An unexpected error; quote the X-Request-Id when reporting it.
    Internal = "internal", Internal;
    /// The database is busy or unreachable; retry.
    Unavailable = "unavailable", Unavailable;
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_snake_case_and_documented() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(s.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{s}");
            assert!(code.meaning().ends_with('.'), "{s}: {}", code.meaning());
        }
    }
}
