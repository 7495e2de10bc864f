//! FIFO inventory on every backend: lots that cannot be overdrawn, stock values exact past
//! 2^31, the inventory log's filters, and `lock_products` making a second locker wait.
//!
//! On MySQL the checks share one database, so each uses users and SKUs of its own and only
//! looks at those.

use crate::purchasing_checks::{line, priced, supplier, user_and_products};
use pos_domain::ids::{LotId, ProductId, PurchaseLineId, UserId};
use pos_domain::inventory::{Lot, MovementFilter, MovementKind, NewLot, NewMovement};
use pos_domain::paging::{ListQuery, Order, PageRequest};
use pos_domain::ports::{StockValue, Store, Tx};
use pos_domain::quantity::Quantity;
use pos_domain::{Money, StoreError};
use pos_store::SeaStore;
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use time::macros::{date, datetime};

const AT: OffsetDateTime = datetime!(2026-11-25 12:00:00.123456 UTC);
/// 2^31: sums beyond it must not be truncated to 32 bits anywhere.
const OVER_I32: i64 = 2_147_483_648;

fn found_lot(product: ProductId, thousandths: i64, cost: i64) -> NewLot {
    NewLot {
        location: pos_domain::location::DEFAULT_LOCATION,
        product_id: product,
        purchase_line_id: None,
        quantity: Quantity::from_thousandths(thousandths),
        unit_cost: Money::from_minor_units(cost),
        received_at: AT,
        carried_value: None,
    }
}

async fn lot(tx: &mut Box<dyn Tx>, id: LotId) -> Lot {
    tx.find_lot(id).await.unwrap().unwrap()
}

pub async fn a_lot_is_never_overdrawn(store: &SeaStore) {
    let mut tx = store.begin().await.unwrap();
    let (_, products) = user_and_products(&mut tx, "overdraw", 1).await;
    // 3 units for 10.00.
    let created = tx
        .insert_lot(found_lot(products[0], 3_000, 333))
        .await
        .unwrap();
    assert_eq!(
        (created.remaining, created.remaining_value),
        (
            Quantity::from_thousandths(3_000),
            Money::from_minor_units(999)
        )
    );
    tx.take_from_lot(
        created.id,
        Quantity::from_thousandths(1_000),
        Money::from_minor_units(333),
    )
    .await
    .unwrap();
    let before = lot(&mut tx, created.id).await;
    assert_eq!(
        (before.remaining, before.remaining_value),
        (
            Quantity::from_thousandths(2_000),
            Money::from_minor_units(666)
        )
    );

    // More units than remain, more value than remains: refused as contention, and the lot
    // is left exactly as it was.
    for (quantity, value) in [(2_001, 1), (1, 667), (2_001, 667)] {
        let refused = tx
            .take_from_lot(
                created.id,
                Quantity::from_thousandths(quantity),
                Money::from_minor_units(value),
            )
            .await;
        assert!(
            matches!(refused, Err(StoreError::Contention(_))),
            "{refused:?}"
        );
        assert_eq!(lot(&mut tx, created.id).await, before);
    }
    let missing = tx
        .take_from_lot(
            LotId::new(999_999),
            Quantity::from_thousandths(1),
            Money::ZERO,
        )
        .await;
    assert_eq!(missing, Err(StoreError::NotFound), "no such lot");

    // Everything that remains can be taken, once.
    tx.take_from_lot(created.id, before.remaining, before.remaining_value)
        .await
        .unwrap();
    let empty = lot(&mut tx, created.id).await;
    assert_eq!(
        (empty.remaining, empty.remaining_value),
        (Quantity::ZERO, Money::ZERO)
    );
    assert_eq!(empty.received, Quantity::from_thousandths(3_000));
    let again = tx
        .take_from_lot(created.id, Quantity::from_thousandths(1), Money::ZERO)
        .await;
    assert!(matches!(again, Err(StoreError::Contention(_))), "{again:?}");
    assert_eq!(tx.open_lots(products[0]).await.unwrap(), vec![]);
}

