//! Prometheus metrics, recorded through the `metrics` facade and rendered at `GET /metrics`
//! (admins only) by `metrics-exporter-prometheus`, with no listener of its own:
//!
//! - `http_request_duration_seconds{method, route, status}`: a histogram of the time to the
//!   response head, per route pattern (`/api/sales/{id}`, `unmatched` for unknown paths);
//! - `db_pool_connections{state="in_use"|"idle"}` and `db_pool_waits_total`: the database pool,
//!   read when `/metrics` is rendered;
//! - `tx_retries_total{use_case, cause}`: use cases run again after lock contention, `cause`
//!   being `deadlock`, `lock_wait`, `busy` or `other`;
//! - `checkouts_total{outcome}`: sales and held-sale completions, `completed`, `replayed` or the
//!   problem `code` that refused them.

use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};
use metrics::{
    Unit, counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The Prometheus text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4";

const REQUEST_DURATION: &str = "http_request_duration_seconds";
/// Upper bounds of the latency buckets, 0.5 ms to 5 s.
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];
/// The route label of a request no route matched: unknown paths must not each make a series.
const UNMATCHED: &str = "unmatched";
/// The routes that sell (POST), counted in `checkouts_total`.
const CHECKOUT_ROUTES: [&str; 2] = ["/api/sales", "/api/held-sales/{id}/complete"];
/// How often histogram samples are folded into their buckets between scrapes, so memory stays
/// bounded however long nobody scrapes.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// The problem `code` of an error response, left in the response's extensions by
/// [`ApiError`]'s `error_response` for the metrics middleware to read.
#[derive(Debug, Clone, Copy)]
pub struct ProblemCode(pub &'static str);

/// The process's Prometheus recorder. Cloning shares it.
#[derive(Clone)]
pub struct Metrics {
    handle: PrometheusHandle,
}

impl Metrics {
    /// The recorder of this process, installed as the global `metrics` recorder on first use.
    /// Every later call (each `AppState` a test builds) shares the same one.
    pub fn global() -> Self {
        static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
        Self {
            handle: HANDLE.get_or_init(install).clone(),
        }
    }

    /// Everything recorded so far, in the Prometheus text format.
    pub fn render(&self) -> String {
        self.handle.render()
    }
}

fn builder() -> PrometheusBuilder {
    PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(REQUEST_DURATION.to_owned()), LATENCY_BUCKETS)
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "latency buckets refused; latency renders as a summary");
            PrometheusBuilder::new()
        })
}

fn install() -> PrometheusHandle {
    let handle = match builder().install_recorder() {
        Ok(handle) => handle,
        Err(e) => {
            // Another recorder was installed first: this one records nothing, /metrics is empty.
            tracing::warn!(error = %e, "could not install the metrics recorder");
            return builder().build_recorder().handle();
        }
    };
    describe();
    let upkeep = handle.clone();
    let spawned = std::thread::Builder::new()
        .name("metrics-upkeep".to_owned())
        .spawn(move || upkeep_forever(&upkeep));
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "could not start the metrics upkeep thread");
    }
    handle
}

fn upkeep_forever(handle: &PrometheusHandle) {
    loop {
        std::thread::sleep(UPKEEP_EVERY);
        handle.run_upkeep();
    }
}

fn describe() {
    describe_histogram!(
        REQUEST_DURATION,
        Unit::Seconds,
        "Time from a request's arrival to its response head, by method, route pattern and status."
    );
    describe_gauge!(
        "db_pool_connections",
        "Database pool connections by state (in_use, idle), read when /metrics is rendered."
    );
    describe_counter!(
        "db_pool_waits_total",
        "Transactions that found no idle pooled connection when they began."
    );
    describe_counter!(
        "tx_retries_total",
        "Use cases run again after lock contention, by use case and cause (deadlock, lock_wait, \
         busy, other)."
    );
    describe_counter!(
        "checkouts_total",
        "Sales and held-sale completions by outcome: completed, replayed, or the problem code \
         that refused them."
    );
}

/// What kind of lock contention an `Unavailable` detail reports. MySQL/MariaDB name their
/// errors 1213 (`Deadlock found ...`) and 1205 (`Lock wait timeout exceeded ...`); SQLite says
/// `database is locked` (SQLITE_BUSY) or `database table is locked` (SQLITE_LOCKED), and a pool
/// with no free connection before its acquire timeout `... pool timed out ...`: both `busy`.
/// Anything else (a stale lot found by a conditional update) is `other`.
pub fn contention_cause(detail: &str) -> &'static str {
    let detail = detail.to_ascii_lowercase();
    if detail.contains("deadlock found") {
        "deadlock"
    } else if detail.contains("lock wait timeout") {
        "lock_wait"
    } else if detail.contains("is locked") || detail.contains("pool timed out") {
        "busy"
    } else {
        "other"
    }
}

/// The application's telemetry: retries counted in `tx_retries_total`.
pub struct RetryCounter;

impl pos_domain::app::Telemetry for RetryCounter {
    fn transaction_retried(&self, use_case: &str, cause: &str) {
        tracing::info!(use_case, cause, "retrying after lock contention");
        transaction_retried(use_case, cause);
    }
}

