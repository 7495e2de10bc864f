//! Limits that cannot be split or side-stepped: failed logins counted across instances, the
//! staff refund limit over a whole sale, one field policy for create and update.

use super::support::{Shop, backends, instance};
use crate::on_every_backend;
use pos_http::HttpSettings;
use pos_tests::harness::{ADMIN_EMAIL, ADMIN_PASSWORD};
use serde_json::json;

const OFFICE: [u8; 4] = [10, 0, 0, 7];

/// The production defaults of the limits, not the tests' generous ones.
fn production_limits() -> HttpSettings {
    let mut settings = HttpSettings::for_tests();
    settings.login_burst = 20;
    settings.login_refill = std::time::Duration::from_secs(3);
    settings.login_failures_per_account = 5;
    settings.login_failures_per_address = 20;
    settings
}

#[actix_web::test]
async fn only_failed_logins_count_and_every_instance_counts_them() {
    for (backend, store) in backends().await {
        // Two instances on one database: each has its own in-memory burst guard, and both read
        // the same stored failures.
        let one = instance(store.clone(), production_limits()).await;
        let two = instance(store, production_limits()).await;
        for i in 0..7 {
            let shop = if i % 2 == 0 { &one } else { &two };
            shop.login_from(OFFICE, ADMIN_EMAIL, ADMIN_PASSWORD)
                .await
                .expect(200);
        }
        // Five failures for the account, spread over both instances...
        for i in 0..5 {
            let shop = if i % 2 == 0 { &one } else { &two };
            shop.login_from(OFFICE, ADMIN_EMAIL, "wrong")
                .await
                .expect_problem(401, "invalid_credentials");
        }
        // ...and the sixth attempt is refused on either, even with the right password.
        for shop in [&one, &two] {
            let limited = shop.login_from(OFFICE, ADMIN_EMAIL, ADMIN_PASSWORD).await;
            limited.expect_problem(429, "rate_limited");
            let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
            assert!((1..=900).contains(&retry), "{backend}: Retry-After {retry}");
        }
        // Another account from another address is untouched.
        one.login_from([10, 0, 0, 8], "nobody@example.com", "x")
            .await
            .expect_problem(401, "invalid_credentials");
    }
}

