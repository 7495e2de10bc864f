//! Control accounts are posted only by their documents; documents are undone only by their own
//! operations.

use super::support::{Shop, around_today};
use crate::on_every_backend;
use serde_json::json;

/// (account code, the problem code naming the routes that post it)
const CONTROL: &[(&str, &str)] = &[
    ("1100", "posted_by_customer_documents"),
    ("1200", "posted_by_stock_documents"),
    ("2000", "posted_by_supplier_documents"),
    ("2100", "posted_by_sales"),
    ("3100", "posted_by_opening"),
    ("4000", "posted_by_sales"),
    ("4200", "posted_by_adjustments"),
    ("4900", "posted_by_sales"),
    ("4910", "posted_by_sales"),
    ("5000", "posted_by_sales"),
    ("5100", "posted_by_adjustments"),
];

async fn manual_postings_never_touch_control_accounts(shop: &Shop, backend: &'static str) {
    let admin = shop.admin().await;
    let (_, staff) = shop.user(&admin, "till", "staff").await;
    let (_, manager) = shop.user(&admin, "boss", "manager").await;
    shop.stocked(&admin, "TEA", "10.00", "10", "4.00").await;
    let before = shop.fingerprint(&admin).await;
    for (code, problem) in CONTROL {
        for direction in ["in", "out"] {
            for token in [&staff, &manager, &admin] {
                let reply = shop
                    .post(
                        "/api/payments",
                        token,
                        json!({ "direction": direction, "method": "cash", "amount": "5.00", "account_code": code }),
                    )
                    .await;
                let body = reply.expect_problem(422, problem);
                assert_eq!(body["errors"][0]["field"], "account_code", "{backend}");
            }
        }
        if *code != "3100" {
            shop.post(
                "/api/journal/opening",
                &admin,
                json!({ "lines": [ { "account_code": code, "debit": "5.00" }, { "account_code": "3100", "credit": "5.00" } ] }),
            )
            .await
            .expect_problem(422, problem);
        }
    }
    // A payment against an expense account is an expense: managers only, as POST /api/expenses.
    shop.post(
        "/api/payments",
        &staff,
        json!({ "direction": "out", "method": "cash", "amount": "5.00", "account_code": "6000" }),
    )
    .await
    .expect_problem(403, "forbidden");
    // A payment method or an expense category cannot be pointed at a control account.
    shop.post(
        "/api/payment-methods",
        &admin,
        json!({ "code": "stock", "name": "Stock", "account_code": "1200" }),
    )
    .await
    .expect_problem(422, "posted_by_stock_documents");
    shop.post(
        "/api/expense-categories",
        &manager,
        json!({ "name": "Cost", "account_code": "5000" }),
    )
    .await
    .expect_problem(422, "posted_by_sales");
    assert_eq!(
        shop.fingerprint(&admin).await,
        before,
        "{backend}: refusals changed nothing"
    );
    shop.assert_books_intact(&admin, backend).await;

    // What stays allowed: owner's money, and a manager's payment against rent.
    shop.post(
        "/api/payments",
        &staff,
        json!({ "direction": "in", "method": "cash", "amount": "50.00", "account_code": "3000" }),
    )
    .await
    .expect(201);
    shop.post(
        "/api/payments",
        &manager,
        json!({ "direction": "in", "method": "cash", "amount": "5.00", "account_code": "6000" }),
    )
    .await
    .expect(201);
    shop.post(
        "/api/journal/opening",
        &admin,
        json!({ "lines": [ { "account_code": "1000", "debit": "100.00" }, { "account_code": "3100", "credit": "100.00" } ] }),
    )
    .await
    .expect(201);
    shop.assert_books_intact(&admin, backend).await;
}

on_every_backend!(
    control_accounts_are_posted_only_by_their_documents,
    manual_postings_never_touch_control_accounts
);