/// Counts one retry of `use_case` (`POST /api/sales`) after the contention `detail` reports.
pub fn transaction_retried(use_case: &str, detail: &str) {
    counter!(
        "tx_retries_total",
        "use_case" => use_case.to_owned(),
        "cause" => contention_cause(detail)
    )
    .increment(1);
}

/// The route label of a request: its matched pattern, so ids do not make a series each.
pub fn route_of(pattern: Option<String>) -> String {
    pattern.unwrap_or_else(|| UNMATCHED.to_owned())
}

/// Known methods by name; any other (a client can send any token) as `other`.
fn method_label(method: &Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}

fn checkout_outcome(status: StatusCode, code: Option<&'static str>, replayed: bool) -> String {
    match (status.is_success(), code) {
        (true, _) if replayed => "replayed".to_owned(),
        (true, _) => "completed".to_owned(),
        (false, Some(code)) => code.to_owned(),
        (false, None) => format!("http_{}", status.as_u16()),
    }
}

/// Times every request and counts checkouts by outcome.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    // The pattern is read once routing is done (cheap then). Holding a clone of the request
    // across `next` would make routing panic, so an error that bubbled up has no route.
    let result = next.call(req).await;
    let (route, status, code, replayed) = match &result {
        Ok(res) => (
            route_of(res.request().match_pattern()),
            res.status(),
            res.response()
                .extensions()
                .get::<ProblemCode>()
                .map(|code| code.0),
            res.headers().contains_key(crate::idempotency::REPLAYED),
        ),
        Err(e) => (
            route_of(None),
            e.error_response().status(),
            e.as_error::<ApiError>().map(|e| e.code().as_str()),
            false,
        ),
    };
    if method == Method::POST && CHECKOUT_ROUTES.contains(&route.as_str()) {
        counter!("checkouts_total", "outcome" => checkout_outcome(status, code, replayed))
            .increment(1);
    }
    histogram!(
        REQUEST_DURATION,
        "method" => method_label(&method),
        "route" => route,
        "status" => status.as_str().to_owned()
    )
    .record(started.elapsed());
    result
}

/// Prometheus metrics in the text format: request latency per route, the database pool,
/// transaction retries after lock contention, and checkouts by outcome. Admins.
#[utoipa::path(
    get, path = "/metrics", tag = "operations",
    responses(
        (status = 200, content((String = "text/plain; version=0.0.4"))),
        (status = 401, body = Problem), (status = 403, body = Problem),
    ),
    security(("bearer" = ["admin"]))
)]
pub async fn get_metrics(state: web::Data<AppState>, _auth: Caller) -> HttpResponse {
    if let Some(pool) = state.app.pool_status() {
        gauge!("db_pool_connections", "state" => "in_use").set(pool.in_use);
        gauge!("db_pool_connections", "state" => "idle").set(pool.idle);
        counter!("db_pool_waits_total").absolute(pool.waits);
    }
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE)))
        .body(state.metrics.render())
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    get_metrics,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contention_is_told_apart_by_its_message() {
        let busy = |inner: &str| format!("The database is busy ({inner}); retry the request.");
        assert_eq!(
            contention_cause(&busy(
                "Execution Error: error returned from database: 1213 (40001): Deadlock found \
                 when trying to get lock; try restarting transaction"
            )),
            "deadlock"
        );
        assert_eq!(
            contention_cause(&busy(
                "Execution Error: error returned from database: 1205 (HY000): Lock wait timeout \
                 exceeded; try restarting transaction"
            )),
            "lock_wait"
        );
        assert_eq!(
            contention_cause(&busy(
                "Execution Error: error returned from database: (code: 5) database is locked"
            )),
            "busy"
        );
        assert_eq!(
            contention_cause(&busy(
                "Query Error: error returned from database: (code: 262) database table is locked"
            )),
            "busy"
        );
        assert_eq!(
            contention_cause(&busy(
                "Failed to acquire connection from pool: Connection pool timed out"
            )),
            "busy"
        );
        assert_eq!(
            contention_cause(&busy("lot 7 no longer holds 2 units worth 3.00")),
            "other"
        );
    }

    #[test]
    fn checkouts_are_counted_by_outcome() {
        assert_eq!(
            checkout_outcome(StatusCode::CREATED, None, false),
            "completed"
        );
        assert_eq!(
            checkout_outcome(StatusCode::CREATED, None, true),
            "replayed"
        );
        assert_eq!(
            checkout_outcome(StatusCode::CONFLICT, Some("insufficient_stock"), false),
            "insufficient_stock"
        );
        assert_eq!(
            checkout_outcome(StatusCode::PAYLOAD_TOO_LARGE, None, false),
            "http_413"
        );
    }

    #[test]
    fn unknown_methods_and_paths_do_not_make_series() {
        assert_eq!(method_label(&Method::GET), "GET");
        let odd = Method::from_bytes(b"BREW").unwrap();
        assert_eq!(method_label(&odd), "other");
        assert_eq!(route_of(None), "unmatched");
    }
}
