//! The suppliers, purchasing and inventory part of the port contract.

use pos_domain::catalog::{ProductDraft, ProductStatus, Unit};
use pos_domain::error::{StoreError, Unique};
use pos_domain::ids::{ProductId, PurchaseId, SupplierId, UserId};
use pos_domain::inventory::{MovementFilter, MovementKind, NewLot, NewMovement};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, Order, PageRequest};
use pos_domain::ports::{Store, Tx};
use pos_domain::purchasing::{
    InvoiceNo, PricedPurchase, PurchaseDraft, PurchaseFilter, PurchaseLineDraft, price_purchase,
};
use pos_domain::quantity::Quantity;
use pos_domain::suppliers::{Address, Phone, SupplierDraft, SupplierFilter, SupplierSort};
use pos_domain::text::{Email, Name, Sku, Username};
use pos_domain::user::{NewUser, PasswordHash, Role};
use time::macros::date;
use time::{Date, Duration, OffsetDateTime};

fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

fn m(cents: i64) -> Money {
    Money::from_minor_units(cents)
}

fn q(thousandths: i64) -> Quantity {
    Quantity::from_thousandths(thousandths)
}

fn supplier(name: &str) -> SupplierDraft {
    SupplierDraft {
        name: Name::new(name).unwrap(),
        phone: Some(Phone::new("+880 1711-000000").unwrap()),
        alt_phone: None,
        email: Some(
            Email::new(&format!(
                "{}@supply.test",
                name.to_lowercase().replace(' ', "")
            ))
            .unwrap(),
        ),
        address: Address {
            city: Some("Dhaka".into()),
            country: Some("BD".into()),
            ..Default::default()
        },
        note: None,
    }
}

async fn setup(tx: &mut dyn Tx) -> (UserId, SupplierId, Vec<ProductId>) {
    let user = tx
        .insert_user(NewUser {
            username: Username::new("buyer").unwrap(),
            email: Email::new("buyer@shop.test").unwrap(),
            name: Name::new("Buyer").unwrap(),
            role: Role::Manager,
            password_hash: PasswordHash::from_hash("x".into()),
            at: now(),
        })
        .await
        .unwrap();
    let s = tx.insert_supplier(supplier("Leafy"), now()).await.unwrap();
    let mut products = Vec::new();
    for sku in ["P-1", "P-2"] {
        let draft = ProductDraft {
            name: Name::new(sku).unwrap(),
            sku: Sku::new(sku).unwrap(),
            barcode: None,
            brand_id: None,
            category_id: None,
            tax_rate_id: None,
            price: m(100),
            reorder_level: Quantity::ZERO,
            unit: Unit::Piece,
            status: ProductStatus::Active,
            description: None,
        };
        products.push(tx.insert_product(draft, now()).await.unwrap().id);
    }
    (user.id, s.id, products)
}

fn purchase(
    user: UserId,
    supplier: SupplierId,
    invoice: &str,
    day: Date,
    lines: &[(ProductId, i64, i64)],
) -> PricedPurchase {
    price_purchase(PurchaseDraft {
        location: pos_domain::location::DEFAULT_LOCATION,
        supplier_id: supplier,
        invoice_no: InvoiceNo::new(invoice).unwrap(),
        date: day,
        lines: lines
            .iter()
            .map(|(p, qty, cost)| PurchaseLineDraft {
                product_id: *p,
                quantity: q(*qty),
                unit_cost: m(*cost),
            })
            .collect(),
        payments: Vec::new(),
        note: Some("n".into()),
        user_id: user,
    })
    .unwrap()
}

