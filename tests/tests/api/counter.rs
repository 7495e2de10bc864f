use pos_tests::harness::{Client, client};
use serde_json::{Value, json};

pub(crate) async fn stock<S, B>(
    c: &Client<S>,
    token: &str,
    products: &[(&str, &str, Option<Value>)],
    units: &str,
) -> Vec<Value>
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let supplier = c
        .post("/api/suppliers", token, json!({ "name": "Wholesale" }))
        .await
        .json();
    let mut created = Vec::new();
    for (i, (sku, price, tax_rate_id)) in products.iter().enumerate() {
        let mut body = json!({ "name": format!("Product {sku}"), "sku": sku, "price": price });
        if let Some(t) = tax_rate_id {
            body["tax_rate_id"] = t.clone();
        }
        let product = c
            .post("/api/products", token, body)
            .await
            .expect(201)
            .json();
        c.post("/api/purchases", token, json!({ "supplier_id": supplier["id"], "invoice_no": format!("STOCK-{i}"), "lines": [{ "product_id": product["id"], "quantity": units, "unit_cost": "1.00" }] }))
            .await
            .expect(201);
        created.push(product);
    }
    created
}

fn balance(balances: &Value, code: &str) -> String {
    balances["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["account"]["code"] == code)
        .unwrap()["balance"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[actix_web::test]
async fn a_walk_in_sale_split_across_cash_and_card_with_change() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let staff = c.user_token(&admin, "till", "staff").await;
    let vat = c
        .post(
            "/api/tax-rates",
            &admin,
            json!({ "name": "VAT 15%", "rate": "15", "mode": "exclusive" }),
        )
        .await
        .json();
    let products = stock(
        &c,
        &admin,
        &[
            ("TEA", "10.00", Some(vat["id"].clone())),
            ("MUG", "4.99", None),
        ],
        "10",
    )
    .await;
    let (tea, mug) = (&products[0], &products[1]);
    let body = json!({
        "lines": [{ "product_id": tea["id"], "quantity": "2" }, { "product_id": mug["id"], "quantity": "1", "discount": { "percent": "10" } }],
        "payments": [{ "method": "card", "amount": "20.00" }, { "method": "cash", "amount": "10.00" }],
        "expected_total": "27.49"
    });
    let sold = c.post("/api/sales", &staff, body).await.expect(201).json();
    let sale = &sold["sale"];
    // TEA: 2 x 10.00 + 15% = 23.00; MUG: 4.99 - 0.50 = 4.49. Total 27.49; 30.00 tendered, 2.51 change.
    assert_eq!(
        (
            sale["total"].as_str(),
            sale["tax"].as_str(),
            sale["discount"].as_str()
        ),
        (Some("27.49"), Some("3.00"), Some("0.50"))
    );
    assert_eq!(
        (
            sale["tendered"].as_str(),
            sale["change"].as_str(),
            sale["due"].as_str()
        ),
        (Some("30.00"), Some("2.51"), Some("0.00"))
    );
    assert_eq!(sale["invoice_no"], "INV-000001");
    assert_eq!(sale["lines"][0]["cost"], "2.00");
    assert_eq!(
        sold["entries"].as_array().unwrap().len(),
        2,
        "the sale and its cost"
    );
    let second = c.post("/api/sales", &staff, json!({ "lines": [{ "product_id": mug["id"], "quantity": "1" }], "payments": [{ "method": "cash", "amount": "4.99" }] })).await.expect(201).json();
    assert_eq!(second["sale"]["invoice_no"], "INV-000002", "sequential");

    let receipt = c
        .get(&format!("/api/sales/{}/receipt", sale["id"]), &staff)
        .await;
    receipt.expect(200);
    let text = String::from_utf8_lossy(&receipt.bytes).to_string();
    // The shelf price of TEA is before its 15 % tax, the line total after it; MUG is untaxed.
    for part in [
        "INV-000001",
        "Product TEA",
        "Total with tax",
        "2 x 10.00 + 15% tax",
        "23.00",
        "1 x 4.99 no tax",
        "27.49",
        "Change",
        "2.51",
    ] {
        assert!(text.contains(part), "{part} missing from:\n{text}");
    }
    let html = c
        .get(
            &format!("/api/sales/{}/receipt?format=html", sale["id"]),
            &staff,
        )
        .await;
    assert!(
        html.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );

    assert_eq!(
        c.get(&format!("/api/products/{}", tea["id"]), &staff)
            .await
            .json()["stock_on_hand"],
        "8"
    );
    let detail = c
        .get(&format!("/api/sales/{}", sale["id"]), &staff)
        .await
        .expect(200)
        .json();
    assert_eq!(detail["sale"]["lines"][0]["lots"][0]["quantity"], "2");
    let balances = c
        .get("/api/ledger/balances?per_page=100", &admin)
        .await
        .json();
    assert_eq!(balance(&balances, "2100"), "3.00", "tax payable");
    assert_eq!(balance(&balances, "1010"), "20.00", "card clearing");
    assert_eq!(
        balance(&balances, "4000"),
        "29.98",
        "revenue before discounts, without tax: 24.49 + 0.50 + 4.99"
    );
    assert_eq!(balance(&balances, "4910"), "0.50", "discounts");
    assert_eq!(balance(&balances, "5000"), "4.00", "cost of goods sold");
    assert_eq!(
        c.get("/api/ledger/trial-balance", &admin).await.json()["balanced"],
        true
    );
    let valuation = c.get("/api/inventory", &admin).await.json();
    assert_eq!(valuation["total_value"], valuation["ledger_inventory"]);
}

#[actix_web::test]
async fn the_server_refuses_what_the_till_may_not_do() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let staff = c.user_token(&admin, "till", "staff").await;
    let products = stock(&c, &admin, &[("TEA", "10.00", None)], "2").await;
    let tea = products[0]["id"].clone();
    let line = |qty: &str| json!([{ "product_id": tea, "quantity": qty }]);
    let refused = c
        .post(
            "/api/sales",
            &staff,
            json!({ "lines": line("3"), "payments": [{ "method": "cash", "amount": "30.00" }] }),
        )
        .await
        .expect_problem(409, "insufficient_stock");
    assert!(
        refused["detail"]
            .as_str()
            .unwrap()
            .starts_with(&format!("TEA (product {tea}) has only 2 in stock")),
        "{refused}"
    );
    c.post("/api/sales", &staff, json!({ "lines": line("1"), "payments": [{ "method": "cash", "amount": "10.00" }], "expected_total": "9.99" })).await.expect_problem(409, "total_mismatch");
    c.post("/api/sales", &staff, json!({ "lines": [{ "product_id": tea, "quantity": "1", "unit_price": "1.00" }], "payments": [{ "method": "cash", "amount": "1.00" }] })).await.expect_problem(403, "forbidden");
    c.post(
        "/api/sales",
        &staff,
        json!({ "lines": line("1"), "payments": [{ "method": "card", "amount": "11.00" }] }),
    )
    .await
    .expect_problem(422, "validation_failed");
    c.post(
        "/api/sales",
        &staff,
        json!({ "lines": line("1"), "payments": [{ "method": "cash", "amount": "5.00" }] }),
    )
    .await
    .expect_problem(422, "validation_failed");
    // Nothing above left a trace.
    assert_eq!(c.get("/api/sales", &admin).await.json()["total"], 0);
    assert_eq!(
        c.get(&format!("/api/products/{tea}"), &admin).await.json()["stock_on_hand"],
        "2"
    );
    let sold = c.post("/api/sales", &admin, json!({ "lines": [{ "product_id": tea, "quantity": "1", "unit_price": "8.00" }], "payments": [{ "method": "cash", "amount": "8.00" }] })).await.expect(201).json();
    assert_eq!(
        sold["sale"]["total"], "8.00",
        "a manager may override the price"
    );
    assert_eq!(
        sold["sale"]["invoice_no"], "INV-000001",
        "refused sales used no number"
    );
}

#[actix_web::test]
async fn credit_sales_need_a_customer_a_manager_and_room_in_the_limit() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let staff = c.user_token(&admin, "till", "staff").await;
    let products = stock(&c, &admin, &[("TEA", "10.00", None)], "20").await;
    let tea = products[0]["id"].clone();
    let rahim = c
        .post(
            "/api/customers",
            &admin,
            json!({ "name": "Rahim", "phone": "01711-111111", "credit_limit": "25.00" }),
        )
        .await
        .expect(201)
        .json();
    c.put(
        &format!("/api/customers/{}", rahim["id"]),
        &staff,
        json!({ "name": "Rahim", "credit_limit": "1000.00" }),
    )
    .await
    .expect_problem(403, "forbidden");
    let sale = |qty: &str, paid: &str, customer: Option<&Value>| {
        let mut body = json!({ "lines": [{ "product_id": tea, "quantity": qty }], "payments": [{ "method": "cash", "amount": paid }] });
        if let Some(c) = customer {
            body["customer_id"] = c["id"].clone();
        }
        body
    };
    c.post("/api/sales", &admin, sale("2", "5.00", None))
        .await
        .expect_problem(422, "validation_failed");
    c.post("/api/sales", &staff, sale("2", "5.00", Some(&rahim)))
        .await
        .expect_problem(403, "forbidden");
    let credit = c
        .post("/api/sales", &admin, sale("2", "5.00", Some(&rahim)))
        .await
        .expect(201)
        .json();
    assert_eq!(credit["sale"]["due"], "15.00");
    c.post("/api/sales", &admin, sale("2", "9.99", Some(&rahim)))
        .await
        .expect_problem(409, "credit_limit");
    let second = c
        .post("/api/sales", &admin, sale("1", "0.01", Some(&rahim)))
        .await
        .expect(201)
        .json();
    assert_eq!(second["sale"]["due"], "9.99");
    let details = c
        .get(&format!("/api/customers/{}", rahim["id"]), &staff)
        .await
        .json();
    assert_eq!(
        (
            details["due"].as_str(),
            details["credit_available"].as_str()
        ),
        (Some("24.99"), Some("0.01"))
    );
    assert_eq!(
        balance(
            &c.get("/api/ledger/balances?per_page=100", &admin)
                .await
                .json(),
            "1100"
        ),
        "24.99",
        "receivables equal open dues"
    );

    // A payment settles the oldest sale first; overpaying is refused.
    c.post(
        &format!("/api/customers/{}/payments", rahim["id"]),
        &staff,
        json!({ "amount": "25.00", "method": "cash" }),
    )
    .await
    .expect_problem(409, "overpayment");
    let paid = c
        .post(
            &format!("/api/customers/{}/payments", rahim["id"]),
            &staff,
            json!({ "amount": "20.00", "method": "bkash" }),
        )
        .await
        .expect(201)
        .json();
    let allocations: Vec<(i64, &str)> = paid["allocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["sale_id"].as_i64().unwrap(),
                a["amount"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        allocations,
        [
            (credit["sale"]["id"].as_i64().unwrap(), "15.00"),
            (second["sale"]["id"].as_i64().unwrap(), "5.00")
        ]
    );
    let dues = c
        .get(
            &format!("/api/customers/{}/sales?open=true", rahim["id"]),
            &staff,
        )
        .await
        .json();
    assert_eq!(dues["total"], 1);
    assert_eq!(
        balance(
            &c.get("/api/ledger/balances?per_page=100", &admin)
                .await
                .json(),
            "1100"
        ),
        "4.99"
    );
    let bought = c
        .get(&format!("/api/customers/{}/products", rahim["id"]), &staff)
        .await
        .expect(200)
        .json();
    assert_eq!(
        (
            bought["data"][0]["quantity"].as_str(),
            bought["data"][0]["sales"].as_u64()
        ),
        (Some("3"), Some(2))
    );
}

#[actix_web::test]
async fn held_sales_are_priced_again_when_completed() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let staff = c.user_token(&admin, "till", "staff").await;
    let products = stock(&c, &admin, &[("TEA", "10.00", None)], "5").await;
    let tea = &products[0];
    let held = c.post("/api/held-sales", &staff, json!({ "lines": [{ "product_id": tea["id"], "quantity": "2" }], "note": "back in 5 min" })).await.expect(201).json();
    assert_eq!(
        c.get(&format!("/api/products/{}", tea["id"]), &staff)
            .await
            .json()["stock_on_hand"],
        "5",
        "holding takes no stock"
    );
    assert_eq!(
        (
            held["lines"][0]["unit_price"].as_str(),
            held["lines"][0]["price_override"].as_bool()
        ),
        (Some("10.00"), Some(false)),
        "a held line shows the catalog price it would sell at"
    );
    let listed = c.get("/api/held-sales", &staff).await.expect(200).json();
    assert_eq!(
        (
            listed["total"].as_u64(),
            listed["data"].as_array().unwrap().len()
        ),
        (Some(1), 1)
    );
    let mut product = json!({ "name": "Product TEA", "sku": "TEA", "price": "12.00" });
    product["status"] = json!("active");
    c.put(&format!("/api/products/{}", tea["id"]), &admin, product)
        .await
        .expect(200);
    assert_eq!(
        c.get("/api/held-sales", &staff).await.json()["data"][0]["lines"][0]["unit_price"],
        "12.00",
        "today's price, as completing it would charge"
    );
    let overridden = c.post("/api/held-sales", &admin, json!({ "lines": [{ "product_id": tea["id"], "quantity": "1", "unit_price": "9.50" }] })).await.expect(201).json();
    assert_eq!(
        (
            overridden["lines"][0]["unit_price"].as_str(),
            overridden["lines"][0]["price_override"].as_bool()
        ),
        (Some("9.50"), Some(true))
    );
    c.delete(&format!("/api/held-sales/{}", overridden["id"]), &admin)
        .await
        .expect(204);
    let path = format!("/api/held-sales/{}/complete", held["id"]);
    c.post(
        &path,
        &staff,
        json!({ "payments": [{ "method": "cash", "amount": "20.00" }], "expected_total": "20.00" }),
    )
    .await
    .expect_problem(409, "total_mismatch");
    let done = c
        .post(
            &path,
            &staff,
            json!({ "payments": [{ "method": "cash", "amount": "24.00" }] }),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(done["sale"]["total"], "24.00", "today's price");
    c.post(
        &path,
        &staff,
        json!({ "payments": [{ "method": "cash", "amount": "24.00" }] }),
    )
    .await
    .expect_problem(404, "not_found");
    let other = c
        .post(
            "/api/held-sales",
            &staff,
            json!({ "lines": [{ "product_id": tea["id"], "quantity": "1" }] }),
        )
        .await
        .json();
    c.delete(&format!("/api/held-sales/{}", other["id"]), &staff)
        .await
        .expect(204);
    assert!(
        c.get("/api/held-sales", &staff).await.json()["data"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[actix_web::test]
async fn returns_go_back_to_their_lots_and_never_exceed_the_sale() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let staff = c.user_token(&admin, "till", "staff").await;
    let products = stock(&c, &admin, &[("TEA", "10.00", None)], "5").await;
    let tea = &products[0];
    let sold = c.post("/api/sales", &staff, json!({ "lines": [{ "product_id": tea["id"], "quantity": "3" }], "payments": [{ "method": "cash", "amount": "30.00" }] })).await.expect(201).json();
    let sale_id = sold["sale"]["id"].clone();
    let line_id = sold["sale"]["lines"][0]["id"].clone();
    let path = format!("/api/sales/{sale_id}/returns");
    let first = c
        .post(
            &path,
            &staff,
            json!({ "lines": [{ "sale_line_id": line_id, "quantity": "1" }] }),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(
        (first["refund"].as_str(), first["refunded"].as_str()),
        (Some("10.00"), Some("10.00"))
    );
    assert_eq!(first["sale"]["status"], "partially_refunded");
    assert_eq!(
        c.get(&format!("/api/products/{}", tea["id"]), &staff)
            .await
            .json()["stock_on_hand"],
        "3"
    );
    let lots = c
        .get(&format!("/api/inventory/{}/lots", tea["id"]), &admin)
        .await
        .json();
    assert_eq!(lots["data"][0]["remaining"], "3", "back in the very lot");
    c.post(
        &path,
        &staff,
        json!({ "lines": [{ "sale_line_id": line_id, "quantity": "3" }] }),
    )
    .await
    .expect_problem(409, "return_exceeds_sale");
    // Over the staff refund limit (50.00 by default) a manager is needed; here 20.00 is fine.
    let rest = c
        .post(
            &path,
            &staff,
            json!({ "lines": [{ "sale_line_id": line_id, "quantity": "2", "restock": false }] }),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(rest["sale"]["status"], "refunded");
    assert_eq!(
        c.get(&format!("/api/products/{}", tea["id"]), &staff)
            .await
            .json()["stock_on_hand"],
        "3",
        "written off, not restocked"
    );
    let balances = c
        .get("/api/ledger/balances?per_page=100", &admin)
        .await
        .json();
    assert_eq!(balance(&balances, "4900"), "30.00", "sales returns");
    assert_eq!(
        balance(&balances, "5000"),
        "0.00",
        "all cost of the sale reversed"
    );
    assert_eq!(
        balance(&balances, "5100"),
        "2.00",
        "written-off units at cost"
    );
    assert_eq!(
        c.get("/api/ledger/trial-balance", &admin).await.json()["balanced"],
        true
    );
    let valuation = c.get("/api/inventory", &admin).await.json();
    assert_eq!(
        (
            valuation["total_value"].as_str(),
            valuation["ledger_inventory"].as_str()
        ),
        (Some("3.00"), Some("3.00"))
    );
    let detail = c.get(&format!("/api/sales/{sale_id}"), &admin).await.json();
    assert_eq!(
        detail["entries"].as_array().unwrap().len(),
        6,
        "sale, cost, and a refund and its cost per return"
    );
}

#[actix_web::test]
async fn a_replayed_checkout_makes_one_sale() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let products = stock(&c, &admin, &[("TEA", "10.00", None)], "5").await;
    let body = json!({ "lines": [{ "product_id": products[0]["id"], "quantity": "1" }], "payments": [{ "method": "cash", "amount": "10.00" }] });
    let send = || {
        actix_web::test::TestRequest::post()
            .uri("/api/sales")
            .insert_header(("Authorization", format!("Bearer {admin}")))
            .insert_header(("Idempotency-Key", "till-1-sale-42"))
            .set_json(&body)
    };
    let first = c.send(send()).await;
    first.expect(201);
    let again = c.send(send()).await;
    again.expect(201);
    assert_eq!(again.bytes, first.bytes);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(c.get("/api/sales", &admin).await.json()["total"], 1);
    assert_eq!(
        c.get(&format!("/api/products/{}", products[0]["id"]), &admin)
            .await
            .json()["stock_on_hand"],
        "4"
    );
}

#[actix_web::test]
async fn large_refunds_need_a_manager() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let staff = c.user_token(&admin, "till", "staff").await;
    let products = stock(&c, &admin, &[("TV", "100.00", None)], "1").await;
    let sold = c.post("/api/sales", &staff, json!({ "lines": [{ "product_id": products[0]["id"], "quantity": "1" }], "payments": [{ "method": "cash", "amount": "100.00" }] })).await.json();
    let path = format!("/api/sales/{}/returns", sold["sale"]["id"]);
    let body =
        json!({ "lines": [{ "sale_line_id": sold["sale"]["lines"][0]["id"], "quantity": "1" }] });
    c.post(&path, &staff, body.clone())
        .await
        .expect_problem(403, "forbidden");
    c.post(&path, &admin, body).await.expect(201);
}
