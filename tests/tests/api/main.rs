#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests: a failed step should panic the test"
)]
//! Black-box tests of the HTTP API, on the in-memory adapter. One binary, one module per area;
//! `api_sqlite` runs the same modules on a temporary SQLite file.

mod auth;
mod cash;
mod catalog;
mod counter;
mod images;
mod integrity;
mod layering;
mod ledger;
mod locations;
mod metrics;
mod openapi;
mod operations;
mod purchasing;
mod reports;
mod routes;
mod transfers;
mod users;

use pos_http::HttpSettings;
use pos_tests::harness::{Backend, TestApp};

const BACKEND: Backend = Backend::Memory;

pub async fn test_app() -> TestApp {
    test_app_with(HttpSettings::for_tests()).await
}

pub async fn test_app_with(settings: HttpSettings) -> TestApp {
    TestApp::on(BACKEND, settings).await
}