async fn the_journal_reverses_manual_entries_only(shop: &Shop, backend: &'static str) {
    let admin = shop.admin().await;
    let (_, manager) = shop.user(&admin, "boss", "manager").await;
    let product = shop.stocked(&admin, "TEA", "17.99", "10", "4.00").await;
    let sale = shop
        .post("/api/sales", &admin, json!({ "lines": [{ "product_id": product["id"], "quantity": "1" }], "payments": [{ "method": "cash", "amount": "20.00" }] }))
        .await
        .expect(201)
        .json();
    let journal = shop.get("/api/journal?per_page=100", &admin).await.json();
    let before = shop.fingerprint(&admin).await;
    let mut refused = 0;
    for entry in journal["data"].as_array().unwrap() {
        let kind = entry["source"]["kind"].as_str().unwrap();
        let reply = shop
            .post(
                &format!("/api/journal/{}/reverse", entry["id"]),
                &manager,
                json!({}),
            )
            .await;
        let problem = reply.expect_problem(409, "posted_by_document");
        let undo = match kind {
            "purchase" => "/api/purchases/{id}/returns",
            "sale" => "/api/sales/{id}/returns",
            other => panic!("{backend}: unexpected entry kind {other}"),
        };
        assert!(
            problem["detail"].as_str().unwrap().contains(undo),
            "{problem}"
        );
        refused += 1;
    }
    assert_eq!(
        refused, 3,
        "{backend}: a purchase and a sale's two entries: {journal}"
    );
    assert_eq!(shop.fingerprint(&admin).await, before, "{backend}");
    assert_eq!(
        shop.get(&format!("/api/sales/{}", sale["sale"]["id"]), &admin)
            .await
            .json()["sale"]["status"],
        "completed"
    );
    shop.assert_books_intact(&admin, backend).await;

    // A manual payment and an opening entry stay reversible, once; the opening by admins only.
    let payment = shop
        .post("/api/payments", &manager, json!({ "direction": "in", "method": "cash", "amount": "50.00", "account_code": "3000" }))
        .await
        .expect(201)
        .json();
    let path = format!("/api/journal/{}/reverse", payment["entry"]["id"]);
    shop.post(&path, &manager, json!({})).await.expect(201);
    shop.post(&path, &manager, json!({}))
        .await
        .expect_problem(409, "not_reversible");
    let opening = shop
        .post(
            "/api/journal/opening",
            &admin,
            json!({ "lines": [ { "account_code": "1000", "debit": "100.00" }, { "account_code": "3000", "credit": "100.00" } ] }),
        )
        .await
        .expect(201)
        .json();
    let path = format!("/api/journal/{}/reverse", opening["id"]);
    shop.post(&path, &manager, json!({}))
        .await
        .expect_problem(403, "forbidden");
    shop.post(&path, &admin, json!({})).await.expect(201);
    shop.assert_books_intact(&admin, backend).await;
}

on_every_backend!(
    documents_are_undone_only_by_their_own_operations,
    the_journal_reverses_manual_entries_only
);

async fn an_expense_is_undone_by_voiding_it(shop: &Shop, backend: &'static str) {
    let admin = shop.admin().await;
    let categories = shop.get("/api/expense-categories", &admin).await.json();
    let rent = categories["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Rent")
        .unwrap()["id"]
        .clone();
    let expense = shop
        .post(
            "/api/expenses",
            &admin,
            json!({ "title": "Rent", "amount": "300.00", "category_id": rent, "method": "cash" }),
        )
        .await
        .expect(201)
        .json();
    shop.post(
        &format!("/api/journal/{}/reverse", expense["entry"]["id"]),
        &admin,
        json!({}),
    )
    .await
    .expect_problem(409, "posted_by_document");
    let pl = shop
        .get(
            &format!("/api/ledger/profit-and-loss?{}", around_today()),
            &admin,
        )
        .await
        .json();
    assert_eq!(pl["total_expenses"], "300.00", "{backend}");
    let voided = shop
        .post(
            &format!("/api/expenses/{}/void", expense["id"]),
            &admin,
            json!({ "memo": "paid twice" }),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(voided["status"], "void");
    let pl = shop
        .get(
            &format!("/api/ledger/profit-and-loss?{}", around_today()),
            &admin,
        )
        .await
        .json();
    assert_eq!(pl["total_expenses"], "0.00", "{backend}");
    let summary = shop
        .get(
            &format!("/api/reports/financial-summary?{}", around_today()),
            &admin,
        )
        .await
        .json();
    assert_eq!(summary["total_expenses"], "0.00", "{backend}: {summary}");
    let listed = shop.get("/api/expenses", &admin).await.json();
    assert_eq!(listed["total_amount"], "0.00");
    assert_eq!(listed["data"][0]["status"], "void");
    shop.post(
        &format!("/api/expenses/{}/void", expense["id"]),
        &admin,
        json!({}),
    )
    .await
    .expect_problem(409, "already_void");
    shop.post("/api/expenses/999999/void", &admin, json!({}))
        .await
        .expect_problem(404, "not_found");
    shop.assert_books_intact(&admin, backend).await;
}

on_every_backend!(
    expenses_have_their_own_void,
    an_expense_is_undone_by_voiding_it
);
