//! Customers, sales and held sales on every backend: the gapless sale counter (and its row
//! lock), sales round-tripping exactly past 2^31, list filters, settlement counters within
//! their CHECKs, totals, held carts deleted once, and lots that returns cannot overfill.
//!
//! On MySQL the checks share one database, so each uses users, SKUs, customers and payment
//! method codes of its own and only looks at those.

use crate::purchasing_checks::user_and_products;
use crate::support::next_number;
use pos_domain::catalog::{Percent, TaxMode};
use pos_domain::contact::{Address, Phone};
use pos_domain::customers::{CustomerDraft, CustomerFilter, CustomerSort};
use pos_domain::ids::{CustomerId, HeldSaleId, LotId, ProductId, SaleId, SaleLineId, UserId};
use pos_domain::inventory::{NewLot, Take};
use pos_domain::ledger::AccountCode;
use pos_domain::ledger::AccountKind;
use pos_domain::ledger::accounts::NewAccount;
use pos_domain::ledger::money_events::{NewPaymentMethod, PaymentMethod};
use pos_domain::paging::{ListQuery, Order, PageRequest};
use pos_domain::ports::{CustomerTotals, PurchasedProduct, Store, Tx};
use pos_domain::quantity::Quantity;
use pos_domain::sales::held::{HeldLine, NewHeldSale};
use pos_domain::sales::{
    CartLine, Discount, NewSale, Sale, SaleFilter, SalePayment, SaleStatus, Settlement, price_cart,
};
use pos_domain::text::{Email, Name};
use pos_domain::{Money, StoreError};
use pos_store::SeaStore;
use std::time::{Duration, Instant};
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

const AT: OffsetDateTime = datetime!(2026-11-25 12:00:00.123456 UTC);
/// 2^31: amounts and sums beyond it must not be truncated to 32 bits anywhere.
const OVER_I32: i64 = 2_147_483_648;

fn cents(value: i64) -> Money {
    Money::from_minor_units(value)
}

fn units(thousandths: i64) -> Quantity {
    Quantity::from_thousandths(thousandths)
}

pub fn customer(name: &str) -> CustomerDraft {
    CustomerDraft {
        name: Name::new(name).unwrap(),
        phone: None,
        alt_phone: None,
        email: None,
        address: Address::default(),
        credit_limit: None,
        note: None,
    }
}

/// Two payment methods (codes prefixed by `prefix`) on one cash account.
pub async fn methods(tx: &mut Box<dyn Tx>, prefix: &str) -> (PaymentMethod, PaymentMethod) {
    let account = tx
        .insert_account(NewAccount {
            code: AccountCode::new(&format!("{prefix}-till")).unwrap(),
            name: Name::new("Till").unwrap(),
            kind: AccountKind::Asset,
        })
        .await
        .unwrap();
    let mut made = Vec::new();
    for code in ["cash", "card"] {
        let method = NewPaymentMethod {
            code: format!("{prefix}-{code}"),
            name: Name::new(code).unwrap(),
            account_id: account.id,
        };
        made.push(tx.insert_payment_method(method).await.unwrap());
    }
    let card = made.pop().unwrap();
    (made.pop().unwrap(), card)
}

/// A lot of `thousandths` units found at `cost` cents each.
async fn found_lot(tx: &mut Box<dyn Tx>, product: ProductId, thousandths: i64, cost: i64) -> LotId {
    let lot = NewLot {
        location: pos_domain::location::DEFAULT_LOCATION,
        product_id: product,
        purchase_line_id: None,
        quantity: units(thousandths),
        unit_cost: cents(cost),
        received_at: AT,
        carried_value: None,
    };
    tx.insert_lot(lot).await.unwrap().id
}

pub struct SaleParts {
    pub number: i64,
    pub date: Date,
    pub customer: Option<CustomerId>,
    pub user: UserId,
    pub lines: Vec<CartLine>,
    pub takes: Vec<Vec<Take>>,
    /// Kept per method; tendered = kept + change.
    pub received: Vec<(PaymentMethod, Money)>,
    pub change: Money,
}

