//! Suppliers and purchases on every backend: round trips, the invoice guard, the settlement
//! counters and their CHECK backstops, the list filters, and totals exact past 2^31.
//!
//! On MySQL the checks share one database, so each uses users, SKUs and suppliers of its own
//! and only looks at those.

use crate::support::{new_user, product};
use pos_domain::error::Unique;
use pos_domain::ids::{
    AccountId, PaymentMethodId, ProductId, PurchaseId, PurchaseLineId, SupplierId, UserId,
};
use pos_domain::inventory::line_value;
use pos_domain::ledger::money_events::PaymentMethod;
use pos_domain::paging::{ListQuery, Order, PageRequest};
use pos_domain::ports::{Store, SuppliedProduct, SupplierTotals, Tx};
use pos_domain::purchasing::{
    InvoiceNo, PricedPurchase, PurchaseDraft, PurchaseFilter, PurchaseLineDraft, price_purchase,
};
use pos_domain::quantity::Quantity;
use pos_domain::suppliers::{Address, Phone, SupplierDraft, SupplierFilter, SupplierSort};
use pos_domain::text::{Email, Name};
use pos_domain::{Money, StoreError};
use pos_store::SeaStore;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

const AT: OffsetDateTime = datetime!(2026-11-25 12:00:00.123456 UTC);
/// 2^31: sums beyond it must not be truncated to 32 bits anywhere.
const OVER_I32: i64 = 2_147_483_648;

pub fn supplier(name: &str) -> SupplierDraft {
    SupplierDraft {
        name: Name::new(name).unwrap(),
        phone: None,
        alt_phone: None,
        email: None,
        address: Address::default(),
        note: None,
    }
}

/// `units` thousandths at `cost` cents each.
pub fn line(product: ProductId, thousandths: i64, cost: i64) -> PurchaseLineDraft {
    PurchaseLineDraft {
        product_id: product,
        quantity: Quantity::from_thousandths(thousandths),
        unit_cost: Money::from_minor_units(cost),
    }
}

pub fn priced(
    supplier: SupplierId,
    invoice: &str,
    date: Date,
    user: UserId,
    lines: Vec<PurchaseLineDraft>,
    paid_cents: i64,
) -> PricedPurchase {
    let cash = PaymentMethod {
        id: PaymentMethodId::new(1),
        code: "cash".into(),
        name: Name::new("Cash").unwrap(),
        account_id: AccountId::new(1),
        active: true,
    };
    let payments = if paid_cents == 0 {
        vec![]
    } else {
        vec![(cash, Money::from_minor_units(paid_cents))]
    };
    price_purchase(PurchaseDraft {
        location: pos_domain::location::DEFAULT_LOCATION,
        supplier_id: supplier,
        invoice_no: InvoiceNo::new(invoice).unwrap(),
        date,
        lines,
        payments,
        note: Some(format!("invoice {invoice}")),
        user_id: user,
    })
    .unwrap()
}

/// A user and `count` products whose SKUs start with `prefix`.
pub async fn user_and_products(
    tx: &mut Box<dyn Tx>,
    prefix: &str,
    count: usize,
) -> (UserId, Vec<ProductId>) {
    let user = tx.insert_user(new_user(prefix, AT)).await.unwrap().id;
    let mut products = Vec::new();
    for i in 0..count {
        let draft = product(&format!("{prefix} {i}"), &format!("{prefix}-{i}"), "1.00");
        products.push(tx.insert_product(draft, AT).await.unwrap().id);
    }
    (user, products)
}

