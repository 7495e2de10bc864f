//! Money never overflows: a document whose figures, or whose effect on a stored total, would
//! leave the documented range is refused with 422 naming the field, and every read still works.

use super::support::Shop;
use crate::on_every_backend;
use serde_json::json;

const MAX: &str = "99999999999.99";

/// Every read that summed the books and broke before.
async fn reads_all_answer(shop: &Shop, token: &str, supplier: &serde_json::Value, backend: &str) {
    for path in [
        "/api/dashboard".to_owned(),
        "/api/ledger/trial-balance".to_owned(),
        "/api/ledger/balance-sheet".to_owned(),
        "/api/inventory".to_owned(),
        format!("/api/suppliers/{}", supplier["id"]),
    ] {
        let reply = shop.get(&path, token).await;
        assert_eq!(
            reply.status.as_u16(),
            200,
            "{backend} {path}: {}",
            String::from_utf8_lossy(&reply.bytes)
        );
    }
    shop.assert_books_intact(token, backend).await;
}

async fn oversized_documents_are_refused(shop: &Shop, backend: &'static str) {
    let admin = shop.admin().await;
    let (_, boss) = shop.user(&admin, "boss", "manager").await;
    let supplier = shop
        .post("/api/suppliers", &boss, json!({ "name": "Big" }))
        .await
        .expect(201)
        .json();
    let product = shop
        .post(
            "/api/products",
            &boss,
            json!({ "name": "Gold", "sku": "AU", "price": MAX }),
        )
        .await
        .expect(201)
        .json();
    let before = shop.fingerprint(&admin).await;
    let purchase = |quantity: &str, cost: &str, invoice: &str| json!({ "supplier_id": supplier["id"], "invoice_no": invoice, "lines": [{ "product_id": product["id"], "quantity": quantity, "unit_cost": cost }] });
    // The reproducers: one purchase too large, and two that each are.
    let problem = shop
        .post(
            "/api/purchases",
            &boss,
            purchase("9999999999", "99999999999.99", "A"),
        )
        .await
        .expect_problem(422, "amount_out_of_range");
    assert_eq!(
        problem["errors"][0]["field"], "lines[0].unit_cost",
        "{backend}"
    );
    for invoice in ["B", "C"] {
        shop.post(
            "/api/purchases",
            &boss,
            purchase("1000000", "50000000000.00", invoice),
        )
        .await
        .expect_problem(422, "amount_out_of_range");
    }
    assert_eq!(
        shop.fingerprint(&admin).await,
        before,
        "{backend}: nothing was bought"
    );
    reads_all_answer(shop, &admin, &supplier, backend).await;

    // At the ceiling a document is accepted; a second one the same day would take the day's
    // inventory debits past it, and is refused whole.
    shop.post("/api/purchases", &boss, purchase("1", MAX, "D"))
        .await
        .expect(201);
    let at_ceiling = shop.fingerprint(&admin).await;
    let refused = shop
        .post("/api/purchases", &boss, purchase("1", MAX, "E"))
        .await
        .expect_problem(422, "amount_out_of_range");
    assert!(
        refused["detail"].as_str().unwrap().contains("day total"),
        "{refused}"
    );
    assert_eq!(
        shop.fingerprint(&admin).await,
        at_ceiling,
        "{backend}: nothing half done"
    );
    reads_all_answer(shop, &admin, &supplier, backend).await;

    // A sale whose line would be worth more than an amount can be.
    shop.post("/api/sales", &admin, json!({ "lines": [{ "product_id": product["id"], "quantity": "2" }], "payments": [{ "method": "cash", "amount": MAX }] }))
        .await
        .expect_problem(422, "amount_out_of_range");
    assert_eq!(shop.fingerprint(&admin).await, at_ceiling, "{backend}");

    // Stock on hand stays within the range of a quantity.
    let cheap = shop
        .post(
            "/api/products",
            &boss,
            json!({ "name": "Sand", "sku": "SAND", "price": "0.01" }),
        )
        .await
        .expect(201)
        .json();
    let sand = |invoice: &str| json!({ "supplier_id": supplier["id"], "invoice_no": invoice, "lines": [{ "product_id": cheap["id"], "quantity": "999999999999", "unit_cost": "0.00" }] });
    shop.post("/api/purchases", &boss, sand("S1"))
        .await
        .expect(201);
    shop.post("/api/purchases", &boss, sand("S2"))
        .await
        .expect_problem(422, "amount_out_of_range");
    reads_all_answer(shop, &admin, &supplier, backend).await;
}