/// Prices the cart and settles it with what was received; the rest is due.
pub fn new_sale(parts: SaleParts) -> NewSale {
    let cart = price_cart(&parts.lines, None).unwrap();
    let kept: i64 = parts.received.iter().map(|(_, m)| m.minor_units()).sum();
    let settlement = Settlement {
        received: parts.received,
        tendered: cents(kept + parts.change.minor_units()),
        change: parts.change,
        due: cents(cart.total.minor_units() - kept),
    };
    NewSale {
        register_id: pos_domain::register::DEFAULT_REGISTER,
        number: parts.number,
        invoice_no: format!("INV-{:06}", parts.number),
        date: parts.date,
        customer_id: parts.customer,
        user_id: parts.user,
        cart,
        takes: parts.takes,
        settlement,
        note: Some(format!("sale {}", parts.number)),
        at: AT,
    }
}

pub fn plain_line(product: ProductId, thousandths: i64, price: i64) -> CartLine {
    CartLine {
        product_id: product,
        quantity: units(thousandths),
        unit_price: cents(price),
        tax: None,
        discount: None,
    }
}

pub async fn customers_round_trip_search_and_lock(store: &SeaStore) {
    let mut tx = store.begin().await.unwrap();
    let mut draft = customer("cq Rahim Stores");
    draft.phone = Some(Phone::new("+880 1711-000001").unwrap());
    draft.alt_phone = Some(Phone::new("(02) 555-0100").unwrap());
    draft.email = Some(Email::new("Rahim@Shop.test").unwrap());
    draft.address.city = Some("Dhaka".into());
    draft.credit_limit = Some(cents(3 * OVER_I32));
    draft.note = Some("pays on Fridays".into());
    let rahim = tx.insert_customer(draft.clone(), AT).await.unwrap();
    assert_eq!(rahim.draft, draft);
    assert!(rahim.active);
    let karim = tx
        .insert_customer(customer("CQ karim 50% off"), AT)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.find_customer(rahim.id).await.unwrap(),
        Some(rahim.clone())
    );
    assert_eq!(
        tx.find_customer(CustomerId::new(999_999)).await.unwrap(),
        None
    );
    let list = |q: &str, active: Option<bool>| ListQuery {
        filter: CustomerFilter {
            q: Some(q.to_owned()),
            active,
        },
        sort: CustomerSort::Name,
        order: Order::Asc,
        page: PageRequest::default(),
    };
    let ids = |page: pos_domain::paging::Page<pos_domain::customers::Customer>| {
        page.items.into_iter().map(|c| c.id).collect::<Vec<_>>()
    };
    assert_eq!(
        ids(tx.list_customers(&list("CQ", None)).await.unwrap()),
        [karim.id, rahim.id],
        "by name ignoring case"
    );
    for (q, expected) in [
        ("1711-000001", vec![rahim.id]),
        ("555-0100", vec![rahim.id]),
        ("rahim@shop", vec![rahim.id]),
        ("50%", vec![karim.id]),
    ] {
        assert_eq!(
            ids(tx.list_customers(&list(q, None)).await.unwrap()),
            expected,
            "{q}"
        );
    }

    // No credit any more: the limit goes back to NULL, not zero.
    let mut changed = rahim.draft.clone();
    changed.credit_limit = None;
    let later = datetime!(2026-11-26 08:00:00.000001 UTC);
    let updated = tx
        .update_customer(rahim.id, changed.clone(), later)
        .await
        .unwrap();
    assert_eq!(
        (updated.draft.clone(), updated.updated_at),
        (changed, later)
    );
    let inactive = tx
        .set_customer_active(karim.id, false, later)
        .await
        .unwrap();
    assert!(!inactive.active);
    assert_eq!(
        ids(tx.list_customers(&list("cq", Some(true))).await.unwrap()),
        [rahim.id]
    );
    assert_eq!(
        tx.update_customer(CustomerId::new(999_999), customer("x"), later)
            .await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        tx.set_customer_active(CustomerId::new(999_999), true, later)
            .await,
        Err(StoreError::NotFound)
    );
    assert_eq!(tx.lock_customer(rahim.id).await.unwrap(), Some(updated));
    assert_eq!(
        tx.lock_customer(CustomerId::new(999_999)).await.unwrap(),
        None
    );
}

