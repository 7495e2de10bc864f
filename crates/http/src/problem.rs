//! Every error the API returns, rendered as RFC 9457 `application/problem+json`.
//!
//! Each error has a stable machine `code` (also the last segment of `type`), so clients branch on
//! the code and show `detail` to people. 5xx responses never carry internals: the cause is
//! logged with the request id, which the client sees in the `X-Request-Id` header.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use pos_domain::code::{Code, Kind};
use pos_domain::error::{Referenced, StoreError};
use std::fmt;

pub use pos_api::problem::{Checked, FieldError, FieldErrors, Invalid, Problem, Unrenderable};

pub const PROBLEM_JSON: &str = "application/problem+json";

/// The errors of the API. Each variant has a deliberate status and code.
#[derive(Debug)]
pub enum ApiError {
    /// 400: the body is not JSON, or a parameter is malformed.
    BadRequest { code: Code, detail: String },
    /// 401: no token, a bad or expired token, or wrong credentials.
    Unauthorized { code: Code, detail: String },
    /// 403: authenticated, but the role does not allow this.
    Forbidden { detail: String },
    /// 404
    NotFound { what: &'static str },
    /// 409: a unique value is taken, a row is in use, or a rule on current state refuses it.
    Conflict {
        code: Code,
        detail: String,
        errors: Vec<FieldError>,
    },
    /// 413
    PayloadTooLarge { detail: String },
    /// 415
    UnsupportedMediaType { detail: String },
    /// 422: the request is well-formed but some fields are invalid.
    Validation { errors: Vec<FieldError> },
    /// 422: a business rule refuses the request as sent, with its own stable code (a control
    /// account named by a manual posting, an amount out of range...).
    Refused {
        code: Code,
        detail: String,
        errors: Vec<FieldError>,
    },
    /// 429: too many failed logins; `retry_after` seconds until the next try.
    TooManyRequests { detail: String, retry_after: u64 },
    /// 503: the database is busy or unreachable; retrying may succeed.
    Unavailable { detail: String },
    /// 500: a bug or an infrastructure failure. The cause is logged, never sent.
    Internal { cause: String },
}

impl ApiError {
    pub fn validation(field: impl Into<String>, message: impl fmt::Display) -> Self {
        ApiError::Validation {
            errors: vec![FieldError::new(field, message)],
        }
    }

    /// A 422 with its own code, naming the field that the rule refused.
    pub fn refused(code: Code, field: impl Into<String>, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        ApiError::Refused {
            code,
            errors: vec![FieldError::new(field, &detail)],
            detail,
        }
    }

    /// 422 `amount_out_of_range`: a figure computed from the request (a line, a total, a
    /// balance it moves) would leave the documented range.
    pub fn out_of_range(field: impl Into<String>) -> Self {
        let field = field.into();
        ApiError::refused(
            Code::AmountOutOfRange,
            field.clone(),
            format!(
                "{field} {}. Nothing was changed.",
                pos_domain::money::OutOfRange
            ),
        )
    }

    pub fn unauthorized(code: Code, detail: impl Into<String>) -> Self {
        ApiError::Unauthorized {
            code,
            detail: detail.into(),
        }
    }

    /// Converts a store error, naming `what` was not found.
    pub fn store_for(what: &'static str) -> impl Fn(StoreError) -> ApiError {
        move |err| match err {
            StoreError::NotFound => ApiError::NotFound { what },
            other => other.into(),
        }
    }

    pub fn internal(cause: impl fmt::Display) -> Self {
        ApiError::Internal {
            cause: cause.to_string(),
        }
    }

