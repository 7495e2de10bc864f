//! Property: any sequence of purchases at any location, sales at two stores, transfers shipped
//! between a warehouse and the stores, partial receipts with shortages, and returns keeps
//! FIFO across locations in line with a reference model:
//! - each product's stock at each location equals the model's, and its lots hold it;
//! - what each transfer has in transit equals shipped - received - short;
//! - a sale or a shipment is refused for insufficient stock exactly when the model says the
//!   location lacks the units, and then changes nothing;
//! - the integrity check is empty: the ledger equals every subledger, per location and in
//!   transit (inventory per location = its lots, in transit = the transit lots).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use pos_domain::app::cash::OpenCashSession;
use pos_domain::app::purchasing::NewPurchase;
use pos_domain::app::sales::{Cart, ReturnSale, Sell};
use pos_domain::app::transfers::{CreateTransfer, ReceiveTransfer, TransferError, TransferStep};
use pos_domain::app::{App, Once, Policy, Reply};
use pos_domain::cash::Counted;
use pos_domain::catalog::{ProductDraft, ProductStatus, Unit};
use pos_domain::ids::{LocationId, ProductId, RegisterId, SaleId, SaleLineId, TransferId, UserId};
use pos_domain::ledger::seed::ensure_chart;
use pos_domain::location::{LocationCode, LocationKind, NewLocation};
use pos_domain::money::Money;
use pos_domain::ports::Store;
use pos_domain::purchasing::{InvoiceNo, PurchaseLineDraft};
use pos_domain::quantity::Quantity;
use pos_domain::register::NewRegister;
use pos_domain::services::sales::{CheckoutError, CheckoutLine, ReturnLine};
use pos_domain::suppliers::SupplierDraft;
use pos_domain::text::{Email, Name, Sku, Username};
use pos_domain::transfer::ReceiptLine;
use pos_domain::user::{NewUser, PasswordHash, Role, Stores};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;
use time::OffsetDateTime;

const PRODUCTS: usize = 2;
/// The default store, a second store, a warehouse.
const LOCATIONS: usize = 3;

#[derive(Debug, Clone)]
enum Op {
    Purchase {
        product: usize,
        at: usize,
        units: i64,
        cost_cents: i64,
    },
    Sale {
        product: usize,
        store: usize,
        units: i64,
    },
    Transfer {
        product: usize,
        from: usize,
        to: usize,
        units: i64,
    },
    Receive {
        transfer: usize,
        received: i64,
        short: i64,
    },
    Return {
        sale: usize,
        units: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..PRODUCTS, 0..LOCATIONS, 1i64..6, 1i64..2_000).prop_map(
            |(product, at, units, cost_cents)| Op::Purchase {
                product,
                at,
                units,
                cost_cents
            }
        ),
        (0..PRODUCTS, 0..2usize, 1i64..4).prop_map(|(product, store, units)| Op::Sale {
            product,
            store,
            units
        }),
        (0..PRODUCTS, 0..LOCATIONS, 0..LOCATIONS, 1i64..5).prop_map(
            |(product, from, to, units)| Op::Transfer {
                product,
                from,
                to,
                units
            }
        ),
        (0..8usize, 0i64..4, 0i64..3).prop_map(|(transfer, received, short)| Op::Receive {
            transfer,
            received,
            short
        }),
        (0..8usize, 1i64..3).prop_map(|(sale, units)| Op::Return { sale, units }),
    ]
}

fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

struct Fixed;

impl pos_domain::clock::Clock for Fixed {
    fn now(&self) -> OffsetDateTime {
        now()
    }
}

fn units(n: i64) -> Quantity {
    Quantity::from_thousandths(n * 1_000)
}

