//! The counter under real concurrency (several client threads, several server workers): the
//! last units are never sold twice, opposite-order carts do not deadlock, and returns never
//! exceed the sale. SQLite always; MariaDB when POS_TEST_MYSQL_URL is set.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use pos_domain::ports::Store;
use pos_http::HttpSettings;
use pos_tests::harness::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp};
use pos_tests::stores;
use pos_tests::wire::{send, serve};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;

struct Shop {
    address: SocketAddr,
    token: String,
}

impl Shop {
    async fn open(store: Arc<dyn Store>) -> Self {
        let address = serve(TestApp::api_on(store, HttpSettings::for_tests()).await, 4);
        let (_, login) = tokio::task::spawn_blocking(move || {
            send(
                address,
                "POST",
                "/api/auth/login",
                None,
                Some(&json!({ "login": ADMIN_EMAIL, "password": ADMIN_PASSWORD })),
            )
        })
        .await
        .unwrap();
        Self {
            address,
            token: login["access_token"].as_str().unwrap().to_owned(),
        }
    }

    fn call(
        &self,
        method: &'static str,
        path: String,
        body: Option<Value>,
    ) -> tokio::task::JoinHandle<(u16, Value)> {
        let (address, token) = (self.address, self.token.clone());
        tokio::task::spawn_blocking(move || {
            send(address, method, &path, Some(&token), body.as_ref())
        })
    }

    async fn ok(&self, method: &'static str, path: &str, body: Option<Value>) -> Value {
        let (status, body) = self.call(method, path.to_owned(), body).await.unwrap();
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {body}"
        );
        body
    }

    /// A product with `units` in stock at 1.00 each.
    async fn product(&self, sku: &str, units: &str) -> i64 {
        let product = self
            .ok(
                "POST",
                "/api/products",
                Some(json!({ "name": sku, "sku": sku, "price": "5.00" })),
            )
            .await;
        let supplier = self
            .ok(
                "POST",
                "/api/suppliers",
                Some(json!({ "name": format!("S-{sku}") })),
            )
            .await;
        let id = product["id"].as_i64().unwrap();
        self.ok("POST", "/api/purchases", Some(json!({ "supplier_id": supplier["id"], "invoice_no": sku, "lines": [{ "product_id": id, "quantity": units, "unit_cost": "1.00" }] }))).await;
        id
    }

    async fn books_agree(&self) {
        let tb = self.ok("GET", "/api/ledger/trial-balance", None).await;
        assert_eq!(tb["balanced"], true);
        let valuation = self.ok("GET", "/api/inventory", None).await;
        assert_eq!(
            valuation["total_value"], valuation["ledger_inventory"],
            "{valuation}"
        );
    }
}

fn sale(lines: &[i64]) -> Value {
    let lines: Vec<Value> = lines
        .iter()
        .map(|id| json!({ "product_id": id, "quantity": "1" }))
        .collect();
    json!({ "lines": lines, "payments": [{ "method": "cash", "amount": format!("{}.00", 5 * lines.len()) }] })
}