pub async fn suppliers_round_trip_search_and_deactivate(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let a = tx
        .insert_supplier(supplier("Acme Foods"), now())
        .await
        .unwrap();
    tx.insert_supplier(supplier("Zeta Traders"), now())
        .await
        .unwrap();
    assert_eq!(tx.find_supplier(a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(a.draft.address.city.as_deref(), Some("Dhaka"));
    let later = now() + Duration::minutes(1);
    let renamed = tx
        .update_supplier(
            a.id,
            SupplierDraft {
                name: Name::new("Acme Foods BD").unwrap(),
                ..supplier("Acme Foods")
            },
            later,
        )
        .await
        .unwrap();
    assert_eq!(
        (
            renamed.draft.name.as_str(),
            renamed.updated_at,
            renamed.created_at
        ),
        ("Acme Foods BD", later, now())
    );
    let off = tx.set_supplier_active(a.id, false, later).await.unwrap();
    assert!(!off.active);
    assert_eq!(
        tx.update_supplier(SupplierId::new(a.id.get() + 1000), supplier("X"), later)
            .await,
        Err(StoreError::NotFound)
    );
    let list = |q: Option<&str>, active| ListQuery {
        filter: SupplierFilter {
            q: q.map(str::to_owned),
            active,
        },
        sort: SupplierSort::Name,
        order: Order::Asc,
        page: PageRequest::default(),
    };
    let found = tx.list_suppliers(&list(Some("acme"), None)).await.unwrap();
    assert_eq!(found.items.iter().map(|s| s.id).collect::<Vec<_>>(), [a.id]);
    assert_eq!(
        tx.list_suppliers(&list(Some("1711"), None))
            .await
            .unwrap()
            .total,
        2,
        "phones are searched"
    );
    assert_eq!(
        tx.list_suppliers(&list(None, Some(true)))
            .await
            .unwrap()
            .total,
        1
    );
}

pub async fn purchases_store_lines_and_enforce_invoice_uniqueness(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let (user, s, p) = setup(tx.as_mut()).await;
    let priced = purchase(
        user,
        s,
        "INV-1",
        date!(2026 - 11 - 01),
        &[(p[0], 10_000, 200), (p[1], 1_500, 333)],
    );
    let stored = tx.insert_purchase(&priced, now()).await.unwrap();
    assert_eq!(
        (stored.total, stored.paid, stored.credited, stored.due()),
        (m(2_500), m(0), m(0), m(2_500))
    );
    assert_eq!(stored.lines.len(), 2);
    assert_eq!(
        (
            stored.lines[1].product_id,
            stored.lines[1].quantity,
            stored.lines[1].total,
            stored.lines[1].returned
        ),
        (p[1], q(1_500), m(500), Quantity::ZERO)
    );
    assert_eq!(
        tx.find_purchase(stored.id).await.unwrap(),
        Some(stored.clone())
    );
    let again = tx.insert_purchase(&priced, now()).await;
    assert_eq!(
        again.err(),
        Some(StoreError::Duplicate(Unique::PurchaseInvoice))
    );
    let other = tx.insert_supplier(supplier("Other"), now()).await.unwrap();
    tx.insert_purchase(
        &purchase(
            user,
            other.id,
            "INV-1",
            date!(2026 - 11 - 02),
            &[(p[0], 1_000, 100)],
        ),
        now(),
    )
    .await
    .unwrap();
    let ghost = purchase(
        user,
        s,
        "INV-9",
        date!(2026 - 11 - 01),
        &[(ProductId::new(p[1].get() + 1000), 1_000, 1)],
    );
    assert_eq!(
        tx.insert_purchase(&ghost, now()).await.err(),
        Some(StoreError::MissingReference("product_id"))
    );
    let by_supplier = ListQuery {
        filter: PurchaseFilter {
            supplier_id: Some(s),
            ..Default::default()
        },
        sort: (),
        order: Order::Desc,
        page: PageRequest::default(),
    };
    let listed = tx.list_purchases(&by_supplier).await.unwrap();
    assert_eq!((listed.total, listed.items[0].lines.len()), (1, 2));
    assert_eq!(
        tx.find_purchase(PurchaseId::new(stored.id.get() + 1000))
            .await
            .unwrap(),
        None
    );
}

pub async fn payments_credits_and_returns_update_what_is_owed(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let (user, s, p) = setup(tx.as_mut()).await;
    let newer = tx
        .insert_purchase(
            &purchase(user, s, "B", date!(2026 - 11 - 05), &[(p[0], 1_000, 1_000)]),
            now(),
        )
        .await
        .unwrap();
    let older = tx
        .insert_purchase(
            &purchase(
                user,
                s,
                "A",
                date!(2026 - 11 - 01),
                &[(p[0], 2_000, 1_000), (p[1], 1_000, 300)],
            ),
            now(),
        )
        .await
        .unwrap();
    let open = tx.open_purchases(s).await.unwrap();
    assert_eq!(
        open.iter().map(|o| o.id).collect::<Vec<_>>(),
        [older.id, newer.id],
        "oldest date first"
    );
    tx.add_purchase_payment(older.id, m(1_000)).await.unwrap();
    tx.add_purchase_credit(older.id, m(300)).await.unwrap();
    tx.add_line_returned(older.lines[1].id, q(1_000))
        .await
        .unwrap();
    tx.add_purchase_payment(newer.id, m(1_000)).await.unwrap();
    let read = tx.find_purchase(older.id).await.unwrap().unwrap();
    assert_eq!(
        (read.paid, read.credited, read.due(), read.lines[1].returned),
        (m(1_000), m(300), m(1_000), q(1_000))
    );
    assert_eq!(
        tx.open_purchases(s)
            .await
            .unwrap()
            .iter()
            .map(|o| o.id)
            .collect::<Vec<_>>(),
        [older.id],
        "paid purchases are closed"
    );
    let open_only = ListQuery {
        filter: PurchaseFilter {
            open_only: true,
            ..Default::default()
        },
        sort: (),
        order: Order::Asc,
        page: PageRequest::default(),
    };
    assert_eq!(tx.list_purchases(&open_only).await.unwrap().total, 1);
    let totals = tx.supplier_totals(s).await.unwrap();
    assert_eq!(
        (
            totals.purchases,
            totals.purchased,
            totals.paid,
            totals.credited,
            totals.due
        ),
        (2, m(3_300), m(2_000), m(300), m(1_000))
    );
    let supplied = tx.supplied_products(s).await.unwrap();
    assert_eq!(supplied.len(), 2);
    assert_eq!(
        (
            supplied[0].product_id,
            supplied[0].quantity,
            supplied[0].total,
            supplied[0].purchases
        ),
        (p[0], q(3_000), m(3_000), 2)
    );
    assert_eq!(
        (supplied[1].returned, supplied[1].total),
        (q(1_000), m(300))
    );
    assert_eq!(
        tx.add_purchase_payment(PurchaseId::new(newer.id.get() + 1000), m(1))
            .await,
        Err(StoreError::NotFound)
    );
}

pub async fn lots_are_consumed_oldest_first_and_never_overdrawn(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let (user, s, p) = setup(tx.as_mut()).await;
    let bought = tx
        .insert_purchase(
            &purchase(user, s, "A", date!(2026 - 11 - 01), &[(p[0], 3_000, 333)]),
            now(),
        )
        .await
        .unwrap();
    let lot = |qty, cost, line| NewLot {
        location: pos_domain::location::DEFAULT_LOCATION,
        product_id: p[0],
        purchase_line_id: line,
        quantity: q(qty),
        unit_cost: m(cost),
        received_at: now(),
        carried_value: None,
    };
    let first = tx
        .insert_lot(lot(3_000, 333, Some(bought.lines[0].id)))
        .await
        .unwrap();
    assert_eq!(
        (first.remaining, first.remaining_value, first.received),
        (q(3_000), m(999), q(3_000))
    );
    let second = tx.insert_lot(lot(1_500, 1_000, None)).await.unwrap();
    assert_eq!(
        tx.open_lots(p[0])
            .await
            .unwrap()
            .iter()
            .map(|l| l.id)
            .collect::<Vec<_>>(),
        [first.id, second.id]
    );
    tx.take_from_lot(first.id, q(3_000), m(999)).await.unwrap();
    assert_eq!(
        tx.open_lots(p[0])
            .await
            .unwrap()
            .iter()
            .map(|l| l.id)
            .collect::<Vec<_>>(),
        [second.id],
        "empty lots are not open"
    );
    assert_eq!(tx.product_lots(p[0]).await.unwrap().len(), 2);
    let overdraw = tx.take_from_lot(second.id, q(1_501), m(1)).await;
    assert!(
        matches!(overdraw, Err(StoreError::Contention(_))),
        "{overdraw:?}"
    );
    let read = tx.find_lot(second.id).await.unwrap().unwrap();
    assert_eq!(
        (read.remaining, read.remaining_value),
        (q(1_500), m(1_500)),
        "a refused take changes nothing"
    );
    assert_eq!(
        tx.lot_of_purchase_line(bought.lines[0].id)
            .await
            .unwrap()
            .map(|l| l.id),
        Some(first.id)
    );
    assert_eq!(tx.last_unit_cost(p[0]).await.unwrap(), Some(m(1_000)));
    assert_eq!(tx.last_unit_cost(p[1]).await.unwrap(), None);
    let values = tx.stock_values(None).await.unwrap();
    assert_eq!(values.len(), 1);
    assert_eq!(
        (values[0].product_id, values[0].on_hand, values[0].value),
        (p[0], q(1_500), m(1_500))
    );
    assert!(tx.stock_values(Some(p[1])).await.unwrap().is_empty());
    tx.set_stock(p[0], q(1_500)).await.unwrap();
    let locked = tx
        .lock_products(&[p[1], p[0], ProductId::new(p[1].get() + 1000)])
        .await
        .unwrap();
    assert_eq!(
        locked.iter().map(|x| x.id).collect::<Vec<_>>(),
        [p[0], p[1]],
        "existing, in id order"
    );
    assert_eq!(locked[0].stock_on_hand, q(1_500));
}

pub async fn movements_are_logged_and_filtered(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let (user, _, p) = setup(tx.as_mut()).await;
    let movement = |product, kind, before, after, minutes| NewMovement {
        product_id: product,
        kind,
        before: q(before),
        after: q(after),
        reference_id: Some(7),
        reason: Some("why".into()),
        user_id: user,
        at: now() + Duration::minutes(minutes),
        day: (now() + Duration::minutes(minutes)).date(),
        location: pos_domain::location::DEFAULT_LOCATION,
    };
    let first = tx
        .insert_movement(movement(p[0], MovementKind::Purchase, 0, 5_000, 0))
        .await
        .unwrap();
    tx.insert_movement(movement(p[0], MovementKind::Adjustment, 5_000, 4_000, 1))
        .await
        .unwrap();
    tx.insert_movement(movement(p[1], MovementKind::Purchase, 0, 1_000, 2))
        .await
        .unwrap();
    assert_eq!(first.movement.change_thousandths(), 5_000);
    let list = |filter| ListQuery {
        filter,
        sort: (),
        order: Order::Desc,
        page: PageRequest::default(),
    };
    let of_p0 = tx
        .list_movements(&list(MovementFilter {
            product_id: Some(p[0]),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert_eq!(
        of_p0
            .items
            .iter()
            .map(|m| m.movement.kind)
            .collect::<Vec<_>>(),
        [MovementKind::Adjustment, MovementKind::Purchase]
    );
    assert_eq!(of_p0.items[1], first);
    let purchases = tx
        .list_movements(&list(MovementFilter {
            kind: Some(MovementKind::Purchase),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert_eq!(purchases.total, 2);
    let day = now().date();
    let dated = tx
        .list_movements(&list(MovementFilter {
            from: Some(day),
            to: Some(day),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert_eq!(dated.total, 3);
    let none = tx
        .list_movements(&list(MovementFilter {
            from: day.next_day(),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert_eq!(none.total, 0);
}
