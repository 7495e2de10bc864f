//! The stateful property: random sequences of API calls by random roles (manual payments,
//! opening entries, reversals, expenses and voids, purchases, sales, refunds, adjustments,
//! deactivations) never make the integrity check report anything, and every refused call
//! changes nothing.

use super::support::{Shop, instance};
use pos_http::HttpSettings;
use proptest::prelude::*;
use serde_json::{Value, json};

const ROLES: [&str; 3] = ["admin", "manager", "staff"];
const CODES: [&str; 10] = [
    "1000", "1100", "1200", "2000", "2100", "3000", "3100", "4000", "5000", "6000",
];

#[derive(Debug, Clone)]
enum Op {
    Payment {
        role: usize,
        code: usize,
        out: bool,
        cents: i64,
    },
    Opening {
        code: usize,
        cents: i64,
    },
    Reverse {
        role: usize,
        pick: usize,
    },
    Expense {
        role: usize,
        cents: i64,
    },
    VoidExpense {
        role: usize,
        pick: usize,
    },
    Purchase {
        role: usize,
        units: i64,
        cents: i64,
    },
    Sale {
        role: usize,
        units: i64,
    },
    Refund {
        role: usize,
        pick: usize,
        units: i64,
    },
    Adjust {
        role: usize,
        change: i64,
    },
    ToggleActive {
        role: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let role = 0usize..3;
    prop_oneof![
        3 => (role.clone(), 0usize..CODES.len(), any::<bool>(), 1i64..10_000).prop_map(|(role, code, out, cents)| Op::Payment { role, code, out, cents }),
        1 => (0usize..CODES.len(), 1i64..10_000).prop_map(|(code, cents)| Op::Opening { code, cents }),
        2 => (role.clone(), any::<usize>()).prop_map(|(role, pick)| Op::Reverse { role, pick }),
        1 => (role.clone(), 1i64..10_000).prop_map(|(role, cents)| Op::Expense { role, cents }),
        1 => (role.clone(), any::<usize>()).prop_map(|(role, pick)| Op::VoidExpense { role, pick }),
        2 => (role.clone(), 1i64..20, 1i64..2_000).prop_map(|(role, units, cents)| Op::Purchase { role, units, cents }),
        3 => (role.clone(), 1i64..5).prop_map(|(role, units)| Op::Sale { role, units }),
        2 => (role.clone(), any::<usize>(), 1i64..3).prop_map(|(role, pick, units)| Op::Refund { role, pick, units }),
        1 => (role.clone(), -3i64..4).prop_map(|(role, change)| Op::Adjust { role, change }),
        1 => (1usize..3).prop_map(|role| Op::ToggleActive { role }),
    ]
}

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

struct World {
    tokens: [String; 3],
    ids: [i64; 3],
    active: [bool; 3],
    product: Value,
    supplier: Value,
    rent: Value,
    sales: Vec<Value>,
    expenses: Vec<Value>,
    invoices: u32,
}

async fn world(shop: &Shop) -> World {
    let admin = shop.admin().await;
    let (manager_id, manager) = shop.user(&admin, "boss", "manager").await;
    let (staff_id, staff) = shop.user(&admin, "till", "staff").await;
    let product = shop.stocked(&admin, "TEA", "9.99", "5", "3.00").await;
    let supplier = shop.get("/api/suppliers", &admin).await.json()["data"][0].clone();
    let categories = shop.get("/api/expense-categories", &admin).await.json();
    let rent = categories["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Rent")
        .unwrap()["id"]
        .clone();
    World {
        tokens: [admin, manager, staff],
        ids: [0, manager_id, staff_id],
        active: [true; 3],
        product,
        supplier,
        rent,
        sales: Vec::new(),
        expenses: Vec::new(),
        invoices: 0,
    }
}

async fn apply(shop: &Shop, w: &mut World, op: &Op) -> pos_tests::harness::Reply {
    let token = |role: usize| w.tokens[role].clone();
    match op {
        Op::Payment { role, code, out, cents } => {
            let direction = if *out { "out" } else { "in" };
            shop.post("/api/payments", &token(*role), json!({ "direction": direction, "method": "cash", "amount": money(*cents), "account_code": CODES[*code] })).await
        }
        Op::Opening { code, cents } => {
            shop.post("/api/journal/opening", &token(0), json!({ "lines": [ { "account_code": CODES[*code], "debit": money(*cents) }, { "account_code": "3000", "credit": money(*cents) } ] })).await
        }
        Op::Reverse { role, pick } => {
            let journal = shop.get("/api/journal?per_page=100", &token(0)).await.json();
            let entries = journal["data"].as_array().unwrap();
            let entry = &entries[pick % entries.len()];
            shop.post(&format!("/api/journal/{}/reverse", entry["id"]), &token(*role), json!({})).await
        }
        Op::Expense { role, cents } => {
            let reply = shop.post("/api/expenses", &token(*role), json!({ "title": "Rent", "amount": money(*cents), "category_id": w.rent, "method": "cash" })).await;
            if reply.status.is_success() {
                w.expenses.push(reply.json());
            }
            reply
        }
        Op::VoidExpense { role, pick } => {
            let id = match w.expenses.len() {
                0 => json!(999_999),
                n => w.expenses[pick % n]["id"].clone(),
            };
            shop.post(&format!("/api/expenses/{id}/void"), &token(*role), json!({})).await
        }
        Op::Purchase { role, units, cents } => {
            w.invoices += 1;
            shop.post("/api/purchases", &token(*role), json!({ "supplier_id": w.supplier["id"], "invoice_no": format!("P-{}", w.invoices), "lines": [{ "product_id": w.product["id"], "quantity": units.to_string(), "unit_cost": money(*cents) }] })).await
        }
        Op::Sale { role, units } => {
            let reply = shop.post("/api/sales", &token(*role), json!({ "lines": [{ "product_id": w.product["id"], "quantity": units.to_string() }], "payments": [{ "method": "cash", "amount": money(999 * units) }] })).await;
            if reply.status.is_success() {
                w.sales.push(reply.json()["sale"].clone());
            }
            reply
        }
        Op::Refund { role, pick, units } => {
            let (path, line) = match w.sales.len() {
                0 => ("/api/sales/999999/returns".to_owned(), json!(1)),
                n => {
                    let sale = &w.sales[pick % n];
                    (format!("/api/sales/{}/returns", sale["id"]), sale["lines"][0]["id"].clone())
                }
            };
            shop.post(&path, &token(*role), json!({ "lines": [{ "sale_line_id": line, "quantity": units.to_string() }] })).await
        }
        Op::Adjust { role, change } => {
            let reason = if *change > 0 { "found" } else { "damage" };
            shop.post("/api/inventory/adjustments", &token(*role), json!({ "product_id": w.product["id"], "reason": reason, "change": change.to_string(), "unit_cost": "3.00" })).await
        }
        Op::ToggleActive { role } => {
            let id = w.ids[*role];
            let now_active = !w.active[*role];
            let reply = shop.patch(&format!("/api/users/{id}"), &token(0), json!({ "active": now_active })).await;
            assert!(reply.status.is_success(), "{}", String::from_utf8_lossy(&reply.bytes));
            w.active[*role] = now_active;
            if now_active {
                let name = if *role == 1 { "boss" } else { "till" };
                w.tokens[*role] = shop.login(name, &format!("{name}-password")).await;
            }
            reply
        }
    }
}

async fn run(shop: Shop, ops: Vec<Op>) {
    let mut w = world(&shop).await;
    let admin = w.tokens[0].clone();
    for (step, op) in ops.iter().enumerate() {
        let before = shop.fingerprint(&admin).await;
        let reply = apply(&shop, &mut w, op).await;
        let status = reply.status.as_u16();
        assert!(
            status < 500,
            "step {step} {op:?}: {status} {}",
            String::from_utf8_lossy(&reply.bytes)
        );
        if status >= 400 {
            assert_eq!(
                shop.fingerprint(&admin).await,
                before,
                "step {step} {op:?} was refused ({status}) but changed something"
            );
        }
        let report = shop.get("/api/admin/integrity", &admin).await.json();
        assert_eq!(
            report["ok"],
            true,
            "after step {step} {op:?} by {}: {report}",
            match op {
                Op::Payment { role, .. }
                | Op::Reverse { role, .. }
                | Op::Expense { role, .. }
                | Op::VoidExpense { role, .. }
                | Op::Purchase { role, .. }
                | Op::Sale { role, .. }
                | Op::Refund { role, .. }
                | Op::Adjust { role, .. }
                | Op::ToggleActive { role } => ROLES[*role],
                Op::Opening { .. } => "admin",
            }
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn no_sequence_of_calls_breaks_the_books_in_memory(ops in proptest::collection::vec(op(), 1..30)) {
        actix_web::rt::System::new().block_on(async move {
            let shop = instance(pos_tests::stores::memory(), HttpSettings::for_tests()).await;
            run(shop, ops).await;
        });
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4))]
    #[test]
    fn no_sequence_of_calls_breaks_the_books_on_sqlite(ops in proptest::collection::vec(op(), 1..25)) {
        actix_web::rt::System::new().block_on(async move {
            let shop = instance(pos_tests::stores::sqlite().await, HttpSettings::for_tests()).await;
            run(shop, ops).await;
        });
    }
}