    /// The error's code in the catalogue, which also decides its status.
    pub fn code(&self) -> Code {
        match self {
            ApiError::BadRequest { code, .. }
            | ApiError::Unauthorized { code, .. }
            | ApiError::Conflict { code, .. }
            | ApiError::Refused { code, .. } => *code,
            ApiError::Forbidden { .. } => Code::Forbidden,
            ApiError::NotFound { .. } => Code::NotFound,
            ApiError::PayloadTooLarge { .. } => Code::PayloadTooLarge,
            ApiError::UnsupportedMediaType { .. } => Code::UnsupportedMediaType,
            ApiError::Validation { .. } => Code::ValidationFailed,
            ApiError::Unavailable { .. } => Code::Unavailable,
            ApiError::TooManyRequests { .. } => Code::RateLimited,
            ApiError::Internal { .. } => Code::Internal,
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::BadRequest { detail, .. }
            | ApiError::Unauthorized { detail, .. }
            | ApiError::Forbidden { detail }
            | ApiError::Conflict { detail, .. }
            | ApiError::Refused { detail, .. }
            | ApiError::PayloadTooLarge { detail }
            | ApiError::UnsupportedMediaType { detail }
            | ApiError::Unavailable { detail }
            | ApiError::TooManyRequests { detail, .. } => detail.clone(),
            ApiError::NotFound { what } => format!("No {what} exists with that identifier."),
            ApiError::Validation { errors } => format!(
                "{} field(s) are invalid; see `errors` and correct them before retrying.",
                errors.len()
            ),
            ApiError::Internal { .. } => {
                "An unexpected error occurred. It has been logged; quote the X-Request-Id header \
                 when reporting it."
                    .to_owned()
            }
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let errors = match self {
            ApiError::Validation { errors }
            | ApiError::Conflict { errors, .. }
            | ApiError::Refused { errors, .. } => errors.clone(),
            _ => Vec::new(),
        };
        Problem {
            type_uri: format!("urn:pos:problem:{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: self.detail(),
            code: self.code().as_str().to_owned(),
            errors,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Internal { cause } => write!(f, "internal error: {cause}"),
            other => write!(f, "{}: {}", other.code(), other.detail()),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        status_of(self.code())
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal { cause } => tracing::error!(%cause, "request failed"),
            ApiError::Unavailable { detail } => tracing::warn!(%detail, "storage unavailable"),
            _ => {}
        }
        let mut response = problem_response(self.status_code(), &self.problem());
        // For the metrics middleware (`checkouts_total` by refusal code).
        response
            .extensions_mut()
            .insert(crate::metrics::ProblemCode(self.code().as_str()));
        if let ApiError::TooManyRequests { retry_after, .. } = self
            && let Ok(value) = retry_after.to_string().parse()
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// The status of every code of a kind: the one place a code meets HTTP.
pub fn status_of(code: Code) -> StatusCode {
    match code.kind() {
        Kind::Malformed => StatusCode::BAD_REQUEST,
        Kind::Unauthenticated => StatusCode::UNAUTHORIZED,
        Kind::Forbidden => StatusCode::FORBIDDEN,
        Kind::NotFound => StatusCode::NOT_FOUND,
        Kind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        Kind::Conflict => StatusCode::CONFLICT,
        Kind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Kind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Kind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        Kind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        Kind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    }
}

pub fn problem_response(status: StatusCode, problem: &Problem) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
    if status == StatusCode::UNAUTHORIZED {
        response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
    }
    response.json(problem)
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => ApiError::NotFound { what: "record" },
            StoreError::Duplicate(unique) => ApiError::Conflict {
                code: Code::AlreadyExists,
                detail: format!(
                    "Another record already has this {}; choose a different one.",
                    unique.field()
                ),
                errors: vec![FieldError::new(unique.field(), "is already taken")],
            },
            StoreError::InUse(Referenced::ByProducts) => ApiError::Conflict {
                code: Code::InUse,
                detail: "Products still refer to this record; reassign or deactivate them first."
                    .to_owned(),
                errors: Vec::new(),
            },
            StoreError::MissingReference(field) => {
                ApiError::validation(field, "refers to a record that does not exist")
            }
            StoreError::Contention(detail) => ApiError::Unavailable {
                detail: format!("The database is busy ({detail}); retry the request."),
            },
            StoreError::OutOfRange(what) => ApiError::out_of_range(what),
            // The whole chain, driver errors included, for the log line of the 500.
            backend @ StoreError::Backend(_) => ApiError::Internal {
                cause: pos_domain::error::error_chain(&backend),
            },
        }
    }
}

impl From<pos_domain::services::ServiceError> for ApiError {
    fn from(err: pos_domain::services::ServiceError) -> Self {
        use pos_domain::services::ServiceError as E;
        match err {
            E::NotFound(what) => ApiError::NotFound { what },
            E::Forbidden(detail) => ApiError::Forbidden { detail },
            E::Unauthorized { code, message } => ApiError::unauthorized(code, message),
            E::TooManyRequests {
                message,
                retry_after,
            } => ApiError::TooManyRequests {
                detail: message,
                retry_after,
            },
            E::Invalid { field, message } => ApiError::validation(field, message),
            E::Conflict { code, message } => ApiError::Conflict {
                code,
                detail: message,
                errors: Vec::new(),
            },
            E::InsufficientStock {
                product_id,
                sku,
                requested,
                available,
            } => ApiError::Conflict {
                code: Code::InsufficientStock,
                detail: format!(
                    "{sku} (product {product_id}) has only {available} in stock; {requested} was requested. Nothing was changed."
                ),
                errors: Vec::new(),
            },
            E::Refused {
                code,
                field,
                message,
            } => ApiError::refused(code, field, message),
            E::OutOfRange { field } => ApiError::out_of_range(field),
            E::Store(e) => e.into(),
            E::Internal(cause) => ApiError::Internal { cause },
        }
    }
}

/// Each money-moving use case's own error renders as it did as a [`ServiceError`]: the same
/// status, code, detail and field errors.
///
/// [`ServiceError`]: pos_domain::services::ServiceError
macro_rules! through_service_error {
    ($($error:ty),+ $(,)?) => {
        $(
            impl From<$error> for ApiError {
                fn from(err: $error) -> Self {
                    pos_domain::services::ServiceError::from(err).into()
                }
            }
        )+
    };
}

through_service_error!(
    pos_domain::services::sales::CheckoutError,
    pos_domain::services::sales::SaleReturnError,
    pos_domain::services::purchasing::ReceivePurchaseError,
    pos_domain::services::purchasing::SupplierReturnError,
    pos_domain::services::settlement::SettlementError,
    pos_domain::services::stock::StockError,
    pos_domain::services::error::Refusal,
    pos_domain::app::ledger::PaymentError,
    pos_domain::app::ledger::ExpenseError,
    pos_domain::app::ledger::ReverseEntryError,
    pos_domain::app::ledger::OpeningError,
    pos_domain::app::cash::CashError,
    pos_domain::app::transfers::TransferError,
);

impl From<garde::Report> for ApiError {
    fn from(report: garde::Report) -> Self {
        ApiError::Validation {
            errors: FieldErrors::from(report).into_vec(),
        }
    }
}

impl From<Unrenderable> for ApiError {
    fn from(e: Unrenderable) -> Self {
        match e {
            Unrenderable::OutOfRange(field) => ApiError::out_of_range(field),
            Unrenderable::Broken(cause) => ApiError::internal(cause),
        }
    }
}

impl From<Invalid> for ApiError {
    fn from(invalid: Invalid) -> Self {
        match invalid {
            Invalid::Fields(errors) => ApiError::Validation { errors },
            Invalid::Lost => ApiError::internal("a field check kept neither a value nor an error"),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        ApiError::internal(err)
    }
}

/// Turns extractor failures (bad query or path) into problems.
pub mod extractors {
    use super::ApiError;
    use actix_web::error::{PathError, QueryPayloadError};
    use actix_web::{Error, HttpRequest};
    use pos_domain::code::Code;