/// A number taken by a transaction that rolls back is handed out again: no gaps.
pub async fn sale_numbers_are_gapless_across_a_rollback(store: &SeaStore) {
    let mut first = store.begin().await.unwrap();
    let taken = next_number(&mut *first).await;
    assert!(taken >= 1);
    drop(first);
    let mut second = store.begin().await.unwrap();
    assert_eq!(next_number(&mut *second).await, taken, "given back");
    assert_eq!(next_number(&mut *second).await, taken + 1);
    second.commit().await.unwrap();
    let mut third = store.begin().await.unwrap();
    assert_eq!(next_number(&mut *third).await, taken + 2);
}

/// A second sale taking a number waits until the first commits, then takes the next one. On
/// MySQL `BEGIN` returns at once and the counter's row lock makes it wait; on SQLite the second
/// writer already waits to begin.
pub async fn sale_numbers_serialise_concurrent_sales(store: &SeaStore) {
    const HOLD: Duration = Duration::from_millis(400);
    let mut first = store.begin().await.unwrap();
    let taken = next_number(&mut *first).await;

    let second_store = store.clone();
    let (began_tx, began) = tokio::sync::oneshot::channel();
    let second = tokio::spawn(async move {
        let started = Instant::now();
        let mut second = second_store.begin().await.unwrap();
        began_tx.send(()).ok();
        let number = next_number(&mut *second).await;
        let waited = started.elapsed();
        second.commit().await.unwrap();
        (number, waited)
    });
    if store.backend_name() == "mysql" {
        began.await.unwrap();
    }
    tokio::time::sleep(HOLD).await;
    assert!(!second.is_finished(), "the second sale did not wait");
    first.commit().await.unwrap();
    let (number, waited) = second.await.unwrap();
    assert_eq!(number, taken + 1, "the next number after the first commit");
    assert!(waited >= HOLD, "waited only {waited:?}");
}

/// Everything a sale holds reads back exactly: the tax rate in ten-thousandths and its mode,
/// each line's takes in order, the payments in order, amounts past 2^31 cents.
pub async fn sales_round_trip_exactly(store: &SeaStore) {
    let mut tx = store.begin().await.unwrap();
    let (user, products) = user_and_products(&mut tx, "sold", 2).await;
    let (p, q) = (products[0], products[1]);
    let buyer = tx
        .insert_customer(customer("Sold Buyer"), AT)
        .await
        .unwrap()
        .id;
    let (cash, card) = methods(&mut tx, "sold").await;
    let old = found_lot(&mut tx, p, 1_000, OVER_I32).await;
    let new = found_lot(&mut tx, p, 5_000, OVER_I32 + 7).await;
    let other = found_lot(&mut tx, q, 2_000, 15).await;

    // 1.5 units at 3 x 2^31 cents plus 7.2525 % tax on top; 0.25 units untaxed, 10 % off.
    let taxed = CartLine {
        tax: Some((Percent::from_scaled(72_525), TaxMode::Exclusive)),
        ..plain_line(p, 1_500, 3 * OVER_I32)
    };
    let discounted = CartLine {
        discount: Some(Discount::Percent(Percent::from_scaled(100_000))),
        ..plain_line(q, 250, 999)
    };
    let takes = vec![
        vec![
            Take {
                lot_id: old,
                quantity: units(1_000),
                cost: cents(OVER_I32),
            },
            Take {
                lot_id: new,
                quantity: units(500),
                cost: cents(OVER_I32 / 2 + 4),
            },
        ],
        vec![Take {
            lot_id: other,
            quantity: units(250),
            cost: cents(4),
        }],
    ];
    let number = next_number(&mut *tx).await;
    let sale = new_sale(SaleParts {
        number,
        date: date!(2026 - 11 - 25),
        customer: Some(buyer),
        user,
        lines: vec![taxed, discounted],
        takes: takes.clone(),
        received: vec![
            (card.clone(), cents(2 * OVER_I32)),
            (cash.clone(), cents(OVER_I32)),
        ],
        change: cents(150),
    });
    let stored = tx.insert_sale(&sale).await.unwrap();
    assert_eq!(stored.number, number);
    assert_eq!(stored.status, SaleStatus::Completed);
    assert_eq!(stored.paid, cents(3 * OVER_I32), "what the methods kept");
    assert_eq!(
        (stored.credited, stored.refunded),
        (Money::ZERO, Money::ZERO)
    );
    assert_eq!(stored.tendered, cents(3 * OVER_I32 + 150));
    assert_eq!(stored.change, cents(150));
    assert_eq!(stored.total, sale.cart.total);
    assert!(stored.total.minor_units() > 4 * OVER_I32);
    assert_eq!(stored.due(), sale.settlement.due);
    let priced: Vec<_> = stored.lines.iter().map(|l| l.priced.clone()).collect();
    assert_eq!(
        priced, sale.cart.lines,
        "lines in order, tax rate and mode kept"
    );
    let stored_takes: Vec<_> = stored.lines.iter().map(|l| l.takes.clone()).collect();
    assert_eq!(stored_takes, takes);
    assert_eq!(
        stored.payments,
        [
            SalePayment {
                method_id: card.id,
                amount: cents(2 * OVER_I32)
            },
            SalePayment {
                method_id: cash.id,
                amount: cents(OVER_I32)
            },
        ]
    );
    assert_eq!(tx.find_sale(stored.id).await.unwrap(), Some(stored.clone()));
    assert_eq!(tx.find_sale(SaleId::new(999_999)).await.unwrap(), None);
    tx.commit().await.unwrap();

    let mut tx = store.begin_read().await.unwrap();
    let read = tx.find_sale(stored.id).await.unwrap().unwrap();
    assert_eq!(read, stored, "read back whole by another transaction");
    assert_eq!(
        read.lines[0].priced.tax_rate.unwrap().0.value().to_string(),
        "7.2525"
    );
    assert_eq!(read.created_at, AT);
}

