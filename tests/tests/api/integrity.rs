use pos_tests::harness::client;
use serde_json::json;

#[actix_web::test]
async fn the_integrity_check_passes_after_real_work_and_finds_tampering() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let product = c
        .post(
            "/api/products",
            &admin,
            json!({ "name": "Tea", "sku": "TEA", "price": "10.00" }),
        )
        .await
        .json();
    let supplier = c
        .post("/api/suppliers", &admin, json!({ "name": "S" }))
        .await
        .json();
    c.post("/api/purchases", &admin, json!({ "supplier_id": supplier["id"], "invoice_no": "1", "lines": [{ "product_id": product["id"], "quantity": "5", "unit_cost": "3.00" }] })).await.expect(201);
    let customer = c
        .post(
            "/api/customers",
            &admin,
            json!({ "name": "R", "credit_limit": "100.00" }),
        )
        .await
        .json();
    c.post("/api/sales", &admin, json!({ "customer_id": customer["id"], "lines": [{ "product_id": product["id"], "quantity": "2" }] })).await.expect(201);
    let report = c
        .get("/api/admin/integrity", &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(report, json!({ "ok": true, "discrepancies": [] }));

    // Change the cached stock behind the system's back: the check names the product.
    let mut tx = app.store.begin().await.unwrap();
    let id = pos_domain::ids::ProductId::new(product["id"].as_i64().unwrap());
    tx.set_stock(id, pos_domain::quantity::Quantity::from_thousandths(9_000))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let report = c.get("/api/admin/integrity", &admin).await.json();
    assert_eq!(report["ok"], false);
    let found = &report["discrepancies"][0];
    assert_eq!(
        (found["kind"].as_str(), found["id"].as_i64()),
        (Some("stock"), product["id"].as_i64())
    );
    assert_eq!(
        (found["expected"].as_str(), found["found"].as_str()),
        (Some("3"), Some("9"))
    );
}
