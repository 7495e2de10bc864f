use actix_web::http::header;
use actix_web::test::TestRequest;
use pos_tests::harness::{Client, client};
use serde_json::{Value, json};

fn line<'a>(entry: &'a Value, code: &str) -> &'a Value {
    entry["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["account"]["code"] == code)
        .unwrap_or_else(|| panic!("no line on {code}: {entry}"))
}

fn category_id(categories: &Value, name: &str) -> Value {
    categories["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap()["id"]
        .clone()
}

fn idempotent(path: &str, token: &str, key: &str, body: &Value) -> TestRequest {
    TestRequest::post()
        .uri(path)
        .insert_header((header::AUTHORIZATION, format!("Bearer {token}")))
        .insert_header(("Idempotency-Key", key.to_owned()))
        .set_json(body)
}

async fn opening<S, B>(c: &Client<S>, admin: &str)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let body = json!({ "date": "2026-11-01", "lines": [
        { "account_code": "1000", "debit": "1000.00" },
        { "account_code": "3000", "credit": "1000.00" }
    ]});
    c.post("/api/journal/opening", admin, body)
        .await
        .expect(201);
}

#[actix_web::test]
async fn an_opening_an_expense_and_a_payment_balance_the_books() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let manager = c.user_token(&admin, "meg", "manager").await;
    let staff = c.user_token(&admin, "stu", "staff").await;

    opening(&c, &admin).await;
    let categories = c
        .get("/api/expense-categories", &manager)
        .await
        .expect(200)
        .json();
    let rent = category_id(&categories, "Rent");
    let expense = c
        .post("/api/expenses", &manager, json!({ "title": "November rent", "amount": "300.00", "category_id": rent, "method": "cash", "date": "2026-11-05" }))
        .await
        .expect(201)
        .json();
    assert_eq!(expense["amount"], "300.00");
    let entry = &expense["entry"];
    assert_eq!(line(entry, "6000")["debit"], "300.00");
    assert_eq!(line(entry, "1000")["credit"], "300.00");
    assert_eq!(
        entry["source"],
        json!({ "kind": "expense", "id": expense["id"] })
    );

    let payment = c
        .post("/api/payments", &staff, json!({ "direction": "in", "method": "bkash", "amount": "50.00", "account_code": "3000", "date": "2026-11-06", "reference": "TX-9" }))
        .await
        .expect(201)
        .json();
    assert_eq!(line(&payment["entry"], "1020")["debit"], "50.00");

    let journal = c.get("/api/journal", &manager).await.expect(200).json();
    assert_eq!(journal["total"], 3);
    assert_eq!(
        journal["data"][0]["source"]["kind"], "payment",
        "newest first"
    );

    let tb = c
        .get("/api/ledger/trial-balance", &manager)
        .await
        .expect(200)
        .json();
    assert_eq!(
        (tb["balanced"].as_bool(), tb["total_debit"].as_str()),
        (Some(true), Some("1050.00"))
    );
    assert_eq!(
        tb["total_credit"], "1050.00",
        "net balances: cash 700 + bKash 50 + rent 300 = equity 1050"
    );

    let pl = c
        .get(
            "/api/ledger/profit-and-loss?from=2026-11-01&to=2026-11-30",
            &manager,
        )
        .await
        .expect(200)
        .json();
    assert_eq!(pl["total_expenses"], "300.00");
    assert_eq!(pl["net_profit"], "-300.00");

    let bs = c
        .get("/api/ledger/balance-sheet", &manager)
        .await
        .expect(200)
        .json();
    assert_eq!(bs["balanced"], true);
    assert_eq!(bs["total_assets"], "750.00");
    assert_eq!(bs["retained_earnings"], "-300.00");

    // The journal will not reverse an expense's entry: voiding the expense does, and cancels
    // it in every report, only once.
    let refused = c
        .post(
            &format!("/api/journal/{}/reverse", entry["id"]),
            &manager,
            json!({}),
        )
        .await
        .expect_problem(409, "posted_by_document");
    assert!(
        refused["detail"]
            .as_str()
            .unwrap()
            .contains("/api/expenses/{id}/void"),
        "{refused}"
    );
    let voided = c
        .post(
            &format!("/api/expenses/{}/void", expense["id"]),
            &manager,
            json!({ "date": "2026-11-07", "memo": "entered twice" }),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(voided["status"], "void");
    let reversal = voided["entry"].clone();
    assert_eq!(voided["void_entry_id"], reversal["id"]);
    assert_eq!(reversal["reverses"], entry["id"]);
    let listed = c.get("/api/expenses", &manager).await.expect(200).json();
    assert_eq!(listed["data"][0]["status"], "void");
    assert_eq!(
        listed["total_amount"], "0.00",
        "a void expense counts in no total"
    );
    c.post(
        &format!("/api/expenses/{}/void", expense["id"]),
        &manager,
        json!({}),
    )
    .await
    .expect_problem(409, "already_void");
    assert_eq!(line(&reversal, "6000")["credit"], "300.00");
    let original = c
        .get(&format!("/api/journal/{}", entry["id"]), &manager)
        .await
        .expect(200)
        .json();
    assert_eq!(original["reversed_by"], reversal["id"]);
    c.post(
        &format!("/api/journal/{}/reverse", entry["id"]),
        &manager,
        json!({}),
    )
    .await
    .expect_problem(409, "posted_by_document");
    c.post(
        &format!("/api/journal/{}/reverse", reversal["id"]),
        &manager,
        json!({}),
    )
    .await
    .expect_problem(409, "not_reversible");
    let pl = c
        .get(
            "/api/ledger/profit-and-loss?from=2026-11-01&to=2026-11-30",
            &manager,
        )
        .await
        .json();
    assert_eq!(pl["net_profit"], "0.00");
    let tb = c
        .get("/api/ledger/trial-balance?as_of=2026-11-06", &manager)
        .await
        .json();
    assert_eq!(tb["total_debit"], "1050.00", "as of before the reversal");
}

