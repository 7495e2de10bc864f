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