/// A sale naming a row that does not exist is refused by the foreign keys: MySQL names the field
/// at fault, SQLite does not say which key failed (a bug of the caller there: `Backend`). The
/// checkout never gets here with a stray reference: it locked the customer and the products,
/// read the lots under that lock and took the methods from the confirmed static data.
pub async fn sales_name_the_missing_reference(store: &SeaStore) {
    let mut tx = store.begin().await.unwrap();
    let (user, products) = user_and_products(&mut tx, "stray", 1).await;
    let (cash, _) = methods(&mut tx, "stray").await;
    let lot = found_lot(&mut tx, products[0], 1_000, 10).await;
    let parts = |customer, product, lot_id, method: PaymentMethod| SaleParts {
        number: 900_000,
        date: date!(2026 - 11 - 25),
        customer,
        user,
        lines: vec![plain_line(product, 1_000, 100)],
        takes: vec![vec![Take {
            lot_id,
            quantity: units(1_000),
            cost: cents(10),
        }]],
        received: vec![(method, cents(100))],
        change: Money::ZERO,
    };
    let p = products[0];
    let stray_method = PaymentMethod {
        id: pos_domain::ids::PaymentMethodId::new(999_999),
        ..cash.clone()
    };
    let cases = [
        (
            parts(Some(CustomerId::new(999_999)), p, lot, cash.clone()),
            "customer_id",
        ),
        (
            parts(None, ProductId::new(999_999), lot, cash.clone()),
            "product_id",
        ),
        (parts(None, p, LotId::new(999_999), cash.clone()), "lot_id"),
        (parts(None, p, lot, stray_method), "method_id"),
    ];
    for (n, (mut sale, field)) in cases.into_iter().enumerate() {
        // A header a failed line left behind in this transaction keeps its number.
        sale.number += n as i64;
        match tx.insert_sale(&new_sale(sale)).await {
            Err(StoreError::MissingReference(named)) => assert_eq!(named, field),
            Err(StoreError::Backend(cause)) if store.backend_name() == "sqlite" => {
                assert!(cause.message().contains("FOREIGN KEY"), "{field}: {cause}");
            }
            other => panic!("{field}: {other:?}"),
        }
    }
}

