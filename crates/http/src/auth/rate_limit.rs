//! The login rate limit: actix-governor keyed on the client's IP, answering 429 as a problem.

use crate::problem::{ApiError, Problem, problem_response};
use actix_governor::governor::NotUntil;
use actix_governor::governor::clock::{Clock, DefaultClock, QuantaInstant};
use actix_governor::{GovernorConfig, GovernorConfigBuilder, KeyExtractor, PeerIpKeyExtractor};
use actix_web::dev::ServiceRequest;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, HttpResponseBuilder};
use pos_domain::code::Code;
use std::net::IpAddr;
use std::time::Duration;

/// The peer IP as key, with a problem+json body on 429. (Behind a reverse proxy, put the real
/// client address in the peer position, e.g. with the proxy protocol; forwarded headers are not
/// trusted because any client could forge them.)
#[derive(Debug, Clone, Copy)]
pub struct ClientIp;

impl KeyExtractor for ClientIp {
    type Key = IpAddr;
    type KeyExtractionError = <PeerIpKeyExtractor as KeyExtractor>::KeyExtractionError;

    fn extract(&self, req: &ServiceRequest) -> Result<Self::Key, Self::KeyExtractionError> {
        PeerIpKeyExtractor.extract(req)
    }

    fn exceed_rate_limit_response(
        &self,
        negative: &NotUntil<QuantaInstant>,
        _response: HttpResponseBuilder,
    ) -> HttpResponse {
        let wait = negative
            .wait_time_from(DefaultClock::default().now())
            .as_secs()
            .max(1);
        let problem = Problem {
            type_uri: "urn:pos:problem:rate_limited".to_owned(),
            title: "Too Many Requests".to_owned(),
            status: 429,
            detail: format!("Too many login attempts from this address; retry in {wait} s."),
            code: Code::RateLimited.as_str().to_owned(),
            errors: Vec::new(),
        };
        let mut response = problem_response(StatusCode::TOO_MANY_REQUESTS, &problem);
        if let Ok(value) = wait.to_string().parse() {
            response
                .headers_mut()
                .insert(actix_web::http::header::RETRY_AFTER, value);
        }
        response
    }
}

pub type LoginLimit =
    GovernorConfig<ClientIp, actix_governor::governor::middleware::NoOpMiddleware<QuantaInstant>>;

/// Builds the limiter once; it must be shared by every worker (cloned into each app) or each
/// worker would count on its own.
pub fn login_limit(burst: u32, refill: Duration) -> Result<LoginLimit, ApiError> {
    GovernorConfigBuilder::default()
        .key_extractor(ClientIp)
        .period(refill.max(Duration::from_millis(1)))
        .burst_size(burst.max(1))
        .finish()
        .ok_or_else(|| ApiError::internal("invalid login rate limit settings"))
}
