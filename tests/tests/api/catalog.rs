use pos_tests::harness::client;
use serde_json::{Value, json};

fn product(sku: &str, price: &str) -> Value {
    json!({ "name": format!("Product {sku}"), "sku": sku, "price": price })
}

#[actix_web::test]
async fn a_manager_builds_the_catalog_and_staff_find_products() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let manager = c.user_token(&admin, "meg", "manager").await;
    let staff = c.user_token(&admin, "stu", "staff").await;

    let brand = c
        .post(
            "/api/brands",
            &manager,
            json!({ "name": "Acme", "description": "Tools" }),
        )
        .await
        .expect(201)
        .json();
    let category = c
        .post("/api/categories", &manager, json!({ "name": "Apparel" }))
        .await
        .expect(201)
        .json();
    let vat = c
        .post(
            "/api/tax-rates",
            &manager,
            json!({ "name": "VAT 15%", "rate": "15.00", "mode": "exclusive" }),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(vat["rate"], "15");
    let body = json!({
        "name": "Blue T-Shirt", "sku": "ts-001", "barcode": "5012345678900",
        "brand_id": brand["id"], "category_id": category["id"], "tax_rate_id": vat["id"],
        "price": "19.9", "reorder_level": "5", "unit": "pcs", "description": "Cotton"
    });
    let created = c
        .post("/api/products", &manager, body)
        .await
        .expect(201)
        .json();
    assert_eq!(created["sku"], "TS-001");
    assert_eq!(
        created["price"], "19.90",
        "money is a 2-place decimal string"
    );
    assert_eq!(created["stock_on_hand"], "0");
    assert_eq!(created["status"], "active");
    assert_eq!(created["low_stock"], true);

    let found = c
        .get("/api/products?q=t-shirt", &staff)
        .await
        .expect(200)
        .json();
    assert_eq!(found["total"], 1);
    assert_eq!(found["data"][0]["id"], created["id"]);
    let by_barcode = c
        .get("/api/products/barcode/5012345678900", &staff)
        .await
        .expect(200)
        .json();
    assert_eq!(by_barcode["id"], created["id"]);
    c.get("/api/products/barcode/000", &staff)
        .await
        .expect_problem(404, "not_found");
    let filtered = c
        .get(
            &format!(
                "/api/products?brand_id={}&status=active&sort=price&order=desc",
                brand["id"]
            ),
            &staff,
        )
        .await
        .expect(200)
        .json();
    assert_eq!(filtered["total"], 1);
    // Staff read the catalog but cannot change it.
    c.post("/api/brands", &staff, json!({ "name": "Nope" }))
        .await
        .expect_problem(403, "forbidden");
}

#[actix_web::test]
async fn conflicts_on_unique_values_are_409_and_change_nothing() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    c.post("/api/products", &admin, product("SKU-1", "1.00"))
        .await
        .expect(201);
    let body = c
        .post("/api/products", &admin, product("sku-1", "2.00"))
        .await
        .expect_problem(409, "already_exists");
    assert_eq!(body["errors"][0]["field"], "sku");
    c.post("/api/brands", &admin, json!({ "name": "Acme" }))
        .await
        .expect(201);
    c.post("/api/brands", &admin, json!({ "name": "Acme" }))
        .await
        .expect_problem(409, "already_exists");
    let list = c.get("/api/products", &admin).await.json();
    assert_eq!(list["total"], 1);
    assert_eq!(list["data"][0]["price"], "1.00");
}

#[actix_web::test]
async fn bad_money_is_refused_per_field() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    for (price, why) in [
        ("-1.00", "negative"),
        ("1.005", "three places"),
        ("abc", "not a number"),
        ("1e3", "exponent"),
    ] {
        let body = c
            .post("/api/products", &admin, product("P-1", price))
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(body["errors"][0]["field"], "price", "{why}: {body}");
    }
    let number = c
        .post(
            "/api/products",
            &admin,
            json!({ "name": "P", "sku": "P-1", "price": 19.99 }),
        )
        .await;
    let body = number.expect_problem(422, "validation_failed");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("string"),
        "{body}"
    );
    assert_eq!(
        c.get("/api/products", &admin).await.json()["total"],
        0,
        "nothing was created"
    );
}

