//! Reports against the books: the same sales, returns, discounts, expenses and write-offs seen
//! through the reports and through the ledger agree to the cent.

use crate::counter::stock;
use pos_tests::harness::client;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::str::FromStr;

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(
        v.as_str()
            .unwrap_or_else(|| panic!("not a decimal string: {v}")),
    )
    .unwrap()
}

#[actix_web::test]
async fn report_profit_equals_the_ledgers_profit_and_loss_to_the_cent() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let staff = c.user_token(&admin, "till", "staff").await;
    let rate =
        |name: &str, rate: &str, mode: &str| json!({ "name": name, "rate": rate, "mode": mode });
    let vat15 = c
        .post("/api/tax-rates", &admin, rate("VAT 15%", "15", "exclusive"))
        .await
        .json();
    let vat5 = c
        .post("/api/tax-rates", &admin, rate("VAT 5%", "5", "inclusive"))
        .await
        .json();
    let products = stock(
        &c,
        &admin,
        &[
            ("TEA", "10.00", Some(vat15["id"].clone())),
            ("MUG", "4.99", None),
            ("RICE", "21.00", Some(vat5["id"].clone())),
        ],
        "20",
    )
    .await;
    let (tea, mug, rice) = (&products[0], &products[1], &products[2]);
    let customer = c
        .post(
            "/api/customers",
            &admin,
            json!({ "name": "Rahim", "credit_limit": "500.00" }),
        )
        .await
        .expect(201)
        .json();

    // Day 1: a walk-in sale with a line discount and an order discount, by staff.
    c.post(
        "/api/sales",
        &staff,
        json!({
            "date": "2026-03-01",
            "lines": [
                { "product_id": tea["id"], "quantity": "3", "discount": { "percent": "10" } },
                { "product_id": mug["id"], "quantity": "2" }
            ],
            "order_discount": { "amount": "1.33" },
            "payments": [{ "method": "cash", "amount": "100.00" }]
        }),
    )
    .await
    .expect(201);
    // Day 2: a credit sale to the customer, by the admin; rent; a damaged mug written off.
    let credit = c.post("/api/sales", &admin, json!({
        "date": "2026-03-02",
        "customer_id": customer["id"],
        "lines": [{ "product_id": rice["id"], "quantity": "3" }, { "product_id": tea["id"], "quantity": "1" }],
        "payments": [{ "method": "bkash", "amount": "20.00" }]
    })).await.expect(201).json();
    let rent = c.get("/api/expense-categories", &admin).await.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "Rent")
        .unwrap()["id"]
        .clone();
    c.post("/api/expenses", &admin, json!({ "title": "March rent", "amount": "40.00", "category_id": rent, "method": "cash", "date": "2026-03-02" }))
        .await.expect(201);
    c.post("/api/inventory/adjustments", &admin, json!({ "product_id": mug["id"], "reason": "damage", "change": "-1", "date": "2026-03-02" }))
        .await.expect(201);
    // Day 3: one rice back on the shelf, one tea written off as damaged.
    let lines = credit["sale"]["lines"].as_array().unwrap();
    c.post(
        &format!("/api/sales/{}/returns", credit["sale"]["id"]),
        &admin,
        json!({
            "date": "2026-03-03",
            "lines": [
                { "sale_line_id": lines[0]["id"], "quantity": "1" },
                { "sale_line_id": lines[1]["id"], "quantity": "1", "restock": false }
            ]
        }),
    )
    .await
    .expect(201);

    let mut saw_till = false;
    for (from, to) in [
        ("2026-03-01", "2026-03-03"),
        ("2026-03-01", "2026-03-02"),
        ("2026-03-03", "2026-03-31"),
    ] {
        let q = format!("from={from}&to={to}");
        let summary = c
            .get(&format!("/api/reports/financial-summary?{q}"), &admin)
            .await
            .expect(200)
            .json();
        let pl = c
            .get(&format!("/api/ledger/profit-and-loss?{q}"), &admin)
            .await
            .expect(200)
            .json();
        assert_eq!(
            dec(&summary["net_profit"]),
            dec(&pl["net_profit"]),
            "net profit {q}"
        );
        assert_eq!(
            dec(&summary["sales"]["net_sales"]),
            dec(&pl["net_sales"]),
            "net sales {q}"
        );
        assert_eq!(
            dec(&summary["sales"]["cost_of_goods_sold"]),
            dec(&pl["cost_of_goods_sold"]),
            "COGS {q}"
        );
        assert_eq!(
            dec(&summary["sales"]["gross_profit"]),
            dec(&pl["gross_profit"]),
            "{q}"
        );
        // Each day's figures add up to the period's.
        let daily = c
            .get(&format!("/api/reports/daily?{q}"), &admin)
            .await
            .expect(200)
            .json();
        let days: Decimal = daily["days"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| dec(&d["net_sales"]))
            .sum();
        assert_eq!(days, dec(&summary["sales"]["net_sales"]), "daily {q}");
        // So do the products', the sellers', the customers' and the tax rates'.
        let products = c
            .get(&format!("/api/reports/products?{q}"), &admin)
            .await
            .expect(200)
            .json();
        let by_product: Decimal = products["products"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| dec(&p["gross_profit"]))
            .sum();
        assert_eq!(
            by_product,
            dec(&summary["sales"]["gross_profit"]),
            "products {q}"
        );
        let staff_report = c
            .get(&format!("/api/reports/staff?{q}"), &admin)
            .await
            .expect(200)
            .json();
        let by_seller: Decimal = staff_report["staff"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| dec(&p["net_sales"]))
            .sum();
        assert_eq!(by_seller, dec(&summary["sales"]["net_sales"]), "staff {q}");
        // Each seller is labelled with their own username and name (read in one query).
        for row in staff_report["staff"].as_array().unwrap() {
            let username = row["username"].as_str().unwrap();
            assert!(["admin", "till"].contains(&username), "staff {q}: {row}");
            if username == "till" {
                assert_eq!(row["name"], "till", "staff {q}: {row}");
                saw_till = true;
            }
        }
        let customers = c
            .get(&format!("/api/reports/customers?{q}"), &admin)
            .await
            .expect(200)
            .json();
        let by_customer: Decimal = customers["customers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| dec(&p["net_sales"]))
            .sum();
        assert_eq!(
            by_customer,
            dec(&summary["sales"]["net_sales"]),
            "customers {q}"
        );
        let tax = c
            .get(&format!("/api/reports/tax?{q}"), &admin)
            .await
            .expect(200)
            .json();
        assert_eq!(
            dec(&tax["total_net_tax"]),
            dec(&summary["sales"]["tax"]),
            "tax {q}"
        );
    }
    assert!(
        saw_till,
        "the staff report labels the till's sales in some period"
    );

    // The whole period, figure by figure.
    let summary = c
        .get(
            "/api/reports/financial-summary?from=2026-03-01&to=2026-03-31",
            &admin,
        )
        .await
        .json();
    let s = &summary["sales"];
    assert_eq!(s["transactions"], 2);
    assert_eq!(s["returns_processed"], 1);
    assert_eq!(
        dec(&summary["total_expenses"]),
        dec(&json!("42.00")),
        "rent and a 1.00 mug and a 1.00 tea written off"
    );
    assert_eq!(
        dec(&s["net_sales"]),
        dec(&s["gross_sales"]) - dec(&s["discounts"]) - dec(&s["returns"])
    );

    // Staff see their own performance only through /me.
    let mine = c
        .get(
            "/api/users/me/performance?from=2026-03-01&to=2026-03-03",
            &staff,
        )
        .await
        .expect(200)
        .json();
    assert_eq!(mine["summary"]["transactions"], 1);
    assert_eq!(mine["days"].as_array().unwrap().len(), 3);
    let my_sales = c
        .get(
            "/api/users/me/transactions?from=2026-03-01&to=2026-03-31",
            &staff,
        )
        .await
        .expect(200)
        .json();
    assert_eq!(my_sales["total"], 1);

    // Top products by quantity: tea (4 sold, 1 back) before rice (3 sold, 1 back) and mug (2).
    let top = c
        .get(
            "/api/reports/top-products?from=2026-03-01&to=2026-03-31&by=quantity&limit=2",
            &admin,
        )
        .await
        .expect(200)
        .json();
    let skus: Vec<&str> = top["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["sku"].as_str().unwrap())
        .collect();
    assert_eq!(skus, ["TEA", "MUG"]);
    assert_eq!(top["products"][0]["items"], "3");

    // Reversed and overlong ranges are refused with the field named.
    let bad = c
        .get("/api/reports/daily?from=2026-03-05&to=2026-03-01", &admin)
        .await
        .expect_problem(422, "validation_failed");
    assert!(bad.to_string().contains("from"), "{bad}");
    c.get("/api/reports/daily?from=2020-01-01&to=2026-03-01", &admin)
        .await
        .expect_problem(422, "validation_failed");
    c.get("/api/reports/top-products?limit=0", &admin)
        .await
        .expect_problem(422, "validation_failed");
}

#[actix_web::test]
async fn list_reports_export_csv_and_stock_reports_follow_the_shelf() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let products = stock(
        &c,
        &admin,
        &[("CMD", "2.50", None), ("PEN", "1.00", None)],
        "6",
    )
    .await;
    c.post(
        "/api/sales",
        &admin,
        json!({
            "lines": [{ "product_id": products[0]["id"], "quantity": "5" }],
            "payments": [{ "method": "cash", "amount": "20.00" }]
        }),
    )
    .await
    .expect(201);

    let reply = c
        .send(
            actix_web::test::TestRequest::get()
                .uri("/api/reports/products")
                .insert_header(("Authorization", format!("Bearer {admin}")))
                .insert_header(("Accept", "text/csv")),
        )
        .await;
    reply.expect(200);
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("text/csv")
    );
    let body = String::from_utf8(reply.bytes.clone()).unwrap();
    let mut lines = body.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("product_id,sku,name,transactions,")
    );
    let row = lines.next().unwrap();
    assert!(row.contains(",CMD,Product CMD,"), "{row}");
    assert!(row.contains(",12.50,"), "net sales 5 x 2.50: {row}");

    let sales_csv = c
        .send(
            actix_web::test::TestRequest::get()
                .uri("/api/sales")
                .insert_header(("Authorization", format!("Bearer {admin}")))
                .insert_header(("Accept", "text/csv")),
        )
        .await;
    let text = String::from_utf8(sales_csv.bytes.clone()).unwrap();
    assert_eq!(text.lines().count(), 2, "header and one sale: {text}");
    let valuation = c
        .send(
            actix_web::test::TestRequest::get()
                .uri("/api/inventory")
                .insert_header(("Authorization", format!("Bearer {admin}")))
                .insert_header(("Accept", "text/csv")),
        )
        .await;
    let text = String::from_utf8(valuation.bytes.clone()).unwrap();
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        [
            "product_id,sku,name,on_hand,value",
            &format!("{},CMD,Product CMD,1,1.00", products[0]["id"]),
            &format!("{},PEN,Product PEN,6,6.00", products[1]["id"]),
        ]
    );

    // 1 of 6 left, at its 1.00 cost.
    let detailed = c
        .get("/api/reports/inventory/detailed", &admin)
        .await
        .expect(200)
        .json();
    let row = &detailed["products"][0];
    assert_eq!(
        (row["on_hand"].as_str(), row["value"].as_str()),
        (Some("1"), Some("1.00"))
    );
    assert_eq!(row["sold_last_30_days"], "5");
    let movement = c
        .get("/api/reports/inventory/movement", &admin)
        .await
        .expect(200)
        .json();
    let m = &movement["products"][0];
    assert_eq!(
        (
            m["opening"].as_str(),
            m["purchased"].as_str(),
            m["sold"].as_str(),
            m["closing"].as_str()
        ),
        (Some("0"), Some("6"), Some("-5"), Some("1"))
    );
    let reorder = c
        .get(
            "/api/reports/inventory/reorder?window_days=30&cover_days=14",
            &admin,
        )
        .await
        .expect(200)
        .json();
    let advice = &reorder["products"][0];
    assert_eq!(advice["sku"], "CMD");
    // 5 in 30 days, 14 days of cover: 2.333 needed, 1 on hand, order 2.
    assert_eq!(advice["suggested_quantity"], "2");
    let dashboard = c.get("/api/dashboard", &admin).await.expect(200).json();
    assert_eq!(dashboard["today"]["transactions"], 1);
    assert_eq!(dashboard["today"]["net_sales"], "12.50");
    assert_eq!(dashboard["month"]["transactions"], 1);
}