async fn the_last_units_are_sold_once(store: Arc<dyn Store>) {
    let shop = Shop::open(store).await;
    let hot = shop.product("HOT", "10").await;
    let tasks: Vec<_> = (0..200)
        .map(|_| shop.call("POST", "/api/sales".into(), Some(sale(&[hot]))))
        .collect();
    let mut sold = 0;
    for task in tasks {
        let (status, body) = task.await.unwrap();
        match status {
            201 => sold += 1,
            409 => assert_eq!(body["code"], "insufficient_stock", "{body}"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(sold, 10);
    assert_eq!(
        shop.ok("GET", &format!("/api/products/{hot}"), None).await["stock_on_hand"],
        "0"
    );
    let lots = shop
        .ok("GET", &format!("/api/inventory/{hot}/lots"), None)
        .await;
    assert!(
        lots["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["remaining"] == "0")
    );
    let sales = shop.ok("GET", "/api/sales?per_page=100", None).await;
    assert_eq!(sales["total"], 10);
    let mut numbers: Vec<String> = sales["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["invoice_no"].as_str().unwrap().to_owned())
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=10).map(|n| format!("INV-{n:06}")).collect();
    assert_eq!(numbers, expected, "gapless invoice numbers");
    shop.books_agree().await;
}

async fn opposite_order_carts_all_succeed(store: Arc<dyn Store>) {
    let shop = Shop::open(store).await;
    let a = shop.product("A", "100").await;
    let b = shop.product("B", "100").await;
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            shop.call(
                "POST",
                "/api/sales".into(),
                Some(if i % 2 == 0 {
                    sale(&[a, b])
                } else {
                    sale(&[b, a])
                }),
            )
        })
        .collect();
    for task in tasks {
        let (status, body) = task.await.unwrap();
        assert_eq!(status, 201, "{body}");
    }
    assert_eq!(
        shop.ok("GET", &format!("/api/products/{a}"), None).await["stock_on_hand"],
        "60"
    );
    shop.books_agree().await;
}

async fn returns_never_exceed_the_sale(store: Arc<dyn Store>) {
    let shop = Shop::open(store).await;
    let p = shop.product("RET", "5").await;
    let sold = shop.ok("POST", "/api/sales", Some(json!({ "lines": [{ "product_id": p, "quantity": "3" }], "payments": [{ "method": "cash", "amount": "15.00" }] }))).await;
    let (sale, line) = (
        sold["sale"]["id"].as_i64().unwrap(),
        sold["sale"]["lines"][0]["id"].as_i64().unwrap(),
    );
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            shop.call(
                "POST",
                format!("/api/sales/{sale}/returns"),
                Some(json!({ "lines": [{ "sale_line_id": line, "quantity": "1" }] })),
            )
        })
        .collect();
    let mut returned = 0;
    for task in tasks {
        let (status, body) = task.await.unwrap();
        match status {
            201 => returned += 1,
            409 => assert_eq!(body["code"], "return_exceeds_sale", "{body}"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(returned, 3);
    assert_eq!(
        shop.ok("GET", &format!("/api/products/{p}"), None).await["stock_on_hand"],
        "5"
    );
    assert_eq!(
        shop.ok("GET", &format!("/api/sales/{sale}"), None).await["sale"]["status"],
        "refunded"
    );
    shop.books_agree().await;
}

#[actix_web::test]
async fn sqlite_the_last_units_are_sold_once() {
    the_last_units_are_sold_once(stores::sqlite().await).await;
}

#[actix_web::test]
async fn sqlite_opposite_order_carts_all_succeed() {
    opposite_order_carts_all_succeed(stores::sqlite().await).await;
}

#[actix_web::test]
async fn sqlite_returns_never_exceed_the_sale() {
    returns_never_exceed_the_sale(stores::sqlite().await).await;
}

#[actix_web::test]
#[ignore = "needs MariaDB: set POS_TEST_MYSQL_URL and pass --include-ignored"]
async fn mysql_the_last_units_are_sold_once() {
    let Some(store) = stores::mysql().await else {
        stores::no_mysql()
    };
    the_last_units_are_sold_once(store).await;
}

#[actix_web::test]
#[ignore = "needs MariaDB: set POS_TEST_MYSQL_URL and pass --include-ignored"]
async fn mysql_opposite_order_carts_all_succeed() {
    let Some(store) = stores::mysql().await else {
        stores::no_mysql()
    };
    opposite_order_carts_all_succeed(store).await;
}

#[actix_web::test]
#[ignore = "needs MariaDB: set POS_TEST_MYSQL_URL and pass --include-ignored"]
async fn mysql_returns_never_exceed_the_sale() {
    let Some(store) = stores::mysql().await else {
        stores::no_mysql()
    };
    returns_never_exceed_the_sale(store).await;
}
