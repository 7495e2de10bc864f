//! `GET /metrics`: admins only, Prometheus text with request latency per route, checkouts by
//! outcome and, on a SQL store, the connection pool.

use actix_web::http::Method;
use actix_web::test;
use pos_http::HttpSettings;
use pos_tests::harness::{ADMIN_EMAIL, ADMIN_PASSWORD, Client, Reply, TestApp, client};
use pos_tests::stores;
use serde_json::json;

fn text(reply: &Reply) -> String {
    reply.expect(200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/plain; version=0.0.4")
    );
    String::from_utf8(reply.bytes.clone()).unwrap()
}

#[actix_web::test]
async fn metrics_are_for_admins_and_count_requests_and_checkouts() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    c.call(Method::GET, "/metrics", None, None)
        .await
        .expect_problem(401, "unauthenticated");
    let admin = c.admin_token().await;
    let staff = c.user_token(&admin, "till", "staff").await;
    c.get("/metrics", &staff)
        .await
        .expect_problem(403, "forbidden");

    let product = c
        .post(
            "/api/products",
            &admin,
            json!({ "name": "Metered tea", "sku": "METRIC-TEA", "price": "10.00" }),
        )
        .await
        .expect(201)
        .json();
    let supplier = c
        .post(
            "/api/suppliers",
            &admin,
            json!({ "name": "Metered supplier" }),
        )
        .await
        .expect(201)
        .json();
    c.post("/api/purchases", &admin, json!({ "supplier_id": supplier["id"], "invoice_no": "METRIC-1", "lines": [{ "product_id": product["id"], "quantity": "1", "unit_cost": "3.00" }] }))
        .await
        .expect(201);
    let sale = json!({ "lines": [{ "product_id": product["id"], "quantity": "1" }], "payments": [{ "method": "cash", "amount": "10.00" }] });
    c.post("/api/sales", &staff, sale.clone()).await.expect(201);
    // The only unit is sold: the same sale again is refused for stock.
    c.post("/api/sales", &staff, sale)
        .await
        .expect_problem(409, "insufficient_stock");

    let body = text(&c.get("/metrics", &admin).await);
    assert!(
        body.contains("# TYPE http_request_duration_seconds histogram"),
        "{body}"
    );
    assert!(
        body.lines().any(|line| {
            line.starts_with("http_request_duration_seconds_bucket{")
                && line.contains(r#"method="POST""#)
                && line.contains(r#"route="/api/sales""#)
                && line.contains(r#"status="201""#)
        }),
        "{body}"
    );
    // Ids stay out of the route label: a product fetched by id is counted under its pattern.
    let path = format!("/api/products/{}", product["id"]);
    c.get(&path, &staff).await.expect(200);
    let body = text(&c.get("/metrics", &admin).await);
    assert!(body.contains(r#"route="/api/products/{id}""#), "{body}");
    assert!(!body.contains(&format!(r#"route="{path}""#)), "{body}");
    assert!(
        body.contains(r#"checkouts_total{outcome="completed"}"#),
        "{body}"
    );
    assert!(
        body.contains(r#"checkouts_total{outcome="insufficient_stock"}"#),
        "{body}"
    );
}

#[actix_web::test]
async fn on_sqlite_the_connection_pool_is_reported() {
    let api = TestApp::api_on(stores::sqlite().await, HttpSettings::for_tests()).await;
    let c = Client::new(test::init_service(api.app()).await);
    let admin = c.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    c.get("/api/products", &admin).await.expect(200);
    let body = text(&c.get("/metrics", &admin).await);
    for series in [
        r#"db_pool_connections{state="in_use"}"#,
        r#"db_pool_connections{state="idle"}"#,
        "db_pool_waits_total",
    ] {
        assert!(body.contains(series), "{series} in {body}");
    }
}
