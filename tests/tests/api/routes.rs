//! Every route's guard: without a token 401, with each role below the one it needs 403. The
//! table is also checked against the OpenAPI paths, so a new route cannot skip this test.

use actix_web::http::Method;
use pos_tests::harness::client;
use std::collections::BTreeSet;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Needs {
    Staff,
    Manager,
    Admin,
}

const ROUTES: &[(&str, &str, Needs)] = &[
    ("POST", "/api/auth/logout", Needs::Staff),
    ("GET", "/api/users", Needs::Admin),
    ("POST", "/api/users", Needs::Admin),
    ("GET", "/api/users/me", Needs::Staff),
    ("PUT", "/api/users/me", Needs::Staff),
    ("GET", "/api/users/{id}", Needs::Admin),
    ("PATCH", "/api/users/{id}", Needs::Admin),
    ("DELETE", "/api/users/{id}", Needs::Admin),
    ("GET", "/api/brands", Needs::Staff),
    ("POST", "/api/brands", Needs::Manager),
    ("GET", "/api/brands/{id}", Needs::Staff),
    ("PUT", "/api/brands/{id}", Needs::Manager),
    ("DELETE", "/api/brands/{id}", Needs::Manager),
    ("GET", "/api/categories", Needs::Staff),
    ("POST", "/api/categories", Needs::Manager),
    ("GET", "/api/categories/{id}", Needs::Staff),
    ("PUT", "/api/categories/{id}", Needs::Manager),
    ("DELETE", "/api/categories/{id}", Needs::Manager),
    ("GET", "/api/tax-rates", Needs::Staff),
    ("POST", "/api/tax-rates", Needs::Manager),
    ("GET", "/api/tax-rates/{id}", Needs::Staff),
    ("PUT", "/api/tax-rates/{id}", Needs::Manager),
    ("DELETE", "/api/tax-rates/{id}", Needs::Manager),
    ("GET", "/api/products", Needs::Staff),
    ("POST", "/api/products", Needs::Manager),
    ("GET", "/api/products/{id}", Needs::Staff),
    ("PUT", "/api/products/{id}", Needs::Manager),
    ("GET", "/api/products/barcode/{code}", Needs::Staff),
    ("PUT", "/api/products/{id}/image", Needs::Manager),
    ("DELETE", "/api/products/{id}/image", Needs::Manager),
    ("GET", "/api/media/{key}", Needs::Staff),
    ("GET", "/api/accounts", Needs::Manager),
    ("POST", "/api/accounts", Needs::Admin),
    ("GET", "/api/accounts/{id}/statement", Needs::Manager),
    ("GET", "/api/payment-methods", Needs::Staff),
    ("POST", "/api/payment-methods", Needs::Admin),
    ("GET", "/api/expense-categories", Needs::Manager),
    ("POST", "/api/expense-categories", Needs::Manager),
    ("GET", "/api/journal", Needs::Manager),
    ("POST", "/api/journal/opening", Needs::Admin),
    ("GET", "/api/journal/{id}", Needs::Manager),
    ("POST", "/api/journal/{id}/reverse", Needs::Manager),
    ("GET", "/api/ledger/balances", Needs::Manager),
    ("GET", "/api/ledger/trial-balance", Needs::Manager),
    ("GET", "/api/ledger/profit-and-loss", Needs::Manager),
    ("GET", "/api/ledger/balance-sheet", Needs::Manager),
    ("GET", "/api/payments", Needs::Manager),
    ("POST", "/api/payments", Needs::Staff),
    ("GET", "/api/expenses", Needs::Manager),
    ("POST", "/api/expenses", Needs::Manager),
    ("POST", "/api/expenses/{id}/void", Needs::Manager),
    ("GET", "/api/suppliers", Needs::Manager),
    ("POST", "/api/suppliers", Needs::Manager),
    ("GET", "/api/suppliers/{id}", Needs::Manager),
    ("PUT", "/api/suppliers/{id}", Needs::Manager),
    ("PUT", "/api/suppliers/{id}/active", Needs::Manager),
    ("GET", "/api/suppliers/{id}/products", Needs::Manager),
    ("GET", "/api/suppliers/{id}/dues", Needs::Manager),
    ("POST", "/api/suppliers/{id}/payments", Needs::Manager),
    (
        "GET",
        "/api/suppliers/{id}/products/{product_id}",
        Needs::Manager,
    ),
    ("GET", "/api/suppliers/{id}/transactions", Needs::Manager),
    ("GET", "/api/purchases", Needs::Manager),
    ("POST", "/api/purchases", Needs::Manager),
    ("GET", "/api/purchases/{id}", Needs::Manager),
    ("POST", "/api/purchases/{id}/returns", Needs::Manager),
    ("GET", "/api/inventory", Needs::Manager),
    ("GET", "/api/dashboard", Needs::Staff),
    ("GET", "/api/reports/financial-summary", Needs::Manager),
    ("GET", "/api/reports/financial-analysis", Needs::Manager),
    ("GET", "/api/reports/daily", Needs::Manager),
    ("GET", "/api/reports/top-products", Needs::Manager),
    ("GET", "/api/reports/products", Needs::Manager),
    ("GET", "/api/reports/customers", Needs::Manager),
    ("GET", "/api/reports/customers/overview", Needs::Manager),
    ("GET", "/api/reports/staff", Needs::Manager),
    ("GET", "/api/reports/payment-methods", Needs::Manager),
    ("GET", "/api/reports/tax", Needs::Manager),
    ("GET", "/api/reports/inventory/alerts", Needs::Manager),
    ("GET", "/api/reports/inventory/movement", Needs::Manager),
    ("GET", "/api/reports/inventory/reorder", Needs::Manager),
    ("GET", "/api/reports/inventory/detailed", Needs::Manager),
    ("GET", "/api/users/me/performance", Needs::Staff),
    ("GET", "/api/users/me/transactions", Needs::Staff),
    ("GET", "/api/users/{id}/performance", Needs::Manager),
    ("GET", "/api/inventory/movements", Needs::Manager),
    ("POST", "/api/inventory/adjustments", Needs::Manager),
    ("POST", "/api/inventory/counts", Needs::Manager),
    ("GET", "/api/inventory/{product_id}/lots", Needs::Manager),
    ("GET", "/api/customers", Needs::Staff),
    ("POST", "/api/customers", Needs::Staff),
    ("GET", "/api/customers/{id}", Needs::Staff),
    ("PUT", "/api/customers/{id}", Needs::Staff),
    ("PUT", "/api/customers/{id}/active", Needs::Staff),
    ("GET", "/api/customers/{id}/products", Needs::Staff),
    ("GET", "/api/customers/{id}/sales", Needs::Staff),
    ("POST", "/api/customers/{id}/payments", Needs::Staff),
    ("GET", "/api/sales", Needs::Staff),
    ("POST", "/api/sales", Needs::Staff),
    ("GET", "/api/sales/{id}", Needs::Staff),
    ("GET", "/api/sales/{id}/receipt", Needs::Staff),
    ("POST", "/api/sales/{id}/returns", Needs::Staff),
    ("GET", "/api/registers", Needs::Staff),
    ("POST", "/api/registers", Needs::Manager),
    ("GET", "/api/registers/{id}", Needs::Staff),
    ("PATCH", "/api/registers/{id}", Needs::Manager),
    ("GET", "/api/held-sales", Needs::Staff),
    ("POST", "/api/held-sales", Needs::Staff),
    ("DELETE", "/api/held-sales/{id}", Needs::Staff),
    ("POST", "/api/held-sales/{id}/complete", Needs::Staff),
    ("GET", "/api/admin/integrity", Needs::Admin),
    ("GET", "/metrics", Needs::Admin),
];

