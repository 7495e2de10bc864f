//! Access ends when the user's access ends: on the very next request, not when the token
//! expires, and the role that authorises a request is the user's current role.

use super::support::Shop;
use crate::on_every_backend;
use serde_json::json;

async fn deactivation_ends_access_at_once(shop: &Shop, backend: &'static str) {
    let admin = shop.admin().await;
    let product = shop.stocked(&admin, "TEA", "2.00", "10", "1.00").await;
    let (id, till) = shop.user(&admin, "till", "staff").await;
    shop.get("/api/users/me", &till).await.expect(200);
    shop.patch(
        &format!("/api/users/{id}"),
        &admin,
        json!({ "active": false }),
    )
    .await
    .expect(200);
    shop.get("/api/users/me", &till)
        .await
        .expect_problem(401, "session_ended");
    let before = shop.fingerprint(&admin).await;
    shop.post("/api/sales", &till, json!({ "lines": [{ "product_id": product["id"], "quantity": "1" }], "payments": [{ "method": "cash", "amount": "2.00" }] }))
        .await
        .expect_problem(401, "session_ended");
    assert_eq!(shop.fingerprint(&admin).await, before, "{backend}: no sale");
    // Reactivated, the old login stays ended.
    shop.patch(
        &format!("/api/users/{id}"),
        &admin,
        json!({ "active": true }),
    )
    .await
    .expect(200);
    shop.get("/api/users/me", &till)
        .await
        .expect_problem(401, "session_ended");
}

on_every_backend!(
    a_deactivated_users_token_stops_working,
    deactivation_ends_access_at_once
);

async fn the_current_role_authorises(shop: &Shop, backend: &'static str) {
    let admin = shop.admin().await;
    let (id, boss) = shop.user(&admin, "boss", "manager").await;
    shop.post("/api/brands", &boss, json!({ "name": "Acme" }))
        .await
        .expect(201);
    shop.patch(
        &format!("/api/users/{id}"),
        &admin,
        json!({ "role": "staff" }),
    )
    .await
    .expect(200);
    shop.post("/api/brands", &boss, json!({ "name": "Other" }))
        .await
        .expect_problem(403, "forbidden");
    // Promoted, the same token gains the role at once.
    shop.patch(
        &format!("/api/users/{id}"),
        &admin,
        json!({ "role": "admin" }),
    )
    .await
    .expect(200);
    shop.get("/api/users", &boss).await.expect(200);
    let brands = shop.get("/api/brands", &admin).await.json();
    assert_eq!(brands["total"], 1, "{backend}: {brands}");
}

on_every_backend!(
    a_role_change_applies_to_the_next_request,
    the_current_role_authorises
);

async fn logout_and_password_changes_end_the_login(shop: &Shop, backend: &'static str) {
    let admin = shop.admin().await;
    // Logout with the access token alone (no refresh token) ends that login, not others.
    let (id, till) = shop.user(&admin, "till", "staff").await;
    let other = shop.login("till", "till-password").await;
    shop.post("/api/auth/logout", &till, json!({}))
        .await
        .expect(204);
    shop.get("/api/users/me", &till)
        .await
        .expect_problem(401, "session_ended");
    shop.get("/api/users/me", &other).await.expect(200);
    // A password set by an admin ends every login of the user.
    shop.patch(
        &format!("/api/users/{id}"),
        &admin,
        json!({ "password": "a-new-password-1" }),
    )
    .await
    .expect(200);
    shop.get("/api/users/me", &other)
        .await
        .expect_problem(401, "session_ended");
    let fresh = shop.login("till", "a-new-password-1").await;
    shop.get("/api/users/me", &fresh).await.expect(200);
    // So does one the user sets.
    shop.put(
        "/api/users/me",
        &fresh,
        json!({ "current_password": "a-new-password-1", "new_password": "another-password-2" }),
    )
    .await
    .expect(200);
    shop.get("/api/users/me", &fresh)
        .await
        .expect_problem(401, "session_ended");
    let _ = backend;
}

on_every_backend!(
    logout_and_password_changes_take_effect_at_once,
    logout_and_password_changes_end_the_login
);

async fn a_deactivated_user_cannot_refresh(shop: &Shop, backend: &'static str) {
    let admin = shop.admin().await;
    let (id, _) = shop.user(&admin, "till", "staff").await;
    let login = shop.login_reply("till", "till-password").await.json();
    let refresh = login["refresh_token"].as_str().unwrap().to_owned();
    shop.patch(
        &format!("/api/users/{id}"),
        &admin,
        json!({ "active": false }),
    )
    .await
    .expect(200);
    let refused = shop.refresh(&refresh).await;
    let problem = refused.expect_problem(401, "account_inactive");
    assert!(
        problem["detail"].as_str().unwrap().contains("deactivated"),
        "{backend}"
    );
}

on_every_backend!(
    a_deactivated_users_refresh_says_so,
    a_deactivated_user_cannot_refresh
);
