//! A transfer shipping the last units of a product races a sale of them, over real concurrent
//! requests: exactly one wins, the other is refused with `insufficient_stock`, no lot goes
//! negative and the books agree. SQLite always; MariaDB when POS_TEST_MYSQL_URL is set.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use pos_domain::ports::Store;
use pos_http::HttpSettings;
use pos_tests::harness::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp};
use pos_tests::stores;
use pos_tests::wire::{send, serve};
use serde_json::{Value, json};
use std::sync::Arc;

const ROUNDS: usize = 12;

async fn race(store: Arc<dyn Store>) {
    let address = serve(TestApp::api_on(store, HttpSettings::for_tests()).await, 4);
    let call =
        move |method: &'static str, path: String, token: Option<String>, body: Option<Value>| {
            tokio::task::spawn_blocking(move || {
                send(address, method, &path, token.as_deref(), body.as_ref())
            })
        };
    let (_, login) = call(
        "POST",
        "/api/auth/login".into(),
        None,
        Some(json!({ "login": ADMIN_EMAIL, "password": ADMIN_PASSWORD })),
    )
    .await
    .unwrap();
    let token = login["access_token"].as_str().unwrap().to_owned();
    let t = || Some(token.clone());
    let (status, s2) = call(
        "POST",
        "/api/locations".into(),
        t(),
        Some(json!({ "code": "S2", "name": "Second store", "kind": "store" })),
    )
    .await
    .unwrap();
    assert_eq!(status, 201, "{s2}");
    let (_, supplier) = call(
        "POST",
        "/api/suppliers".into(),
        t(),
        Some(json!({ "name": "S" })),
    )
    .await
    .unwrap();
    let (mut shipped, mut sold) = (0, 0);
    for round in 0..ROUNDS {
        let (_, product) = call(
            "POST",
            "/api/products".into(),
            t(),
            Some(json!({ "name": format!("Last one {round}"), "sku": format!("LAST{round}"), "price": "9.00" })),
        )
        .await
        .unwrap();
        let pid = product["id"].as_i64().unwrap();
        let (status, body) = call("POST", "/api/purchases".into(), t(), Some(json!({ "supplier_id": supplier["id"], "invoice_no": format!("P-{round}"), "lines": [{ "product_id": pid, "quantity": "2", "unit_cost": "3.00" }] }))).await.unwrap();
        assert_eq!(status, 201, "{body}");
        let (status, transfer) = call(
            "POST",
            "/api/transfers".into(),
            t(),
            Some(json!({ "from_location_id": 1, "to_location_id": s2["id"], "lines": [{ "product_id": pid, "quantity": "2" }] })),
        )
        .await
        .unwrap();
        assert_eq!(status, 201, "{transfer}");
        // Both want the same two units of the default store.
        let ship = call(
            "POST",
            format!("/api/transfers/{}/ship", transfer["id"]),
            t(),
            Some(json!({})),
        );
        let sale = call(
            "POST",
            "/api/sales".into(),
            t(),
            Some(
                json!({ "lines": [{ "product_id": pid, "quantity": "2" }], "payments": [{ "method": "cash", "amount": "18.00" }] }),
            ),
        );
        let (ship, sale) = (ship.await.unwrap(), sale.await.unwrap());
        match (ship.0, sale.0) {
            (200, 409) => {
                assert_eq!(sale.1["code"], "insufficient_stock", "{}", sale.1);
                shipped += 1;
            }
            (409, 201) => {
                assert_eq!(ship.1["code"], "insufficient_stock", "{}", ship.1);
                sold += 1;
            }
            other => panic!(
                "exactly one must win, got {other:?}: {} / {}",
                ship.1, sale.1
            ),
        }
        let (_, lots) = call("GET", format!("/api/inventory/{pid}/lots"), t(), None)
            .await
            .unwrap();
        for lot in lots["data"].as_array().unwrap() {
            assert_eq!(lot["remaining"], "0", "nothing left anywhere: {lots}");
        }
    }
    assert_eq!(shipped + sold, ROUNDS);
    let (_, integrity) = call("GET", "/api/admin/integrity".into(), t(), None)
        .await
        .unwrap();
    assert_eq!(integrity["ok"], true, "{integrity}");
}

#[actix_web::test]
async fn sqlite_a_transfer_and_a_sale_of_the_last_units_never_both_win() {
    race(stores::sqlite().await).await;
}

#[actix_web::test]
#[ignore = "needs MariaDB: set POS_TEST_MYSQL_URL and pass --include-ignored"]
async fn mysql_a_transfer_and_a_sale_of_the_last_units_never_both_win() {
    let Some(store) = stores::mysql().await else {
        stores::no_mysql()
    };
    race(store).await;
}