/// The list filters, order and paging; open sales; payments and returns moving the counters
/// within their CHECKs; the customer's totals.
pub async fn sales_filter_settle_and_sum(store: &SeaStore) {
    let mut tx = store.begin().await.unwrap();
    let (user, products) = user_and_products(&mut tx, "settle", 2).await;
    let (other_user, _) = user_and_products(&mut tx, "settleb", 0).await;
    let (p, q) = (products[0], products[1]);
    let buyer = tx
        .insert_customer(customer("Settle Buyer"), AT)
        .await
        .unwrap()
        .id;
    let nobody = tx
        .insert_customer(customer("Settle Nobody"), AT)
        .await
        .unwrap()
        .id;
    let (cash, card) = methods(&mut tx, "settle").await;
    let lot = found_lot(&mut tx, p, 100_000, 10).await;
    let take = |thousandths| {
        vec![vec![Take {
            lot_id: lot,
            quantity: units(thousandths),
            cost: cents(thousandths / 100),
        }]]
    };
    let mut insert = async |date, customer, user, price: i64, received| {
        let number = next_number(&mut *tx).await;
        let sale = new_sale(SaleParts {
            number,
            date,
            customer,
            user,
            lines: vec![plain_line(p, 2_000, price)],
            takes: take(2_000),
            received,
            change: Money::ZERO,
        });
        tx.insert_sale(&sale).await.unwrap()
    };
    // On credit: 2 x 2^31 + 2 x 2^31 owed over two sales; one paid in full by card; one cash
    // sale by another user without a customer.
    let late = insert(date!(2026 - 11 - 20), Some(buyer), user, OVER_I32, vec![]).await;
    let early = insert(
        date!(2026 - 11 - 10),
        Some(buyer),
        user,
        OVER_I32,
        vec![(cash.clone(), cents(100))],
    )
    .await;
    let paid = insert(
        date!(2026 - 11 - 15),
        Some(buyer),
        user,
        500,
        vec![(card.clone(), cents(1_000))],
    )
    .await;
    let walk_in = insert(
        date!(2026 - 11 - 15),
        None,
        other_user,
        300,
        vec![(cash.clone(), cents(600))],
    )
    .await;

    let list = |filter: SaleFilter, order: Order| ListQuery {
        filter,
        sort: (),
        order,
        page: PageRequest::default(),
    };
    let ids = |page: pos_domain::paging::Page<Sale>| {
        page.items.into_iter().map(|s| s.id).collect::<Vec<_>>()
    };
    let of = |customer| SaleFilter {
        customer_id: Some(customer),
        ..SaleFilter::default()
    };
    let asc = tx.list_sales(&list(of(buyer), Order::Asc)).await.unwrap();
    assert_eq!(asc.items[1], paid, "read back whole");
    assert_eq!(ids(asc), [early.id, paid.id, late.id], "by date");
    assert_eq!(
        ids(tx.list_sales(&list(of(buyer), Order::Desc)).await.unwrap()),
        [late.id, paid.id, early.id]
    );
    let by_card = SaleFilter {
        method_id: Some(card.id),
        ..of(buyer)
    };
    assert_eq!(
        ids(tx.list_sales(&list(by_card, Order::Asc)).await.unwrap()),
        [paid.id]
    );
    let by_cash = SaleFilter {
        method_id: Some(cash.id),
        ..SaleFilter::default()
    };
    let cash_sales: Vec<_> = ids(tx.list_sales(&list(by_cash, Order::Asc)).await.unwrap());
    assert_eq!(cash_sales, [early.id, walk_in.id]);
    let open = SaleFilter {
        open_only: true,
        ..of(buyer)
    };
    assert_eq!(
        ids(tx.list_sales(&list(open, Order::Asc)).await.unwrap()),
        [early.id, late.id]
    );
    let mid_month = SaleFilter {
        from: Some(date!(2026 - 11 - 15)),
        to: Some(date!(2026 - 11 - 15)),
        ..SaleFilter::default()
    };
    let on_15th: Vec<_> = ids(tx.list_sales(&list(mid_month, Order::Asc)).await.unwrap())
        .into_iter()
        .filter(|id| [paid.id, walk_in.id].contains(id))
        .collect();
    assert_eq!(on_15th, [paid.id, walk_in.id], "same day: by id");
    let by_user = SaleFilter {
        user_id: Some(other_user),
        ..SaleFilter::default()
    };
    assert_eq!(
        ids(tx.list_sales(&list(by_user, Order::Asc)).await.unwrap()),
        [walk_in.id]
    );
    let paged = ListQuery {
        page: PageRequest::new(Some(2), Some(2)),
        ..list(of(buyer), Order::Asc)
    };
    let page = tx.list_sales(&paged).await.unwrap();
    assert_eq!((page.total, ids(page)), (3, vec![late.id]));

    // Open sales oldest first; a payment and a return move what is owed.
    let open_ids = |sales: Vec<Sale>| sales.into_iter().map(|s| s.id).collect::<Vec<_>>();
    assert_eq!(
        open_ids(tx.open_sales(buyer).await.unwrap()),
        [early.id, late.id]
    );
    assert_eq!(tx.open_sales(nobody).await.unwrap(), vec![]);
    tx.add_sale_payment(early.id, early.due()).await.unwrap();
    assert_eq!(open_ids(tx.open_sales(buyer).await.unwrap()), [late.id]);
    // Adding zero still finds the sale (MySQL's affected-rows trap).
    tx.add_sale_payment(early.id, Money::ZERO).await.unwrap();
    assert_eq!(
        tx.add_sale_payment(SaleId::new(999_999), cents(1)).await,
        Err(StoreError::NotFound)
    );
    let over = tx.add_sale_payment(early.id, cents(1)).await;
    assert!(
        matches!(over, Err(StoreError::Backend(_))),
        "paid past the total: {over:?}"
    );

    let line = late.lines[0].id;
    tx.record_sale_return(&returning(
        late.id,
        &late,
        &[(line, units(500))],
        cents(OVER_I32 / 2),
        Money::ZERO,
        SaleStatus::PartiallyRefunded,
    ))
    .await
    .unwrap();
    tx.record_sale_return(&returning(
        paid.id,
        &paid,
        &[(paid.lines[0].id, units(2_000))],
        Money::ZERO,
        cents(1_000),
        SaleStatus::Refunded,
    ))
    .await
    .unwrap();
    let returned = tx.find_sale(late.id).await.unwrap().unwrap();
    assert_eq!(returned.lines[0].returned, units(500));
    assert_eq!(returned.credited, cents(OVER_I32 / 2));
    assert_eq!(returned.status, SaleStatus::PartiallyRefunded);
    assert_eq!(
        returned.due(),
        cents(late.total.minor_units() - OVER_I32 / 2)
    );
    let refunded = tx.find_sale(paid.id).await.unwrap().unwrap();
    assert_eq!(
        (refunded.refunded, refunded.status),
        (cents(1_000), SaleStatus::Refunded)
    );
    let missing = tx
        .record_sale_return(&returning(
            SaleId::new(999_999),
            &late,
            &[],
            cents(1),
            cents(1),
            SaleStatus::Refunded,
        ))
        .await;
    assert_eq!(missing, Err(StoreError::NotFound));
    let foreign_line = tx
        .record_sale_return(&returning(
            late.id,
            &late,
            &[(walk_in.lines[0].id, units(1))],
            Money::ZERO,
            Money::ZERO,
            SaleStatus::PartiallyRefunded,
        ))
        .await;
    assert_eq!(
        foreign_line,
        Err(StoreError::NotFound),
        "a line of another sale"
    );
    let missing_line = tx
        .record_sale_return(&returning(
            late.id,
            &late,
            &[(SaleLineId::new(999_999), units(1))],
            Money::ZERO,
            Money::ZERO,
            SaleStatus::PartiallyRefunded,
        ))
        .await;
    assert_eq!(missing_line, Err(StoreError::NotFound));
    let too_many = tx
        .record_sale_return(&returning(
            late.id,
            &late,
            &[(line, units(1_501))],
            Money::ZERO,
            Money::ZERO,
            SaleStatus::Refunded,
        ))
        .await;
    assert!(
        matches!(too_many, Err(StoreError::Backend(_))),
        "more back than sold: {too_many:?}"
    );

    let total = early.total.minor_units() + late.total.minor_units() + paid.total.minor_units();
    let paid_sum = early.total.minor_units() + paid.paid.minor_units();
    assert_eq!(
        tx.customer_totals(buyer).await.unwrap(),
        CustomerTotals {
            sales: 3,
            total: cents(total),
            paid: cents(paid_sum),
            credited: cents(OVER_I32 / 2),
            refunded: cents(1_000),
            due: cents(total - paid_sum - OVER_I32 / 2),
        }
    );
    assert_eq!(
        tx.customer_totals(nobody).await.unwrap(),
        CustomerTotals {
            sales: 0,
            total: Money::ZERO,
            paid: Money::ZERO,
            credited: Money::ZERO,
            refunded: Money::ZERO,
            due: Money::ZERO,
        }
    );
    assert_eq!(
        tx.purchased_products(buyer).await.unwrap(),
        [PurchasedProduct {
            product_id: p,
            quantity: units(6_000),
            returned: units(2_500),
            total: cents(total),
            sales: 3,
        }]
    );
    assert_eq!(tx.purchased_products(nobody).await.unwrap(), vec![]);
    let _ = q;
}