on_every_backend!(money_never_overflows, oversized_documents_are_refused);

async fn tender_and_restock_stay_in_range(shop: &Shop, backend: &'static str) {
    let admin = shop.admin().await;
    let product = shop.stocked(&admin, "TEA", "1.00", "2", "0.50").await;
    let before = shop.fingerprint(&admin).await;
    // Ten payments at the ceiling add up past it: the tender is refused, not stored.
    let payments: Vec<_> = (0..10)
        .map(|_| json!({ "method": "cash", "amount": MAX }))
        .collect();
    shop.post("/api/sales", &admin, json!({ "lines": [{ "product_id": product["id"], "quantity": "1" }], "payments": payments }))
        .await
        .expect_problem(422, "amount_out_of_range");
    // A number with more digits than a decimal holds is refused, not rounded.
    shop.post("/api/sales", &admin, json!({ "lines": [{ "product_id": product["id"], "quantity": "1" }], "payments": [{ "method": "cash", "amount": "0.00999999999999999999999999999999" }] }))
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(shop.fingerprint(&admin).await, before, "{backend}");
    // A restocking return cannot take stock past the ceiling of a quantity.
    let sold = shop
        .post("/api/sales", &admin, json!({ "lines": [{ "product_id": product["id"], "quantity": "1" }], "payments": [{ "method": "cash", "amount": "1.00" }] }))
        .await
        .expect(201)
        .json();
    let supplier = shop.get("/api/suppliers", &admin).await.json()["data"][0].clone();
    shop.post("/api/purchases", &admin, json!({ "supplier_id": supplier["id"], "invoice_no": "FILL", "lines": [{ "product_id": product["id"], "quantity": "999999999998.999", "unit_cost": "0.00" }] }))
        .await
        .expect(201);
    let filled = shop.fingerprint(&admin).await;
    shop.post(
        &format!("/api/sales/{}/returns", sold["sale"]["id"]),
        &admin,
        json!({ "lines": [{ "sale_line_id": sold["sale"]["lines"][0]["id"], "quantity": "1", "restock": true }] }),
    )
    .await
    .expect_problem(422, "amount_out_of_range");
    assert_eq!(shop.fingerprint(&admin).await, filled, "{backend}");
    shop.assert_books_intact(&admin, backend).await;
}

on_every_backend!(
    tender_and_returns_never_overflow,
    tender_and_restock_stay_in_range
);

async fn documents_are_dated_within_twenty_years(shop: &Shop, backend: &'static str) {
    let admin = shop.admin().await;
    let product = shop.stocked(&admin, "TEA", "2.00", "10", "1.00").await;
    let before = shop.fingerprint(&admin).await;
    // Balances stay summable because day totals have a ceiling and days a range: a document
    // may not be dated decades back, nor in the future.
    let sale = |date: &str| json!({ "date": date, "lines": [{ "product_id": product["id"], "quantity": "1" }], "payments": [{ "method": "cash", "amount": "2.00" }] });
    for date in ["9999-12-31", "1990-01-01"] {
        shop.post("/api/sales", &admin, sale(date))
            .await
            .expect_problem(422, "validation_failed");
        shop.post("/api/payments", &admin, json!({ "date": date, "direction": "in", "method": "cash", "amount": "1.00", "account_code": "3000" }))
            .await
            .expect_problem(422, "validation_failed");
    }
    assert_eq!(shop.fingerprint(&admin).await, before, "{backend}");
    let last_year =
        (time::OffsetDateTime::now_utc().date() - time::Duration::days(365)).to_string();
    shop.post("/api/sales", &admin, sale(&last_year))
        .await
        .expect(201);
    shop.get("/api/reports/inventory/movement", &admin)
        .await
        .expect(200);
    // A report of a day centuries back reads only the days there are sales on.
    shop.get(
        "/api/reports/inventory/movement?from=1000-01-01&to=1000-01-01",
        &admin,
    )
    .await
    .expect(200);
    shop.assert_books_intact(&admin, backend).await;
}

on_every_backend!(
    document_dates_have_a_range,
    documents_are_dated_within_twenty_years
);