#[actix_web::test]
async fn clients_cannot_set_fields_they_do_not_own() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let mut body = product("P-1", "1.00");
    body["stock_on_hand"] = json!("100");
    let problem = c
        .post("/api/products", &admin, body)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "stock_on_hand");
    let mut with_id = product("P-1", "1.00");
    with_id["id"] = json!(7);
    c.post("/api/products", &admin, with_id)
        .await
        .expect_problem(422, "validation_failed");
}

#[actix_web::test]
async fn unknown_references_and_deletes_in_use_are_refused() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let mut body = product("P-1", "1.00");
    body["brand_id"] = json!(424242);
    let problem = c
        .post("/api/products", &admin, body)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "brand_id");
    let brand = c
        .post("/api/brands", &admin, json!({ "name": "Acme" }))
        .await
        .json();
    let mut body = product("P-1", "1.00");
    body["brand_id"] = brand["id"].clone();
    c.post("/api/products", &admin, body).await.expect(201);
    let path = format!("/api/brands/{}", brand["id"]);
    c.delete(&path, &admin).await.expect_problem(409, "in_use");
    c.get(&path, &admin).await.expect(200);
    let unused = c
        .post("/api/categories", &admin, json!({ "name": "Spare" }))
        .await
        .json();
    c.delete(&format!("/api/categories/{}", unused["id"]), &admin)
        .await
        .expect(204);
    c.delete(&format!("/api/categories/{}", unused["id"]), &admin)
        .await
        .expect_problem(404, "not_found");
}

#[actix_web::test]
async fn products_are_updated_whole_and_stock_stays_read_only() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let created = c
        .post("/api/products", &admin, product("P-1", "1.00"))
        .await
        .json();
    let path = format!("/api/products/{}", created["id"]);
    let mut body = product("P-1", "2.50");
    body["status"] = json!("inactive");
    let updated = c.put(&path, &admin, body).await.expect(200).json();
    assert_eq!(
        (updated["price"].as_str(), updated["status"].as_str()),
        (Some("2.50"), Some("inactive"))
    );
    assert_eq!(updated["created_at"], created["created_at"]);
    c.put("/api/products/999999", &admin, product("P-9", "1.00"))
        .await
        .expect_problem(404, "not_found");
}

#[actix_web::test]
async fn lists_share_one_paging_convention_with_limits() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    for i in 0..7 {
        c.post(
            "/api/brands",
            &admin,
            json!({ "name": format!("Brand {i}") }),
        )
        .await
        .expect(201);
    }
    let page = c
        .get("/api/brands?page=2&per_page=3&sort=name&order=asc", &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(
        (
            page["page"].as_u64(),
            page["per_page"].as_u64(),
            page["total"].as_u64()
        ),
        (Some(2), Some(3), Some(7))
    );
    assert_eq!(page["data"].as_array().unwrap().len(), 3);
    assert_eq!(page["data"][0]["name"], "Brand 3");
    c.get("/api/brands?per_page=101", &admin)
        .await
        .expect_problem(422, "validation_failed");
    c.get("/api/brands?page=0", &admin)
        .await
        .expect_problem(422, "validation_failed");
    c.get("/api/brands?per_page=lots", &admin)
        .await
        .expect_problem(400, "invalid_query");
    c.get("/api/products?sort=colour", &admin)
        .await
        .expect_problem(400, "invalid_query");
}

#[actix_web::test]
async fn every_invalid_field_is_reported_at_once() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let body = json!({ "name": "", "sku": "bad sku", "price": "19.999", "reorder_level": "-1" });
    let problem = c
        .post("/api/products", &admin, body)
        .await
        .expect_problem(422, "validation_failed");
    let mut fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["name", "price", "reorder_level", "sku"],
        "{problem}"
    );
}

/// Lengths count characters, as the spec's `maxLength` does: a 120-character Bengali name (360
/// bytes of UTF-8) is taken, and 121 characters are refused naming the field.
#[actix_web::test]
async fn text_lengths_count_characters_not_bytes() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let name: String = "ক".repeat(120);
    let brand = c
        .post("/api/brands", &admin, json!({ "name": name }))
        .await
        .expect(201)
        .json();
    assert_eq!(brand["name"], name.as_str());
    let refused = c
        .post("/api/brands", &admin, json!({ "name": "ক".repeat(121) }))
        .await
        .expect(422)
        .json();
    assert_eq!(refused["errors"][0]["field"], "name");
}
