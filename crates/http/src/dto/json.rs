//! The JSON body extractor. Unlike `web::Json`, it names the exact field that failed to parse
//! (`lines[2].price`), so a 422 always points at the field to correct.

use crate::problem::{ApiError, extractors::field_of};
use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use pos_domain::code::Code;
use serde::de::DeserializeOwned;
use std::ops::Deref;

/// A JSON request body of type `T`. Unknown fields are refused by `T`'s
/// `#[serde(deny_unknown_fields)]`; the size limit is the app's `PayloadConfig`.
#[derive(Debug)]
pub struct Body<T> {
    value: T,
    canonical: String,
}

impl<T> Body<T> {
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The body as canonical JSON (keys sorted, no spaces): two bodies that mean the same
    /// have the same canonical form, which is what an Idempotency-Key is checked against.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }
}

impl<T> Deref for Body<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// Parses JSON bytes into `T` and its canonical form, as a problem on failure.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<Body<T>, ApiError> {
    let json: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| ApiError::BadRequest {
            code: Code::MalformedJson,
            detail: format!("The body is not valid JSON: {e}"),
        })?;
    // Every body of this API is an object. serde would also read a struct from an array, field
    // by field in order (`[null, null]`), which no client means to send.
    if !json.is_object() {
        return Err(ApiError::validation("body", "must be a JSON object"));
    }
    // serde_json's map is ordered by key, so this string is canonical.
    let canonical = json.to_string();
    let value = serde_path_to_error::deserialize(json).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let message = inner.to_string();
        // A missing field is reported at the object holding it; the message names the field.
        let field = match path.as_str() {
            "." if message.contains('`') => field_of(&message),
            "." => "body".to_owned(),
            _ => path,
        };
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_owned();
        ApiError::validation(field, message)
    })?;
    Ok(Body { value, canonical })
}

impl<T: DeserializeOwned + 'static> FromRequest for Body<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let read = read(req, payload);
        Box::pin(async move {
            let (is_json, bytes) = read.await?;
            if !is_json {
                return Err(unsupported());
            }
            parse(&bytes)
        })
    }
}

/// A JSON body that may be left out (logout and refresh, which also read a cookie). A body that
/// is sent is held to the same rules as [`Body`]: JSON, of `T`'s shape, no unknown fields.
#[derive(Debug)]
pub struct OptionalBody<T>(pub Option<Body<T>>);

impl<T: DeserializeOwned + 'static> FromRequest for OptionalBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let read = read(req, payload);
        Box::pin(async move {
            let (is_json, bytes) = read.await?;
            match (is_json, bytes.is_empty()) {
                (false, true) => Ok(OptionalBody(None)),
                (false, false) => Err(unsupported()),
                // JSON `null` is the body left out, as the spec's optional body says.
                (true, _) if bytes.trim_ascii() == b"null" => Ok(OptionalBody(None)),
                (true, _) => parse(&bytes).map(|body| OptionalBody(Some(body))),
            }
        })
    }
}

fn unsupported() -> ApiError {
    ApiError::UnsupportedMediaType {
        detail: "Send the body as JSON with `Content-Type: application/json`.".to_owned(),
    }
}

/// Whether the request says its body is JSON, and the body's bytes.
fn read(
    req: &HttpRequest,
    payload: &mut Payload,
) -> LocalBoxFuture<'static, Result<(bool, web::Bytes), ApiError>> {
    let is_json = req
        .mime_type()
        .ok()
        .flatten()
        .is_some_and(|m| m.subtype() == "json" || m.suffix().is_some_and(|s| s == "json"));
    let bytes = web::Bytes::from_request(req, payload);
    Box::pin(async move {
        let bytes = bytes
            .await
            .map_err(|e| match e.as_error::<PayloadError>() {
                Some(PayloadError::Overflow) => ApiError::PayloadTooLarge {
                    detail: "The request body is larger than this endpoint accepts.".to_owned(),
                },
                _ => ApiError::BadRequest {
                    code: Code::UnreadableBody,
                    detail: e.to_string(),
                },
            })?;
        Ok((is_json, bytes))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Line {
        #[serde(deserialize_with = "crate::dto::decimal::from_str")]
        price: rust_decimal::Decimal,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Order {
        name: String,
        lines: Vec<Line>,
    }

    fn field_of_error(json: &str) -> String {
        match parse::<Order>(json.as_bytes()).map(Body::into_inner) {
            Err(ApiError::Validation { errors }) => errors[0].field.clone(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn errors_name_the_exact_field() {
        assert_eq!(
            field_of_error(r#"{"name":"a","lines":[{"price":"1"},{"price":2}]}"#),
            "lines[1].price"
        );
        assert_eq!(
            field_of_error(r#"{"name":"a","lines":[],"role":"admin"}"#),
            "role"
        );
        assert_eq!(
            field_of_error(r#"{"name":"a","lines":[{"price":"1","cost":"0"}]}"#),
            "lines[0].cost"
        );
        assert_eq!(field_of_error(r#"{"name":"a"}"#), "lines");
    }

    #[test]
    fn the_canonical_form_ignores_key_order_and_spacing() {
        let a = parse::<Order>(br#"{"name":"a","lines":[{"price":"1"}]}"#).unwrap();
        let b =
            parse::<Order>(b"{ \"lines\": [ {\"price\": \"1\"} ],\n \"name\": \"a\" }").unwrap();
        assert_eq!(a.canonical(), b.canonical());
    }

    #[test]
    fn broken_json_is_a_bad_request() {
        assert!(matches!(
            parse::<Order>(b"{\"name\":"),
            Err(ApiError::BadRequest {
                code: Code::MalformedJson,
                ..
            })
        ));
    }
}
