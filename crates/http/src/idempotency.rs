//! `Idempotency-Key` for the POSTs that move money: the same key and body replays the stored
//! response with no second effect; the same key with another body is refused (409); two
//! concurrent requests with one key have one effect.

use crate::auth::refresh::to_hex;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName};
use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload};
use pos_domain::app::{Once, Render, Reply};
use pos_domain::code::Code;
use pos_domain::error::{StoreError, Unique};
use pos_domain::idempotency::{IdempotencyKey, IdempotentRecord, Replay, decide};
use pos_domain::ids::UserId;
use pos_domain::ports::Tx;
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

/// A response produced by a money-moving use case, before it is sent or remembered.
pub struct Produced {
    pub status: StatusCode,
    pub body: String,
}

impl Produced {
    pub fn created(body: &impl Serialize) -> Result<Self, ApiError> {
        let body = serde_json::to_string(body).map_err(ApiError::internal)?;
        Ok(Self {
            status: StatusCode::CREATED,
            body,
        })
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
pub fn created<T, V: Serialize>(
    view: impl Fn(&T) -> Result<V, ApiError> + Sync,
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

fn key_reused() -> ApiError {
    ApiError::Conflict {
        code: Code::IdempotencyKeyReused,
        detail: "This Idempotency-Key was already used for a different request; use a new key \
                 for a new request."
            .to_owned(),
        errors: Vec::new(),
    }
}

/// How often a use case that hit lock contention (a deadlock, a lock wait timeout, a busy
/// database) is retried from the start before the client is told to retry.
const ATTEMPTS: usize = 3;

impl Idempotency {
    /// Runs `effect` in one transaction, at most once per key: the key's record and the
    /// response are stored in the same transaction as the effect. A transaction that fails on
    /// lock contention is rolled back and run again, up to [`ATTEMPTS`] times.
    pub async fn run(
        self,
        state: &AppState,
        user_id: UserId,
        canonical_body: &str,
        effect: impl AsyncFn(&mut dyn Tx) -> Result<Produced, ApiError>,
    ) -> Result<HttpResponse, ApiError> {
        let mut attempt = 1;
        loop {
            match self.run_once(state, user_id, canonical_body, &effect).await {
                Err(ApiError::Unavailable { detail }) if attempt < ATTEMPTS => {
                    tracing::info!(attempt, %detail, "retrying after lock contention");
                    crate::metrics::transaction_retried(&self.use_case, &detail);
                    attempt += 1;
                }
                outcome => return outcome,
            }
        }
    }

    async fn run_once(
        &self,
        state: &AppState,
        user_id: UserId,
        canonical_body: &str,
        effect: &impl AsyncFn(&mut dyn Tx) -> Result<Produced, ApiError>,
    ) -> Result<HttpResponse, ApiError> {
        let now = state.now();
        let hash = to_hex(&Sha256::digest(format!(
            "{}\n{canonical_body}",
            self.method_and_path
        )));
        let mut tx = state.store.begin().await?;
        if let Some(key) = &self.key {
            match decide(tx.find_idempotent(user_id, key).await?.as_ref(), &hash, now) {
                Replay::Same(record) => {
                    return Ok(respond(record.status, record.body.clone(), true));
                }
                Replay::Conflict => return Err(key_reused()),
                Replay::Fresh => {}
            }
        }
        let produced = effect(tx.as_mut()).await?;
        if let Some(key) = &self.key {
            let record = IdempotentRecord {
                user_id,
                key: key.clone(),
                request_hash: hash.clone(),
                status: produced.status.as_u16(),
                body: produced.body.clone(),
                created_at: now,
            };
            match tx.save_idempotent(record).await {
                Ok(()) => {}
                Err(StoreError::Duplicate(Unique::IdempotencyKey)) => {
                    // A concurrent request with this key committed first: undo ours, answer
                    // with theirs.
                    drop(tx);
                    let mut read = state.store.begin_read().await?;
                    let winner = read.find_idempotent(user_id, key).await?;
                    return match decide(winner.as_ref(), &hash, now) {
                        Replay::Same(record) => {
                            Ok(respond(record.status, record.body.clone(), true))
                        }
                        _ => Err(key_reused()),
                    };
                }
                Err(other) => return Err(other.into()),
            }
        }
        tx.commit().await?;
        Ok(respond(produced.status.as_u16(), produced.body, false))
    }
}