pub async fn lots_and_stock_values_are_exact_past_32_bits(store: &SeaStore) {
    let mut tx = store.begin().await.unwrap();
    let (user, products) = user_and_products(&mut tx, "lots", 3).await;
    let (p, q, untouched) = (products[0], products[1], products[2]);
    let acme = tx
        .insert_supplier(supplier("Lots Acme"), AT)
        .await
        .unwrap()
        .id;
    let purchase = priced(
        acme,
        "LOT-1",
        date!(2026 - 11 - 01),
        user,
        vec![line(p, 2_000, 250)],
        0,
    );
    let purchase = tx.insert_purchase(&purchase, AT).await.unwrap();
    let line_id = purchase.lines[0].id;

    let first = tx
        .insert_lot(NewLot {
            location: pos_domain::location::DEFAULT_LOCATION,
            purchase_line_id: Some(line_id),
            ..found_lot(p, 2_000, 250)
        })
        .await
        .unwrap();
    assert_eq!(
        tx.lot_of_purchase_line(line_id).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(tx.find_lot(first.id).await.unwrap(), Some(first.clone()));
    // 3 x 2^31 thousandths at 1.00 (value 3 x 2^31 / 10 cents) and 1 unit worth 3 x 2^31 cents.
    let big = tx
        .insert_lot(found_lot(p, 3 * OVER_I32, 100))
        .await
        .unwrap();
    let dear = tx
        .insert_lot(found_lot(p, 1_000, 3 * OVER_I32))
        .await
        .unwrap();
    let other = tx.insert_lot(found_lot(q, OVER_I32, 7)).await.unwrap();
    // Drain the first lot: it stays in the product's lots, not in the open ones.
    tx.take_from_lot(first.id, first.remaining, first.remaining_value)
        .await
        .unwrap();

    let ids = |lots: Vec<Lot>| lots.into_iter().map(|l| l.id).collect::<Vec<_>>();
    assert_eq!(
        ids(tx.open_lots(p).await.unwrap()),
        [big.id, dear.id],
        "FIFO order"
    );
    assert_eq!(
        ids(tx.product_lots(p).await.unwrap()),
        [first.id, big.id, dear.id]
    );
    assert_eq!(tx.product_lots(untouched).await.unwrap(), vec![]);
    assert_eq!(
        tx.last_unit_cost(p).await.unwrap(),
        Some(Money::from_minor_units(3 * OVER_I32)),
        "the latest lot's cost"
    );
    assert_eq!(tx.last_unit_cost(untouched).await.unwrap(), None);

    let p_value = big.remaining_value.minor_units() + 3 * OVER_I32;
    let p_stock = StockValue {
        product_id: p,
        on_hand: Quantity::from_thousandths(3 * OVER_I32 + 1_000),
        value: Money::from_minor_units(p_value),
    };
    let q_stock = StockValue {
        product_id: q,
        on_hand: Quantity::from_thousandths(OVER_I32),
        value: other.remaining_value,
    };
    let all = tx.stock_values(None).await.unwrap();
    let mine: Vec<_> = all
        .into_iter()
        .filter(|s| products.contains(&s.product_id))
        .collect();
    assert_eq!(
        mine,
        vec![p_stock.clone(), q_stock],
        "products with lots, by id"
    );
    assert_eq!(tx.stock_values(Some(p)).await.unwrap(), vec![p_stock]);
    assert_eq!(tx.stock_values(Some(untouched)).await.unwrap(), vec![]);

    tx.set_stock(p, Quantity::from_thousandths(3 * OVER_I32 + 1_000))
        .await
        .unwrap();
    // Setting the value it already has still finds the product (MySQL's affected-rows trap).
    tx.set_stock(p, Quantity::from_thousandths(3 * OVER_I32 + 1_000))
        .await
        .unwrap();
    assert_eq!(
        tx.set_stock(ProductId::new(999_999), Quantity::ZERO).await,
        Err(StoreError::NotFound)
    );
    let locked = tx
        .lock_products(&[untouched, ProductId::new(999_999), p, p])
        .await
        .unwrap();
    let locked_ids: Vec<_> = locked.iter().map(|p| p.id).collect();
    assert_eq!(
        locked_ids,
        [p, untouched],
        "those that exist, by id, once each"
    );
    assert_eq!(
        locked[0].stock_on_hand,
        Quantity::from_thousandths(3 * OVER_I32 + 1_000)
    );
    assert_eq!(tx.lock_products(&[]).await.unwrap(), vec![]);

    assert_eq!(
        tx.insert_lot(found_lot(ProductId::new(999_999), 1, 1))
            .await,
        Err(StoreError::MissingReference("product_id"))
    );
    let stray_line = NewLot {
        location: pos_domain::location::DEFAULT_LOCATION,
        purchase_line_id: Some(PurchaseLineId::new(999_999)),
        ..found_lot(p, 1, 1)
    };
    assert_eq!(
        tx.insert_lot(stray_line).await,
        Err(StoreError::MissingReference("purchase_line_id"))
    );
    let second_for_line = NewLot {
        location: pos_domain::location::DEFAULT_LOCATION,
        purchase_line_id: Some(line_id),
        ..found_lot(p, 1, 1)
    };
    let refused = tx.insert_lot(second_for_line).await;
    assert!(
        matches!(refused, Err(StoreError::Backend(_))),
        "one lot per line: {refused:?}"
    );
}

fn movement(
    product: ProductId,
    user: UserId,
    kind: MovementKind,
    at: OffsetDateTime,
) -> NewMovement {
    NewMovement {
        product_id: product,
        kind,
        before: Quantity::from_thousandths(1_000),
        after: Quantity::from_thousandths(3_500),
        reference_id: Some(42),
        reason: Some(format!("{kind} at {at}")),
        user_id: user,
        at,
        // The business day a till in UTC would give it.
        day: at.to_offset(time::UtcOffset::UTC).date(),
        location: pos_domain::location::DEFAULT_LOCATION,
    }
}

pub async fn movements_filter_by_utc_day_and_list_in_sequence(store: &SeaStore) {
    let mut tx = store.begin().await.unwrap();
    let (user, products) = user_and_products(&mut tx, "moves", 2).await;
    let (p, q) = (products[0], products[1]);
    // 02:30 in Dhaka is still the previous day in UTC.
    let late_on_24th = datetime!(2026-11-25 02:30 +06:00);
    let on_25th = datetime!(2026-11-25 09:00:00.000001 UTC);
    let on_26th = datetime!(2026-11-26 00:00 UTC);
    let a = tx
        .insert_movement(movement(p, user, MovementKind::Purchase, on_25th))
        .await
        .unwrap();
    let b = tx
        .insert_movement(movement(p, user, MovementKind::Sale, late_on_24th))
        .await
        .unwrap();
    let c = tx
        .insert_movement(movement(q, user, MovementKind::Adjustment, on_26th))
        .await
        .unwrap();
    // Stamped with `a`'s instant: the sequence is the ids, whatever the times say.
    let d = tx
        .insert_movement(movement(p, user, MovementKind::SupplierReturn, on_25th))
        .await
        .unwrap();
    assert_eq!(
        b.movement,
        movement(p, user, MovementKind::Sale, late_on_24th)
    );
    assert_eq!(a.movement.change_thousandths(), 2_500);
    assert_eq!(
        tx.insert_movement(movement(
            ProductId::new(999_999),
            user,
            MovementKind::Sale,
            on_25th
        ))
        .await,
        Err(StoreError::MissingReference("product_id"))
    );

    let list = |filter: MovementFilter, order: Order| ListQuery {
        filter,
        sort: (),
        order,
        page: PageRequest::default(),
    };
    let of = |product| MovementFilter {
        product_id: Some(product),
        ..MovementFilter::default()
    };
    let ids = |page: pos_domain::paging::Page<pos_domain::inventory::Movement>| {
        page.items.into_iter().map(|m| m.id).collect::<Vec<_>>()
    };
    let asc = tx.list_movements(&list(of(p), Order::Asc)).await.unwrap();
    assert_eq!(asc.items[1], b, "read back whole");
    assert_eq!(ids(asc), [a.id, b.id, d.id], "in sequence, not by time");
    let desc = tx.list_movements(&list(of(p), Order::Desc)).await.unwrap();
    assert_eq!(ids(desc), [d.id, b.id, a.id]);
    let on_24th = MovementFilter {
        from: Some(date!(2026 - 11 - 24)),
        to: Some(date!(2026 - 11 - 24)),
        ..of(p)
    };
    assert_eq!(
        ids(tx.list_movements(&list(on_24th, Order::Asc)).await.unwrap()),
        [b.id]
    );
    let from_25th = MovementFilter {
        from: Some(date!(2026 - 11 - 25)),
        ..MovementFilter::default()
    };
    let later = tx
        .list_movements(&list(from_25th, Order::Asc))
        .await
        .unwrap();
    let later: Vec<_> = later
        .items
        .into_iter()
        .filter(|m| products.contains(&m.movement.product_id))
        .map(|m| m.id)
        .collect();
    assert_eq!(later, [a.id, c.id, d.id]);
    let sales = MovementFilter {
        kind: Some(MovementKind::Sale),
        ..of(p)
    };
    assert_eq!(
        ids(tx.list_movements(&list(sales, Order::Asc)).await.unwrap()),
        [b.id]
    );
    let paged = ListQuery {
        page: PageRequest::new(Some(2), Some(2)),
        ..list(of(p), Order::Asc)
    };
    let page = tx.list_movements(&paged).await.unwrap();
    assert_eq!((page.total, ids(page)), (3, vec![d.id]));
}

/// Locks a product in one transaction and shows that a second `lock_products` waits until the
/// first commits, then reads what it committed; a plain read meanwhile is not blocked. On
/// SQLite the second writer already waits in `BEGIN IMMEDIATE`, which proves the same.
pub async fn lock_products_makes_a_second_locker_wait(store: &SeaStore) {
    const HOLD: Duration = Duration::from_millis(400);
    let mut setup = store.begin().await.unwrap();
    let (_, products) = user_and_products(&mut setup, "locker", 1).await;
    setup.commit().await.unwrap();
    let p = products[0];

    let mut first = store.begin().await.unwrap();
    assert_eq!(first.lock_products(&[p]).await.unwrap().len(), 1);
    first
        .set_stock(p, Quantity::from_thousandths(5_000))
        .await
        .unwrap();

    let second_store = store.clone();
    let (began_tx, began) = tokio::sync::oneshot::channel();
    let second = tokio::spawn(async move {
        let started = Instant::now();
        let mut second = second_store.begin().await.unwrap();
        began_tx.send(()).ok();
        let locked = second.lock_products(&[p]).await.unwrap();
        let waited = started.elapsed();
        second
            .set_stock(p, Quantity::from_thousandths(7_000))
            .await
            .unwrap();
        second.commit().await.unwrap();
        (locked[0].stock_on_hand, waited)
    });
    if store.backend_name() == "mysql" {
        // MySQL: BEGIN does not wait; the locking read must.
        began.await.unwrap();
        let mut reader = store.begin_read().await.unwrap();
        let seen = reader.find_product(p).await.unwrap().unwrap();
        assert_eq!(
            seen.stock_on_hand,
            Quantity::ZERO,
            "plain reads are not blocked"
        );
        drop(reader);
    }
    tokio::time::sleep(HOLD).await;
    assert!(!second.is_finished(), "the second locker did not wait");
    first.commit().await.unwrap();

    let (seen, waited) = second.await.unwrap();
    assert_eq!(
        seen,
        Quantity::from_thousandths(5_000),
        "it read the first commit"
    );
    assert!(waited >= HOLD, "waited only {waited:?}");
    let mut tx = store.begin_read().await.unwrap();
    let after = tx.find_product(p).await.unwrap().unwrap();
    assert_eq!(after.stock_on_hand, Quantity::from_thousandths(7_000));
}