pub async fn suppliers_search_sort_and_page(store: &SeaStore) {
    let mut tx = store.begin().await.unwrap();
    let mut acme = supplier("zq Acme Traders");
    acme.phone = Some(Phone::new("+880 1711-000000").unwrap());
    acme.email = Some(Email::new("Sales@Acme.test").unwrap());
    acme.address.city = Some("Dhaka".into());
    acme.note = Some("pays late".into());
    let acme = tx.insert_supplier(acme, AT).await.unwrap();
    let mut beta = supplier("ZQ beta 50% off");
    beta.alt_phone = Some(Phone::new("(02) 555-0199").unwrap());
    let beta = tx.insert_supplier(beta, AT).await.unwrap();
    // Two suppliers may share a name; the id breaks the tie.
    let twin = tx
        .insert_supplier(supplier("zq Acme Traders"), AT)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.find_supplier(acme.id).await.unwrap(), Some(acme.clone()));
    let list = |q: &str, active: Option<bool>, order: Order| ListQuery {
        filter: SupplierFilter {
            q: Some(q.to_owned()),
            active,
        },
        sort: SupplierSort::Name,
        order,
        page: PageRequest::default(),
    };
    let ids = |page: pos_domain::paging::Page<pos_domain::suppliers::Supplier>| {
        page.items.into_iter().map(|s| s.id).collect::<Vec<_>>()
    };
    let all = tx
        .list_suppliers(&list("ZQ", None, Order::Asc))
        .await
        .unwrap();
    assert_eq!(all.total, 3);
    assert_eq!(
        ids(all),
        [acme.id, twin.id, beta.id],
        "by name ignoring case, then id"
    );
    let desc = tx
        .list_suppliers(&list("zq", None, Order::Desc))
        .await
        .unwrap();
    assert_eq!(
        ids(desc),
        [beta.id, acme.id, twin.id],
        "ties stay by ascending id"
    );
    for (q, expected) in [
        ("1711", vec![acme.id]),
        ("sales@acme", vec![acme.id]),
        ("555-01", vec![beta.id]),
        ("50%", vec![beta.id]),
        ("%", vec![beta.id]),
        ("zq_", vec![]),
    ] {
        let found = tx.list_suppliers(&list(q, None, Order::Asc)).await.unwrap();
        assert_eq!(ids(found), expected, "search {q:?}");
    }

    let mut changed = supplier("zq Acme Trading");
    changed.phone = Some(Phone::new("0171 1000 000").unwrap());
    let later = datetime!(2026-11-26 08:00:00 UTC);
    let updated = tx
        .update_supplier(acme.id, changed.clone(), later)
        .await
        .unwrap();
    assert_eq!(updated.draft, changed);
    assert_eq!(
        (updated.created_at, updated.updated_at),
        (acme.created_at, later)
    );
    let inactive = tx.set_supplier_active(twin.id, false, later).await.unwrap();
    assert!(!inactive.active);
    let active = tx
        .list_suppliers(&list("zq", Some(true), Order::Asc))
        .await
        .unwrap();
    assert_eq!(ids(active), [acme.id, beta.id]);
    let inactive = tx
        .list_suppliers(&list("zq", Some(false), Order::Asc))
        .await
        .unwrap();
    assert_eq!(ids(inactive), [twin.id]);
    let paged = ListQuery {
        page: PageRequest::new(Some(2), Some(2)),
        ..list("zq", None, Order::Asc)
    };
    let second = tx.list_suppliers(&paged).await.unwrap();
    assert_eq!((second.total, second.items.len()), (3, 1));

    let missing = SupplierId::new(999_999);
    assert_eq!(tx.find_supplier(missing).await.unwrap(), None);
    assert_eq!(
        tx.update_supplier(missing, supplier("x"), later)
            .await
            .unwrap_err(),
        StoreError::NotFound
    );
    assert_eq!(
        tx.set_supplier_active(missing, true, later)
            .await
            .unwrap_err(),
        StoreError::NotFound
    );
}

