use pos_tests::harness::client;
use serde_json::{Value, json};

fn find<'a>(rows: &'a Value, key: &str, value: &Value) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| &r[key] == value)
        .unwrap_or_else(|| panic!("no {key}={value} in {rows}"))
}

/// The whole story of one product: two purchases at different costs, a part payment, damage,
/// a return, and every view of it agreeing to the cent.
#[actix_web::test]
async fn stock_valuation_log_dues_and_ledger_agree_to_the_cent() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let product = c
        .post(
            "/api/products",
            &admin,
            json!({ "name": "Tea", "sku": "TEA", "price": "5.00" }),
        )
        .await
        .expect(201)
        .json();
    let pid = product["id"].clone();
    let supplier = c
        .post("/api/suppliers", &admin, json!({ "name": "Leafy Ltd", "phone": "+880 1711-000000", "address": { "city": "Dhaka", "country": "BD" } }))
        .await
        .expect(201)
        .json();
    assert_eq!(supplier["address"]["city"], "Dhaka");
    let sid = supplier["id"].clone();

    // 10 at 2.00, paid 5.00 in cash; then 10 at 3.00 on credit.
    let first = c
        .post(
            "/api/purchases",
            &admin,
            json!({ "supplier_id": sid, "invoice_no": "INV-1", "date": "2026-11-01",
            "lines": [{ "product_id": pid, "quantity": "10", "unit_cost": "2.00" }],
            "payments": [{ "method": "cash", "amount": "5.00" }] }),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(
        (
            first["purchase"]["total"].as_str(),
            first["purchase"]["due"].as_str()
        ),
        (Some("20.00"), Some("15.00"))
    );
    let second = c
        .post(
            "/api/purchases",
            &admin,
            json!({ "supplier_id": sid, "invoice_no": "INV-2", "date": "2026-11-02",
            "lines": [{ "product_id": pid, "quantity": "10", "unit_cost": "3.00" }] }),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(second["purchase"]["due"], "30.00");
    c.post("/api/purchases", &admin, json!({ "supplier_id": sid, "invoice_no": "INV-2", "lines": [{ "product_id": pid, "quantity": "1", "unit_cost": "1.00" }] }))
        .await
        .expect_problem(409, "already_exists");

    // Pay 20.00: 15.00 settles INV-1, 5.00 goes to INV-2.
    let paid = c
        .post(
            &format!("/api/suppliers/{sid}/payments"),
            &admin,
            json!({ "amount": "20.00", "method": "cash" }),
        )
        .await
        .expect(201)
        .json();
    let allocations = paid["allocations"].as_array().unwrap();
    assert_eq!(allocations.len(), 2);
    assert_eq!(
        (
            allocations[0]["amount"].as_str(),
            allocations[1]["amount"].as_str()
        ),
        (Some("15.00"), Some("5.00"))
    );
    c.post(
        &format!("/api/suppliers/{sid}/payments"),
        &admin,
        json!({ "amount": "25.01", "method": "cash" }),
    )
    .await
    .expect_problem(409, "overpayment");

    // 3 damaged: they leave the oldest lot, at 2.00 each.
    let damaged = c
        .post(
            "/api/inventory/adjustments",
            &admin,
            json!({ "product_id": pid, "reason": "damage", "change": "-3" }),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(
        (damaged["after"].as_str(), damaged["value_change"].as_str()),
        (Some("17"), Some("-6.00"))
    );
    c.post(
        "/api/inventory/adjustments",
        &admin,
        json!({ "product_id": pid, "reason": "damage", "change": "2" }),
    )
    .await
    .expect_problem(422, "validation_failed");
    c.post(
        "/api/inventory/adjustments",
        &admin,
        json!({ "product_id": pid, "reason": "loss", "change": "-99" }),
    )
    .await
    .expect_problem(409, "insufficient_stock");

    // Return 4 of INV-2 (the 3.00 lot): 12.00 off what is still owed on it.
    let line_id = second["purchase"]["lines"][0]["id"].clone();
    let purchase_id = second["purchase"]["id"].clone();
    let returned = c
        .post(
            &format!("/api/purchases/{purchase_id}/returns"),
            &admin,
            json!({ "lines": [{ "purchase_line_id": line_id, "quantity": "4" }] }),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(
        (
            returned["value"].as_str(),
            returned["credited"].as_str(),
            returned["refunded"].as_str()
        ),
        (Some("12.00"), Some("12.00"), Some("0.00"))
    );
    assert_eq!(returned["purchase"]["due"], "13.00");
    c.post(
        &format!("/api/purchases/{purchase_id}/returns"),
        &admin,
        json!({ "lines": [{ "purchase_line_id": line_id, "quantity": "7" }] }),
    )
    .await
    .expect_problem(422, "validation_failed");

    // Stock: 20 - 3 - 4 = 13; lots: 7 at 2.00 + 6 at 3.00 = 32.00.
    let product = c.get(&format!("/api/products/{pid}"), &admin).await.json();
    assert_eq!(product["stock_on_hand"], "13");
    let lots = c
        .get(&format!("/api/inventory/{pid}/lots"), &admin)
        .await
        .expect(200)
        .json();
    let remaining: Vec<(&str, &str)> = lots["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["remaining"].as_str().unwrap(),
                l["remaining_value"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(remaining, [("7", "14.00"), ("6", "18.00")]);
    let valuation = c.get("/api/inventory", &admin).await.expect(200).json();
    assert_eq!(valuation["total_value"], "32.00");
    assert_eq!(
        valuation["ledger_inventory"], "32.00",
        "the ledger's inventory equals the lots"
    );
    assert_eq!(
        find(&valuation["products"], "product_id", &pid)["on_hand"],
        "13"
    );

    // The log: two purchases, an adjustment and a return, with before and after.
    let log = c
        .get(
            &format!("/api/inventory/movements?product_id={pid}&order=asc"),
            &admin,
        )
        .await
        .expect(200)
        .json();
    let steps: Vec<(&str, &str, &str)> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap(),
                m["before"].as_str().unwrap(),
                m["after"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("purchase", "0", "10"),
            ("purchase", "10", "20"),
            ("adjustment", "20", "17"),
            ("supplier_return", "17", "13")
        ]
    );

    // What is owed: 50 bought - 5 - 20 paid - 12 credited = 13, in the purchases and the ledger.
    let details = c
        .get(&format!("/api/suppliers/{sid}"), &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(
        (details["due"].as_str(), details["payable_balance"].as_str()),
        (Some("13.00"), Some("13.00"))
    );
    assert_eq!(
        (
            details["purchased"].as_str(),
            details["paid"].as_str(),
            details["credited"].as_str()
        ),
        (Some("50.00"), Some("25.00"), Some("12.00"))
    );
    let dues = c
        .get(&format!("/api/suppliers/{sid}/dues"), &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(dues["data"].as_array().unwrap().len(), 1);
    let supplied = c
        .get(&format!("/api/suppliers/{sid}/products"), &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(
        (
            supplied["data"][0]["quantity"].as_str(),
            supplied["data"][0]["returned"].as_str(),
            supplied["data"][0]["total"].as_str()
        ),
        (Some("20"), Some("4"), Some("50.00"))
    );
    let history = c
        .get(&format!("/api/suppliers/{sid}/products/{pid}"), &admin)
        .await
        .expect(200)
        .json();
    let costs: Vec<&str> = history["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["unit_cost"].as_str().unwrap())
        .collect();
    assert_eq!(costs, ["3.00", "2.00"], "newest first");
    let transactions = c
        .get(&format!("/api/suppliers/{sid}/transactions"), &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(
        (
            transactions["purchases"].as_array().unwrap().len(),
            transactions["payments"].as_array().unwrap().len()
        ),
        (2, 1)
    );
    assert_eq!(transactions["summary"]["due"], "13.00");
    let tb = c.get("/api/ledger/trial-balance", &admin).await.json();
    assert_eq!(tb["balanced"], true);
    let balances = c
        .get("/api/ledger/balances?per_page=100", &admin)
        .await
        .json();
    let by_code = |code: &str| {
        balances["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["account"]["code"] == code)
            .unwrap()["balance"]
            .clone()
    };
    assert_eq!(by_code("2000"), "13.00", "accounts payable");
    assert_eq!(by_code("5100"), "6.00", "shrinkage");
    assert_eq!(by_code("1000"), "-25.00", "cash paid out");
}

#[actix_web::test]
async fn counts_adjust_only_what_differs_and_found_goods_use_the_last_cost() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let a = c
        .post(
            "/api/products",
            &admin,
            json!({ "name": "A", "sku": "A", "price": "1.00" }),
        )
        .await
        .json();
    let b = c
        .post(
            "/api/products",
            &admin,
            json!({ "name": "B", "sku": "B", "price": "1.00" }),
        )
        .await
        .json();
    let s = c
        .post("/api/suppliers", &admin, json!({ "name": "S" }))
        .await
        .json();
    c.post("/api/purchases", &admin, json!({ "supplier_id": s["id"], "invoice_no": "1", "lines": [
        { "product_id": a["id"], "quantity": "5", "unit_cost": "1.50" }, { "product_id": b["id"], "quantity": "5", "unit_cost": "0.40" } ] }))
        .await
        .expect(201);
    let counted = c
        .post("/api/inventory/counts", &admin, json!({ "lines": [{ "product_id": a["id"], "counted": "7" }, { "product_id": b["id"], "counted": "5" }] }))
        .await
        .expect(201)
        .json();
    let adjusted = counted.as_array().unwrap();
    assert_eq!(adjusted.len(), 1, "B matched the books");
    assert_eq!(
        (
            adjusted[0]["after"].as_str(),
            adjusted[0]["value_change"].as_str()
        ),
        (Some("7"), Some("3.00"))
    );
    let valuation = c.get("/api/inventory", &admin).await.json();
    assert_eq!(
        (
            valuation["total_value"].as_str(),
            valuation["ledger_inventory"].as_str()
        ),
        (Some("12.50"), Some("12.50"))
    );
    c.post("/api/inventory/counts", &admin, json!({ "lines": [{ "product_id": a["id"], "counted": "1" }, { "product_id": a["id"], "counted": "2" }] }))
        .await
        .expect_problem(422, "validation_failed");
    c.post(
        "/api/inventory/counts",
        &admin,
        json!({ "lines": [{ "product_id": 999999, "counted": "1" }] }),
    )
    .await
    .expect_problem(404, "not_found");
}

#[actix_web::test]
async fn bad_purchases_change_nothing() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let p = c
        .post(
            "/api/products",
            &admin,
            json!({ "name": "A", "sku": "A", "price": "1.00" }),
        )
        .await
        .json();
    let s = c
        .post("/api/suppliers", &admin, json!({ "name": "S" }))
        .await
        .json();
    let line = json!([{ "product_id": p["id"], "quantity": "2", "unit_cost": "1.00" }]);
    let overpaid = json!({ "supplier_id": s["id"], "invoice_no": "X", "lines": line, "payments": [{ "method": "cash", "amount": "2.01" }] });
    c.post("/api/purchases", &admin, overpaid)
        .await
        .expect_problem(422, "validation_failed");
    let ghost = json!({ "supplier_id": s["id"], "invoice_no": "X", "lines": [{ "product_id": 999999, "quantity": "1", "unit_cost": "1.00" }] });
    c.post("/api/purchases", &admin, ghost)
        .await
        .expect_problem(422, "validation_failed");
    let zero = json!({ "supplier_id": s["id"], "invoice_no": "X", "lines": [{ "product_id": p["id"], "quantity": "0", "unit_cost": "1.00" }] });
    c.post("/api/purchases", &admin, zero)
        .await
        .expect_problem(422, "validation_failed");
    c.put(
        &format!("/api/suppliers/{}/active", s["id"]),
        &admin,
        json!({ "active": false }),
    )
    .await
    .expect(200);
    let inactive = json!({ "supplier_id": s["id"], "invoice_no": "X", "lines": line });
    c.post("/api/purchases", &admin, inactive)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(c.get("/api/purchases", &admin).await.json()["total"], 0);
    assert_eq!(
        c.get(&format!("/api/products/{}", p["id"]), &admin)
            .await
            .json()["stock_on_hand"],
        "0"
    );
    assert_eq!(c.get("/api/journal", &admin).await.json()["total"], 0);
    assert_eq!(
        c.get("/api/inventory/movements", &admin).await.json()["total"],
        0
    );
}
