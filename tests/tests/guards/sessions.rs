//! Cash sessions under concurrency: one open session per register however many tills race to
//! open it, and a sale racing the close lands in the session before the close or is refused,
//! never after the Z figures are fixed.

use super::support::Shop;
use crate::on_every_backend;
use futures_util::future::join_all;
use serde_json::{Value, json};

async fn till(shop: &Shop, token: &str, code: &str) -> i64 {
    shop.post(
        "/api/registers",
        token,
        json!({ "code": code, "name": format!("Till {code}") }),
    )
    .await
    .expect(201)
    .json()["id"]
        .as_i64()
        .unwrap()
}

/// Eight tills open one register's session at once:
/// exactly one opens it, the others are told it is open.
async fn open_race(shop: &Shop, backend: &'static str) {
    let admin = shop.admin().await;
    let register = till(shop, &admin, "OPEN1").await;
    let path = format!("/api/registers/{register}/sessions");
    let attempts = (0..8).map(|i| {
        let path = path.clone();
        let admin = admin.clone();
        async move {
            shop.post(&path, &admin, json!({ "float": format!("{i}.00") }))
                .await
        }
    });
    let replies = join_all(attempts).await;
    let opened = replies.iter().filter(|r| r.status.as_u16() == 201).count();
    assert_eq!(opened, 1, "{backend}: one session opens");
    for refused in replies.iter().filter(|r| r.status.as_u16() != 201) {
        refused.expect_problem(409, "session_open");
    }
    let listed = shop
        .get(
            &format!("/api/cash-sessions?register_id={register}&status=open"),
            &admin,
        )
        .await
        .expect(200)
        .json();
    assert_eq!(listed["total"], 1, "{backend}: {listed}");
    shop.assert_books_intact(&admin, backend).await;
}
on_every_backend!(one_session_opens_however_many_tills_race, open_race);

/// Twelve cash sales race the session's close: each sale is either in the Z report or refused
/// with `no_open_session`; the Z report counts exactly the sales that were made, and its
/// expected cash is the float plus their cash, as the ledger holds it.
async fn sales_against_close(shop: &Shop, backend: &'static str) {
    let admin = shop.admin().await;
    let product = shop.stocked(&admin, "CLOSE-1", "3.00", "100", "1.00").await;
    let register = till(shop, &admin, "CLOSE1").await;
    let session = shop
        .post(
            &format!("/api/registers/{register}/sessions"),
            &admin,
            json!({ "float": "50.00" }),
        )
        .await
        .expect(201)
        .json()["id"]
        .clone();
    let sale = json!({ "register_id": register, "lines": [{ "product_id": product["id"], "quantity": "1" }], "payments": [{ "method": "cash", "amount": "3.00" }] });
    let sales = (0..12).map(|_| {
        let (sale, admin) = (sale.clone(), admin.clone());
        async move { shop.post("/api/sales", &admin, sale).await }
    });
    let close_path = format!("/api/cash-sessions/{session}/close");
    let close = shop.post(&close_path, &admin, json!({ "counted": "50.00" }));
    let (replies, closed) = futures_util::join!(join_all(sales), close);
    let z: Value = closed.expect(201).json();
    let made = replies.iter().filter(|r| r.status.as_u16() == 201).count();
    for refused in replies.iter().filter(|r| r.status.as_u16() != 201) {
        refused.expect_problem(409, "no_open_session");
    }
    assert_eq!(
        z["totals"]["sales"].as_u64(),
        Some(made as u64),
        "{backend}: the Z report counts every sale made before it, and none after"
    );
    let expected = format!("{}.00", 50 + 3 * made);
    assert_eq!(z["expected_cash"], json!(expected), "{backend}: {z}");
    shop.assert_books_intact(&admin, backend).await;
}
on_every_backend!(
    a_sale_racing_the_close_is_in_the_z_report_or_refused,
    sales_against_close
);