#[actix_web::test]
async fn an_address_guessing_many_accounts_is_stopped() {
    for (backend, store) in backends().await {
        let one = instance(store.clone(), production_limits()).await;
        let two = instance(store, production_limits()).await;
        for i in 0..20 {
            let shop = if i % 2 == 0 { &one } else { &two };
            shop.login_from(OFFICE, &format!("guess{i}@example.com"), "x")
                .await
                .expect_problem(401, "invalid_credentials");
        }
        let limited = two.login_from(OFFICE, "guess99@example.com", "x").await;
        limited.expect_problem(429, "rate_limited");
        assert!(limited.header("retry-after").is_some(), "{backend}");
        // The admin, from elsewhere, still gets in.
        one.login_from([10, 0, 0, 9], ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .expect(200);
    }
}

async fn a_success_forgives_earlier_failures(shop: &Shop, backend: &'static str) {
    for round in 0..3 {
        for _ in 0..4 {
            shop.login_from(OFFICE, ADMIN_EMAIL, "wrong")
                .await
                .expect_problem(401, "invalid_credentials");
        }
        let reply = shop.login_from(OFFICE, ADMIN_EMAIL, ADMIN_PASSWORD).await;
        assert_eq!(reply.status.as_u16(), 200, "{backend}: round {round}");
    }
}

on_every_backend!(
    failures_are_counted_since_the_last_success,
    a_success_forgives_earlier_failures
);

async fn the_staff_refund_limit_binds_the_whole_sale(shop: &Shop, backend: &'static str) {
    let admin = shop.admin().await;
    let (_, till) = shop.user(&admin, "till", "staff").await;
    let (_, boss) = shop.user(&admin, "boss", "manager").await;
    let product = shop.stocked(&admin, "TEA", "22.99", "10", "5.00").await;
    let sold = shop
        .post("/api/sales", &till, json!({ "lines": [{ "product_id": product["id"], "quantity": "3" }], "payments": [{ "method": "cash", "amount": "68.97" }] }))
        .await
        .expect(201)
        .json();
    let path = format!("/api/sales/{}/returns", sold["sale"]["id"]);
    let line = sold["sale"]["lines"][0]["id"].clone();
    let units = |q: &str| json!({ "lines": [{ "sale_line_id": line, "quantity": q }] });
    // 68.97 at once is over the 50.00 limit, and so is 45.98 then 22.99.
    shop.post(&path, &till, units("3"))
        .await
        .expect_problem(403, "forbidden");
    shop.post(&path, &till, units("2")).await.expect(201);
    let before = shop.fingerprint(&admin).await;
    let refused = shop.post(&path, &till, units("1")).await;
    let problem = refused.expect_problem(403, "forbidden");
    assert!(
        problem["detail"].as_str().unwrap().contains("68.97"),
        "{problem}"
    );
    assert_eq!(shop.fingerprint(&admin).await, before, "{backend}");
    shop.post(&path, &boss, units("1")).await.expect(201);
    shop.assert_books_intact(&admin, backend).await;
}

on_every_backend!(
    a_refund_limit_cannot_be_split,
    the_staff_refund_limit_binds_the_whole_sale
);

async fn one_policy_for_a_credit_limit(shop: &Shop, backend: &'static str) {
    let admin = shop.admin().await;
    let (_, till) = shop.user(&admin, "till", "staff").await;
    let (_, boss) = shop.user(&admin, "boss", "manager").await;
    shop.post(
        "/api/customers",
        &till,
        json!({ "name": "Rahim", "credit_limit": "500.00" }),
    )
    .await
    .expect_problem(403, "forbidden");
    let customers = shop.get("/api/customers", &admin).await.json();
    assert_eq!(customers["total"], 0, "{backend}: nothing was created");
    let walk_in = shop
        .post("/api/customers", &till, json!({ "name": "Karim" }))
        .await
        .expect(201)
        .json();
    let path = format!("/api/customers/{}", walk_in["id"]);
    shop.put(
        &path,
        &till,
        json!({ "name": "Karim", "credit_limit": "100.00" }),
    )
    .await
    .expect_problem(403, "forbidden");
    shop.put(&path, &till, json!({ "name": "Karim Uddin" }))
        .await
        .expect(200);
    for (role, token) in [("manager", &boss), ("admin", &admin)] {
        shop.post(
            "/api/customers",
            token,
            json!({ "name": format!("Credit by {role}"), "credit_limit": "500.00" }),
        )
        .await
        .expect(201);
    }
    shop.put(
        &path,
        &boss,
        json!({ "name": "Karim Uddin", "credit_limit": "100.00" }),
    )
    .await
    .expect(200);
    // Staff may edit the rest of a customer who has credit, leaving the limit as it is.
    shop.put(
        &path,
        &till,
        json!({ "name": "Karim U.", "credit_limit": "100.00" }),
    )
    .await
    .expect(200);
}

on_every_backend!(
    a_credit_limit_needs_a_manager_on_create_and_update,
    one_policy_for_a_credit_limit
);

async fn a_password_change_is_a_guess_too(shop: &Shop, backend: &'static str) {
    let admin = shop.admin().await;
    let (_, till) = shop.user(&admin, "till", "staff").await;
    for _ in 0..5 {
        shop.put(
            "/api/users/me",
            &till,
            json!({ "current_password": "guess", "new_password": "new-password-1" }),
        )
        .await
        .expect_problem(422, "validation_failed");
    }
    // The sixth guess is refused before any check, even the right one; so is a login.
    shop.put(
        "/api/users/me",
        &till,
        json!({ "current_password": "till-password", "new_password": "new-password-1" }),
    )
    .await
    .expect_problem(429, "rate_limited");
    let login = shop.login_reply("till", "till-password").await;
    assert_eq!(login.status.as_u16(), 429, "{backend}");
}

on_every_backend!(
    guessing_through_a_password_change_is_limited,
    a_password_change_is_a_guess_too
);

async fn staff_take_money_in_but_not_out(shop: &Shop, backend: &'static str) {
    let admin = shop.admin().await;
    let (_, till) = shop.user(&admin, "till", "staff").await;
    let (_, boss) = shop.user(&admin, "boss", "manager").await;
    let before = shop.fingerprint(&admin).await;
    shop.post("/api/payments", &till, json!({ "direction": "out", "method": "cash", "amount": "9999.00", "account_code": "3000" }))
        .await
        .expect_problem(403, "forbidden");
    assert_eq!(shop.fingerprint(&admin).await, before, "{backend}");
    shop.post(
        "/api/payments",
        &till,
        json!({ "direction": "in", "method": "cash", "amount": "50.00", "account_code": "3000" }),
    )
    .await
    .expect(201);
    shop.post(
        "/api/payments",
        &boss,
        json!({ "direction": "out", "method": "cash", "amount": "20.00", "account_code": "3000" }),
    )
    .await
    .expect(201);
    shop.assert_books_intact(&admin, backend).await;
}

on_every_backend!(
    money_out_of_the_till_needs_a_manager,
    staff_take_money_in_but_not_out
);

async fn a_discount_is_a_price_change(shop: &Shop, backend: &'static str) {
    let admin = shop.admin().await;
    let (_, till) = shop.user(&admin, "till", "staff").await;
    let (_, boss) = shop.user(&admin, "boss", "manager").await;
    let product = shop.stocked(&admin, "TEA", "10.00", "10", "4.00").await;
    let sale = |discount: serde_json::Value| json!({ "lines": [{ "product_id": product["id"], "quantity": "1", "discount": discount }], "payments": [{ "method": "cash", "amount": "10.00" }] });
    let before = shop.fingerprint(&admin).await;
    // Refused a price override, staff cannot reach the same price with a discount.
    shop.post("/api/sales", &till, json!({ "lines": [{ "product_id": product["id"], "quantity": "1", "unit_price": "0.00" }], "payments": [{ "method": "cash", "amount": "1.00" }] }))
        .await
        .expect_problem(403, "forbidden");
    shop.post("/api/sales", &till, sale(json!({ "percent": "100" })))
        .await
        .expect_problem(403, "forbidden");
    shop.post("/api/sales", &till, sale(json!({ "amount": "2.01" })))
        .await
        .expect_problem(403, "forbidden");
    assert_eq!(shop.fingerprint(&admin).await, before, "{backend}");
    // Up to the limit (20 %), and beyond it for a manager.
    shop.post("/api/sales", &till, sale(json!({ "percent": "20" })))
        .await
        .expect(201);
    shop.post("/api/sales", &boss, sale(json!({ "percent": "100" })))
        .await
        .expect(201);
    shop.assert_books_intact(&admin, backend).await;
}

on_every_backend!(
    staff_discounts_are_limited_like_price_overrides,
    a_discount_is_a_price_change
);
