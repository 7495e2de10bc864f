#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests: a failed step should panic the test"
)]
//! The black-box API suite of `tests/api/` again, on a temporary SQLite file per test: the same
//! modules, the other adapter that needs no service.

#[path = "api/auth.rs"]
mod auth;
#[path = "api/cash.rs"]
mod cash;
#[path = "api/catalog.rs"]
mod catalog;
#[path = "api/counter.rs"]
mod counter;
#[path = "api/images.rs"]
mod images;
#[path = "api/integrity.rs"]
mod integrity;
#[path = "api/layering.rs"]
mod layering;
#[path = "api/ledger.rs"]
mod ledger;
#[path = "api/locations.rs"]
mod locations;
#[path = "api/metrics.rs"]
mod metrics;
#[path = "api/openapi.rs"]
mod openapi;
#[path = "api/operations.rs"]
mod operations;
#[path = "api/purchasing.rs"]
mod purchasing;
#[path = "api/reports.rs"]
mod reports;
#[path = "api/routes.rs"]
mod routes;
#[path = "api/transfers.rs"]
mod transfers;
#[path = "api/users.rs"]
mod users;

use pos_http::HttpSettings;
use pos_tests::harness::{Backend, TestApp};

const BACKEND: Backend = Backend::SqliteFile;

pub async fn test_app() -> TestApp {
    test_app_with(HttpSettings::for_tests()).await
}

pub async fn test_app_with(settings: HttpSettings) -> TestApp {
    TestApp::on(BACKEND, settings).await
}
