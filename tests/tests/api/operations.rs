use actix_web::http::{Method, header};
use actix_web::test::TestRequest;
use pos_tests::harness::client;

#[actix_web::test]
async fn health_and_readiness_answer_without_a_token() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    assert_eq!(
        c.call(Method::GET, "/health", None, None)
            .await
            .expect(200)
            .json()["status"],
        "ok"
    );
    assert_eq!(
        c.call(Method::GET, "/ready", None, None)
            .await
            .expect(200)
            .json()["status"],
        "ok"
    );
}

#[actix_web::test]
async fn every_response_carries_a_request_id_honouring_the_callers() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let issued = c.call(Method::GET, "/health", None, None).await;
    let id = issued.header("x-request-id").expect("issued id");
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let honoured = c
        .send(
            TestRequest::get()
                .uri("/health")
                .insert_header(("x-request-id", "till-7:abc")),
        )
        .await;
    assert_eq!(honoured.header("x-request-id"), Some("till-7:abc"));
    let replaced = c
        .send(
            TestRequest::get()
                .uri("/health")
                .insert_header(("x-request-id", "bad id\twith spaces")),
        )
        .await;
    assert_ne!(replaced.header("x-request-id"), Some("bad id\twith spaces"));
    // Errors carry it too.
    let error = c.call(Method::GET, "/api/products", None, None).await;
    assert!(error.header("x-request-id").is_some());
}

#[actix_web::test]
async fn unknown_routes_and_methods_are_problems() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    c.call(Method::GET, "/api/nothing-here", None, None)
        .await
        .expect_problem(404, "not_found");
    let reply = c.call(Method::PATCH, "/health", None, None).await;
    reply.expect_problem(405, "method_not_allowed");
    let token = c.admin_token().await;
    c.get("/api/products/not-a-number", &token)
        .await
        .expect_problem(404, "not_found");
}

#[actix_web::test]
async fn malformed_and_oversized_bodies_are_refused() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let token = c.admin_token().await;
    let auth = (header::AUTHORIZATION, format!("Bearer {token}"));
    let broken = TestRequest::post()
        .uri("/api/brands")
        .insert_header(auth.clone())
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .set_payload("{\"name\":");
    c.send(broken).await.expect_problem(400, "malformed_json");
    let text = TestRequest::post()
        .uri("/api/brands")
        .insert_header(auth.clone())
        .insert_header((header::CONTENT_TYPE, "text/plain"))
        .set_payload("name=x");
    c.send(text)
        .await
        .expect_problem(415, "unsupported_media_type");
    let big = format!(
        "{{\"name\":\"x\",\"description\":\"{}\"}}",
        "y".repeat(70 * 1024)
    );
    let oversized = TestRequest::post()
        .uri("/api/brands")
        .insert_header(auth)
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .set_payload(big);
    c.send(oversized)
        .await
        .expect_problem(413, "payload_too_large");
    assert_eq!(c.get("/api/brands", &token).await.json()["total"], 0);
}

#[actix_web::test]
async fn cors_allows_exactly_the_configured_origins_with_credentials() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let preflight = |origin: &str| {
        TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/api/auth/refresh")
            .insert_header((header::ORIGIN, origin.to_owned()))
            .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, "POST"))
    };
    let allowed = c.send(preflight("http://localhost:5173")).await;
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("http://localhost:5173")
    );
    assert_eq!(
        allowed.header("access-control-allow-credentials"),
        Some("true")
    );
    // A browser client reads these headers of an actual answer: the replay marker of a
    // money-moving request among them.
    let actual = c
        .send(
            TestRequest::get()
                .uri("/health")
                .insert_header((header::ORIGIN, "http://localhost:5173")),
        )
        .await;
    let exposed = actual
        .header("access-control-expose-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    for name in [
        "idempotent-replayed",
        "x-request-id",
        "retry-after",
        "location",
    ] {
        assert!(exposed.contains(name), "{name} not exposed: {exposed}");
    }
    let refused = c.send(preflight("http://evil.example")).await;
    assert_ne!(
        refused.header("access-control-allow-origin"),
        Some("http://evil.example")
    );
    assert!(refused.status.is_client_error());
}

#[actix_web::test]
async fn the_docs_and_the_spec_are_served_publicly() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let redirect = c.call(Method::GET, "/docs", None, None).await;
    assert_eq!(redirect.header("location"), Some("/docs/"));
    let page = c.call(Method::GET, "/docs/", None, None).await;
    page.expect(200);
    assert!(
        String::from_utf8_lossy(&page.bytes).contains("swagger"),
        "Swagger UI page"
    );
    let spec = c
        .call(Method::GET, "/openapi.json", None, None)
        .await
        .expect(200)
        .json();
    assert_eq!(spec["info"]["title"], "POS API");
}
