//! The error side of every operation in the spec, as the server really answers it.
//!
//! A handler declares the refusals particular to it (409 `insufficient_stock`). The errors that
//! come from the plumbing are the same for every operation of a shape, so they are added here
//! from the shape rather than repeated on 115 handlers: 401 and 403 from the guard of a secured
//! route; 400, 413, 415 and 422 from reading a body; 400 and 422 from query parameters; 404 from
//! an id in the path; 400 and 409 from an `Idempotency-Key`; 429 from the login flood guard; 500
//! and 503 from anywhere. Every error is sent as `application/problem+json`, and each status has
//! its own Problem schema whose `code` lists exactly the catalogue's codes of that status.

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

/// The statuses an operation of this shape can answer besides its own.
fn plumbing(path: &str, op: &Value) -> BTreeSet<u16> {
    let mut statuses = BTreeSet::from([500, 503]);
    let secured = op["security"].as_array().is_some_and(|reqs| {
        reqs.iter()
            .any(|r| r.as_object().is_some_and(|r| !r.is_empty()))
    });
    if secured {
        statuses.extend([401, 403]);
    }
    if op.get("requestBody").is_some() {
        statuses.extend([400, 413, 415, 422]);
    }
    for param in op["parameters"].as_array().into_iter().flatten() {
        match param["in"].as_str() {
            Some("path") => {
                statuses.insert(404);
            }
            Some("query") => {
                statuses.extend([400, 422]);
            }
            Some("header") if param["name"] == "Idempotency-Key" => {
                statuses.extend([400, 409]);
            }
            _ => {}
        }
    }
    if RATE_LIMITED.contains(&path) {
        statuses.insert(429);
    }
    statuses
}

/// Documents every error response of every operation and the per-status Problem schemas.
pub fn document(doc: &mut Value) {
    let mut used = BTreeSet::new();
    if let Some(paths) = doc["paths"].as_object_mut() {
        for (path, item) in paths.iter_mut() {
            for method in METHODS {
                let Some(op) = item.get_mut(*method) else {
                    continue;
                };
                let extra = plumbing(path, op);
                let responses = op["responses"].as_object_mut();
                let Some(responses) = responses else { continue };
                for status in extra {
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
                    response["content"] = json!({
                        crate::problem::PROBLEM_JSON: {
                            "schema": { "$ref": format!("#/components/schemas/{}", schema_name(status)) }
                        }
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
