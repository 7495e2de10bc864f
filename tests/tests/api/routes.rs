//! Every route's guard: without a token 401, with each role below the one it needs 403. The
//! routes and their roles are read from the table the app is mounted from (each handler's
//! declaration), so a new route cannot skip this test; a few roles that matter most are pinned.

use actix_web::http::Method;
use pos_domain::user::Role;
use pos_http::routes::{Access, operations};
use pos_tests::harness::client;
use std::collections::BTreeSet;

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
    let mut routes: Vec<_> = operations()
        .unwrap()
        .into_iter()
        .filter_map(|op| match op.access {
            // Without a token nor a link, a link route is guarded like any other.
            Access::AtLeast(role) | Access::AtLeastOrSignedLink(role) => {
                Some((op.method, op.path, role))
            }
            Access::Public => None,
        })
        .collect();
    assert!(routes.len() > 100, "read the table: {}", routes.len());
    // Logout ends the login of the token it is called with: call it last.
    routes.sort_by_key(|(_, path, _)| path == "/api/auth/logout");
    for (method, template, needs) in routes {
        let path = concrete(&template);
        let reply = c.call(method.clone(), &path, None, None).await;
        assert_eq!(
            reply.status.as_u16(),
            401,
            "{method} {path} without a token"
        );
        reply.expect_problem(401, "unauthenticated");
        for (role, token) in [(Role::Staff, &staff), (Role::Manager, &manager)] {
            let reply = c.call(method.clone(), &path, Some(token), None).await;
            if !role.at_least(needs) {
                assert_eq!(reply.status.as_u16(), 403, "{method} {path} as {role}");
                reply.expect_problem(403, "forbidden");
            } else {
                assert!(
                    ![401, 403].contains(&reply.status.as_u16()),
                    "{method} {path} as {role}: {}",
                    reply.status
                );
            }
        }
    }
}

