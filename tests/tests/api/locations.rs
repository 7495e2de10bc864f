//! Stores and warehouses, and the store a register stands in.

use pos_tests::harness::client;
use serde_json::json;

#[actix_web::test]
async fn a_shop_adds_a_warehouse_and_a_second_store_with_its_own_registers() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let staff = c.user_token(&admin, "till", "staff").await;
    let listed = c.get("/api/locations", &staff).await.expect(200).json();
    assert_eq!(
        (
            listed["total"].as_u64(),
            listed["data"][0]["code"].as_str(),
            listed["data"][0]["kind"].as_str(),
            listed["data"][0]["is_default"].as_bool()
        ),
        (Some(1), Some("MAIN"), Some("store"), Some(true)),
        "everything so far is at the default store"
    );
    let warehouse = json!({ "code": "WH1", "name": "North warehouse", "kind": "warehouse", "address": "Plot 7, Tongi" });
    c.post("/api/locations", &staff, warehouse.clone())
        .await
        .expect_problem(403, "forbidden");
    let wh = c
        .post("/api/locations", &admin, warehouse.clone())
        .await
        .expect(201)
        .json();
    c.post("/api/locations", &admin, warehouse)
        .await
        .expect_problem(409, "already_exists");
    let store = c
        .post(
            "/api/locations",
            &admin,
            json!({ "code": "S2", "name": "Second store", "kind": "store", "utc_offset": "+06:00" }),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(store["utc_offset"], "+06:00");
    c.post(
        "/api/locations",
        &admin,
        json!({ "code": "S3", "name": "Bad", "kind": "store", "utc_offset": "6h" }),
    )
    .await
    .expect_problem(422, "validation_failed");

    // Registers stand in stores, never in warehouses.
    c.post(
        "/api/registers",
        &admin,
        json!({ "code": "W1", "name": "No", "location_id": wh["id"] }),
    )
    .await
    .expect_problem(422, "validation_failed");
    let till = c
        .post(
            "/api/registers",
            &admin,
            json!({ "code": "S2A", "name": "Till A", "location_id": store["id"] }),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(till["location_id"], store["id"]);
    let default_till = c.get("/api/registers/1", &staff).await.expect(200).json();
    assert_eq!(default_till["location_id"], 1);

    let patched = c
        .patch(
            &format!("/api/locations/{}", store["id"]),
            &admin,
            json!({ "utc_offset": "", "address": "Road 2" }),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(
        (patched["utc_offset"].is_null(), patched["address"].as_str()),
        (true, Some("Road 2"))
    );
    c.patch("/api/locations/1", &admin, json!({ "active": false }))
        .await
        .expect_problem(409, "default_location");
    c.get("/api/locations/999", &staff)
        .await
        .expect_problem(404, "not_found");
}

#[actix_web::test]
async fn a_sale_takes_only_its_stores_lots() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let wh = c
        .post(
            "/api/locations",
            &admin,
            json!({ "code": "WH1", "name": "Warehouse", "kind": "warehouse" }),
        )
        .await
        .expect(201)
        .json();
    let s2 = c
        .post(
            "/api/locations",
            &admin,
            json!({ "code": "S2", "name": "Second store", "kind": "store" }),
        )
        .await
        .expect(201)
        .json();
    let product = c
        .post(
            "/api/products",
            &admin,
            json!({ "name": "Kettle", "sku": "KET", "price": "30.00" }),
        )
        .await
        .expect(201)
        .json();
    let supplier = c
        .post("/api/suppliers", &admin, json!({ "name": "Wholesale" }))
        .await
        .json();
    let receive = |location: &serde_json::Value, invoice: &str| {
        json!({ "supplier_id": supplier["id"], "invoice_no": invoice, "location_id": location["id"],
                "lines": [{ "product_id": product["id"], "quantity": "4", "unit_cost": "10.00" }] })
    };
    c.post("/api/purchases", &admin, receive(&wh, "W-1"))
        .await
        .expect(201);
    c.post(
        "/api/purchases",
        &admin,
        json!({ "supplier_id": supplier["id"], "invoice_no": "X-1", "location_id": 999,
                "lines": [{ "product_id": product["id"], "quantity": "1", "unit_cost": "1.00" }] }),
    )
    .await
    .expect_problem(422, "validation_failed");
    // Four kettles in the warehouse, none on the default store's shelves.
    let sale = json!({ "lines": [{ "product_id": product["id"], "quantity": "1" }], "payments": [{ "method": "cash", "amount": "30.00" }] });
    c.post("/api/sales", &admin, sale.clone())
        .await
        .expect_problem(409, "insufficient_stock");
    c.post("/api/purchases", &admin, receive(&s2, "S-1"))
        .await
        .expect(201);
    let till = c
        .post(
            "/api/registers",
            &admin,
            json!({ "code": "S2A", "name": "Till", "location_id": s2["id"] }),
        )
        .await
        .expect(201)
        .json();
    c.post(
        &format!("/api/registers/{}/sessions", till["id"]),
        &admin,
        json!({ "float": "0.00" }),
    )
    .await
    .expect(201);
    let mut at_s2 = sale.clone();
    at_s2["register_id"] = till["id"].clone();
    c.post("/api/sales", &admin, at_s2).await.expect(201);
    let lots = c
        .get(&format!("/api/inventory/{}/lots", product["id"]), &admin)
        .await
        .expect(200)
        .json();
    let remaining: Vec<(i64, &str)> = lots["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["location_id"].as_i64().unwrap(),
                l["remaining"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        remaining,
        [
            (wh["id"].as_i64().unwrap(), "4"),
            (s2["id"].as_i64().unwrap(), "3")
        ]
    );
    // Adjustments and counts are per location: the warehouse loses one, the second store's
    // count finds one more than its lots hold.
    c.post(
        "/api/inventory/adjustments",
        &admin,
        json!({ "product_id": product["id"], "location_id": wh["id"], "reason": "damage", "change": "-1" }),
    )
    .await
    .expect(201);
    c.post(
        "/api/inventory/adjustments",
        &admin,
        json!({ "product_id": product["id"], "location_id": 999, "reason": "found", "change": "1" }),
    )
    .await
    .expect_problem(422, "validation_failed");
    let counted = c
        .post(
            "/api/inventory/counts",
            &admin,
            json!({ "location_id": s2["id"], "lines": [{ "product_id": product["id"], "counted": "4" }] }),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(counted.as_array().map(Vec::len), Some(1), "{counted}");
    let stock = c
        .get(
            &format!("/api/inventory/{}/locations", product["id"]),
            &admin,
        )
        .await
        .expect(200)
        .json();
    let rows: Vec<(i64, &str, &str)> = stock["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["location_id"].as_i64().unwrap(),
                s["quantity"].as_str().unwrap(),
                s["value"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (wh["id"].as_i64().unwrap(), "3", "30.00"),
            (s2["id"].as_i64().unwrap(), "4", "40.00")
        ],
        "per location, and in all the product's 7"
    );
    let kettle = c
        .get(&format!("/api/products/{}", product["id"]), &admin)
        .await
        .json();
    assert_eq!(kettle["stock_on_hand"], "7");
    let integrity = c
        .get("/api/admin/integrity", &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(integrity["ok"], true, "{integrity}");
}