pub async fn held_sales_round_trip_and_delete_once(store: &SeaStore) {
    let mut tx = store.begin().await.unwrap();
    let (user, products) = user_and_products(&mut tx, "held", 2).await;
    let (other_user, _) = user_and_products(&mut tx, "heldb", 0).await;
    let buyer = tx
        .insert_customer(customer("Held Buyer"), AT)
        .await
        .unwrap()
        .id;
    let lines = vec![
        HeldLine {
            product_id: products[0],
            quantity: units(1_250),
            discount: Some(Discount::Percent(Percent::from_scaled(12_345))),
            unit_price: Some(cents(3 * OVER_I32)),
        },
        HeldLine {
            product_id: products[1],
            quantity: units(1),
            discount: Some(Discount::Amount(cents(OVER_I32))),
            unit_price: None,
        },
        HeldLine {
            product_id: products[0],
            quantity: units(2_000),
            discount: None,
            unit_price: None,
        },
    ];
    let first = NewHeldSale {
        customer_id: Some(buyer),
        user_id: user,
        lines,
        order_discount: Some(Discount::Amount(cents(250))),
        note: Some("back in 10".into()),
        created_at: AT,
    };
    let first = tx.insert_held_sale(first).await.unwrap();
    let second = NewHeldSale {
        customer_id: None,
        user_id: other_user,
        lines: vec![],
        order_discount: Some(Discount::Percent(Percent::from_scaled(1_000_000))),
        note: None,
        created_at: datetime!(2026-11-25 12:30 UTC),
    };
    let second = tx.insert_held_sale(second).await.unwrap();
    // Created earlier than `first`, inserted later: newest is by time, not id.
    let oldest = NewHeldSale {
        customer_id: None,
        user_id: user,
        lines: vec![],
        order_discount: None,
        note: None,
        created_at: datetime!(2026-11-25 11:00 UTC),
    };
    let oldest = tx.insert_held_sale(oldest).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.find_held_sale(first.id).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(
        tx.find_held_sale(HeldSaleId::new(999_999)).await.unwrap(),
        None
    );
    let mine = tx.list_held_sales(Some(user)).await.unwrap();
    assert_eq!(mine, [first.clone(), oldest.clone()], "newest first");
    let all: Vec<_> = tx
        .list_held_sales(None)
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .filter(|id| [first.id, second.id, oldest.id].contains(id))
        .collect();
    assert_eq!(all, [second.id, first.id, oldest.id]);

    assert!(tx.delete_held_sale(first.id).await.unwrap());
    assert!(
        !tx.delete_held_sale(first.id).await.unwrap(),
        "deleted once"
    );
    assert_eq!(tx.find_held_sale(first.id).await.unwrap(), None);
    assert!(!tx.delete_held_sale(HeldSaleId::new(999_999)).await.unwrap());

    let stray = NewHeldSale {
        customer_id: Some(CustomerId::new(999_999)),
        ..oldest_draft(user)
    };
    assert_eq!(
        tx.insert_held_sale(stray).await,
        Err(StoreError::MissingReference("customer_id"))
    );
    let stray = NewHeldSale {
        lines: vec![HeldLine {
            product_id: ProductId::new(999_999),
            quantity: units(1),
            discount: None,
            unit_price: None,
        }],
        ..oldest_draft(user)
    };
    assert_eq!(
        tx.insert_held_sale(stray).await,
        Err(StoreError::MissingReference("product_id"))
    );
}