/// A request with no key; the reply's body carries what the model needs to refer back to.
fn once<T>(user: UserId, render: pos_domain::app::Render<'static, T>) -> Once<'static, T> {
    Once {
        user,
        key: None,
        request_hash: String::new(),
        use_case: "location_props",
        render,
    }
}

fn reply(body: String) -> Result<Reply, String> {
    Ok(Reply {
        status: 201,
        body,
        replayed: false,
    })
}

struct Transfer {
    id: TransferId,
    product: usize,
    to: usize,
    outstanding: i64,
}

struct SaleMade {
    id: SaleId,
    line: SaleLineId,
    register: RegisterId,
    product: usize,
    store: usize,
    returnable: i64,
}

struct World {
    app: App,
    user: UserId,
    supplier: pos_domain::ids::SupplierId,
    products: Vec<ProductId>,
    locations: Vec<LocationId>,
    registers: Vec<RegisterId>,
    /// (product, location) -> units on hand, as the model sees them.
    stock: BTreeMap<(usize, usize), i64>,
    transfers: Vec<Transfer>,
    sales: Vec<SaleMade>,
    invoices: usize,
}

async fn world(store: Arc<dyn Store>) -> World {
    let mut tx = store.begin().await.unwrap();
    ensure_chart(tx.as_mut()).await.unwrap();
    let user = tx
        .insert_user(NewUser {
            username: Username::new("boss").unwrap(),
            email: Email::new("boss@shop.test").unwrap(),
            name: Name::new("Boss").unwrap(),
            role: Role::Admin,
            password_hash: PasswordHash::from_hash("x".into()),
            at: now(),
        })
        .await
        .unwrap()
        .id;
    let supplier = tx
        .insert_supplier(
            SupplierDraft {
                name: Name::new("S").unwrap(),
                phone: None,
                alt_phone: None,
                email: None,
                address: Default::default(),
                note: None,
            },
            now(),
        )
        .await
        .unwrap()
        .id;
    let mut products = Vec::new();
    for (i, price) in [999, 1_250].into_iter().enumerate() {
        let draft = ProductDraft {
            name: Name::new(&format!("P{i}")).unwrap(),
            sku: Sku::new(&format!("P{i}")).unwrap(),
            barcode: None,
            brand_id: None,
            category_id: None,
            tax_rate_id: None,
            price: Money::from_minor_units(price),
            reorder_level: Quantity::ZERO,
            unit: Unit::Piece,
            status: ProductStatus::Active,
            description: None,
        };
        products.push(tx.insert_product(draft, now()).await.unwrap().id);
    }
    tx.commit().await.unwrap();
    let policy = Policy {
        staff_refund_limit: Money::ZERO,
        staff_discount_limit: pos_domain::catalog::Percent::from_scaled(0),
        staff_payout_limit: Money::ZERO,
        close_tolerance: Money::ZERO,
        shop_offset: time::UtcOffset::UTC,
    };
    let app = App::new(store, Arc::new(Fixed), policy);
    let mut locations = vec![pos_domain::location::DEFAULT_LOCATION];
    for (code, kind) in [("S2", LocationKind::Store), ("WH", LocationKind::Warehouse)] {
        let new = NewLocation {
            code: LocationCode::new(code).unwrap(),
            name: Name::new(code).unwrap(),
            kind,
            address: None,
            utc_offset: None,
        };
        locations.push(app.create_location(new).await.unwrap().id);
    }
    let second = app
        .create_register(NewRegister {
            code: pos_domain::register::RegisterCode::new("S2A").unwrap(),
            name: Name::new("S2 till").unwrap(),
            location: locations[1],
        })
        .await
        .unwrap()
        .id;
    let open = OpenCashSession {
        register: second,
        float: Counted::Amount(Money::ZERO),
        blind: false,
        user,
        stores: Stores::All,
    };
    app.open_cash_session(open, once(user, &|_| reply(String::new())))
        .await
        .unwrap();
    World {
        app,
        user,
        supplier,
        products,
        locations,
        registers: vec![pos_domain::register::DEFAULT_REGISTER, second],
        stock: BTreeMap::new(),
        transfers: Vec::new(),
        sales: Vec::new(),
        invoices: 0,
    }
}

async fn apply(w: &mut World, op: Op) {
    let user = w.user;
    match op {
        Op::Purchase {
            product,
            at,
            units: n,
            cost_cents,
        } => {
            w.invoices += 1;
            let command = NewPurchase {
                supplier: w.supplier,
                invoice_no: InvoiceNo::new(&format!("INV-{}", w.invoices)).unwrap(),
                date: None,
                lines: vec![PurchaseLineDraft {
                    product_id: w.products[product],
                    quantity: units(n),
                    unit_cost: Money::from_minor_units(cost_cents),
                }],
                payments: Vec::new(),
                note: None,
                user,
                location: w.locations[at],
                stores: Stores::All,
            };
            w.app
                .receive_purchase(command, once(user, &|_| reply(String::new())))
                .await
                .unwrap();
            *w.stock.entry((product, at)).or_default() += n;
        }
        Op::Sale {
            product,
            store,
            units: n,
        } => {
            let command = Sell {
                register: Some(w.registers[store]),
                cart: Cart::New {
                    customer: None,
                    lines: vec![CheckoutLine {
                        product_id: w.products[product],
                        quantity: units(n),
                        discount: None,
                        unit_price: None,
                    }],
                    order_discount: None,
                    note: None,
                    date: None,
                },
                tenders: vec![("cash".to_owned(), Money::from_minor_units(100_000))],
                expected_total: None,
                user,
                role: Role::Admin,
                stores: Stores::All,
            };
            let render = &|s: &pos_domain::services::sales::Sold| {
                reply(format!("{} {}", s.sale.id, s.sale.lines[0].id))
            };
            let on_hand = w.stock.get(&(product, store)).copied().unwrap_or(0);
            match w.app.checkout(command, once(user, render)).await {
                Ok(reply) => {
                    assert!(on_hand >= n, "sold {n} with {on_hand} on the shelf");
                    let (sale, line) = reply.body.split_once(' ').unwrap();
                    w.sales.push(SaleMade {
                        id: SaleId::new(sale.parse().unwrap()),
                        line: SaleLineId::new(line.parse().unwrap()),
                        register: w.registers[store],
                        product,
                        store,
                        returnable: n,
                    });
                    *w.stock.entry((product, store)).or_default() -= n;
                }
                Err(CheckoutError::InsufficientStock(_)) => {
                    assert!(on_hand < n, "refused {n} with {on_hand} on the shelf");
                }
                Err(e) => panic!("sale refused: {e}"),
            }
        }
        Op::Transfer {
            product,
            from,
            to,
            units: n,
        } => {
            if from == to {
                return;
            }
            let create = CreateTransfer {
                from: w.locations[from],
                to: w.locations[to],
                note: None,
                lines: vec![(w.products[product], units(n))],
                user,
                stores: Stores::All,
            };
            let render = &|t: &pos_domain::transfer::Transfer| reply(t.id.to_string());
            let created = w
                .app
                .create_transfer(create, once(user, render))
                .await
                .unwrap();
            let id = TransferId::new(created.body.parse().unwrap());
            let step = TransferStep {
                transfer: id,
                user,
                stores: Stores::All,
            };
            let on_hand = w.stock.get(&(product, from)).copied().unwrap_or(0);
            match w.app.ship_transfer(step.clone(), once(user, render)).await {
                Ok(_) => {
                    assert!(on_hand >= n, "shipped {n} with {on_hand} at the source");
                    *w.stock.entry((product, from)).or_default() -= n;
                    w.transfers.push(Transfer {
                        id,
                        product,
                        to,
                        outstanding: n,
                    });
                }
                Err(TransferError::InsufficientStock(_)) => {
                    assert!(on_hand < n, "refused {n} with {on_hand} at the source");
                    w.app
                        .cancel_transfer(step, once(user, render))
                        .await
                        .unwrap();
                }
                Err(e) => panic!("shipment refused: {e}"),
            }
        }
        Op::Receive {
            transfer,
            received,
            short,
        } => {
            let Some(t) = w.transfers.get_mut(transfer) else {
                return;
            };
            let received = received.min(t.outstanding);
            let short = short.min(t.outstanding - received);
            if received + short == 0 {
                return;
            }
            let command = ReceiveTransfer {
                transfer: t.id,
                lines: vec![ReceiptLine {
                    product_id: w.products[t.product],
                    received: units(received),
                    short: units(short),
                }],
                user,
                stores: Stores::All,
            };
            let render = &|_: &pos_domain::transfer::Transfer| reply(String::new());
            w.app
                .receive_transfer(command, once(user, render))
                .await
                .unwrap();
            t.outstanding -= received + short;
            *w.stock.entry((t.product, t.to)).or_default() += received;
        }
        Op::Return { sale, units: n } => {
            let Some(s) = w.sales.get_mut(sale) else {
                return;
            };
            let n = n.min(s.returnable);
            if n == 0 {
                return;
            }
            let command = ReturnSale {
                sale: s.id,
                register: Some(s.register),
                lines: vec![ReturnLine {
                    sale_line_id: s.line,
                    quantity: units(n),
                    restock: true,
                }],
                refund_method: None,
                date: None,
                user,
                role: Role::Admin,
                stores: Stores::All,
            };
            let render = &|_: &pos_domain::app::sales::SaleReturned| reply(String::new());
            w.app
                .return_sale(command, once(user, render))
                .await
                .unwrap();
            s.returnable -= n;
            *w.stock.entry((s.product, s.store)).or_default() += n;
        }
    }
}

async fn check(store: &dyn Store, w: &World) {
    let mut tx = store.begin_read().await.unwrap();
    for (p, product) in w.products.iter().enumerate() {
        for (l, location) in w.locations.iter().enumerate() {
            let held = tx
                .stock_values_at(Some(*product), &[*location])
                .await
                .unwrap()
                .first()
                .map_or(0, |v| v.on_hand.thousandths());
            let model = w.stock.get(&(p, l)).copied().unwrap_or(0) * 1_000;
            assert_eq!(
                held, model,
                "product {p} at location {l}: lots against the model"
            );
        }
    }
    for t in &w.transfers {
        let stored = tx.find_transfer(t.id).await.unwrap().unwrap();
        assert_eq!(
            stored.in_transit(w.products[t.product]),
            units(t.outstanding),
            "transfer {}: in transit = shipped - received - short",
            t.id
        );
    }
    let found = pos_domain::integrity::check(tx.as_mut()).await.unwrap();
    assert!(found.is_empty(), "{found:?}");
}

async fn run(store: Arc<dyn Store>, ops: Vec<Op>) {
    let mut w = world(store.clone()).await;
    for op in ops {
        apply(&mut w, op).await;
        check(store.as_ref(), &w).await;
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn fifo_across_locations_matches_the_model_in_memory(ops in prop::collection::vec(op(), 1..40)) {
        runtime().block_on(run(pos_tests::stores::memory(), ops));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]
    #[test]
    fn fifo_across_locations_matches_the_model_on_sqlite(ops in prop::collection::vec(op(), 1..25)) {
        let rt = runtime();
        let store = rt.block_on(pos_tests::stores::sqlite());
        rt.block_on(run(store, ops));
    }
}
