//! Concurrent duplicates of one money-moving request with one Idempotency-Key have one effect,
//! on the SQL adapters (SQLite always, MariaDB when POS_TEST_MYSQL_URL is set).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use actix_web::http::header;
use actix_web::test::{self, TestRequest};
use futures_util::future::join_all;
use pos_domain::ports::Store;
use pos_http::HttpSettings;
use pos_tests::harness::{ADMIN_EMAIL, ADMIN_PASSWORD, Client, TestApp};
use pos_tests::stores;
use serde_json::json;
use std::sync::Arc;

const DUPLICATES: usize = 8;

async fn one_effect_for_concurrent_duplicates(store: Arc<dyn Store>) {
    let api = TestApp::api_on(store, HttpSettings::for_tests()).await;
    let c = Client::new(test::init_service(api.app()).await);
    let admin = c.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let categories = c.get("/api/expense-categories", &admin).await.json();
    let body = json!({ "title": "Fuel", "amount": "40.00", "category_id": categories["data"][0]["id"], "method": "cash" });
    let requests = (0..DUPLICATES).map(|_| {
        let req = TestRequest::post()
            .uri("/api/expenses")
            .insert_header((header::AUTHORIZATION, format!("Bearer {admin}")))
            .insert_header(("Idempotency-Key", "race-1"))
            .set_json(&body);
        c.send(req)
    });
    let replies = join_all(requests).await;
    for reply in &replies {
        reply.expect(201);
        assert_eq!(
            reply.bytes, replies[0].bytes,
            "every duplicate gets the one response"
        );
    }
    let expenses = c.get("/api/expenses", &admin).await.json();
    assert_eq!(
        (
            expenses["total"].as_u64(),
            expenses["total_amount"].as_str()
        ),
        (Some(1), Some("40.00"))
    );
    assert_eq!(c.get("/api/journal", &admin).await.json()["total"], 1);
    assert_eq!(
        c.get("/api/ledger/trial-balance", &admin).await.json()["balanced"],
        true
    );
}

#[actix_web::test]
async fn sqlite_concurrent_duplicates_have_one_effect() {
    one_effect_for_concurrent_duplicates(stores::sqlite().await).await;
}

#[actix_web::test]
#[ignore = "needs MariaDB: set POS_TEST_MYSQL_URL and pass --include-ignored"]
async fn mysql_concurrent_duplicates_have_one_effect() {
    let Some(store) = stores::mysql().await else {
        stores::no_mysql()
    };
    one_effect_for_concurrent_duplicates(store).await;
}