/// Routes anyone may call.
const PUBLIC: &[(&str, &str)] = &[
    ("GET", "/health"),
    ("GET", "/ready"),
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/refresh"),
];

fn concrete(template: &str) -> String {
    template
        .replace("{id}", "1")
        .replace("{product_id}", "1")
        .replace("{code}", "123")
        .replace("{key}", "products/1-x.png")
}

#[actix_web::test]
async fn every_route_needs_a_token_and_the_right_role() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let manager = c.user_token(&admin, "mgr", "manager").await;
    let staff = c.user_token(&admin, "clerk", "staff").await;
    // Logout ends the login of the token it is called with: call it last.
    let mut routes = ROUTES.to_vec();
    routes.sort_by_key(|(_, path, _)| *path == "/api/auth/logout");
    for (method, template, needs) in routes {
        let method: Method = method.parse().unwrap();
        let path = concrete(template);
        let reply = c.call(method.clone(), &path, None, None).await;
        assert_eq!(
            reply.status.as_u16(),
            401,
            "{method} {path} without a token"
        );
        reply.expect_problem(401, "unauthenticated");
        for (role, token) in [(Needs::Staff, &staff), (Needs::Manager, &manager)] {
            let reply = c.call(method.clone(), &path, Some(token), None).await;
            if role < needs {
                assert_eq!(reply.status.as_u16(), 403, "{method} {path} as {role:?}");
                reply.expect_problem(403, "forbidden");
            } else {
                assert!(
                    ![401, 403].contains(&reply.status.as_u16()),
                    "{method} {path} as {role:?}: {}",
                    reply.status
                );
            }
        }
    }
}

#[test]
fn the_route_table_covers_exactly_the_documented_operations() {
    let spec: serde_json::Value =
        serde_json::from_str(&pos_http::openapi::spec_json().unwrap()).unwrap();
    let documented: BTreeSet<(String, String)> = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let tested: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .chain(
            PUBLIC
                .iter()
                .map(|(m, p)| ((*m).to_owned(), (*p).to_owned())),
        )
        .collect();
    assert_eq!(
        documented, tested,
        "the route table and the OpenAPI paths differ"
    );
}