#[actix_web::test]
async fn a_replayed_idempotency_key_has_no_second_effect() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let categories = c.get("/api/expense-categories", &admin).await.json();
    let body = json!({ "title": "Fuel", "amount": "12.50", "category_id": category_id(&categories, "Transport"), "method": "cash" });
    let first = c
        .send(idempotent("/api/expenses", &admin, "key-1", &body))
        .await;
    first.expect(201);
    let again = c
        .send(idempotent("/api/expenses", &admin, "key-1", &body))
        .await;
    again.expect(201);
    assert_eq!(again.bytes, first.bytes, "the stored response is replayed");
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    let list = c.get("/api/expenses", &admin).await.json();
    assert_eq!(
        (list["total"].as_u64(), list["total_amount"].as_str()),
        (Some(1), Some("12.50"))
    );
    assert_eq!(c.get("/api/journal", &admin).await.json()["total"], 1);

    let mut other = body.clone();
    other["amount"] = json!("99.00");
    c.send(idempotent("/api/expenses", &admin, "key-1", &other))
        .await
        .expect_problem(409, "idempotency_key_reused");
    // The same body with keys in another order is the same request.
    let reordered: Value = serde_json::from_str(&format!(
        r#"{{"method":"cash","category_id":{},"amount":"12.50","title":"Fuel"}}"#,
        body["category_id"]
    ))
    .unwrap();
    c.send(idempotent("/api/expenses", &admin, "key-1", &reordered))
        .await
        .expect(201);
    // Keys belong to a user: another user's key-1 is a different request.
    let manager = c.user_token(&admin, "meg", "manager").await;
    c.send(idempotent("/api/expenses", &manager, "key-1", &body))
        .await
        .expect(201);
    assert_eq!(c.get("/api/expenses", &admin).await.json()["total"], 2);
    c.send(idempotent(
        "/api/expenses",
        &admin,
        "bad key with spaces",
        &body,
    ))
    .await
    .expect_problem(400, "invalid_idempotency_key");
}

