//! The customers and sales part of the port contract.

use crate::next_number;
use pos_domain::catalog::{Percent, ProductDraft, ProductStatus, TaxMode, Unit};
use pos_domain::contact::{Address, Phone};
use pos_domain::customers::{CustomerDraft, CustomerFilter, CustomerSort};
use pos_domain::error::StoreError;
use pos_domain::ids::{CustomerId, LotId, ProductId, SaleId, UserId};
use pos_domain::inventory::{MovementKind, NewLot, Take};
use pos_domain::ledger::seed::ensure_chart;
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, Order, PageRequest};
use pos_domain::ports::{Store, Tx};
use pos_domain::quantity::Quantity;
use pos_domain::reports::{GroupKey, Grouping, Period, SalesScope};
use pos_domain::sales::held::{HeldLine, NewHeldSale};
use pos_domain::sales::returns::{NewSaleReturn, ReturnedLine};
use pos_domain::sales::{
    CartLine, Discount, NewSale, Sale, SaleFilter, SaleStatus, price_cart, settle,
};
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

fn customer(name: &str, limit: Option<i64>) -> CustomerDraft {
    CustomerDraft {
        name: Name::new(name).unwrap(),
        phone: Some(Phone::new("01711-111111").unwrap()),
        alt_phone: None,
        email: None,
        address: Address {
            city: Some("Dhaka".into()),
            ..Default::default()
        },
        credit_limit: limit.map(m),
        note: None,
    }
}

struct Setup {
    user: UserId,
    customer: CustomerId,
    product: ProductId,
    lot: LotId,
}

async fn setup(tx: &mut dyn Tx) -> Setup {
    ensure_chart(tx).await.unwrap();
    let user = tx
        .insert_user(NewUser {
            username: Username::new("till").unwrap(),
            email: Email::new("till@shop.test").unwrap(),
            name: Name::new("Till").unwrap(),
            role: Role::Staff,
            password_hash: PasswordHash::from_hash("x".into()),
            at: now(),
        })
        .await
        .unwrap()
        .id;
    let customer = tx
        .insert_customer(customer("Rahim", Some(50_000)), now())
        .await
        .unwrap()
        .id;
    let draft = ProductDraft {
        name: Name::new("Tea").unwrap(),
        sku: Sku::new("TEA").unwrap(),
        barcode: None,
        brand_id: None,
        category_id: None,
        tax_rate_id: None,
        price: m(1_000),
        reorder_level: Quantity::ZERO,
        unit: Unit::Piece,
        status: ProductStatus::Active,
        description: None,
    };
    let product = tx.insert_product(draft, now()).await.unwrap().id;
    let lot = tx
        .insert_lot(NewLot {
            location: pos_domain::location::DEFAULT_LOCATION,
            product_id: product,
            purchase_line_id: None,
            quantity: q(10_000),
            unit_cost: m(400),
            received_at: now(),
            carried_value: None,
        })
        .await
        .unwrap()
        .id;
    Setup {
        user,
        customer,
        product,
        lot,
    }
}

async fn new_sale(tx: &mut dyn Tx, s: &Setup, day: Date, paid: i64, customer: bool) -> NewSale {
    let cash = tx.find_payment_method("cash").await.unwrap().unwrap();
    let cart = price_cart(
        &[CartLine {
            product_id: s.product,
            quantity: q(2_000),
            unit_price: m(1_000),
            tax: Some((Percent::from_scaled(72_500), TaxMode::Inclusive)),
            discount: Some(Discount::Amount(m(100))),
        }],
        None,
    )
    .unwrap();
    let settlement = settle(
        cart.total,
        if paid > 0 {
            vec![(cash, m(paid))]
        } else {
            vec![]
        },
    )
    .unwrap();
    let number = next_number(&mut *tx).await;
    NewSale {
        register_id: pos_domain::register::DEFAULT_REGISTER,
        number,
        invoice_no: format!("INV-{number:06}"),
        date: day,
        customer_id: customer.then_some(s.customer),
        user_id: s.user,
        cart,
        takes: vec![vec![Take {
            lot_id: s.lot,
            quantity: q(2_000),
            cost: m(800),
        }]],
        settlement,
        note: Some("n".into()),
        at: now(),
    }
}

