//! The error side of every operation in the spec, as the server really answers it.
//!
//! The errors that come from the plumbing are the same for every operation of a shape, so they
//! are added here from the shape rather than repeated on 115 handlers: 401 and 403 from the
//! guard of a secured route; 400, 413, 415 and 422 from reading a body; 400 and 422 from query
//! parameters; 404 from an id in the path; 400 and 409 from an `Idempotency-Key`; 429 from the
//! login flood guard; 500 and 503 from anywhere. The refusals particular to an operation come
//! from its use case's error type, or from the list in [`particular`]. Every error is sent as
//! `application/problem+json`; each error response of each operation is a Problem whose `code`
//! is one of the codes that operation can answer with that status. The catalogue's Problem
//! schema of each status (`Problem409`) lists them all.

use pos_domain::code::Code;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// Paths behind the login flood guard (429).
const RATE_LIMITED: &[&str] = &["/api/auth/login"];

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch"];

/// What a status means when the handler did not say.
fn description(status: u16) -> &'static str {
    match status {
        400 => {
            "The request cannot be read: a body that is not JSON or not UTF-8, a query \
                parameter of the wrong type, a malformed Idempotency-Key."
        }
        401 => "No token, a bad or expired token, or a login that has ended.",
        403 => "The caller's role does not allow this.",
        404 => "Nothing exists with that identifier.",
        409 => "The current state refuses it (see `code`).",
        413 => "The body is larger than the server takes.",
        415 => "The body is not of the type this operation takes.",
        422 => "Well-formed, but values are refused as sent; `errors` names each field.",
        429 => "Too many attempts; retry after the `Retry-After` seconds.",
        500 => "A bug. Nothing is detailed; the cause is logged with the `X-Request-Id`.",
        503 => "The database is busy or unreachable; retrying may succeed.",
        _ => "An error.",
    }
}

/// The name of the Problem schema of one status.
fn schema_name(status: u16) -> String {
    format!("Problem{status}")
}

/// What an operation's declaration says about the errors its plumbing can answer.
#[derive(Debug, Default)]
struct Shape {
    secured: bool,
    json_body: bool,
    multipart: bool,
    query: bool,
    path_param: bool,
    idempotent: bool,
    rate_limited: bool,
}

impl Shape {
    fn of(path: &str, op: &Value) -> Self {
        let mut shape = Shape {
            secured: op["security"].as_array().is_some_and(|reqs| {
                reqs.iter()
                    .any(|r| r.as_object().is_some_and(|r| !r.is_empty()))
            }),
            rate_limited: RATE_LIMITED.contains(&path),
            ..Shape::default()
        };
        if let Some(content) = op["requestBody"]["content"].as_object() {
            shape.multipart = content.contains_key("multipart/form-data");
            shape.json_body = !shape.multipart;
        }
        for param in op["parameters"].as_array().into_iter().flatten() {
            match param["in"].as_str() {
                Some("path") => shape.path_param = true,
                Some("query") => shape.query = true,
                Some("header") if param["name"] == "Idempotency-Key" => shape.idempotent = true,
                _ => {}
            }
        }
        shape
    }

    /// The codes the plumbing around a handler of this shape can answer with.
    fn codes(&self) -> BTreeSet<Code> {
        let mut codes = BTreeSet::from([Code::Internal, Code::Unavailable]);
        if self.secured {
            codes.extend([
                Code::Unauthenticated,
                Code::InvalidToken,
                Code::TokenExpired,
                Code::SessionEnded,
                Code::Forbidden,
            ]);
        }
        if self.json_body || self.multipart || self.query || self.idempotent {
            // Besides its own, actix answers a bare 400 the problem layer calls `bad_request`.
            codes.insert(Code::BadRequest);
        }
        if self.json_body {
            codes.extend([
                Code::MalformedJson,
                Code::UnreadableBody,
                Code::PayloadTooLarge,
                Code::UnsupportedMediaType,
                Code::ValidationFailed,
                Code::AmountOutOfRange,
            ]);
        }
        if self.multipart {
            codes.extend([
                Code::InvalidMultipart,
                Code::PayloadTooLarge,
                Code::UnsupportedMediaType,
                Code::ValidationFailed,
            ]);
        }
        if self.query {
            codes.extend([Code::InvalidQuery, Code::ValidationFailed]);
        }
        if self.path_param {
            codes.insert(Code::NotFound);
        }
        if self.idempotent {
            codes.extend([Code::InvalidIdempotencyKey, Code::IdempotencyKeyReused]);
        }
        if self.rate_limited {
            codes.insert(Code::RateLimited);
        }
        codes
    }
}