#[actix_web::test]
async fn unbalanced_or_misdirected_openings_are_refused_and_change_nothing() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let unbalanced = json!({ "lines": [ { "account_code": "1000", "debit": "10.00" }, { "account_code": "3000", "credit": "9.99" } ] });
    let problem = c
        .post("/api/journal/opening", &admin, unbalanced)
        .await
        .expect_problem(422, "validation_failed");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("must be equal"),
        "{problem}"
    );
    let on_revenue = json!({ "lines": [ { "account_code": "1000", "debit": "10.00" }, { "account_code": "4000", "credit": "10.00" } ] });
    c.post("/api/journal/opening", &admin, on_revenue)
        .await
        .expect_problem(422, "posted_by_sales");
    let on_rent = json!({ "lines": [ { "account_code": "1000", "debit": "10.00" }, { "account_code": "6000", "credit": "10.00" } ] });
    c.post("/api/journal/opening", &admin, on_rent)
        .await
        .expect_problem(422, "validation_failed");
    let both_sides = json!({ "lines": [ { "account_code": "1000", "debit": "1.00", "credit": "1.00" }, { "account_code": "3000", "credit": "1.00" } ] });
    c.post("/api/journal/opening", &admin, both_sides)
        .await
        .expect_problem(422, "validation_failed");
    let unknown = json!({ "lines": [ { "account_code": "9999", "debit": "1.00" }, { "account_code": "3000", "credit": "1.00" } ] });
    c.post("/api/journal/opening", &admin, unknown)
        .await
        .expect_problem(422, "validation_failed");
    let zero = json!({ "lines": [ { "account_code": "1000", "debit": "0.00" }, { "account_code": "3000", "credit": "0.00" } ] });
    c.post("/api/journal/opening", &admin, zero)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(c.get("/api/journal", &admin).await.json()["total"], 0);
    let bad_payment =
        json!({ "direction": "in", "method": "cheque", "amount": "5.00", "account_code": "3000" });
    c.post("/api/payments", &admin, bad_payment)
        .await
        .expect_problem(422, "validation_failed");
    let zero_payment =
        json!({ "direction": "in", "method": "cash", "amount": "0", "account_code": "3000" });
    c.post("/api/payments", &admin, zero_payment)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(c.get("/api/payments", &admin).await.json()["total"], 0);
}

