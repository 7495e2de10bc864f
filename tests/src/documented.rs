//! Holds the server to its spec in every API test: each problem a test provokes must be
//! documented for its operation, under its status, with its code in that response's list.
//!
//! The spec is generated from the code (`pos_http::openapi::spec_json`), so this checks what
//! the committed `openapi/openapi.json` says too (a test keeps the two equal).

use serde_json::Value;
use std::sync::OnceLock;

struct Operation {
    method: String,
    segments: Vec<String>,
    responses: Value,
}

fn operations() -> &'static [Operation] {
    static OPERATIONS: OnceLock<Vec<Operation>> = OnceLock::new();
    OPERATIONS.get_or_init(|| {
        let spec: Value = serde_json::from_str(&pos_http::openapi::spec_json().unwrap()).unwrap();
        let mut all = Vec::new();
        for (path, item) in spec["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                all.push(Operation {
                    method: method.to_uppercase(),
                    segments: path.split('/').map(str::to_owned).collect(),
                    responses: op["responses"].clone(),
                });
            }
        }
        all
    })
}

/// Does a concrete path match a template? `{param}` takes one segment; a trailing `{key}`
/// (stored media) takes the rest.
fn matches(template: &[String], path: &[&str]) -> bool {
    if template.last().is_some_and(|s| s == "{key}") {
        let fixed = template.len() - 1;
        return path.len() > fixed
            && template[..fixed]
                .iter()
                .zip(path)
                .all(|(t, p)| t.starts_with('{') || t == p);
    }
    template.len() == path.len()
        && template
            .iter()
            .zip(path)
            .all(|(t, p)| t.starts_with('{') || t == p)
}

/// Panics if `code` under `status` is not documented for the operation `method path` serves.
/// Requests no operation serves (an unknown path, another method) are the router's: skipped.
#[track_caller]
pub fn check_problem(method: &str, path: &str, status: u16, code: &str) {
    let path = path.split('?').next().unwrap_or(path);
    let segments: Vec<&str> = path.split('/').collect();
    // A literal segment beats a parameter (`/api/users/me` over `/api/users/{id}`).
    let Some(op) = operations()
        .iter()
        .filter(|op| op.method == method && matches(&op.segments, &segments))
        .min_by_key(|op| op.segments.iter().filter(|s| s.starts_with('{')).count())
    else {
        return;
    };
    let template = op.segments.join("/");
    let response = &op.responses[status.to_string()];
    assert!(
        response.is_object(),
        "{method} {template} answered {status} {code}, a status its spec does not list"
    );
    let schema = &response["content"]["application/problem+json"]["schema"];
    let listed = &schema["allOf"][1]["properties"]["code"]["enum"];
    assert!(
        listed
            .as_array()
            .is_some_and(|codes| codes.iter().any(|c| c == code)),
        "{method} {template} answered {status} `{code}`, which its spec does not list: {listed}"
    );
}