fn oldest_draft(user: UserId) -> NewHeldSale {
    NewHeldSale {
        customer_id: None,
        user_id: user,
        lines: vec![],
        order_discount: None,
        note: None,
        created_at: AT,
    }
}

/// Returns put units and value back into a lot, never past what it received.
pub async fn returns_never_overfill_a_lot(store: &SeaStore) {
    let mut tx = store.begin().await.unwrap();
    let (_, products) = user_and_products(&mut tx, "refill", 1).await;
    let lot = found_lot(&mut tx, products[0], 3_000, 333).await;
    tx.take_from_lot(lot, units(2_000), cents(666))
        .await
        .unwrap();
    tx.return_to_lot(lot, units(1_000), cents(333))
        .await
        .unwrap();
    let after = tx.find_lot(lot).await.unwrap().unwrap();
    assert_eq!(
        (after.remaining, after.remaining_value),
        (units(2_000), cents(666))
    );

    let refused = tx.return_to_lot(lot, units(1_001), cents(1)).await;
    assert!(
        matches!(refused, Err(StoreError::Contention(_))),
        "{refused:?}"
    );
    assert_eq!(
        tx.find_lot(lot).await.unwrap().unwrap(),
        after,
        "left as it was"
    );
    tx.return_to_lot(lot, units(1_000), cents(333))
        .await
        .unwrap();
    let full = tx.find_lot(lot).await.unwrap().unwrap();
    assert_eq!(
        (full.remaining, full.remaining_value),
        (units(3_000), cents(999))
    );
    let refused = tx.return_to_lot(lot, units(1), Money::ZERO).await;
    assert!(
        matches!(refused, Err(StoreError::Contention(_))),
        "{refused:?}"
    );
    assert_eq!(
        tx.return_to_lot(LotId::new(999_999), units(1), Money::ZERO)
            .await,
        Err(StoreError::NotFound)
    );
}