/// The role table per location: every use case that names a location refuses (403) a user
/// whose role admits it but who works at another location, and admits the same request from
/// an admin (who works everywhere).
#[actix_web::test]
async fn every_route_that_names_a_location_refuses_a_user_assigned_elsewhere() {
    use serde_json::json;
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let s2 = c
        .post(
            "/api/locations",
            &admin,
            json!({ "code": "S2", "name": "S2", "kind": "store" }),
        )
        .await
        .expect(201)
        .json();
    let till = c
        .post(
            "/api/registers",
            &admin,
            json!({ "code": "S2A", "name": "S2 till", "location_id": s2["id"] }),
        )
        .await
        .expect(201)
        .json();
    let manager = c.user_token(&admin, "mgr", "manager").await;
    let staff = c.user_token(&admin, "clerk", "staff").await;
    let users = c.get("/api/users?per_page=100", &admin).await.json();
    for user in users["data"].as_array().unwrap() {
        if user["username"] != "admin" {
            c.put(
                &format!("/api/users/{}/locations", user["id"]),
                &admin,
                json!({ "location_ids": [s2["id"]] }),
            )
            .await
            .expect(200);
        }
    }
    let product = c
        .post(
            "/api/products",
            &admin,
            json!({ "name": "Pen", "sku": "PEN", "price": "1.00" }),
        )
        .await
        .expect(201)
        .json();
    let supplier = c
        .post("/api/suppliers", &admin, json!({ "name": "S" }))
        .await
        .json();
    let p = product["id"].clone();
    c.post(
        "/api/purchases",
        &admin,
        json!({ "supplier_id": supplier["id"], "invoice_no": "I-0",
        "lines": [{ "product_id": p, "quantity": "50", "unit_cost": "0.50" }] }),
    )
    .await
    .expect(201);
    let sale = c
        .post("/api/sales", &admin, json!({ "lines": [{ "product_id": p, "quantity": "1" }], "payments": [{ "method": "cash", "amount": "1.00" }] }))
        .await
        .expect(201)
        .json();
    let sale_line = sale["sale"]["lines"][0]["id"].clone();
    let transfer = |n: u32| {
        json!({ "from_location_id": 1, "to_location_id": s2["id"], "note": format!("t{n}"),
                "lines": [{ "product_id": p, "quantity": "1" }] })
    };
    let shipped = c
        .post("/api/transfers", &admin, transfer(0))
        .await
        .expect(201)
        .json();
    c.post(
        &format!("/api/transfers/{}/ship", shipped["id"]),
        &admin,
        json!({}),
    )
    .await
    .expect(200);
    let inbound = c
        .post(
            "/api/transfers",
            &admin,
            json!({ "from_location_id": s2["id"], "to_location_id": 1,
        "lines": [{ "product_id": p, "quantity": "1" }] }),
        )
        .await
        .expect(201)
        .json();
    let to_cancel = c
        .post("/api/transfers", &admin, transfer(2))
        .await
        .expect(201)
        .json();
    c.post(
        &format!("/api/transfers/{}/receive", shipped["id"]),
        &admin,
        json!({ "lines": [{ "product_id": p, "received": "1" }] }),
    )
    .await
    .expect(200);
    c.post(
        &format!("/api/transfers/{}/ship", inbound["id"]),
        &admin,
        json!({}),
    )
    .await
    .expect(200);
    // (who may, method, path, body) of each request at the default store.
    let cases: Vec<(Role, Method, String, serde_json::Value)> = vec![
        (
            Role::Staff,
            Method::POST,
            "/api/sales".into(),
            json!({ "lines": [{ "product_id": p, "quantity": "1" }], "payments": [{ "method": "cash", "amount": "1.00" }] }),
        ),
        (
            Role::Staff,
            Method::POST,
            format!("/api/sales/{}/returns", sale["sale"]["id"]),
            json!({ "lines": [{ "sale_line_id": sale_line, "quantity": "1" }] }),
        ),
        (
            Role::Staff,
            Method::POST,
            "/api/registers/1/sessions".into(),
            json!({ "float": "0.00" }),
        ),
        (
            Role::Staff,
            Method::POST,
            "/api/registers/1/cash-movements".into(),
            json!({ "reason": "petty_cash", "amount": "1.00" }),
        ),
        (
            Role::Manager,
            Method::POST,
            "/api/purchases".into(),
            json!({ "supplier_id": supplier["id"], "invoice_no": "I-1", "lines": [{ "product_id": p, "quantity": "1", "unit_cost": "1.00" }] }),
        ),
        (
            Role::Manager,
            Method::POST,
            "/api/inventory/adjustments".into(),
            json!({ "product_id": p, "reason": "damage", "change": "-1" }),
        ),
        (
            Role::Manager,
            Method::POST,
            "/api/inventory/counts".into(),
            json!({ "lines": [{ "product_id": p, "counted": "40" }] }),
        ),
        (
            Role::Manager,
            Method::POST,
            "/api/transfers".into(),
            transfer(1),
        ),
        (
            Role::Manager,
            Method::POST,
            format!("/api/transfers/{}/cancel", to_cancel["id"]),
            json!({}),
        ),
        // Shipped by an admin from S2 to the default store: receiving it is the default store's.
        (
            Role::Manager,
            Method::POST,
            format!("/api/transfers/{}/receive", inbound["id"]),
            json!({ "lines": [{ "product_id": p, "received": "1" }] }),
        ),
        (
            Role::Manager,
            Method::PUT,
            format!("/api/products/{p}/reorder-levels"),
            json!({ "location_id": 1, "level": "3" }),
        ),
        (
            Role::Manager,
            Method::GET,
            "/api/inventory?location_ids=1".into(),
            json!(null),
        ),
        (
            Role::Manager,
            Method::GET,
            "/api/reports/inventory/alerts?location_id=1".into(),
            json!(null),
        ),
        (
            Role::Manager,
            Method::GET,
            "/api/reports/financial-summary?from=2026-01-01&to=2026-01-31&location_ids=1".into(),
            json!(null),
        ),
        (
            Role::Staff,
            Method::GET,
            "/api/dashboard?location_ids=1".into(),
            json!(null),
        ),
    ];
    for (least, method, path, body) in cases {
        let body = (!body.is_null()).then_some(body);
        for (role, token) in [(Role::Staff, &staff), (Role::Manager, &manager)] {
            if !role.at_least(least) {
                continue;
            }
            let reply = c
                .call(method.clone(), &path, Some(token), body.clone())
                .await;
            assert_eq!(
                reply.status.as_u16(),
                403,
                "{method} {path} as a {role} of S2: {:?}",
                reply.json()
            );
            reply.expect_problem(403, "forbidden");
        }
    }
    // At their own store the same people are not refused for where they are (here the shelf
    // is empty: the one pen that arrived went back).
    c.post(
        "/api/sales",
        &staff,
        json!({ "register_id": till["id"], "lines": [{ "product_id": p, "quantity": "1" }],
        "payments": [{ "method": "cash", "amount": "1.00" }] }),
    )
    .await
    .expect_problem(409, "insufficient_stock");
}

