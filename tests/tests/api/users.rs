use pos_tests::harness::client;
use serde_json::json;

#[actix_web::test]
async fn admins_create_list_and_find_users() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let created = c
        .post("/api/users", &admin, json!({ "username": "Till1", "email": "Till1@Example.com", "name": "Till One", "role": "staff", "password": "till-password" }))
        .await
        .expect(201)
        .json();
    assert_eq!(created["username"], "till1");
    assert_eq!(created["email"], "till1@example.com");
    assert_eq!(created["active"], true);
    c.post("/api/users", &admin, json!({ "username": "till1", "email": "x@example.com", "name": "X", "role": "staff", "password": "till-password" }))
        .await
        .expect_problem(409, "already_exists");
    let page = c
        .get("/api/users?q=till&per_page=1", &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(
        (page["total"].as_u64(), page["per_page"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(page["data"][0]["username"], "till1");
    let all = c
        .get("/api/users?sort=username&order=desc", &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(all["data"][0]["username"], "till1");
    let id = created["id"].as_i64().unwrap();
    c.get(&format!("/api/users/{id}"), &admin).await.expect(200);
    c.get("/api/users/999999", &admin)
        .await
        .expect_problem(404, "not_found");
    c.login("till1@example.com", "till-password").await;
}

#[actix_web::test]
async fn user_input_is_validated_field_by_field() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let body = c
        .post("/api/users", &admin, json!({ "username": "x", "email": "not-an-email", "name": "", "role": "staff", "password": "é".repeat(37) }))
        .await
        .expect_problem(422, "validation_failed");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for field in ["username", "name", "password"] {
        assert!(fields.contains(&field), "{field} not reported in {body}");
    }
    c.post("/api/users", &admin, json!({ "username": "abc", "email": "a@b.co", "name": "A", "role": "root", "password": "password-1" }))
        .await
        .expect_problem(422, "validation_failed");
}

#[actix_web::test]
async fn the_last_active_admin_cannot_be_demoted_or_deactivated() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let me = c.get("/api/users/me", &admin).await.json();
    let path = format!("/api/users/{}", me["id"]);
    c.patch(&path, &admin, json!({ "role": "manager" }))
        .await
        .expect_problem(409, "last_admin");
    c.delete(&path, &admin)
        .await
        .expect_problem(409, "last_admin");
    c.patch(&path, &admin, json!({ "active": false }))
        .await
        .expect_problem(409, "last_admin");
    // With a second admin, the first may step down.
    c.user_token(&admin, "second", "admin").await;
    c.patch(&path, &admin, json!({ "role": "manager" }))
        .await
        .expect(200);
}

#[actix_web::test]
async fn deactivated_users_cannot_log_in_or_refresh() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    c.user_token(&admin, "leaver", "staff").await;
    let login = c.login_reply("leaver", "leaver-password").await.json();
    let list = c.get("/api/users?q=leaver", &admin).await.json();
    let id = list["data"][0]["id"].as_i64().unwrap();
    let deactivated = c
        .delete(&format!("/api/users/{id}"), &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(deactivated["active"], false);
    c.login_reply("leaver", "leaver-password")
        .await
        .expect_problem(401, "invalid_credentials");
    let refresh = c
        .call(
            actix_web::http::Method::POST,
            "/api/auth/refresh",
            None,
            Some(json!({ "refresh_token": login["refresh_token"] })),
        )
        .await;
    assert_eq!(refresh.status.as_u16(), 401);
    // Still listed: users are never deleted.
    c.get(&format!("/api/users/{id}"), &admin).await.expect(200);
}

#[actix_web::test]
async fn everyone_manages_their_own_account_but_not_their_role() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let staff = c.user_token(&admin, "sam", "staff").await;
    let me = c
        .put("/api/users/me", &staff, json!({ "name": "Sam S" }))
        .await
        .expect(200)
        .json();
    assert_eq!(me["name"], "Sam S");
    let body = c
        .put("/api/users/me", &staff, json!({ "role": "admin" }))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(body["errors"][0]["field"], "role", "{body}");
    c.put(
        "/api/users/me",
        &staff,
        json!({ "new_password": "brand-new-pass" }),
    )
    .await
    .expect_problem(422, "validation_failed");
    c.put(
        "/api/users/me",
        &staff,
        json!({ "new_password": "brand-new-pass", "current_password": "wrong" }),
    )
    .await
    .expect_problem(422, "validation_failed");
    c.put(
        "/api/users/me",
        &staff,
        json!({ "new_password": "brand-new-pass", "current_password": "sam-password" }),
    )
    .await
    .expect(200);
    c.login_reply("sam", "sam-password").await.expect(401);
    // The password change ended every login of the user, this one included.
    c.get("/api/users/me", &staff)
        .await
        .expect_problem(401, "session_ended");
    let staff = c.login("sam", "brand-new-pass").await;
    c.get("/api/users", &staff)
        .await
        .expect_problem(403, "forbidden");
}