/// Two tills completing one held sale: the second waits for the first and deletes nothing.
pub async fn a_held_sale_is_completed_by_one_till_only(store: &SeaStore) {
    const HOLD: Duration = Duration::from_millis(400);
    let mut setup = store.begin().await.unwrap();
    let (user, products) = user_and_products(&mut setup, "tills", 1).await;
    let held = NewHeldSale {
        lines: vec![HeldLine {
            product_id: products[0],
            quantity: units(1_000),
            discount: None,
            unit_price: None,
        }],
        ..oldest_draft(user)
    };
    let held = setup.insert_held_sale(held).await.unwrap().id;
    setup.commit().await.unwrap();

    let mut first = store.begin().await.unwrap();
    assert!(first.delete_held_sale(held).await.unwrap());
    let second_store = store.clone();
    let (began_tx, began) = tokio::sync::oneshot::channel();
    let second = tokio::spawn(async move {
        let mut second = second_store.begin().await.unwrap();
        began_tx.send(()).ok();
        let deleted = second.delete_held_sale(held).await.unwrap();
        second.commit().await.unwrap();
        deleted
    });
    if store.backend_name() == "mysql" {
        began.await.unwrap();
    }
    tokio::time::sleep(HOLD).await;
    assert!(!second.is_finished(), "the second till did not wait");
    first.commit().await.unwrap();
    assert!(!second.await.unwrap(), "only one till completes it");
}

/// A return record for the store's checks: the figures only need to add up (the domain
/// computes real ones); products come from `like`'s lines when the line is not the sale's own.
pub(crate) fn returning(
    sale_id: SaleId,
    like: &Sale,
    lines: &[(SaleLineId, Quantity)],
    credited: Money,
    refunded: Money,
    status: SaleStatus,
) -> pos_domain::sales::returns::NewSaleReturn {
    let refund = credited.minor_units() + refunded.minor_units();
    pos_domain::sales::returns::NewSaleReturn {
        register_id: pos_domain::register::DEFAULT_REGISTER,
        sale_id,
        date: date!(2026 - 11 - 20),
        user_id: like.user_id,
        seller_id: like.user_id,
        customer_id: like.customer_id,
        lines: lines
            .iter()
            .enumerate()
            .map(
                |(i, (id, quantity))| pos_domain::sales::returns::ReturnedLine {
                    sale_line_id: *id,
                    product_id: like
                        .lines
                        .iter()
                        .find(|l| l.id == *id)
                        .unwrap_or(&like.lines[0])
                        .priced
                        .product_id,
                    tax_rate: None,
                    quantity: *quantity,
                    refund: Money::from_minor_units(if i == 0 { refund } else { 0 }),
                    tax: Money::ZERO,
                    cost: Money::ZERO,
                    restocked: true,
                },
            )
            .collect(),
        credited,
        refunded,
        status,
        at: datetime!(2026-11-20 10:00 UTC),
    }
}
