//! Transfers between locations: shipped at cost into transit, received in full or short,
//! with the books and the stock of every location kept in step.

use actix_web::test::TestRequest;
use pos_tests::harness::{Client, client};
use serde_json::{Value, json};

async fn location<S, B>(c: &Client<S>, admin: &str, code: &str, kind: &str) -> Value
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    c.post(
        "/api/locations",
        admin,
        json!({ "code": code, "name": format!("{code} place"), "kind": kind }),
    )
    .await
    .expect(201)
    .json()
}

fn stock_at(lots: &Value, location: &Value) -> (String, usize) {
    let at: Vec<&Value> = lots["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["location_id"] == *location && l["remaining"] != "0")
        .collect();
    let units: rust_decimal::Decimal = at
        .iter()
        .map(|l| {
            l["remaining"]
                .as_str()
                .unwrap()
                .parse::<rust_decimal::Decimal>()
                .unwrap()
        })
        .sum();
    (units.normalize().to_string(), at.len())
}

#[actix_web::test]
async fn a_warehouse_ships_to_two_stores_one_receives_short_and_the_books_follow() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let staff = c.user_token(&admin, "till", "staff").await;
    let wh = location(&c, &admin, "WH1", "warehouse").await;
    let s2 = location(&c, &admin, "S2", "store").await;
    let main = json!(1);
    let till = c
        .post(
            "/api/registers",
            &admin,
            json!({ "code": "S2A", "name": "S2 till", "location_id": s2["id"] }),
        )
        .await
        .expect(201)
        .json();
    let product = c
        .post(
            "/api/products",
            &admin,
            json!({ "name": "Teapot", "sku": "TEA", "price": "12.00" }),
        )
        .await
        .expect(201)
        .json();
    let supplier = c
        .post("/api/suppliers", &admin, json!({ "name": "Potter" }))
        .await
        .json();
    c.post(
        "/api/purchases",
        &admin,
        json!({ "supplier_id": supplier["id"], "invoice_no": "P-1", "location_id": wh["id"],
                "lines": [{ "product_id": product["id"], "quantity": "10", "unit_cost": "4.00" }] }),
    )
    .await
    .expect(201);
    let lots_path = format!("/api/inventory/{}/lots", product["id"]);
    let purchased = c.get(&lots_path, &admin).await.expect(200).json();
    let received_at = purchased["data"][0]["received_at"].clone();

    // Half to each store.
    let ask = |to: &Value| {
        json!({ "from_location_id": wh["id"], "to_location_id": to,
                "lines": [{ "product_id": product["id"], "quantity": "5" }] })
    };
    c.post("/api/transfers", &staff, ask(&main))
        .await
        .expect_problem(403, "forbidden");
    let t1 = c
        .post("/api/transfers", &admin, ask(&main))
        .await
        .expect(201)
        .json();
    let t2 = c
        .post("/api/transfers", &admin, ask(&s2["id"]))
        .await
        .expect(201)
        .json();
    assert_eq!(t1["status"], "created");
    c.post(
        "/api/transfers",
        &admin,
        json!({ "from_location_id": wh["id"], "to_location_id": wh["id"],
                "lines": [{ "product_id": product["id"], "quantity": "1" }] }),
    )
    .await
    .expect_problem(422, "validation_failed");
    for t in [&t1, &t2] {
        let shipped = c
            .post(
                &format!("/api/transfers/{}/ship", t["id"]),
                &admin,
                json!({}),
            )
            .await
            .expect(200)
            .json();
        assert_eq!(
            (
                shipped["status"].as_str(),
                shipped["lines"][0]["in_transit"].as_str()
            ),
            (Some("shipped"), Some("5"))
        );
    }
    c.post(
        &format!("/api/transfers/{}/ship", t1["id"]),
        &admin,
        json!({}),
    )
    .await
    .expect_problem(409, "transfer_state");
    c.post(
        &format!("/api/transfers/{}/cancel", t1["id"]),
        &admin,
        json!({}),
    )
    .await
    .expect_problem(409, "transfer_state");
    // Nothing left at the warehouse: a third shipment is refused and changes nothing.
    let t3 = c
        .post("/api/transfers", &admin, ask(&main))
        .await
        .expect(201)
        .json();
    c.post(
        &format!("/api/transfers/{}/ship", t3["id"]),
        &admin,
        json!({}),
    )
    .await
    .expect_problem(409, "insufficient_stock");
    let cancelled = c
        .post(
            &format!("/api/transfers/{}/cancel", t3["id"]),
            &admin,
            json!({}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(cancelled["status"], "cancelled");

    // In transit: off every shelf, on the in-transit account.
    let valuation = c.get("/api/inventory", &admin).await.expect(200).json();
    assert_eq!(valuation["total_value"], "0.00");
    let balances = c
        .get("/api/ledger/balances", &admin)
        .await
        .expect(200)
        .json();
    let balance = |code: &str| {
        balances
            .as_array()
            .or(balances["data"].as_array())
            .unwrap()
            .iter()
            .find(|b| b["account"]["code"] == code)
            .map(|b| b["balance"].as_str().unwrap().to_owned())
    };
    assert_eq!(balance("1210").as_deref(), Some("40.00"));

    // The first arrives in full; the second one short, and the rest is still on its way.
    let receive = |id: &Value, received: &str, short: &str| {
        TestRequest::post()
            .uri(&format!("/api/transfers/{id}/receive"))
            .insert_header(("Authorization", format!("Bearer {admin}")))
            .insert_header(("Idempotency-Key", format!("receive-{id}-{received}-{short}")))
            .set_json(json!({ "lines": [{ "product_id": product["id"], "received": received, "short": short }] }))
    };
    let r1 = c.send(receive(&t1["id"], "5", "0")).await;
    assert_eq!(r1.json()["status"], "received", "{:?}", r1.json());
    let again = c.send(receive(&t1["id"], "5", "0")).await;
    assert_eq!(
        (again.status.as_u16(), again.header("idempotent-replayed")),
        (200, Some("true")),
        "a retried receipt answers what it did, once"
    );
    let partly = c.send(receive(&t2["id"], "3", "1")).await.json();
    assert_eq!(
        (
            partly["status"].as_str(),
            partly["lines"][0]["in_transit"].as_str()
        ),
        (Some("partially_received"), Some("1"))
    );
    c.post(
        &format!("/api/transfers/{}/receive", t2["id"]),
        &admin,
        json!({ "lines": [{ "product_id": product["id"], "received": "2" }] }),
    )
    .await
    .expect_problem(422, "validation_failed");
    let done = c.send(receive(&t2["id"], "1", "0")).await.json();
    assert_eq!(
        (
            done["status"].as_str(),
            done["lines"][0]["received"].as_str(),
            done["lines"][0]["short"].as_str()
        ),
        (Some("received"), Some("4"), Some("1"))
    );

    // Each store's lots keep the warehouse lot's cost and age.
    let lots = c.get(&lots_path, &admin).await.expect(200).json();
    assert_eq!(stock_at(&lots, &main).0, "5");
    assert_eq!(stock_at(&lots, &s2["id"]).0, "4");
    assert_eq!(stock_at(&lots, &wh["id"]).0, "0");
    for lot in lots["data"].as_array().unwrap() {
        assert_eq!(
            (&lot["received_at"], lot["unit_cost"].as_str()),
            (&received_at, Some("4.00"))
        );
    }

    // Sell one at each store.
    let main_sale = c
        .post(
            "/api/sales",
            &admin,
            json!({ "lines": [{ "product_id": product["id"], "quantity": "1" }], "payments": [{ "method": "cash", "amount": "12.00" }] }),
        )
        .await
        .expect(201)
        .json();
    c.post(
        &format!("/api/registers/{}/sessions", till["id"]),
        &admin,
        json!({ "float": "20.00" }),
    )
    .await
    .expect(201);
    // Goods go back to the lots they left: the main store's sale is not taken back at S2.
    let elsewhere = c
        .post(
            &format!("/api/sales/{}/returns", main_sale["sale"]["id"]),
            &admin,
            json!({ "register_id": till["id"], "lines": [{ "sale_line_id": main_sale["sale"]["lines"][0]["id"], "quantity": "1" }] }),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(
        elsewhere["errors"][0]["field"], "register_id",
        "{elsewhere}"
    );
    c.post(
        "/api/sales",
        &admin,
        json!({ "register_id": till["id"], "lines": [{ "product_id": product["id"], "quantity": "1" }], "payments": [{ "method": "cash", "amount": "12.00" }] }),
    )
    .await
    .expect(201);

    // Stock, valuation and profit per store.
    let at = |id: &Value| format!("location_ids={id}");
    let main_value = c
        .get(&format!("/api/inventory?{}", at(&main)), &admin)
        .await
        .expect(200)
        .json();
    let s2_value = c
        .get(&format!("/api/inventory?{}", at(&s2["id"])), &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(
        (
            main_value["total_value"].as_str(),
            main_value["ledger_inventory"].as_str()
        ),
        (Some("16.00"), Some("16.00"))
    );
    assert_eq!(
        (
            s2_value["total_value"].as_str(),
            s2_value["ledger_inventory"].as_str()
        ),
        (Some("12.00"), Some("12.00"))
    );
    let both = c
        .get(
            &format!("/api/inventory?location_ids={},1", s2["id"]),
            &admin,
        )
        .await
        .expect(200)
        .json();
    assert_eq!(both["total_value"], "28.00");
    c.get("/api/inventory?location_ids=1,x", &admin)
        .await
        .expect_problem(422, "validation_failed");
    let today = time::OffsetDateTime::now_utc().date();
    let pl = |ids: String| format!("/api/ledger/profit-and-loss?from={today}&to={today}&{ids}");
    let main_pl = c.get(&pl(at(&main)), &admin).await.expect(200).json();
    let s2_pl = c.get(&pl(at(&s2["id"])), &admin).await.expect(200).json();
    assert_eq!(
        (
            main_pl["net_sales"].as_str(),
            main_pl["cost_of_goods_sold"].as_str(),
            main_pl["net_profit"].as_str()
        ),
        (Some("12.00"), Some("4.00"), Some("8.00"))
    );
    // The shortage is the receiving store's shrinkage.
    assert_eq!(
        (
            s2_pl["net_sales"].as_str(),
            s2_pl["total_expenses"].as_str(),
            s2_pl["net_profit"].as_str()
        ),
        (Some("12.00"), Some("4.00"), Some("4.00"))
    );
    let all_pl = c.get(&pl(String::new()), &admin).await.expect(200).json();
    assert_eq!(all_pl["net_profit"], "12.00");
    // The sales reports and the dashboard answer per store too, and agree with the books.
    let summary =
        |ids: String| format!("/api/reports/financial-summary?from={today}&to={today}&{ids}");
    let s2_summary = c
        .get(&summary(at(&s2["id"])), &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(
        (
            s2_summary["sales"]["transactions"].as_u64(),
            s2_summary["sales"]["net_sales"].as_str(),
            s2_summary["net_profit"].as_str()
        ),
        (Some(1), Some("12.00"), Some("4.00")),
        "{s2_summary}"
    );
    let both = c
        .get(&summary(format!("location_ids=1,{}", s2["id"])), &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(
        (
            both["sales"]["transactions"].as_u64(),
            both["net_profit"].as_str()
        ),
        (Some(2), Some("12.00"))
    );
    let dashboard = c
        .get(&format!("/api/dashboard?{}", at(&main)), &staff)
        .await
        .expect(200)
        .json();
    assert_eq!(
        (
            dashboard["today"]["net_sales"].as_str(),
            dashboard["today"]["transactions"].as_u64()
        ),
        (Some("12.00"), Some(1)),
        "{dashboard}"
    );
    let daily = c
        .get(
            &format!(
                "/api/reports/daily?from={today}&to={today}&{}",
                at(&wh["id"])
            ),
            &admin,
        )
        .await
        .expect(200)
        .json();
    assert_eq!(
        daily["total"]["transactions"], 0,
        "a warehouse sells nothing"
    );

    // Both ends logged each move.
    let log = c
        .get(
            &format!(
                "/api/inventory/movements?kind=transfer_in&location_id={}",
                s2["id"]
            ),
            &admin,
        )
        .await
        .expect(200)
        .json();
    assert_eq!(log["total"], 2, "{log}");
    let out = c
        .get(
            &format!(
                "/api/inventory/movements?kind=transfer_out&location_id={}",
                wh["id"]
            ),
            &admin,
        )
        .await
        .expect(200)
        .json();
    assert_eq!(out["total"], 2);
    let listed = c
        .get(
            &format!("/api/transfers?location_id={}&status=received", s2["id"]),
            &admin,
        )
        .await
        .expect(200)
        .json();
    assert_eq!(listed["total"], 1);
    let report = c
        .get("/api/admin/integrity", &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(report, json!({ "ok": true, "discrepancies": [] }));
}

#[actix_web::test]
async fn the_integrity_check_finds_stock_in_transit_that_the_books_do_not_hold() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let wh = location(&c, &admin, "WH1", "warehouse").await;
    let product = c
        .post(
            "/api/products",
            &admin,
            json!({ "name": "Jug", "sku": "JUG", "price": "5.00" }),
        )
        .await
        .expect(201)
        .json();
    let supplier = c
        .post("/api/suppliers", &admin, json!({ "name": "S" }))
        .await
        .json();
    c.post(
        "/api/purchases",
        &admin,
        json!({ "supplier_id": supplier["id"], "invoice_no": "P-1", "location_id": wh["id"],
                "lines": [{ "product_id": product["id"], "quantity": "3", "unit_cost": "2.00" }] }),
    )
    .await
    .expect(201);
    let t = c
        .post(
            "/api/transfers",
            &admin,
            json!({ "from_location_id": wh["id"], "to_location_id": 1,
                    "lines": [{ "product_id": product["id"], "quantity": "2" }] }),
        )
        .await
        .expect(201)
        .json();
    c.post(
        &format!("/api/transfers/{}/ship", t["id"]),
        &admin,
        json!({}),
    )
    .await
    .expect(200);
    let report = c
        .get("/api/admin/integrity", &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(report["ok"], true, "{report}");

    // Units in transit vanish behind the system's back: value and units no longer agree.
    let mut tx = app.store.begin().await.unwrap();
    let transfer = pos_domain::ids::TransferId::new(t["id"].as_i64().unwrap());
    let lot = tx.transit_lots(transfer).await.unwrap()[0].clone();
    tx.take_from_transit(
        lot.id,
        pos_domain::quantity::Quantity::from_thousandths(1_000),
        pos_domain::money::Money::from_minor_units(200),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let report = c.get("/api/admin/integrity", &admin).await.json();
    let kinds: Vec<&str> = report["discrepancies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["in_transit_value", "in_transit_units"], "{report}");
}

#[actix_web::test]
async fn staff_and_managers_work_only_at_their_locations() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let wh = location(&c, &admin, "WH1", "warehouse").await;
    let s2 = location(&c, &admin, "S2", "store").await;
    let till = c
        .post(
            "/api/registers",
            &admin,
            json!({ "code": "S2A", "name": "S2 till", "location_id": s2["id"] }),
        )
        .await
        .expect(201)
        .json();
    let staff = c.user_token(&admin, "clerk", "staff").await;
    let manager = c.user_token(&admin, "boss", "manager").await;
    let users = c
        .get("/api/users?per_page=100", &admin)
        .await
        .expect(200)
        .json();
    let id_of = |name: &str| {
        users["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["username"] == name)
            .unwrap()["id"]
            .clone()
    };
    for name in ["clerk", "boss"] {
        let path = format!("/api/users/{}/locations", id_of(name));
        c.put(&path, &manager, json!({ "location_ids": [s2["id"]] }))
            .await
            .expect_problem(403, "forbidden");
        c.put(&path, &admin, json!({ "location_ids": [999] }))
            .await
            .expect_problem(422, "validation_failed");
        let set = c
            .put(
                &path,
                &admin,
                json!({ "location_ids": [s2["id"], s2["id"]] }),
            )
            .await
            .expect(200)
            .json();
        assert_eq!(set["location_ids"], json!([s2["id"]]));
        assert_eq!(c.get(&path, &admin).await.expect(200).json(), set);
    }
    let product = c
        .post(
            "/api/products",
            &admin,
            json!({ "name": "Cup", "sku": "CUP", "price": "3.00" }),
        )
        .await
        .expect(201)
        .json();
    let supplier = c
        .post("/api/suppliers", &admin, json!({ "name": "S" }))
        .await
        .json();
    let buy = |at: &Value, invoice: &str| {
        json!({ "supplier_id": supplier["id"], "invoice_no": invoice, "location_id": at,
                "lines": [{ "product_id": product["id"], "quantity": "6", "unit_cost": "1.00" }] })
    };
    // The manager receives at their store, not at the warehouse.
    c.post("/api/purchases", &manager, buy(&wh["id"], "W-1"))
        .await
        .expect_problem(403, "forbidden");
    c.post("/api/purchases", &manager, buy(&s2["id"], "S-1"))
        .await
        .expect(201);
    c.post("/api/purchases", &admin, buy(&json!(1), "M-1"))
        .await
        .expect(201);
    c.post(
        "/api/inventory/adjustments",
        &manager,
        json!({ "product_id": product["id"], "reason": "damage", "change": "-1" }),
    )
    .await
    .expect_problem(403, "forbidden");
    c.post("/api/inventory/adjustments", &manager, json!({ "product_id": product["id"], "reason": "damage", "change": "-1", "location_id": s2["id"] }))
        .await
        .expect(201);
    // Transfers leave only from their store, and arrive only there.
    let send = |from: &Value, to: &Value| {
        json!({ "from_location_id": from, "to_location_id": to,
                "lines": [{ "product_id": product["id"], "quantity": "1" }] })
    };
    c.post("/api/transfers", &manager, send(&json!(1), &s2["id"]))
        .await
        .expect_problem(403, "forbidden");
    let inbound = c
        .post("/api/transfers", &admin, send(&json!(1), &s2["id"]))
        .await
        .expect(201)
        .json();
    c.post(
        &format!("/api/transfers/{}/ship", inbound["id"]),
        &manager,
        json!({}),
    )
    .await
    .expect_problem(403, "forbidden");
    c.post(
        &format!("/api/transfers/{}/ship", inbound["id"]),
        &admin,
        json!({}),
    )
    .await
    .expect(200);
    c.post(
        &format!("/api/transfers/{}/receive", inbound["id"]),
        &manager,
        json!({ "lines": [{ "product_id": product["id"], "received": "1" }] }),
    )
    .await
    .expect(200);
    let outbound = c
        .post("/api/transfers", &manager, send(&s2["id"], &json!(1)))
        .await
        .expect(201)
        .json();
    c.post(
        &format!("/api/transfers/{}/ship", outbound["id"]),
        &manager,
        json!({}),
    )
    .await
    .expect(200);
    c.post(
        &format!("/api/transfers/{}/receive", outbound["id"]),
        &manager,
        json!({ "lines": [{ "product_id": product["id"], "received": "1" }] }),
    )
    .await
    .expect_problem(403, "forbidden");

    // Staff sell and open sessions only at their store's registers.
    let sale = |register: &Value| {
        json!({ "register_id": register, "lines": [{ "product_id": product["id"], "quantity": "1" }],
                "payments": [{ "method": "cash", "amount": "3.00" }] })
    };
    c.post("/api/sales", &staff, sale(&json!(1)))
        .await
        .expect_problem(403, "forbidden");
    c.post(
        &format!("/api/registers/{}/sessions", till["id"]),
        &staff,
        json!({ "float": "10.00" }),
    )
    .await
    .expect(201);
    c.post(
        "/api/registers/1/sessions",
        &staff,
        json!({ "float": "10.00" }),
    )
    .await
    .expect_problem(403, "forbidden");
    c.post("/api/sales", &staff, sale(&till["id"]))
        .await
        .expect(201);
    // ... and see stock only there.
    let seen = c
        .get(
            &format!("/api/inventory/{}/locations", product["id"]),
            &staff,
        )
        .await
        .expect(200)
        .json();
    let places: Vec<&Value> = seen["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["location_id"])
        .collect();
    assert_eq!(places, [&s2["id"]], "{seen}");
    let everywhere = c
        .get(
            &format!("/api/inventory/{}/locations", product["id"]),
            &admin,
        )
        .await
        .expect(200)
        .json();
    assert_eq!(everywhere["total"], 2, "{everywhere}");
    // Their reports cover their store; another store's are refused.
    c.get("/api/inventory?location_ids=1", &manager)
        .await
        .expect_problem(403, "forbidden");
    let mine = c.get("/api/inventory", &manager).await.expect(200).json();
    assert_eq!(
        (
            mine["total_value"].as_str(),
            mine["ledger_inventory"].as_str()
        ),
        (Some("4.00"), Some("4.00")),
        "six bought, one written off, one in, one out, one sold: {mine}"
    );
    // Reorder levels per location: the store's alerts use its own level.
    let levels = format!("/api/products/{}/reorder-levels", product["id"]);
    c.put(
        &levels,
        &manager,
        json!({ "location_id": 1, "level": "10" }),
    )
    .await
    .expect_problem(403, "forbidden");
    c.put(
        &levels,
        &manager,
        json!({ "location_id": s2["id"], "level": "4" }),
    )
    .await
    .expect(204);
    let set = c.get(&levels, &manager).await.expect(200).json();
    assert_eq!(
        set["data"],
        json!([{ "location_id": s2["id"], "level": "4" }])
    );
    c.put(
        &levels,
        &admin,
        json!({ "location_id": s2["id"], "level": "-1" }),
    )
    .await
    .expect_problem(422, "validation_failed");
    let alerts = c
        .get(
            &format!("/api/reports/inventory/alerts?location_id={}", s2["id"]),
            &manager,
        )
        .await
        .expect(200)
        .json();
    assert_eq!(
        (
            alerts["low"].as_u64(),
            alerts["products"][0]["on_hand"].as_str(),
            alerts["products"][0]["reorder_level"].as_str()
        ),
        (Some(1), Some("4"), Some("4")),
        "{alerts}"
    );
    c.get("/api/reports/inventory/alerts?location_id=1", &manager)
        .await
        .expect_problem(403, "forbidden");
    let main_alerts = c
        .get("/api/reports/inventory/alerts?location_id=1", &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(
        main_alerts["products"].as_array().map(Vec::len),
        Some(0),
        "{main_alerts}"
    );
    c.put(
        &levels,
        &manager,
        json!({ "location_id": s2["id"], "level": null }),
    )
    .await
    .expect(204);
    assert_eq!(
        c.get(&levels, &manager).await.expect(200).json()["total"],
        0
    );
    let report = c
        .get("/api/admin/integrity", &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(report["ok"], true, "{report}");
}

#[actix_web::test]
async fn a_store_in_another_time_zone_dates_its_sales_by_its_own_calendar() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let far = c
        .post(
            "/api/locations",
            &admin,
            json!({ "code": "FAR", "name": "Kiritimati", "kind": "store", "utc_offset": "+14:00" }),
        )
        .await
        .expect(201)
        .json();
    let till = c
        .post(
            "/api/registers",
            &admin,
            json!({ "code": "FAR1", "name": "Far till", "location_id": far["id"] }),
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
    let product = c
        .post(
            "/api/products",
            &admin,
            json!({ "name": "Lei", "sku": "LEI", "price": "2.00" }),
        )
        .await
        .expect(201)
        .json();
    let supplier = c
        .post("/api/suppliers", &admin, json!({ "name": "S" }))
        .await
        .json();
    c.post(
        "/api/purchases",
        &admin,
        json!({ "supplier_id": supplier["id"], "invoice_no": "P-1", "location_id": far["id"],
                "lines": [{ "product_id": product["id"], "quantity": "2", "unit_cost": "1.00" }] }),
    )
    .await
    .expect(201);
    let before = time::OffsetDateTime::now_utc();
    let sold = c
        .post(
            "/api/sales",
            &admin,
            json!({ "register_id": till["id"], "lines": [{ "product_id": product["id"], "quantity": "1" }],
                    "payments": [{ "method": "cash", "amount": "2.00" }] }),
        )
        .await
        .expect(201)
        .json();
    let after = time::OffsetDateTime::now_utc();
    let there =
        |t: time::OffsetDateTime| t.to_offset(time::macros::offset!(+14)).date().to_string();
    let date = sold["sale"]["date"].as_str().unwrap().to_owned();
    assert!(
        date == there(before) || date == there(after),
        "dated {date}, the day at +14:00 is {}",
        there(after)
    );
}
