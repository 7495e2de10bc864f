//! The HTTP adapter: routes, request and response shapes, authentication, errors as
//! problem+json, and the OpenAPI description.
//!
//! [`Api::app`] builds the complete actix `App` (routes and middleware). The server binary and
//! the black-box tests both use it, so the tests exercise the real wiring.

pub mod auth;
pub mod dto;
pub mod idempotency;
pub mod metrics;
pub mod openapi;
pub mod problem;
pub mod request_id;
pub mod routes;
pub mod settings;
pub mod state;

pub use settings::HttpSettings;
pub use state::{AppState, SystemClock};

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::{ErrorHandlers, from_fn};
use actix_web::{App, HttpResponse, web};
use auth::rate_limit::{LoginLimit, login_limit};
use problem::ApiError;
use utoipa_swagger_ui::SwaggerUi;

/// Everything needed to build the app for each server worker. Clone it into the factory: the
/// login limiter inside must be one for all workers.
#[derive(Clone)]
pub struct Api {
    state: AppState,
    login_limit: LoginLimit,
}

impl Api {
    pub fn new(state: AppState) -> Result<Self, ApiError> {
        let s = &state.settings;
        let login_limit = login_limit(s.login_burst, s.login_refill)?;
        Ok(Self { state, login_limit })
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The app owns clones of the state, so it does not borrow `self` (`use<>`).
    pub fn app(
        &self,
    ) -> App<
        impl ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<impl MessageBody + use<>>,
            Error = actix_web::Error,
            InitError = (),
        > + use<>,
    > {
        let settings = &self.state.settings;
        // Bounds every JSON body (read by `dto::Body`); image uploads stream with their own limit.
        let payload = web::PayloadConfig::new(settings.max_json_bytes);
        let query = web::QueryConfig::default().error_handler(problem::extractors::query_error);
        let path = web::PathConfig::default().error_handler(problem::extractors::path_error);
        let login_limit = self.login_limit.clone();
        App::new()
            .app_data(web::Data::new(self.state.clone()))
            .app_data(payload)
            .app_data(query)
            .app_data(path)
            .configure(|cfg| routes::configure(cfg, &login_limit))
            .service(web::resource("/docs").to(|| async {
                HttpResponse::PermanentRedirect()
                    .insert_header((header::LOCATION, "/docs/"))
                    .finish()
            }))
            .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", openapi::spec()))
            .default_service(web::to(|| async {
                Err::<HttpResponse, _>(ApiError::NotFound { what: "route" })
            }))
            .wrap(ErrorHandlers::new().default_handler(problem::bare_errors_as_problems))
            .wrap(cors(&settings.cors_origins))
            .wrap(from_fn(metrics::middleware))
            .wrap(from_fn(request_id::middleware))
    }
}

fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static("idempotency-key"),
            request_id::HEADER,
        ])
        // What a browser client may read of an answer: the request id to quote, when to retry,
        // whether a money-moving request was a replay, and where a created resource lives.
        .expose_headers([
            request_id::HEADER,
            header::RETRY_AFTER,
            idempotency::REPLAYED,
            header::LOCATION,
        ])
        // The refresh cookie crosses origins only to the exact origins listed.
        .supports_credentials()
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}
