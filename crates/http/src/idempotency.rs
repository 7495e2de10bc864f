//! `Idempotency-Key` for the POSTs that move money: the same key and body replays the stored
//! response with no second effect; the same key with another body is refused (409); two
//! concurrent requests with one key have one effect. The application runs the effect once
//! (`App::once`); this module reads the header, names the request and renders the reply.

use crate::auth::refresh::to_hex;
use crate::problem::ApiError;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName};
use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload};
use pos_domain::app::{Once, Render, Reply};
use pos_domain::code::Code;
use pos_domain::idempotency::IdempotencyKey;
use pos_domain::ids::UserId;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::future::{Ready, ready};

pub const HEADER: HeaderName = HeaderName::from_static("idempotency-key");
/// Set on a response that was replayed rather than produced afresh.
pub const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// The request's `Idempotency-Key`, if it sent one, and what identifies the request.
pub struct Idempotency {
    key: Option<IdempotencyKey>,
    method_and_path: String,
    /// `METHOD /route/{pattern}`: the use case, as metrics name it (no ids).
    use_case: String,
}

impl FromRequest for Idempotency {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let key = match req.headers().get(&HEADER) {
            None => Ok(None),
            Some(value) => value
                .to_str()
                .ok()
                .and_then(|v| IdempotencyKey::new(v).ok())
                .map(Some)
                .ok_or_else(|| ApiError::BadRequest {
                    code: Code::InvalidIdempotencyKey,
                    detail: "The Idempotency-Key header must be 1 to 128 printable ASCII \
                             characters, such as a UUID."
                        .to_owned(),
                }),
        };
        ready(key.map(|key| Self {
            key,
            method_and_path: format!("{} {}", req.method(), req.path()),
            use_case: format!(
                "{} {}",
                req.method(),
                crate::metrics::route_of(req.match_pattern())
            ),
        }))
    }
}

impl Idempotency {
    /// This request's identity for a money-moving use case of the application: the key, a
    /// hash of the method, path and canonical body, and how to `render` the result as the
    /// reply that is stored with the key.
    pub fn once<'a, T>(
        &'a self,
        user: UserId,
        canonical_body: &str,
        render: Render<'a, T>,
    ) -> Once<'a, T> {
        Once {
            user,
            key: self.key.clone(),
            request_hash: to_hex(&Sha256::digest(format!(
                "{}\n{canonical_body}",
                self.method_and_path
            ))),
            use_case: &self.use_case,
            render,
        }
    }
}

/// Renders a use case's result as `201 Created` with the JSON of `view`.
pub fn created<T, V: Serialize, E: std::fmt::Display>(
    view: impl Fn(&T) -> Result<V, E> + Sync,
) -> impl Fn(&T) -> Result<Reply, String> + Sync {
    move |out| {
        let body = view(out).map_err(|e| e.to_string())?;
        Ok(Reply {
            status: StatusCode::CREATED.as_u16(),
            body: serde_json::to_string(&body).map_err(|e| e.to_string())?,
            replayed: false,
        })
    }
}

/// The HTTP response of a reply, marked when it was replayed.
/// Renders a step's result as 200 OK (a change of something that exists), stored with the key.
pub fn updated<T, V: Serialize, E: std::fmt::Display>(
    view: impl Fn(&T) -> Result<V, E> + Sync,
) -> impl Fn(&T) -> Result<Reply, String> + Sync {
    move |out| {
        let body = view(out).map_err(|e| e.to_string())?;
        Ok(Reply {
            status: StatusCode::OK.as_u16(),
            body: serde_json::to_string(&body).map_err(|e| e.to_string())?,
            replayed: false,
        })
    }
}

pub fn reply(reply: Reply) -> HttpResponse {
    respond(reply.status, reply.body, reply.replayed)
}

fn respond(status: u16, body: String, replayed: bool) -> HttpResponse {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    response.insert_header((header::CONTENT_TYPE, "application/json"));
    if replayed {
        response.insert_header((REPLAYED, "true"));
    }
    response.body(body)
}