/// The refusals particular to an operation, beyond what its shape brings. A money-moving use
/// case lists its own in its error type (`UseCaseError::CODES`); the others are listed here.
/// The API tests check every problem they provoke against its operation's list, so a code
/// missing here fails them.
fn particular(operation: &str) -> Vec<Code> {
    use pos_domain::app::cash::CashError;
    use pos_domain::app::ledger::{ExpenseError, OpeningError, PaymentError, ReverseEntryError};
    use pos_domain::app::transfers::TransferError;
    use pos_domain::services::error::UseCaseError;
    use pos_domain::services::purchasing::{ReceivePurchaseError, SupplierReturnError};
    use pos_domain::services::sales::{CheckoutError, SaleReturnError};
    use pos_domain::services::settlement::SettlementError;
    use pos_domain::services::stock::StockError;
    // A new account, method or category: a taken code or name, or a control account named
    // where only its own documents post.
    const MAPPED_ONTO_ACCOUNTS: &[Code] = &[
        Code::AlreadyExists,
        Code::PostedBySales,
        Code::PostedBySupplierDocuments,
        Code::PostedByCustomerDocuments,
        Code::PostedByStockDocuments,
        Code::PostedByAdjustments,
        Code::PostedByOpening,
    ];
    let codes: &[Code] = match operation {
        "create_sale" | "complete_held_sale" => CheckoutError::CODES,
        "create_sale_return" => SaleReturnError::CODES,
        "create_purchase" => ReceivePurchaseError::CODES,
        "create_supplier_return" => SupplierReturnError::CODES,
        "pay_customer_due" | "pay_supplier_route" => SettlementError::CODES,
        "create_adjustment" | "create_count" => StockError::CODES,
        "create_payment" => PaymentError::CODES,
        "create_expense" | "void_expense" => ExpenseError::CODES,
        "reverse_entry" => ReverseEntryError::CODES,
        "post_opening" => OpeningError::CODES,
        "open_session" | "move_cash" | "close_session" => CashError::CODES,
        "create_transfer" | "ship_transfer" | "receive_transfer" | "cancel_transfer" => {
            TransferError::CODES
        }
        "login" => &[Code::InvalidCredentials],
        "refresh_token" => &[
            Code::RefreshTokenMissing,
            Code::RefreshTokenInvalid,
            Code::RefreshTokenExpired,
            Code::RefreshTokenReused,
            Code::AccountInactive,
        ],
        "create_brand" | "update_brand" | "create_category" | "update_category"
        | "create_tax_rate" | "update_tax_rate" | "create_product" | "update_product"
        | "create_user" => &[Code::AlreadyExists],
        "delete_brand" | "delete_category" | "delete_tax_rate" => &[Code::InUse],
        "create_account"
        | "create_payment_method"
        | "create_expense_category"
        | "create_reason" => MAPPED_ONTO_ACCOUNTS,
        "create_register_route" => &[Code::AlreadyExists, Code::RegisterLimit],
        "create_location" => &[Code::AlreadyExists],
        "update_location" => &[Code::DefaultLocation],
        // A staff route that names locations: one the caller does not work at is refused.
        "dashboard" => &[Code::Forbidden],
        "update_register" => &[Code::AlreadyExists, Code::DefaultRegister],
        // Guessing the current password is limited like logging in.
        "update_me" => &[
            Code::AlreadyExists,
            Code::PasswordChanged,
            Code::RateLimited,
        ],
        "update_user" => &[Code::AlreadyExists, Code::LastAdmin],
        "deactivate_user" => &[Code::LastAdmin],
        _ => &[],
    };
    codes.to_vec()
}

/// A Problem whose `code` is one of `codes`.
fn problem_of(codes: &[&str]) -> Value {
    json!({
        "allOf": [
            { "$ref": "#/components/schemas/Problem" },
            { "type": "object", "properties": { "code": { "type": "string", "enum": codes } } }
        ]
    })
}

/// Documents every error response of every operation, each with exactly the codes that
/// operation can answer under that status, and the per-status Problem schemas.
pub fn document(doc: &mut Value) {
    let mut used = BTreeSet::new();
    if let Some(paths) = doc["paths"].as_object_mut() {
        for (path, item) in paths.iter_mut() {
            for method in METHODS {
                let Some(op) = item.get_mut(*method) else {
                    continue;
                };
                let id = op["operationId"].as_str().unwrap_or_default().to_owned();
                let mut codes = Shape::of(path, op).codes();
                codes.extend(particular(&id));
                let Some(responses) = op["responses"].as_object_mut() else {
                    continue;
                };
                for code in &codes {
                    let status = crate::problem::status_of(*code).as_u16();
                    responses
                        .entry(status.to_string())
                        .or_insert_with(|| json!({ "description": description(status) }));
                }
                for (status, response) in responses.iter_mut() {
                    let Ok(status) = status.parse::<u16>() else {
                        continue;
                    };
                    if status < 400 {
                        continue;
                    }
                    used.insert(status);
                    let listed: Vec<&str> = codes
                        .iter()
                        .filter(|c| crate::problem::status_of(**c).as_u16() == status)
                        .map(|c| c.as_str())
                        .collect();
                    // A status the handler declares with no code listed for it falls back to
                    // every code of the status; a test refuses that.
                    let schema = if listed.is_empty() {
                        json!({ "$ref": format!("#/components/schemas/{}", schema_name(status)) })
                    } else {
                        problem_of(&listed)
                    };
                    response["content"] = json!({
                        crate::problem::PROBLEM_JSON: { "schema": schema }
                    });
                }
            }
        }
    }
    // Every status of the catalogue has its schema, used by an operation or not (405 comes from
    // the router, for a method no operation declares).
    used.extend(
        Code::ALL
            .iter()
            .map(|c| crate::problem::status_of(*c).as_u16()),
    );
    let schemas = &mut doc["components"]["schemas"];
    for status in used {
        let codes: Vec<&str> = Code::ALL
            .iter()
            .filter(|c| crate::problem::status_of(**c).as_u16() == status)
            .map(|c| c.as_str())
            .collect();
        let mut code = Map::new();
        code.insert("type".into(), json!("string"));
        code.insert("enum".into(), json!(codes));
        schemas[schema_name(status)] = json!({
            "description": format!("A problem answered with status {status}: its `code` is one of these."),
            "allOf": [
                { "$ref": "#/components/schemas/Problem" },
                { "type": "object", "properties": { "code": code } }
            ]
        });
    }
}
