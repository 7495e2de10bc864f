//! The integrity check's aggregates on every backend: zero over an empty store, agreement over
//! consistent books and stock, and exactly the broken product and entry, with their figures,
//! once rows are changed behind the store's back with raw SQL.
//!
//! The raw SQL runs on a connection of its own (as a hand edit would), so the store must be a
//! database a second connection can open: a SQLite file or the MySQL test database. On MySQL
//! the checks share one database, so this one only looks at its own products and entries, and
//! measures the open dues from what was there before it.

use crate::purchasing_checks::{line, priced, supplier, user_and_products};
use crate::sales_checks::{SaleParts, customer, methods, new_sale, plain_line};
use crate::support::next_number;
use pos_domain::Money;
use pos_domain::ids::{EntryId, LotId, ProductId, UserId};
use pos_domain::integrity::StockAudit;
use pos_domain::inventory::{MovementKind, NewLot, NewMovement, Take};
use pos_domain::ledger::accounts::NewAccount;
use pos_domain::ledger::{
    AccountCode, AccountKind, BalancedEntry, EntryDraft, LineDraft, Source, SourceKind,
};
use pos_domain::ports::{Store, Tx};
use pos_domain::quantity::Quantity;
use pos_domain::sales::SaleStatus;
use pos_domain::text::Name;
use pos_store::SeaStore;
use sea_orm::ConnectionTrait;
use time::OffsetDateTime;
use time::macros::{date, datetime};

const AT: OffsetDateTime = datetime!(2026-11-25 12:00:00.123456 UTC);
/// 2^31: sums beyond it must not be truncated to 32 bits anywhere.
const OVER_I32: i64 = 2_147_483_648;

fn cents(value: i64) -> Money {
    Money::from_minor_units(value)
}

fn units(thousandths: i64) -> Quantity {
    Quantity::from_thousandths(thousandths)
}

pub async fn an_empty_store_owes_nothing_and_audits_nothing(store: &SeaStore) {
    let mut tx = store.begin_read().await.unwrap();
    assert_eq!(tx.unbalanced_entries().await.unwrap(), vec![]);
    assert_eq!(tx.stock_audit().await.unwrap(), vec![]);
    assert_eq!(tx.open_dues().await.unwrap(), (Money::ZERO, Money::ZERO));
}

/// Moves `product`'s stock from `before` to `after` (thousandths) as every use case does: the
/// cached stock and a log line.
async fn log_stock(
    tx: &mut Box<dyn Tx>,
    product: ProductId,
    user: UserId,
    kind: MovementKind,
    before: i64,
    after: i64,
) {
    tx.set_stock(product, units(after)).await.unwrap();
    tx.insert_movement(NewMovement {
        product_id: product,
        kind,
        before: units(before),
        after: units(after),
        reference_id: None,
        reason: None,
        user_id: user,
        at: AT,
        day: AT.date(),
        location: pos_domain::location::DEFAULT_LOCATION,
    })
    .await
    .unwrap();
}

/// Sells `thousandths` of `product` from `lot` at `price` cents a unit (cost 1 cent a unit),
/// receiving `received` cents in cash; the rest is due. Stock goes from `before` down.
#[expect(clippy::too_many_arguments, reason = "one sale's particulars")]
async fn sell(
    tx: &mut Box<dyn Tx>,
    who: (UserId, Option<pos_domain::ids::CustomerId>),
    cash: &pos_domain::ledger::money_events::PaymentMethod,
    product: ProductId,
    lot: LotId,
    thousandths: i64,
    price: i64,
    received: i64,
    before: i64,
) -> pos_domain::sales::Sale {
    let cost = cents(thousandths / 1_000);
    let number = next_number(tx.as_mut()).await;
    let sale = new_sale(SaleParts {
        number,
        date: date!(2026 - 11 - 25),
        customer: who.1,
        user: who.0,
        lines: vec![plain_line(product, thousandths, price)],
        takes: vec![vec![Take {
            lot_id: lot,
            quantity: units(thousandths),
            cost,
        }]],
        received: vec![(cash.clone(), cents(received))],
        change: Money::ZERO,
    });
    let sale = tx.insert_sale(&sale).await.unwrap();
    tx.take_from_lot(lot, units(thousandths), cost)
        .await
        .unwrap();
    log_stock(
        tx,
        product,
        who.0,
        MovementKind::Sale,
        before,
        before - thousandths,
    )
    .await;
    sale
}

/// Only the audits of `mine`, in the order given (the port's order is by id).
fn audits_of(all: Vec<StockAudit>, mine: &[ProductId]) -> Vec<StockAudit> {
    all.into_iter()
        .filter(|a| mine.contains(&a.product_id))
        .collect()
}

fn entries_of(all: Vec<(EntryId, Money, Money)>, mine: &[EntryId]) -> Vec<(EntryId, Money, Money)> {
    all.into_iter()
        .filter(|(id, ..)| mine.contains(id))
        .collect()
}

