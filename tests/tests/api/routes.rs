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
