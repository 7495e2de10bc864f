#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests: a failed step should panic the test"
)]
//! Black-box tests of the HTTP API, on in-memory adapters. One binary, one module per area.

mod auth;
mod catalog;
mod counter;
mod images;
mod integrity;
mod layering;
mod ledger;
mod metrics;
mod openapi;
mod operations;
mod purchasing;
mod reports;
mod routes;
mod users;
