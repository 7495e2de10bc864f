use actix_web::http::Method;
use actix_web::test::TestRequest;
use pos_http::HttpSettings;
use pos_tests::harness::{ADMIN_EMAIL, ADMIN_PASSWORD, client};
use serde_json::json;
use std::time::Duration;

#[actix_web::test]
async fn admin_logs_in_by_email_or_username() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let reply = c.login_reply(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let body = reply.expect(200).json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["user"]["role"], "admin");
    assert!(body["user"].get("password_hash").is_none());
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let token = c.login("ADMIN", ADMIN_PASSWORD).await;
    c.get("/api/users/me", &token).await.expect(200);
}

#[actix_web::test]
async fn unknown_user_and_wrong_password_look_the_same() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let wrong = c
        .login_reply(ADMIN_EMAIL, "wrong-password")
        .await
        .expect_problem(401, "invalid_credentials");
    let unknown = c
        .login_reply("nobody@example.com", ADMIN_PASSWORD)
        .await
        .expect_problem(401, "invalid_credentials");
    assert_eq!(wrong, unknown);
    let too_long = c
        .login_reply(ADMIN_EMAIL, &"x".repeat(73))
        .await
        .expect_problem(401, "invalid_credentials");
    assert_eq!(too_long, wrong);
}

#[actix_web::test]
async fn each_login_attempt_is_recorded_and_sets_last_login() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    c.login_reply(ADMIN_EMAIL, "wrong-password")
        .await
        .expect(401);
    let token = c.admin_token().await;
    let mut tx = app.store.begin_read().await.unwrap();
    let attempts = tx.recent_logins(10).await.unwrap();
    assert_eq!(attempts.len(), 2);
    assert!(attempts[0].success && !attempts[1].success);
    assert_eq!(attempts[0].ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(attempts[1].identifier, ADMIN_EMAIL);
    drop(tx);
    let me = c.get("/api/users/me", &token).await.expect(200).json();
    assert!(me["last_login_at"].is_string());
}

#[actix_web::test]
async fn refresh_rotates_and_a_reused_token_ends_the_whole_login() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let first = c.login_reply(ADMIN_EMAIL, ADMIN_PASSWORD).await.json();
    let r1 = first["refresh_token"].as_str().unwrap().to_owned();
    let refresh = async |token: &str| {
        c.call(
            Method::POST,
            "/api/auth/refresh",
            None,
            Some(json!({ "refresh_token": token })),
        )
        .await
    };
    let second = refresh(&r1).await.expect(200).json();
    let r2 = second["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(r1, r2);
    c.get("/api/users/me", second["access_token"].as_str().unwrap())
        .await
        .expect(200);
    // r1 was rotated away: presenting it again is reuse, which also revokes r2.
    refresh(&r1)
        .await
        .expect_problem(401, "refresh_token_reused");
    refresh(&r2)
        .await
        .expect_problem(401, "refresh_token_reused");
    refresh("not-a-token")
        .await
        .expect_problem(401, "refresh_token_invalid");
    c.call(Method::POST, "/api/auth/refresh", None, None)
        .await
        .expect_problem(401, "refresh_token_missing");
}

#[actix_web::test]
async fn the_refresh_cookie_is_http_only_secure_strict_and_scoped() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let reply = c.login_reply(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let cookie = reply
        .header("set-cookie")
        .expect("a refresh cookie")
        .to_owned();
    for part in [
        "pos_refresh=",
        "HttpOnly",
        "Secure",
        "SameSite=Strict",
        "Path=/api/auth",
        "Max-Age=1209600",
    ] {
        assert!(cookie.contains(part), "{part} missing from {cookie}");
    }
    // A browser sends the cookie back instead of a body.
    let value = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("pos_refresh=")
        .to_owned();
    let req = TestRequest::post()
        .uri("/api/auth/refresh")
        .cookie(actix_web::cookie::Cookie::new("pos_refresh", value));
    c.send(req).await.expect(200);
}

#[actix_web::test]
async fn logout_revokes_the_refresh_token_and_clears_the_cookie() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let login = c.login_reply(ADMIN_EMAIL, ADMIN_PASSWORD).await.json();
    let (access, refresh) = (
        login["access_token"].as_str().unwrap(),
        login["refresh_token"].as_str().unwrap(),
    );
    c.call(Method::POST, "/api/auth/logout", None, None)
        .await
        .expect_problem(401, "unauthenticated");
    let out = c
        .post(
            "/api/auth/logout",
            access,
            json!({ "refresh_token": refresh }),
        )
        .await;
    out.expect(204);
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    let again = c
        .call(
            Method::POST,
            "/api/auth/refresh",
            None,
            Some(json!({ "refresh_token": refresh })),
        )
        .await;
    again.expect_problem(401, "refresh_token_reused");
}

#[actix_web::test]
async fn bad_tokens_are_refused_with_distinct_codes() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    c.call(Method::GET, "/api/products", None, None)
        .await
        .expect_problem(401, "unauthenticated");
    let reply = c.get("/api/products", "garbage").await;
    reply.expect_problem(401, "invalid_token");
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    // A token from another deployment (other secret) is invalid here.
    let mut other = HttpSettings::for_tests();
    other.jwt_secret = b"some-other-deployment-secret-xxxx".to_vec();
    let foreign = crate::test_app_with(other).await;
    let foreign_token = client(&foreign).await.admin_token().await;
    c.get("/api/products", &foreign_token)
        .await
        .expect_problem(401, "invalid_token");
}

#[actix_web::test]
async fn login_is_rate_limited_per_client_with_retry_after() {
    let mut settings = HttpSettings::for_tests();
    settings.login_burst = 3;
    settings.login_refill = Duration::from_secs(60);
    let app = crate::test_app_with(settings).await;
    let mut c = client(&app).await;
    for _ in 0..3 {
        c.login_reply(ADMIN_EMAIL, "wrong-password")
            .await
            .expect(401);
    }
    let limited = c.login_reply(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    limited.expect_problem(429, "rate_limited");
    let retry: u64 = limited
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "retry after {retry}");
    // Another client is not affected, and other routes are not limited.
    c.peer = "127.0.0.2:40000".parse().unwrap();
    let token = c.admin_token().await;
    for _ in 0..5 {
        c.get("/api/users/me", &token).await.expect(200);
    }
}

/// Logout's body may be left out (the cookie carries the refresh token), but a body that is sent
/// is held to its shape: an unknown field is refused, and so is any body that is not an object
/// (serde alone would read `[null, null]` as a struct of two absent fields).
#[actix_web::test]
async fn an_optional_body_that_is_sent_is_checked_like_any_other() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let refused = c
        .post("/api/auth/logout", &admin, json!({ "refresh": "x" }))
        .await
        .expect(422)
        .json();
    assert_eq!(refused["code"], "validation_failed");
    let register = c
        .post(
            "/api/registers",
            &admin,
            json!({ "code": "R9", "name": "Back" }),
        )
        .await
        .expect(201)
        .json();
    let path = format!("/api/registers/{}", register["id"]);
    let refused = c
        .patch(&path, &admin, json!([null, null]))
        .await
        .expect(422)
        .json();
    assert_eq!(refused["errors"][0]["field"], "body");
    // Still logged in: the refused logout changed nothing.
    c.get("/api/users/me", &admin).await.expect(200);
}
