//! The JSON body extractor. Unlike `web::Json`, it names the exact field that failed to parse
//! (`lines[2].price`), so a 422 always points at the field to correct.

use crate::problem::{ApiError, extractors::field_of};
use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use std::ops::Deref;

/// A JSON request body of type `T`. Unknown fields are refused by `T`'s
/// `#[serde(deny_unknown_fields)]`; the size limit is the app's `PayloadConfig`.
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<T> Body<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Body<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Parses JSON bytes into `T`, as a problem on failure.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() || inner.is_io() {
            return ApiError::BadRequest {
                code: "malformed_json",
                detail: format!("The body is not valid JSON: {inner}"),
            };
        }
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
    })
}

impl<T: DeserializeOwned + 'static> FromRequest for Body<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .mime_type()
            .ok()
            .flatten()
            .is_some_and(|m| m.subtype() == "json" || m.suffix().is_some_and(|s| s == "json"));
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType {
                    detail: "Send the body as JSON with `Content-Type: application/json`."
                        .to_owned(),
                });
            }
            let bytes = bytes
                .await
                .map_err(|e| match e.as_error::<PayloadError>() {
                    Some(PayloadError::Overflow) => ApiError::PayloadTooLarge {
                        detail: "The request body is larger than this endpoint accepts.".to_owned(),
                    },
                    _ => ApiError::BadRequest {
                        code: "unreadable_body",
                        detail: e.to_string(),
                    },
                })?;
            parse(&bytes).map(Body)
        })
    }
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
        match parse::<Order>(json.as_bytes()) {
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
    fn broken_json_is_a_bad_request() {
        assert!(matches!(
            parse::<Order>(b"{\"name\":"),
            Err(ApiError::BadRequest {
                code: "malformed_json",
                ..
            })
        ));
    }
}
