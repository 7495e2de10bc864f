//! Registers: each sells with its own gapless invoice series; sales at different registers never
//! share a row; a checkout stays within its statement budget.

use super::support::{Shop, around_today, instance};
use crate::on_every_backend;
use futures_util::future::join_all;
use pos_domain::ports::Store;
use pos_http::HttpSettings;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

fn cash_sale(register: Option<i64>, products: &[&Value]) -> Value {
    let mut body = json!({
        "lines": products.iter().map(|p| json!({ "product_id": p["id"], "quantity": "1" })).collect::<Vec<_>>(),
        "payments": [{ "method": "cash", "amount": "1000.00" }],
    });
    if let Some(register) = register {
        body["register_id"] = json!(register);
    }
    body
}

/// A new register, its cash session open (with no float) so that it can sell.
async fn register(shop: &Shop, token: &str, code: &str) -> i64 {
    let id = shop
        .post(
            "/api/registers",
            token,
            json!({ "code": code, "name": format!("Till {code}") }),
        )
        .await
        .expect(201)
        .json()["id"]
        .as_i64()
        .unwrap();
    shop.post(
        &format!("/api/registers/{id}/sessions"),
        token,
        json!({ "float": "0.00" }),
    )
    .await
    .expect(201);
    id
}

/// Two registers: two series, each gapless from 1, the default one keeping `INV`; switched off,
/// a register sells nothing; the default register stays on; staff cannot add registers.
async fn two_registers_two_series(shop: &Shop, backend: &'static str) {
    let admin = shop.admin().await;
    let (_, manager) = shop.user(&admin, "regmanager", "manager").await;
    let (_, staff) = shop.user(&admin, "regstaff", "staff").await;
    let product = shop.stocked(&admin, "REG-1", "5.00", "100", "2.00").await;
    shop.post(
        "/api/registers",
        &staff,
        json!({ "code": "R9", "name": "Not mine" }),
    )
    .await
    .expect_problem(403, "forbidden");
    shop.post(
        "/api/registers",
        &manager,
        json!({ "code": "r2", "name": "Lower case" }),
    )
    .await
    .expect_problem(422, "validation_failed");
    let r2 = register(shop, &manager, "R2").await;
    shop.post(
        "/api/registers",
        &manager,
        json!({ "code": "R2", "name": "Again" }),
    )
    .await
    .expect_problem(409, "already_exists");

    let mut numbers = Vec::new();
    for register in [None, Some(r2), Some(r2), None, Some(1), Some(r2)] {
        let sale = shop
            .post("/api/sales", &staff, cash_sale(register, &[&product]))
            .await
            .expect(201)
            .json();
        assert_eq!(sale["sale"]["register_id"], json!(register.unwrap_or(1)));
        numbers.push(sale["sale"]["invoice_no"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        numbers,
        [
            "INV-000001",
            "R2-000001",
            "R2-000002",
            "INV-000002",
            "INV-000003",
            "R2-000003"
        ],
        "{backend}"
    );

    // A return happens at a register too.
    let sale = shop
        .post("/api/sales", &staff, cash_sale(Some(r2), &[&product]))
        .await
        .expect(201)
        .json();
    let line = &sale["sale"]["lines"][0]["id"];
    shop.post(
        &format!("/api/sales/{}/returns", sale["sale"]["id"]),
        &staff,
        json!({ "register_id": r2, "lines": [{ "sale_line_id": line, "quantity": "1", "restock": true }] }),
    )
    .await
    .expect(201);

    shop.patch(
        &format!("/api/registers/{r2}"),
        &manager,
        json!({ "active": false }),
    )
    .await
    .expect(200);
    shop.post("/api/sales", &staff, cash_sale(Some(r2), &[&product]))
        .await
        .expect_problem(409, "register_inactive");
    shop.post("/api/sales", &staff, cash_sale(Some(999), &[&product]))
        .await
        .expect_problem(422, "validation_failed");
    shop.patch("/api/registers/1", &manager, json!({ "active": false }))
        .await
        .expect_problem(409, "default_register");
    let listed = shop.get("/api/registers", &staff).await.expect(200).json();
    let r2_row = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == json!(r2))
        .unwrap();
    assert_eq!(r2_row["last_number"], json!(4), "{backend}: {listed}");
    assert_eq!(r2_row["active"], json!(false));
    shop.assert_books_intact(&admin, backend).await;
}
on_every_backend!(
    two_registers_sell_two_gapless_series,
    two_registers_two_series
);

/// 32 registers selling at once, from 40 products of which one is on every other sale: every
/// register's series is gapless, no invoice number is used twice, every sale is in the sales
/// report, and the integrity check (stock equals lots, books balanced, rollups equal their
/// source) is empty.
async fn thirty_two_registers(shop: &Shop, backend: &'static str) {
    const REGISTERS: usize = 32;
    const SALES_EACH: usize = 4;
    let admin = shop.admin().await;
    let mut products = Vec::new();
    for i in 0..40 {
        products.push(
            shop.stocked(&admin, &format!("RACE-{i}"), "3.00", "500", "1.00")
                .await,
        );
    }
    let mut registers = Vec::new();
    for i in 0..REGISTERS {
        registers.push(register(shop, &admin, &format!("T{i}")).await);
    }
    let shop_ref = &shop;
    let admin_ref = &admin;
    let products_ref = &products;
    let tills = registers
        .iter()
        .enumerate()
        .map(|(i, register)| async move {
            let mut made = Vec::new();
            for n in 0..SALES_EACH {
                let own = &products_ref[(i + n) % 40];
                let lines: Vec<&Value> = if n % 2 == 0 {
                    vec![own, &products_ref[0]]
                } else {
                    vec![own]
                };
                let lines: Vec<&Value> = {
                    // One line per product.
                    let mut seen = BTreeSet::new();
                    lines
                        .into_iter()
                        .filter(|p| seen.insert(p["id"].as_i64()))
                        .collect()
                };
                let reply = shop_ref
                    .post("/api/sales", admin_ref, cash_sale(Some(*register), &lines))
                    .await;
                made.push(reply);
            }
            (*register, made)
        });
    let results = join_all(tills).await;
    let mut all_numbers = BTreeSet::new();
    let mut by_register: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (register, replies) in results {
        for reply in replies {
            let sale = reply.expect(201).json();
            let invoice = sale["sale"]["invoice_no"].as_str().unwrap().to_owned();
            assert!(
                all_numbers.insert(invoice.clone()),
                "{backend}: {invoice} twice"
            );
            let (_, number) = invoice.split_once('-').unwrap();
            by_register
                .entry(register)
                .or_default()
                .push(number.parse().unwrap());
        }
    }
    for (register, mut numbers) in by_register {
        numbers.sort_unstable();
        let expected: Vec<i64> = (1..=SALES_EACH as i64).collect();
        assert_eq!(numbers, expected, "{backend}: register {register}");
    }
    let daily = shop
        .get(&format!("/api/reports/daily?{}", around_today()), &admin)
        .await
        .expect(200)
        .json();
    // Read from the rollup, whose rows are kept per register: summed over them.
    assert_eq!(
        daily["total"]["transactions"],
        json!(REGISTERS * SALES_EACH),
        "{backend}: {daily}"
    );
    shop.assert_books_intact(&admin, backend).await;
}
on_every_backend!(
    thirty_two_registers_sell_at_once_gapless,
    thirty_two_registers
);

/// The statements of one request's transaction, as the store ran them (BEGIN and COMMIT are
/// issued by the driver and not seen here: two more). The token's session check runs on the
/// pool before it, outside the transaction, and is counted apart.
#[derive(Default)]
struct Log(Mutex<Vec<String>>);

impl Log {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

async fn counted_stores() -> Vec<(&'static str, Arc<dyn Store>, Arc<Log>)> {
    let mut out = Vec::new();
    let mut urls = vec![("sqlite", pos_tests::stores::sqlite_url())];
    if let Some(mysql) = pos_tests::stores::mysql_url().await {
        urls.push(("mysql", mysql));
    }
    for (backend, url) in urls {
        let mut store = pos_store::connect(&url).await.unwrap();
        store.migrate_up().await.unwrap();
        let log = Arc::new(Log::default());
        let sink = Arc::clone(&log);
        store.on_statement(move |sql| sink.0.lock().unwrap().push(sql.to_owned()));
        out.push((backend, Arc::new(store) as Arc<dyn Store>, log));
    }
    out
}

/// The statement budget of a walk-in cash sale: at most 16 with BEGIN and COMMIT for one line
/// (15, and since cash sessions the read of the register's open session, under the lock the
/// invoice number holds), at most 3 more for each further line. Counted on SQLite and (when
/// configured) MariaDB.
#[actix_web::test]
async fn a_checkout_stays_within_its_statement_budget() {
    for (backend, store, log) in counted_stores().await {
        let shop = instance(store, HttpSettings::for_tests()).await;
        let admin = shop.admin().await;
        let products = [
            shop.stocked(&admin, "BUDGET-1", "2.00", "50", "1.00").await,
            shop.stocked(&admin, "BUDGET-2", "2.00", "50", "1.00").await,
            shop.stocked(&admin, "BUDGET-3", "2.00", "50", "1.00").await,
        ];
        // The first sale reads the static data into the process's snapshot.
        shop.post("/api/sales", &admin, cash_sale(None, &[&products[0]]))
            .await
            .expect(201);
        for lines in [1usize, 3] {
            log.take();
            let chosen: Vec<&Value> = products.iter().take(lines).collect();
            shop.post("/api/sales", &admin, cash_sale(None, &chosen))
                .await
                .expect(201);
            let statements = log.take();
            let (session, in_tx): (Vec<_>, Vec<_>) = statements
                .iter()
                .partition(|sql| sql.starts_with("SELECT u.role, (SELECT GROUP_CONCAT"));
            assert_eq!(session.len(), 1, "{backend}: the token's session check");
            let budget = 16 + 3 * (lines - 1);
            let counted = in_tx.len() + 2;
            assert!(
                counted <= budget,
                "{backend}: a {lines}-line sale ran {counted} statements with BEGIN and COMMIT \
                 (budget {budget}):\n{}",
                in_tx
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
            eprintln!("{backend}: a {lines}-line sale: {counted} statements");
        }
    }
}

/// Two instances on one database, each with its own snapshot of the static data: a tax rate
/// changed through one prices the very next sale on the other, which had sold with the old rate
/// (its snapshot is found stale by the statement that takes the number, and read again).
#[actix_web::test]
async fn a_tax_rate_changed_on_another_instance_prices_the_next_sale() {
    let mut urls = vec![pos_tests::stores::sqlite_url()];
    urls.extend(pos_tests::stores::mysql_url().await);
    for url in urls {
        let first = pos_store::connect(&url).await.unwrap();
        first.migrate_up().await.unwrap();
        let second = pos_store::connect(&url).await.unwrap();
        let a = instance(Arc::new(first), HttpSettings::for_tests()).await;
        let b = instance(Arc::new(second), HttpSettings::for_tests()).await;
        let admin = a.admin().await;
        let rate = a
            .post(
                "/api/tax-rates",
                &admin,
                json!({ "name": "VAT", "rate": "10", "mode": "exclusive" }),
            )
            .await
            .expect(201)
            .json();
        let taxed = a.stocked(&admin, "TAXED-1", "10.00", "10", "4.00").await;
        let product = a
            .get(&format!("/api/products/{}", taxed["id"]), &admin)
            .await
            .expect(200)
            .json();
        let update = json!({
            "name": product["name"], "sku": product["sku"], "price": product["price"],
            "tax_rate_id": rate["id"],
        });
        a.put(&format!("/api/products/{}", taxed["id"]), &admin, update)
            .await
            .expect(200);
        let sale = a
            .post("/api/sales", &admin, cash_sale(None, &[&taxed]))
            .await
            .expect(201)
            .json();
        assert_eq!(sale["sale"]["tax"], "1.00", "{url}: 10 % of 10.00");
        b.put(
            &format!("/api/tax-rates/{}", rate["id"]),
            &admin,
            json!({ "name": "VAT", "rate": "20", "mode": "exclusive" }),
        )
        .await
        .expect(200);
        let sale = a
            .post("/api/sales", &admin, cash_sale(None, &[&taxed]))
            .await
            .expect(201)
            .json();
        assert_eq!(
            sale["sale"]["tax"], "2.00",
            "{url}: the new rate, on the other instance"
        );
        a.assert_books_intact(&admin, "two instances").await;
    }
}