    pub fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> Error {
        ApiError::BadRequest {
            code: Code::InvalidQuery,
            detail: format!("Invalid query string: {err}"),
        }
        .into()
    }

    /// A path that does not parse (`/api/products/abc`) names no resource: 404.
    pub fn path_error(_err: PathError, _req: &HttpRequest) -> Error {
        ApiError::NotFound { what: "resource" }.into()
    }

    /// serde names the offending field in backticks ("unknown field `role`"); use it as the
    /// field of the error where it can be found, else the whole body.
    pub(crate) fn field_of(message: &str) -> String {
        message.split('`').nth(1).unwrap_or("body").to_owned()
    }
}

/// Gives a problem+json body to errors that actix itself produced with a bare body (405 on a
/// known path with another method, 413 from a payload limit, ...), so clients meet one error
/// format everywhere.
pub fn bare_errors_as_problems<B: actix_web::body::MessageBody + 'static>(
    res: actix_web::dev::ServiceResponse<B>,
) -> actix_web::Result<actix_web::middleware::ErrorHandlerResponse<B>> {
    use actix_web::middleware::ErrorHandlerResponse;
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let code = match status {
        StatusCode::METHOD_NOT_ALLOWED => Code::MethodNotAllowed,
        StatusCode::NOT_FOUND => Code::NotFound,
        StatusCode::PAYLOAD_TOO_LARGE => Code::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Code::UnsupportedMediaType,
        s if s.is_server_error() => Code::Internal,
        _ => Code::BadRequest,
    };
    let problem = Problem {
        type_uri: format!("urn:pos:problem:{code}"),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail: match status {
            StatusCode::METHOD_NOT_ALLOWED => {
                "This path does not accept that method; see /docs for the API.".to_owned()
            }
            _ => status.canonical_reason().unwrap_or("Error").to_owned(),
        },
        code: code.as_str().to_owned(),
        errors: Vec::new(),
    };
    let (req, old) = res.into_parts();
    let mut fresh = problem_response(status, &problem);
    fresh
        .extensions_mut()
        .insert(crate::metrics::ProblemCode(code.as_str()));
    // Keep headers like Allow and Retry-After set by whoever produced the error.
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            fresh.headers_mut().insert(name.clone(), value.clone());
        }
    }
    Ok(ErrorHandlerResponse::Response(
        actix_web::dev::ServiceResponse::new(req, fresh).map_into_right_body(),
    ))
}