pub async fn purchases_round_trip_and_settle_within_their_totals(store: &SeaStore) {
    let mut tx = store.begin().await.unwrap();
    let (user, products) = user_and_products(&mut tx, "buyer", 2).await;
    let acme = tx
        .insert_supplier(supplier("Settle Acme"), AT)
        .await
        .unwrap()
        .id;
    let other = tx
        .insert_supplier(supplier("Settle Other"), AT)
        .await
        .unwrap()
        .id;
    // 10 x 8.50 + 1.5 x 3.33 (4.995, half up to 5.00) = 90.00, 50.00 paid at receipt.
    let lines = vec![
        line(products[1], 10_000, 850),
        line(products[0], 1_500, 333),
    ];
    let first = priced(acme, "INV-1", date!(2026 - 11 - 01), user, lines, 5_000);
    let stored = tx.insert_purchase(&first, AT).await.unwrap();
    assert_eq!(
        (stored.total, stored.paid, stored.credited, stored.due()),
        (
            Money::from_minor_units(9_000),
            Money::from_minor_units(5_000),
            Money::ZERO,
            Money::from_minor_units(4_000)
        )
    );
    let products_in_order: Vec<_> = stored.lines.iter().map(|l| l.product_id).collect();
    assert_eq!(
        products_in_order,
        [products[1], products[0]],
        "lines keep their order"
    );
    assert_eq!(stored.lines[1].total, Money::from_minor_units(500));
    assert_eq!(stored.note.as_deref(), Some("invoice INV-1"));
    assert_eq!(
        (stored.created_at, stored.date),
        (AT, date!(2026 - 11 - 01))
    );
    assert_eq!(
        tx.find_purchase(stored.id).await.unwrap(),
        Some(stored.clone())
    );

    // The invoice guard is per supplier.
    let again = priced(
        acme,
        "INV-1",
        date!(2026 - 11 - 02),
        user,
        vec![line(products[0], 1_000, 1)],
        0,
    );
    assert_eq!(
        tx.insert_purchase(&again, AT).await.unwrap_err(),
        StoreError::Duplicate(Unique::PurchaseInvoice)
    );
    let elsewhere = priced(
        other,
        "INV-1",
        date!(2026 - 11 - 03),
        user,
        vec![line(products[0], 1_000, 100)],
        0,
    );
    let elsewhere = tx.insert_purchase(&elsewhere, AT).await.unwrap();
    let nobody = priced(
        SupplierId::new(999_999),
        "INV-9",
        date!(2026 - 11 - 03),
        user,
        vec![line(products[0], 1_000, 1)],
        0,
    );
    assert_eq!(
        tx.insert_purchase(&nobody, AT).await.unwrap_err(),
        StoreError::MissingReference("supplier_id")
    );
    let nothing = priced(
        acme,
        "INV-9",
        date!(2026 - 11 - 03),
        user,
        vec![line(ProductId::new(999_999), 1_000, 1)],
        0,
    );
    assert_eq!(
        tx.insert_purchase(&nothing, AT).await.unwrap_err(),
        StoreError::MissingReference("product_id")
    );
    let second = priced(
        acme,
        "INV-2",
        date!(2026 - 10 - 15),
        user,
        vec![line(products[0], 2_000, 1_000)],
        0,
    );
    let second = tx.insert_purchase(&second, AT).await.unwrap();
    let third = priced(
        acme,
        "INV-3",
        date!(2026 - 11 - 01),
        user,
        vec![line(products[0], 1_000, 700)],
        700,
    );
    let third = tx.insert_purchase(&third, AT).await.unwrap();

    // Open purchases: something owed, oldest date first, then id.
    let open: Vec<_> = tx
        .open_purchases(acme)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(open, [second.id, stored.id]);

    tx.add_purchase_payment(stored.id, Money::from_minor_units(1_000))
        .await
        .unwrap();
    tx.add_purchase_credit(stored.id, Money::from_minor_units(500))
        .await
        .unwrap();
    let line_id = stored.lines[0].id;
    tx.add_line_returned(line_id, Quantity::from_thousandths(2_000))
        .await
        .unwrap();
    // Adding zero changes nothing but still finds the row (MySQL's affected-rows trap).
    tx.add_purchase_payment(stored.id, Money::ZERO)
        .await
        .unwrap();
    let settled = tx.find_purchase(stored.id).await.unwrap().unwrap();
    assert_eq!(
        (settled.paid, settled.credited, settled.due()),
        (
            Money::from_minor_units(6_000),
            Money::from_minor_units(500),
            Money::from_minor_units(2_500)
        )
    );
    assert_eq!(settled.lines[0].returned, Quantity::from_thousandths(2_000));

    // The CHECKs refuse paying or crediting past the total and returning more than came in;
    // the refused statement leaves the row as it was.
    let overpay = tx
        .add_purchase_payment(stored.id, Money::from_minor_units(2_501))
        .await;
    assert!(
        matches!(overpay, Err(StoreError::Backend(_))),
        "{overpay:?}"
    );
    let overcredit = tx
        .add_purchase_credit(stored.id, Money::from_minor_units(2_501))
        .await;
    assert!(
        matches!(overcredit, Err(StoreError::Backend(_))),
        "{overcredit:?}"
    );
    let overreturn = tx
        .add_line_returned(line_id, Quantity::from_thousandths(8_001))
        .await;
    assert!(
        matches!(overreturn, Err(StoreError::Backend(_))),
        "{overreturn:?}"
    );
    assert_eq!(tx.find_purchase(stored.id).await.unwrap(), Some(settled));
    for missing in [
        tx.add_purchase_payment(PurchaseId::new(999_999), Money::from_minor_units(1))
            .await,
        tx.add_purchase_credit(PurchaseId::new(999_999), Money::from_minor_units(1))
            .await,
        tx.add_line_returned(PurchaseLineId::new(999_999), Quantity::from_thousandths(1))
            .await,
    ] {
        assert_eq!(missing, Err(StoreError::NotFound));
    }

    // Paying off the rest closes it.
    tx.add_purchase_payment(stored.id, Money::from_minor_units(2_500))
        .await
        .unwrap();
    let open: Vec<_> = tx
        .open_purchases(acme)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(open, [second.id]);

    let query = |filter: PurchaseFilter, order: Order| ListQuery {
        filter,
        sort: (),
        order,
        page: PageRequest::default(),
    };
    let of_acme = PurchaseFilter {
        supplier_id: Some(acme),
        ..PurchaseFilter::default()
    };
    let ids = |page: pos_domain::paging::Page<pos_domain::purchasing::Purchase>| {
        page.items.into_iter().map(|p| p.id).collect::<Vec<_>>()
    };
    let asc = tx
        .list_purchases(&query(of_acme.clone(), Order::Asc))
        .await
        .unwrap();
    assert_eq!(
        asc.items[1].lines.len(),
        2,
        "a listed purchase carries its lines"
    );
    assert_eq!(ids(asc), [second.id, stored.id, third.id]);
    let desc = tx
        .list_purchases(&query(of_acme.clone(), Order::Desc))
        .await
        .unwrap();
    assert_eq!(
        ids(desc),
        [third.id, stored.id, second.id],
        "date, then id, both descending"
    );
    let november = PurchaseFilter {
        from: Some(date!(2026 - 11 - 01)),
        to: Some(date!(2026 - 11 - 03)),
        ..PurchaseFilter::default()
    };
    let in_november = tx
        .list_purchases(&query(november.clone(), Order::Asc))
        .await
        .unwrap();
    assert_eq!(ids(in_november), [stored.id, third.id, elsewhere.id]);
    let open_only = PurchaseFilter {
        open_only: true,
        ..november
    };
    let open = tx
        .list_purchases(&query(open_only, Order::Asc))
        .await
        .unwrap();
    assert_eq!(ids(open), [elsewhere.id]);
    let paged = ListQuery {
        page: PageRequest::new(Some(2), Some(2)),
        ..query(of_acme, Order::Asc)
    };
    let page = tx.list_purchases(&paged).await.unwrap();
    assert_eq!((page.total, ids(page)), (3, vec![third.id]));
}