/// `url` opens the same database as `store`, on a connection of its own.
pub async fn aggregates_agree_until_rows_are_broken(store: &SeaStore, url: &str) {
    let mut tx = store.begin().await.unwrap();
    let (customers_before, suppliers_before) = tx.open_dues().await.unwrap();
    let (user, products) = user_and_products(&mut tx, "integ", 3).await;
    let (p, idle, logged_only) = (products[0], products[1], products[2]);
    let buyer = tx
        .insert_customer(customer("Integ Buyer"), AT)
        .await
        .unwrap()
        .id;
    let (cash, _) = methods(&mut tx, "integ").await;

    // p: 5 units received, 2 sold on account, 0.5 sold to a walk-in customer: 2.5 left.
    let lot = tx
        .insert_lot(NewLot {
            location: pos_domain::location::DEFAULT_LOCATION,
            product_id: p,
            purchase_line_id: None,
            quantity: units(5_000),
            unit_cost: cents(1),
            received_at: AT,
            carried_value: None,
        })
        .await
        .unwrap()
        .id;
    log_stock(&mut tx, p, user, MovementKind::Purchase, 0, 5_000).await;
    // 2 x 2^31 owed, 100 paid at the till and 1_000 later, 2^31 / 2 credited back.
    let on_account = sell(
        &mut tx,
        (user, Some(buyer)),
        &cash,
        p,
        lot,
        2_000,
        OVER_I32,
        100,
        5_000,
    )
    .await;
    tx.add_sale_payment(on_account.id, cents(1_000))
        .await
        .unwrap();
    tx.record_sale_return(&crate::sales_checks::returning(
        on_account.id,
        &on_account,
        &[(on_account.lines[0].id, units(1))],
        cents(OVER_I32 / 2),
        Money::ZERO,
        SaleStatus::PartiallyRefunded,
    ))
    .await
    .unwrap();
    // A walk-in sale left 50 short: not a customer's due.
    sell(&mut tx, (user, None), &cash, p, lot, 500, 300, 100, 3_000).await;
    // A product whose log nets to zero (in and out again), without lots.
    log_stock(
        &mut tx,
        logged_only,
        user,
        MovementKind::Adjustment,
        0,
        1_000,
    )
    .await;
    log_stock(
        &mut tx,
        logged_only,
        user,
        MovementKind::Adjustment,
        1_000,
        0,
    )
    .await;

    // Bought for 3 x 2^31 + 800, 100 paid, 50 credited by the supplier.
    let acme = tx
        .insert_supplier(supplier("Integ Acme"), AT)
        .await
        .unwrap()
        .id;
    let purchase = priced(
        acme,
        "INTEG-1",
        date!(2026 - 11 - 24),
        user,
        vec![line(p, 3_000, OVER_I32), line(idle, 2_000, 400)],
        100,
    );
    let purchase = tx.insert_purchase(&purchase, AT).await.unwrap();
    tx.add_purchase_credit(purchase.id, cents(50))
        .await
        .unwrap();

    // Entries: 3 x 2^31 against two credits, and a plain one.
    let mut account = async |code: &str, kind| {
        tx.insert_account(NewAccount {
            code: AccountCode::new(code).unwrap(),
            name: Name::new(code).unwrap(),
            kind,
        })
        .await
        .unwrap()
        .id
    };
    let cash_account = account("integ-cash", AccountKind::Asset).await;
    let sales_account = account("integ-sales", AccountKind::Revenue).await;
    let equity = account("integ-equity", AccountKind::Equity).await;
    let mut post = async |lines| {
        let entry = BalancedEntry::new(EntryDraft {
            date: date!(2026 - 11 - 25),
            memo: "integrity".into(),
            source: Source {
                kind: SourceKind::Opening,
                id: None,
            },
            user_id: user,
            lines,
        })
        .unwrap();
        tx.post_entry(entry, AT).await.unwrap().id
    };
    let split = post(vec![
        LineDraft::debit(cash_account, cents(3 * OVER_I32)),
        LineDraft::credit(sales_account, cents(2 * OVER_I32)),
        LineDraft::credit(equity, cents(OVER_I32)),
    ])
    .await;
    let plain = post(vec![
        LineDraft::debit(cash_account, cents(700)),
        LineDraft::credit(equity, cents(700)),
    ])
    .await;
    let entries = [split, plain];

    // Everything agrees.
    let customers_due = 2 * OVER_I32 - 100 - 1_000 - OVER_I32 / 2;
    let suppliers_due = 3 * OVER_I32 + 800 - 100 - 50;
    let dues = (
        cents(customers_before.minor_units() + customers_due),
        cents(suppliers_before.minor_units() + suppliers_due),
    );
    let agreeing = vec![
        StockAudit {
            product_id: p,
            on_hand: units(2_500),
            in_lots: units(2_500),
            logged_thousandths: 2_500,
        },
        StockAudit {
            product_id: idle,
            on_hand: Quantity::ZERO,
            in_lots: Quantity::ZERO,
            logged_thousandths: 0,
        },
        StockAudit {
            product_id: logged_only,
            on_hand: Quantity::ZERO,
            in_lots: Quantity::ZERO,
            logged_thousandths: 0,
        },
    ];
    let audits = tx.stock_audit().await.unwrap();
    let ids: Vec<_> = audits.iter().map(|a| a.product_id).collect();
    assert!(ids.is_sorted(), "by product id: {ids:?}");
    assert_eq!(audits_of(audits, &products), agreeing);
    assert!(agreeing.iter().all(StockAudit::agrees));
    assert_eq!(
        entries_of(tx.unbalanced_entries().await.unwrap(), &entries),
        vec![]
    );
    assert_eq!(tx.open_dues().await.unwrap(), dues);
    assert_eq!(
        tx.report_sums_drift().await.unwrap(),
        vec![],
        "the rollup follows the sales"
    );
    assert_eq!(
        tx.ledger_sums_drift().await.unwrap(),
        vec![],
        "daily sums follow the journal"
    );
    tx.commit().await.unwrap();

    // Broken behind the store's back: one product's cached stock, and one entry's debits.
    let raw = sea_orm::Database::connect(url).await.unwrap();
    raw.execute_unprepared(&format!(
        "UPDATE products SET stock_e3 = stock_e3 + 1000 WHERE id = {}",
        p.get()
    ))
    .await
    .unwrap();
    raw.execute_unprepared(&format!(
        "INSERT INTO journal_lines \
         (entry_id, line_no, account_id, side, amount_cents, party_kind, party_id, entry_date) \
         SELECT entry_id, 9, account_id, 'debit', 250, NULL, NULL, entry_date \
         FROM journal_lines WHERE entry_id = {} AND line_no = 0",
        split.get()
    ))
    .await
    .unwrap();
    // And a log line of the idle product (1 unit down to 0.25) that neither its lots nor its
    // cached stock followed; copied from one of p's for the user and the instant.
    raw.execute_unprepared(&format!(
        "INSERT INTO inventory_movements \
         (product_id, kind, before_e3, after_e3, reference_id, reason, user_id, at, at_day) \
         SELECT {}, kind, 1000, 250, NULL, 'lost', user_id, at, at_day \
         FROM inventory_movements WHERE product_id = {} AND kind = 'adjustment' LIMIT 1",
        idle.get(),
        logged_only.get()
    ))
    .await
    .unwrap();
    // And one day's report sums, a cent off.
    raw.execute_unprepared(
        "UPDATE sales_rollup SET total_cents = total_cents + 1 \
         WHERE grain = 0 AND dim = 0 AND period = (SELECT MIN(sale_date) FROM sale_lines)",
    )
    .await
    .unwrap();
    raw.close().await.unwrap();

    let mut tx = store.begin_read().await.unwrap();
    // The extra journal line went around the daily sums too.
    let ledger = tx.ledger_sums_drift().await.unwrap();
    assert_eq!(ledger.len(), 1, "{ledger:?}");
    assert_eq!(ledger[0].1.minor_units(), ledger[0].2.minor_units() + 250);
    let drift = tx.report_sums_drift().await.unwrap();
    assert_eq!(drift.len(), 1, "{drift:?}");
    assert_eq!(
        drift[0].2.minor_units(),
        drift[0].1.minor_units() + 1,
        "{drift:?}"
    );
    let broken = vec![
        StockAudit {
            product_id: p,
            on_hand: units(3_500),
            in_lots: units(2_500),
            logged_thousandths: 2_500,
        },
        StockAudit {
            product_id: idle,
            on_hand: Quantity::ZERO,
            in_lots: Quantity::ZERO,
            logged_thousandths: -750,
        },
    ];
    let disagreeing: Vec<_> = audits_of(tx.stock_audit().await.unwrap(), &products)
        .into_iter()
        .filter(|a| !a.agrees())
        .collect();
    assert_eq!(disagreeing, broken);
    assert_eq!(
        entries_of(tx.unbalanced_entries().await.unwrap(), &entries),
        vec![(split, cents(3 * OVER_I32 + 250), cents(3 * OVER_I32))]
    );
    assert_eq!(tx.open_dues().await.unwrap(), dues, "dues untouched");
}

/// On a store holding only this check's data, the reports name nothing else.
pub async fn only_the_broken_rows_are_reported(store: &SeaStore) {
    let mut tx = store.begin_read().await.unwrap();
    let unbalanced: Vec<_> = tx
        .unbalanced_entries()
        .await
        .unwrap()
        .into_iter()
        .map(|(id, ..)| id)
        .collect();
    assert_eq!(unbalanced.len(), 1, "{unbalanced:?}");
    let disagreeing = tx
        .stock_audit()
        .await
        .unwrap()
        .into_iter()
        .filter(|a| !a.agrees())
        .count();
    assert_eq!(disagreeing, 2);
}