pub async fn customers_round_trip_search_and_lock(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let a = tx
        .insert_customer(customer("Karim Traders", Some(12_345)), now())
        .await
        .unwrap();
    tx.insert_customer(customer("Zara", None), now())
        .await
        .unwrap();
    assert_eq!(tx.find_customer(a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(a.draft.credit_limit, Some(m(12_345)));
    let later = now() + Duration::minutes(1);
    let changed = tx
        .update_customer(a.id, customer("Karim Traders", None), later)
        .await
        .unwrap();
    assert_eq!(
        (changed.draft.credit_limit, changed.updated_at),
        (None, later)
    );
    assert!(
        !tx.set_customer_active(a.id, false, later)
            .await
            .unwrap()
            .active
    );
    assert_eq!(
        tx.update_customer(
            CustomerId::new(a.id.get() + 1000),
            customer("X", None),
            later
        )
        .await,
        Err(StoreError::NotFound)
    );
    let list = |q: &str| ListQuery {
        filter: CustomerFilter {
            q: Some(q.into()),
            active: None,
        },
        sort: CustomerSort::Name,
        order: Order::Asc,
        page: PageRequest::default(),
    };
    assert_eq!(tx.list_customers(&list("karim")).await.unwrap().total, 1);
    assert_eq!(tx.list_customers(&list("1711")).await.unwrap().total, 2);
    assert_eq!(
        tx.lock_customer(a.id).await.unwrap().map(|c| c.id),
        Some(a.id)
    );
}

pub async fn sales_round_trip_with_lines_takes_and_payments(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let s = setup(tx.as_mut()).await;
    let new = new_sale(tx.as_mut(), &s, date!(2026 - 11 - 01), 2_000, true).await;
    let sale = tx.insert_sale(&new).await.unwrap();
    assert_eq!(
        (sale.number, sale.status, sale.customer_id),
        (1, SaleStatus::Completed, Some(s.customer))
    );
    assert_eq!(
        (sale.total, sale.tax, sale.discount),
        (new.cart.total, new.cart.tax, m(100))
    );
    assert_eq!(
        (sale.tendered, sale.change, sale.paid, sale.due()),
        (m(2_000), m(100), m(1_900), m(0))
    );
    assert_eq!(
        sale.lines[0].priced, new.cart.lines[0],
        "prices, tax rate and mode round-trip"
    );
    assert_eq!(sale.lines[0].takes, new.takes[0]);
    assert_eq!(sale.payments.len(), 1);
    assert_eq!(tx.find_sale(sale.id).await.unwrap(), Some(sale.clone()));
    assert!(
        tx.find_sale(SaleId::new(sale.id.get() + 1000))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(next_number(&mut *tx).await, 2);
}

pub async fn open_sales_payments_returns_and_totals(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let s = setup(tx.as_mut()).await;
    let later = new_sale(tx.as_mut(), &s, date!(2026 - 11 - 05), 500, true).await;
    let later = tx.insert_sale(&later).await.unwrap();
    let older = new_sale(tx.as_mut(), &s, date!(2026 - 11 - 01), 0, true).await;
    let older = tx.insert_sale(&older).await.unwrap();
    let walk_in = new_sale(tx.as_mut(), &s, date!(2026 - 11 - 02), 1_900, false).await;
    tx.insert_sale(&walk_in).await.unwrap();
    assert_eq!(
        tx.open_sales(s.customer)
            .await
            .unwrap()
            .iter()
            .map(|x| x.id)
            .collect::<Vec<_>>(),
        [older.id, later.id]
    );
    tx.add_sale_payment(older.id, m(1_000)).await.unwrap();
    tx.record_sale_return(&a_return(&older, date!(2026 - 11 - 06), m(900), m(50)))
        .await
        .unwrap();
    let read = tx.find_sale(older.id).await.unwrap().unwrap();
    assert_eq!(
        (
            read.paid,
            read.credited,
            read.refunded,
            read.status,
            read.lines[0].returned
        ),
        (
            m(1_000),
            m(900),
            m(50),
            SaleStatus::PartiallyRefunded,
            q(1_000)
        )
    );
    assert_eq!(read.due(), m(0));
    let totals = tx.customer_totals(s.customer).await.unwrap();
    assert_eq!(
        (totals.sales, totals.total, totals.due),
        (2, m(3_800), m(1_400))
    );
    let bought = tx.purchased_products(s.customer).await.unwrap();
    assert_eq!(
        (bought[0].quantity, bought[0].returned, bought[0].sales),
        (q(4_000), q(1_000), 2)
    );
    let list = |filter| ListQuery {
        filter,
        sort: (),
        order: Order::Desc,
        page: PageRequest::default(),
    };
    assert_eq!(
        tx.list_sales(&list(SaleFilter::default()))
            .await
            .unwrap()
            .total,
        3
    );
    assert_eq!(
        tx.list_sales(&list(SaleFilter {
            customer_id: Some(s.customer),
            ..Default::default()
        }))
        .await
        .unwrap()
        .total,
        2
    );
    assert_eq!(
        tx.list_sales(&list(SaleFilter {
            open_only: true,
            ..Default::default()
        }))
        .await
        .unwrap()
        .items
        .iter()
        .map(|x| x.id)
        .collect::<Vec<_>>(),
        [later.id]
    );
    assert_eq!(
        tx.list_sales(&list(SaleFilter {
            status: Some(SaleStatus::PartiallyRefunded),
            ..Default::default()
        }))
        .await
        .unwrap()
        .total,
        1
    );
    let cash = tx.find_payment_method("cash").await.unwrap().unwrap();
    assert_eq!(
        tx.list_sales(&list(SaleFilter {
            method_id: Some(cash.id),
            ..Default::default()
        }))
        .await
        .unwrap()
        .total,
        2
    );
    let dated = tx
        .list_sales(&list(SaleFilter {
            from: Some(date!(2026 - 11 - 02)),
            to: Some(date!(2026 - 11 - 05)),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert_eq!(dated.items[0].id, later.id);
    assert_eq!(
        tx.add_sale_payment(SaleId::new(later.id.get() + 1000), m(1))
            .await,
        Err(StoreError::NotFound)
    );
}

pub async fn lots_take_returned_units_back_but_never_overfill(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let s = setup(tx.as_mut()).await;
    tx.take_from_lot(s.lot, q(3_000), m(1_200)).await.unwrap();
    tx.return_to_lot(s.lot, q(1_000), m(400)).await.unwrap();
    let lot = tx.find_lot(s.lot).await.unwrap().unwrap();
    assert_eq!((lot.remaining, lot.remaining_value), (q(8_000), m(3_200)));
    let overfill = tx.return_to_lot(s.lot, q(2_001), m(1)).await;
    assert!(
        matches!(overfill, Err(StoreError::Contention(_))),
        "{overfill:?}"
    );
    assert_eq!(
        tx.find_lot(s.lot).await.unwrap().unwrap().remaining,
        q(8_000)
    );
}

pub async fn held_sales_are_kept_listed_and_deleted_once(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let s = setup(tx.as_mut()).await;
    let held = |minutes: i64| NewHeldSale {
        customer_id: Some(s.customer),
        user_id: s.user,
        lines: vec![HeldLine {
            product_id: s.product,
            quantity: q(1_500),
            discount: Some(Discount::Percent(Percent::from_scaled(100_000))),
            unit_price: Some(m(999)),
        }],
        order_discount: Some(Discount::Amount(m(50))),
        note: Some("later".into()),
        created_at: now() + Duration::minutes(minutes),
    };
    let first = tx.insert_held_sale(held(0)).await.unwrap();
    let second = tx.insert_held_sale(held(1)).await.unwrap();
    assert_eq!(
        tx.find_held_sale(first.id).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(
        first.lines[0].discount,
        Some(Discount::Percent(Percent::from_scaled(100_000)))
    );
    assert_eq!(
        tx.list_held_sales(None)
            .await
            .unwrap()
            .iter()
            .map(|h| h.id)
            .collect::<Vec<_>>(),
        [second.id, first.id],
        "newest first"
    );
    assert!(
        tx.list_held_sales(Some(UserId::new(s.user.get() + 1000)))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(tx.delete_held_sale(first.id).await.unwrap());
    assert!(
        !tx.delete_held_sale(first.id).await.unwrap(),
        "a second delete finds nothing"
    );
    assert!(tx.find_held_sale(first.id).await.unwrap().is_none());
}

pub async fn sale_numbers_are_gapless_across_rollbacks(store: &dyn Store) {
    {
        let mut tx = store.begin().await.unwrap();
        assert_eq!(next_number(&mut *tx).await, 1);
        // rolled back
    }
    let mut tx = store.begin().await.unwrap();
    assert_eq!(next_number(&mut *tx).await, 1);
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    assert_eq!(next_number(&mut *tx).await, 2);
}

/// Returns one unit of the sale's first line: refund `credited + refunded`, 10 % of it tax.
fn a_return(sale: &Sale, date: Date, credited: Money, refunded: Money) -> NewSaleReturn {
    let line = &sale.lines[0];
    let refund = credited.minor_units() + refunded.minor_units();
    NewSaleReturn {
        sale_id: sale.id,
        register_id: pos_domain::register::DEFAULT_REGISTER,
        date,
        user_id: sale.user_id,
        seller_id: sale.user_id,
        customer_id: sale.customer_id,
        lines: vec![ReturnedLine {
            sale_line_id: line.id,
            product_id: line.priced.product_id,
            tax_rate: line.priced.tax_rate.map(|(rate, _)| rate),
            quantity: q(1_000),
            refund: m(refund),
            tax: m(refund / 10),
            cost: m(300),
            restocked: true,
        }],
        credited,
        refunded,
        status: SaleStatus::PartiallyRefunded,
        at: now(),
    }
}

fn sum_of(sales: &[&Sale], f: impl Fn(&Sale) -> Money) -> Money {
    m(sales.iter().map(|s| f(s).minor_units()).sum())
}

/// Report aggregates agree with the sales they sum, per day, product, seller, customer and tax
/// rate; returns count on their own date against the sale's seller and customer.
pub async fn reports_sum_sales_and_returns_per_group(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let s = setup(tx.as_mut()).await;
    let mut sales = Vec::new();
    for (day, paid, named) in [
        (date!(2026 - 11 - 01), 0, true),
        (date!(2026 - 11 - 01), 1_900, false),
        (date!(2026 - 11 - 03), 500, true),
    ] {
        let new = new_sale(tx.as_mut(), &s, day, paid, named).await;
        sales.push(tx.insert_sale(&new).await.unwrap());
    }
    tx.record_sale_return(&a_return(&sales[0], date!(2026 - 11 - 04), m(700), m(0)))
        .await
        .unwrap();
    let november = Period::new(date!(2026 - 11 - 01), date!(2026 - 11 - 30)).unwrap();
    let all = SalesScope::default();

    let by_day = tx.sales_by(november, &all, Grouping::Day).await.unwrap();
    let first: Vec<&Sale> = sales.iter().take(2).collect();
    assert_eq!(by_day.len(), 2);
    assert_eq!(by_day[0].0, GroupKey::Day(date!(2026 - 11 - 01)));
    let f = by_day[0].1;
    assert_eq!(
        (f.sales, f.total, f.tax, f.discount, f.cost),
        (
            2,
            sum_of(&first, |s| s.total),
            sum_of(&first, |s| s.tax),
            sum_of(&first, |s| s.discount),
            sum_of(&first, |s| s
                .lines
                .iter()
                .fold(m(0), |a, l| m(a.minor_units() + l.cost().minor_units()))),
        )
    );
    let lines: u64 = first.iter().map(|s| s.lines.len() as u64).sum();
    assert_eq!(f.lines, lines);

    let by_customer = tx
        .sales_by(november, &all, Grouping::Customer)
        .await
        .unwrap();
    assert_eq!(
        by_customer
            .iter()
            .map(|(k, f)| (*k, f.sales))
            .collect::<Vec<_>>(),
        [
            (GroupKey::Customer(None), 1),
            (GroupKey::Customer(Some(s.customer)), 2)
        ]
    );
    let seller = tx.sales_by(november, &all, Grouping::Seller).await.unwrap();
    assert_eq!(seller.len(), 1);
    assert_eq!(seller[0].1.sales, 3);
    let products = tx
        .sales_by(november, &all, Grouping::Product)
        .await
        .unwrap();
    let units: i64 = products.iter().map(|(_, f)| f.quantity.thousandths()).sum();
    let sold: i64 = sales
        .iter()
        .flat_map(|s| &s.lines)
        .map(|l| l.priced.quantity.thousandths())
        .sum();
    assert_eq!(units, sold);
    let rates = tx
        .sales_by(november, &all, Grouping::TaxRate)
        .await
        .unwrap();
    let taxed: i64 = rates.iter().map(|(_, f)| f.tax.minor_units()).sum();
    assert_eq!(
        taxed,
        sum_of(&sales.iter().collect::<Vec<_>>(), |s| s.tax).minor_units()
    );

    // Scoped to the customer: only their two sales; walk-ins are out.
    let theirs = SalesScope {
        seller: None,
        customer: Some(s.customer),
        locations: Vec::new(),
    };
    // Scoped to stores: every sale here was made at the default store's register, none at
    // a store that has no register, from the rollup and from the lines alike.
    for (by, scoped) in [(Grouping::Day, &all), (Grouping::Seller, &theirs)] {
        let everywhere = tx.sales_by(november, scoped, by).await.unwrap();
        let main = SalesScope {
            locations: vec![pos_domain::location::DEFAULT_LOCATION],
            ..scoped.clone()
        };
        assert_eq!(tx.sales_by(november, &main, by).await.unwrap(), everywhere);
        let elsewhere = SalesScope {
            locations: vec![pos_domain::ids::LocationId::new(999)],
            ..scoped.clone()
        };
        assert!(
            tx.sales_by(november, &elsewhere, by)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            tx.returns_by(november, &elsewhere, by)
                .await
                .unwrap()
                .is_empty()
        );
    }
    let days = tx.sales_by(november, &theirs, Grouping::Day).await.unwrap();
    assert_eq!(days.iter().map(|(_, f)| f.sales).sum::<u64>(), 2);
    // A question the adapters may answer from other data than the day totals: the same sums.
    let their_products = tx
        .sales_by(november, &theirs, Grouping::Product)
        .await
        .unwrap();
    let their_total: i64 = their_products
        .iter()
        .map(|(_, f)| f.total.minor_units())
        .sum();
    let expected: i64 = sales
        .iter()
        .filter(|x| x.customer_id == Some(s.customer))
        .map(|x| x.total.minor_units())
        .sum();
    assert_eq!(their_total, expected);
    // A whole month and a range across months give the same as their days.
    let across = Period::new(date!(2026 - 10 - 15), date!(2026 - 12 - 31)).unwrap();
    let by_product_across = tx.sales_by(across, &all, Grouping::Product).await.unwrap();
    assert_eq!(by_product_across, products);
    // Most of a month, less its first day: only the sale after it, and no group that sold only
    // on the day left out.
    let after_first = Period::new(date!(2026 - 11 - 02), date!(2026 - 11 - 30)).unwrap();
    let later = tx
        .sales_by(after_first, &all, Grouping::Product)
        .await
        .unwrap();
    let later_total: i64 = later.iter().map(|(_, f)| f.total.minor_units()).sum();
    assert_eq!(later_total, sales[2].total.minor_units());
    assert_eq!(later.iter().map(|(_, f)| f.sales).sum::<u64>(), 1);
    let later_customers = tx
        .sales_by(after_first, &all, Grouping::Customer)
        .await
        .unwrap();
    assert_eq!(
        later_customers.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
        [GroupKey::Customer(Some(s.customer))]
    );
    let later_takings: i64 = tx
        .counter_takings(after_first)
        .await
        .unwrap()
        .iter()
        .map(|t| t.amount.minor_units())
        .sum();
    assert_eq!(later_takings, sales[2].paid.minor_units());

    let returns = tx.returns_by(november, &all, Grouping::Day).await.unwrap();
    assert_eq!(returns.len(), 1);
    assert_eq!(returns[0].0, GroupKey::Day(date!(2026 - 11 - 04)));
    assert_eq!(
        (
            returns[0].1.returns,
            returns[0].1.quantity,
            returns[0].1.refund,
            returns[0].1.tax,
            returns[0].1.cost
        ),
        (1, q(1_000), m(700), m(70), m(300))
    );
    let by_customer = tx
        .returns_by(november, &theirs, Grouping::Customer)
        .await
        .unwrap();
    assert_eq!(by_customer[0].0, GroupKey::Customer(Some(s.customer)));
    let before = Period::new(date!(2026 - 11 - 01), date!(2026 - 11 - 03)).unwrap();
    assert!(
        tx.returns_by(before, &all, Grouping::Product)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(tx.first_time_customers(november).await.unwrap(), 1);
    assert_eq!(
        tx.first_time_customers(Period::day(date!(2026 - 11 - 03)))
            .await
            .unwrap(),
        0
    );
    let names = tx.customer_names(&[s.customer]).await.unwrap();
    assert_eq!(names.len(), 1);
    let labels = tx
        .product_labels(&[s.product, ProductId::new(999_999)])
        .await
        .unwrap();
    assert_eq!(labels.len(), 1, "only products that exist: {labels:?}");
    assert_eq!(labels[0].0, s.product);
    // Stock moved by sales is the units their lines took, on the sale's day.
    let moved = tx.stock_changes(november).await.unwrap();
    let sold_units: i64 = moved
        .iter()
        .filter(|(_, kind, _)| *kind == MovementKind::Sale)
        .map(|(_, _, q)| q.thousandths())
        .sum();
    assert_eq!(sold_units, -sold);
    let after: i64 = tx
        .stock_changes_after(date!(2026 - 11 - 01))
        .await
        .unwrap()
        .iter()
        .map(|(_, q)| q.thousandths())
        .sum();
    let sold_later: i64 = sales
        .iter()
        .filter(|x| x.date > date!(2026 - 11 - 01))
        .flat_map(|x| &x.lines)
        .map(|l| l.priced.quantity.thousandths())
        .sum();
    assert_eq!(after, -sold_later);
    let takings = tx.counter_takings(november).await.unwrap();
    let taken: i64 = takings.iter().map(|t| t.amount.minor_units()).sum();
    assert_eq!(
        taken,
        sum_of(&sales.iter().collect::<Vec<_>>(), |s| s.paid).minor_units()
    );
}