#[test]
fn the_roles_that_matter_most_are_as_documented() {
    let table = operations().unwrap();
    let access = |method: &str, path: &str| {
        table
            .iter()
            .find(|op| op.method.as_str() == method && op.path == path)
            .unwrap_or_else(|| panic!("{method} {path} is not mounted"))
            .access
    };
    let role = |r| Access::AtLeast(r);
    for (method, path, expected) in [
        ("GET", "/health", Access::Public),
        (
            "GET",
            "/api/media/{key}",
            Access::AtLeastOrSignedLink(Role::Staff),
        ),
        ("GET", "/ready", Access::Public),
        ("POST", "/api/auth/login", Access::Public),
        ("POST", "/api/auth/refresh", Access::Public),
        ("POST", "/api/auth/logout", role(Role::Staff)),
        ("POST", "/api/users", role(Role::Admin)),
        ("PATCH", "/api/users/{id}", role(Role::Admin)),
        ("POST", "/api/journal/opening", role(Role::Admin)),
        ("GET", "/api/admin/integrity", role(Role::Admin)),
        ("GET", "/metrics", role(Role::Admin)),
        ("POST", "/api/journal/{id}/reverse", role(Role::Manager)),
        ("POST", "/api/purchases", role(Role::Manager)),
        ("POST", "/api/inventory/adjustments", role(Role::Manager)),
        ("POST", "/api/sales", role(Role::Staff)),
        ("POST", "/api/sales/{id}/returns", role(Role::Staff)),
        ("POST", "/api/transfers", role(Role::Manager)),
        ("POST", "/api/transfers/{id}/ship", role(Role::Manager)),
        ("POST", "/api/transfers/{id}/receive", role(Role::Manager)),
        ("PUT", "/api/users/{id}/locations", role(Role::Admin)),
        (
            "GET",
            "/api/inventory/{product_id}/locations",
            role(Role::Staff),
        ),
    ] {
        assert_eq!(access(method, path), expected, "{method} {path}");
    }
}

#[test]
fn the_spec_documents_exactly_the_mounted_operations_each_once() {
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
    let table = operations().unwrap();
    let mounted: BTreeSet<(String, String)> = table
        .iter()
        .map(|op| (op.method.to_string(), op.path.clone()))
        .collect();
    assert_eq!(
        documented, mounted,
        "the spec and the mounted routes differ"
    );
    assert_eq!(mounted.len(), table.len(), "an operation is mounted twice");
    let ids: BTreeSet<_> = table.iter().map(|op| op.id).collect();
    assert_eq!(ids.len(), table.len(), "operation ids are unique");
}

#[actix_web::test]
async fn a_request_the_route_refuses_is_refused_before_its_body_is_read() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let staff = c.user_token(&admin, "clerk", "staff").await;
    // No body at all: the guard answers first, whatever the backend's speed.
    let reply = c.call(Method::POST, "/api/users", Some(&staff), None).await;
    reply.expect_problem(403, "forbidden");
    let reply = c.call(Method::POST, "/api/users", None, None).await;
    reply.expect_problem(401, "unauthenticated");
}