#[actix_web::test]
async fn a_statement_shows_the_running_balance_across_pages() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    opening(&c, &admin).await;
    for (day, amount) in [("02", "10.00"), ("03", "20.00"), ("04", "30.00")] {
        let body = json!({ "direction": "out", "method": "cash", "amount": amount, "account_code": "3000", "date": format!("2026-11-{day}") });
        c.post("/api/payments", &admin, body).await.expect(201);
    }
    let accounts = c.get("/api/accounts", &admin).await.json();
    let cash = accounts["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "1000")
        .unwrap()["id"]
        .clone();
    let page1 = c
        .get(
            &format!("/api/accounts/{cash}/statement?per_page=2"),
            &admin,
        )
        .await
        .expect(200)
        .json();
    let balances: Vec<&str> = page1["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["balance"].as_str().unwrap())
        .collect();
    assert_eq!(balances, ["1000.00", "990.00"]);
    assert_eq!(page1["total"], 4);
    let page2 = c
        .get(
            &format!("/api/accounts/{cash}/statement?per_page=2&page=2"),
            &admin,
        )
        .await
        .json();
    assert_eq!(page2["balance_before_page"], "990.00");
    let balances: Vec<&str> = page2["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["balance"].as_str().unwrap())
        .collect();
    assert_eq!(balances, ["970.00", "940.00"]);
    let from = c
        .get(
            &format!("/api/accounts/{cash}/statement?from=2026-11-03"),
            &admin,
        )
        .await
        .json();
    assert_eq!(
        (from["opening_balance"].as_str(), from["total"].as_u64()),
        (Some("990.00"), Some(2))
    );
    let balances = c
        .get("/api/ledger/balances?as_of=2026-11-03&per_page=100", &admin)
        .await
        .json();
    let cash_row = balances["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["account"]["code"] == "1000")
        .unwrap()
        .clone();
    assert_eq!(cash_row["balance"], "970.00");
}

#[actix_web::test]
async fn a_shop_adds_a_payment_method_without_code() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    c.post(
        "/api/accounts",
        &admin,
        json!({ "code": "1040", "name": "Rocket wallet", "kind": "asset" }),
    )
    .await
    .expect(201);
    c.post(
        "/api/accounts",
        &admin,
        json!({ "code": "1040", "name": "Again", "kind": "asset" }),
    )
    .await
    .expect_problem(409, "already_exists");
    c.post(
        "/api/payment-methods",
        &admin,
        json!({ "code": "rocket", "name": "Rocket", "account_code": "6000" }),
    )
    .await
    .expect_problem(422, "validation_failed");
    let method = c
        .post(
            "/api/payment-methods",
            &admin,
            json!({ "code": "rocket", "name": "Rocket", "account_code": "1040" }),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(method["account"]["code"], "1040");
    let methods = c.get("/api/payment-methods", &admin).await.json();
    let codes: Vec<&str> = methods["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["bkash", "card", "cash", "nagad", "rocket"]);
    let paid = c.post("/api/payments", &admin, json!({ "direction": "in", "method": "rocket", "amount": "7.00", "account_code": "3000" })).await.expect(201).json();
    assert_eq!(line(&paid["entry"], "1040")["debit"], "7.00");
}

#[actix_web::test]
async fn expense_lists_filter_by_date_and_total_every_page() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let categories = c.get("/api/expense-categories", &admin).await.json();
    let other = category_id(&categories, "Other");
    // Dates in the past, as documents may not be dated ahead of tomorrow.
    for (day, amount) in [("01", "1.10"), ("15", "2.20"), ("20", "3.30")] {
        let body = json!({ "title": "Thing", "amount": amount, "category_id": other, "method": "cash", "date": format!("2026-11-{day}") });
        c.post("/api/expenses", &admin, body).await.expect(201);
    }
    let page = c
        .get("/api/expenses?per_page=1&from=2026-11-02", &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(
        (page["total"].as_u64(), page["total_amount"].as_str()),
        (Some(2), Some("5.50"))
    );
    assert_eq!(page["data"][0]["date"], "2026-11-20");
    let by_method = c.get("/api/expenses?method=card", &admin).await.json();
    assert_eq!(by_method["total"], 0);
    c.get("/api/expenses?from=2026-13-01", &admin)
        .await
        .expect_problem(400, "invalid_query");
    let bad = c
        .post(
            "/api/expenses",
            &admin,
            json!({ "title": "X", "amount": "1.00", "category_id": 424242, "method": "cash" }),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(bad["errors"][0]["field"], "category_id");
}

#[actix_web::test]
async fn the_chart_of_accounts_pages_like_every_other_list() {
    let app = crate::test_app().await;
    let c = client(&app).await;
    let admin = c.admin_token().await;
    let all = c
        .get("/api/accounts?per_page=100", &admin)
        .await
        .expect(200)
        .json();
    let total = all["total"].as_u64().unwrap();
    assert_eq!(all["data"].as_array().unwrap().len() as u64, total);
    assert!(total > 4, "a new shop's chart has {total} accounts");
    let second = c
        .get("/api/accounts?page=2&per_page=2", &admin)
        .await
        .expect(200)
        .json();
    assert_eq!(
        (
            second["page"].as_u64(),
            second["per_page"].as_u64(),
            second["total"].as_u64()
        ),
        (Some(2), Some(2), Some(total))
    );
    assert_eq!(second["data"], json!(all["data"].as_array().unwrap()[2..4]));
    c.get("/api/accounts?per_page=0", &admin)
        .await
        .expect_problem(422, "validation_failed");
}