pub async fn supplier_sums_are_exact_past_32_bits(store: &SeaStore) {
    let mut tx = store.begin().await.unwrap();
    let (user, products) = user_and_products(&mut tx, "bulk", 2).await;
    let bulk = tx
        .insert_supplier(supplier("Sums Bulk"), AT)
        .await
        .unwrap()
        .id;
    let idle = tx
        .insert_supplier(supplier("Sums Idle"), AT)
        .await
        .unwrap()
        .id;
    // 3 x 2^31 thousandths (~6.4 million units) at 1.00, and 1 unit at 3 x 2^31 cents.
    let big = 3 * OVER_I32;
    let first = priced(
        bulk,
        "BIG-1",
        date!(2026 - 11 - 01),
        user,
        vec![line(products[0], big, 100), line(products[1], 1_000, big)],
        OVER_I32,
    );
    let first = tx.insert_purchase(&first, AT).await.unwrap();
    let second = priced(
        bulk,
        "BIG-2",
        date!(2026 - 11 - 02),
        user,
        vec![line(products[0], OVER_I32, 100)],
        0,
    );
    tx.insert_purchase(&second, AT).await.unwrap();
    tx.add_purchase_credit(first.id, Money::from_minor_units(OVER_I32 + 7))
        .await
        .unwrap();
    tx.add_line_returned(first.lines[0].id, Quantity::from_thousandths(OVER_I32 + 3))
        .await
        .unwrap();

    let value = |thousandths, cents| {
        line_value(
            Quantity::from_thousandths(thousandths),
            Money::from_minor_units(cents),
        )
        .unwrap()
        .minor_units()
    };
    let (line_a, line_b, line_c) = (value(big, 100), big, value(OVER_I32, 100));
    let purchased = line_a + line_b + line_c;
    assert_eq!(
        tx.supplier_totals(bulk).await.unwrap(),
        SupplierTotals {
            purchases: 2,
            purchased: Money::from_minor_units(purchased),
            paid: Money::from_minor_units(OVER_I32),
            credited: Money::from_minor_units(OVER_I32 + 7),
            due: Money::from_minor_units(purchased - 2 * OVER_I32 - 7),
        }
    );
    assert_eq!(
        tx.supplier_totals(idle).await.unwrap(),
        SupplierTotals {
            purchases: 0,
            purchased: Money::ZERO,
            paid: Money::ZERO,
            credited: Money::ZERO,
            due: Money::ZERO,
        },
        "no purchases: zeros, not an error"
    );
    assert_eq!(
        tx.supplied_products(bulk).await.unwrap(),
        vec![
            SuppliedProduct {
                product_id: products[0],
                quantity: Quantity::from_thousandths(big + OVER_I32),
                returned: Quantity::from_thousandths(OVER_I32 + 3),
                total: Money::from_minor_units(line_a + line_c),
                purchases: 2,
            },
            SuppliedProduct {
                product_id: products[1],
                quantity: Quantity::from_thousandths(1_000),
                returned: Quantity::ZERO,
                total: Money::from_minor_units(line_b),
                purchases: 1,
            },
        ]
    );
    assert_eq!(tx.supplied_products(idle).await.unwrap(), vec![]);
}
