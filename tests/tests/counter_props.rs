//! Property: any sequence of purchases, sales (cash or on credit), returns and customer payments
//! keeps every invariant of the books and the stock:
//! - each product's stock equals the sum of its lots, and no lot is negative;
//! - the trial balance is zero;
//! - receivables equal the customers' open dues;
//! - the inventory account equals the lots' remaining value;
//! - cost of goods sold + write-offs + remaining lot value equals what was purchased;
//! - with cash sessions opened, paid into and out of and closed (over or short) among them:
//!   the integrity check is empty (every Z report agrees with the ledger), and every cash line
//!   belongs to a session but the customer payments' (the cash account equals the sessions'
//!   cash lines plus those payments).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use pos_domain::app::cash::{CashError, CloseCashSession, MoveCash, OpenCashSession};
use pos_domain::app::{App, Once, Policy, Reply};
use pos_domain::cash::Counted;
use pos_domain::catalog::{ProductDraft, ProductStatus, Unit};
use pos_domain::customers::CustomerDraft;
use pos_domain::ids::{CustomerId, ProductId, SaleId, UserId};
use pos_domain::ledger::DateRange;
use pos_domain::ledger::chart::codes;
use pos_domain::ledger::reports::trial_balance;
use pos_domain::ledger::seed::ensure_chart;
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, Order, PageRequest};
use pos_domain::ports::cash::SessionFilter;
use pos_domain::ports::{Store, Tx};
use pos_domain::purchasing::{InvoiceNo, PurchaseDraft, PurchaseLineDraft, price_purchase};
use pos_domain::quantity::Quantity;
use pos_domain::services::ServiceError;
use pos_domain::services::purchasing::receive_purchase;
use pos_domain::services::sales::{Checkout, CheckoutLine, ReturnLine, checkout, return_sale};
use pos_domain::suppliers::SupplierDraft;
use pos_domain::text::{Email, Name, Sku, Username};
use pos_domain::user::{NewUser, PasswordHash, Role};
use proptest::prelude::*;
use std::sync::Arc;
use time::OffsetDateTime;

#[derive(Debug, Clone)]
enum Op {
    Purchase {
        product: usize,
        units: i64,
        cost_cents: i64,
    },
    Sale {
        product: usize,
        units: i64,
        on_credit: bool,
    },
    Return {
        sale: usize,
        units: i64,
        restock: bool,
    },
    Pay {
        cents: i64,
    },
    /// Open the default register's session with a float (refused if one is open).
    Open {
        float_cents: i64,
    },
    /// Pay cash in (from the safe) or out (petty cash).
    Move {
        cents: i64,
        out: bool,
    },
    /// Close the open session with the expected cash plus `off_cents` (over or short).
    Close {
        off_cents: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0usize..3, 1i64..20, 1i64..5_000).prop_map(|(product, units, cost_cents)| Op::Purchase { product, units, cost_cents }),
        4 => (0usize..3, 1i64..6, any::<bool>()).prop_map(|(product, units, on_credit)| Op::Sale { product, units, on_credit }),
        2 => (any::<usize>(), 1i64..4, any::<bool>()).prop_map(|(sale, units, restock)| Op::Return { sale, units, restock }),
        1 => (1i64..5_000).prop_map(|cents| Op::Pay { cents }),
        1 => (0i64..20_000).prop_map(|float_cents| Op::Open { float_cents }),
        1 => (1i64..2_000, any::<bool>()).prop_map(|(cents, out)| Op::Move { cents, out }),
        1 => (-500i64..500).prop_map(|off_cents| Op::Close { off_cents }),
    ]
}

struct World {
    user: UserId,
    customer: CustomerId,
    supplier: pos_domain::ids::SupplierId,
    products: Vec<ProductId>,
    sales: Vec<SaleId>,
    purchased_cents: i64,
    invoices: u32,
    /// Customer payments taken in cash: the only cash lines outside a session.
    paid_cents: i64,
}

fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

async fn world(store: &dyn Store) -> World {
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
    let customer = tx
        .insert_customer(
            CustomerDraft {
                name: Name::new("Rahim").unwrap(),
                phone: None,
                alt_phone: None,
                email: None,
                address: Default::default(),
                credit_limit: Some(Money::from_minor_units(10_000_000)),
                note: None,
            },
            now(),
        )
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
    for (i, price) in [999, 1_250, 5].into_iter().enumerate() {
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
    World {
        user,
        customer,
        supplier,
        products,
        sales: Vec::new(),
        purchased_cents: 0,
        invoices: 0,
        paid_cents: 0,
    }
}

fn app(store: Arc<dyn Store>) -> App {
    let policy = Policy {
        staff_refund_limit: Money::ZERO,
        staff_discount_limit: pos_domain::catalog::Percent::from_scaled(0),
        staff_payout_limit: Money::ZERO,
        close_tolerance: Money::ZERO,
        shop_offset: time::UtcOffset::UTC,
    };
    App::new(store, Arc::new(Fixed), policy)
}

/// The same instant every other operation of the test is stamped with, so the session's
/// entries fall within it (the integrity check requires it).
struct Fixed;

impl pos_domain::clock::Clock for Fixed {
    fn now(&self) -> OffsetDateTime {
        now()
    }
}

/// A money-moving request with no key, its reply thrown away.
fn once<T>(user: UserId) -> Once<'static, T> {
    Once {
        user,
        key: None,
        request_hash: String::new(),
        use_case: "counter_props",
        render: &|_| {
            Ok(Reply {
                status: 201,
                body: String::new(),
                replayed: false,
            })
        },
    }
}

/// Runs a cash session operation through the application, as the API does.
async fn apply_cash(store: Arc<dyn Store>, w: &World, op: &Op) {
    let app = app(store);
    let register = pos_domain::register::DEFAULT_REGISTER;
    let outcome = match *op {
        Op::Open { float_cents } => app
            .open_cash_session(
                OpenCashSession {
                    register,
                    float: Counted::Amount(Money::from_minor_units(float_cents)),
                    blind: false,
                    user: w.user,
                    stores: pos_domain::user::Stores::All,
                },
                once(w.user),
            )
            .await
            .map(|_| ()),
        Op::Move { cents, out } => app
            .move_cash(
                MoveCash {
                    register,
                    reason: if out {
                        "petty_cash"
                    } else {
                        "change_from_safe"
                    }
                    .to_owned(),
                    amount: Money::from_minor_units(cents),
                    note: None,
                    date: None,
                    user: w.user,
                    role: Role::Admin,
                    stores: pos_domain::user::Stores::All,
                },
                once(w.user),
            )
            .await
            .map(|_| ()),
        Op::Close { off_cents } => {
            let Some(open) = app.open_cash_session_of(register).await.unwrap() else {
                return;
            };
            let report = app.cash_session_report(open.id, Role::Admin).await.unwrap();
            let expected = report.expected_cash.unwrap().minor_units();
            let counted = Money::from_minor_units((expected + off_cents).max(0));
            app.close_cash_session(
                CloseCashSession {
                    session: open.id,
                    counted: Counted::Amount(counted),
                    reported: vec![],
                    user: w.user,
                    role: Role::Admin,
                    stores: pos_domain::user::Stores::All,
                },
                once(w.user),
            )
            .await
            .map(|_| ())
        }
        _ => Ok(()),
    };
    match outcome {
        Ok(()) | Err(CashError::SessionOpen { .. }) => {}
        Err(other) => panic!("unexpected refusal: {other:?}"),
    }
}

async fn apply(store: &dyn Store, w: &mut World, op: Op) {
    if matches!(op, Op::Open { .. } | Op::Move { .. } | Op::Close { .. }) {
        unreachable!("cash session operations run through the application");
    }
    let mut tx = store.begin().await.unwrap();
    let day = now().date();
    let cash = tx.find_payment_method("cash").await.unwrap().unwrap();
    let outcome: Result<(), ServiceError> = match op {
        Op::Purchase {
            product,
            units,
            cost_cents,
        } => {
            w.invoices += 1;
            let draft = PurchaseDraft {
                location: pos_domain::location::DEFAULT_LOCATION,
                supplier_id: w.supplier,
                invoice_no: InvoiceNo::new(&format!("I{}", w.invoices)).unwrap(),
                date: day,
                lines: vec![PurchaseLineDraft {
                    product_id: w.products[product],
                    quantity: Quantity::from_thousandths(units * 1000),
                    unit_cost: Money::from_minor_units(cost_cents),
                }],
                payments: vec![],
                note: None,
                user_id: w.user,
            };
            let priced = price_purchase(draft).unwrap();
            let total = priced.total.minor_units();
            receive_purchase(tx.as_mut(), priced, now())
                .await
                .map(|_| w.purchased_cents += total)
                .map_err(ServiceError::from)
        }
        Op::Sale {
            product,
            units,
            on_credit,
        } => {
            let tenders = if on_credit {
                vec![]
            } else {
                vec![(cash.code.clone(), Money::from_minor_units(1_000_000))]
            };
            let c = Checkout {
                register_id: pos_domain::register::DEFAULT_REGISTER,
                customer_id: Some(w.customer),
                lines: vec![CheckoutLine {
                    product_id: w.products[product],
                    quantity: Quantity::from_thousandths(units * 1000),
                    discount: None,
                    unit_price: None,
                }],
                order_discount: None,
                tenders,
                expected_total: None,
                note: None,
                date: day,
                user_id: w.user,
                role: Role::Admin,
                staff_discount_limit: pos_domain::catalog::Percent::from_scaled(1_000_000),
                at: now(),
                stores: pos_domain::user::Stores::All,
            };
            checkout(tx.as_mut(), c)
                .await
                .map(|sold| w.sales.push(sold.sale.id))
                .map_err(ServiceError::from)
        }
        Op::Return {
            sale,
            units,
            restock,
        } if !w.sales.is_empty() => {
            let sale_id = w.sales[sale % w.sales.len()];
            let line = tx.find_sale(sale_id).await.unwrap().unwrap().lines[0].id;
            let lines = [ReturnLine {
                sale_line_id: line,
                quantity: Quantity::from_thousandths(units * 1000),
                restock,
            }];
            return_sale(
                tx.as_mut(),
                pos_domain::services::sales::SaleReturnRequest {
                    register_id: pos_domain::register::DEFAULT_REGISTER,
                    sale_id,
                    lines: lines.to_vec(),
                    refund_method: Some(cash),
                    staff_refund_limit: Money::ZERO,
                    role: Role::Admin,
                    date: day,
                    user_id: w.user,
                    at: now(),
                    stores: pos_domain::user::Stores::All,
                },
            )
            .await
            .map(|_| ())
            .map_err(ServiceError::from)
        }
        Op::Return { .. } => Ok(()),
        Op::Pay { cents } => pos_domain::services::settlement::settle(
            tx.as_mut(),
            pos_domain::services::PaymentRequest {
                party: w.customer,
                method: cash,
                amount: Money::from_minor_units(cents),
                document: None,
                reference: None,
                note: None,
                date: day,
                user_id: w.user,
                at: now(),
            },
        )
        .await
        .map(|_| w.paid_cents += cents)
        .map_err(ServiceError::from),
        Op::Open { .. } | Op::Move { .. } | Op::Close { .. } => Ok(()),
    };
    match outcome {
        Ok(()) => tx.commit().await.unwrap(),
        // Refusals (not enough stock, returning too much, overpaying) must leave nothing behind:
        // the transaction is dropped, and the invariants below still hold.
        Err(ServiceError::InsufficientStock { .. } | ServiceError::Conflict { .. }) => {}
        Err(other) => panic!("unexpected refusal: {other:?}"),
    }
}

async fn balance(tx: &mut dyn Tx, code: &str) -> i64 {
    let totals = tx.account_totals(DateRange::default()).await.unwrap();
    totals
        .iter()
        .find(|t| t.account.code.as_str() == code)
        .unwrap()
        .balance()
        .unwrap()
        .minor_units()
}

async fn check(store: &dyn Store, w: &World) {
    let mut tx = store.begin_read().await.unwrap();
    let mut lot_value = 0;
    for id in &w.products {
        let product = tx.find_product(*id).await.unwrap().unwrap();
        let lots = tx.product_lots(*id).await.unwrap();
        assert!(
            lots.iter()
                .all(|l| l.remaining.thousandths() >= 0 && l.remaining_value.minor_units() >= 0)
        );
        let units: i64 = lots.iter().map(|l| l.remaining.thousandths()).sum();
        assert_eq!(
            product.stock_on_hand.thousandths(),
            units,
            "stock equals the lots"
        );
        lot_value += lots
            .iter()
            .map(|l| l.remaining_value.minor_units())
            .sum::<i64>();
    }
    let totals = tx.account_totals(DateRange::default()).await.unwrap();
    assert!(trial_balance(&totals).unwrap().is_balanced());
    assert_eq!(
        balance(tx.as_mut(), codes::ACCOUNTS_RECEIVABLE).await,
        tx.customer_totals(w.customer)
            .await
            .unwrap()
            .due
            .minor_units(),
        "receivables equal open dues"
    );
    assert_eq!(
        balance(tx.as_mut(), codes::INVENTORY).await,
        lot_value,
        "inventory equals the lots"
    );
    let cogs = balance(tx.as_mut(), codes::COST_OF_GOODS_SOLD).await;
    let written_off = balance(tx.as_mut(), codes::INVENTORY_SHRINKAGE).await;
    assert_eq!(
        cogs + written_off + lot_value,
        w.purchased_cents,
        "every purchased cent is in stock, sold or written off"
    );
    assert_eq!(
        pos_domain::integrity::check(tx.as_mut()).await.unwrap(),
        vec![],
        "the integrity check, Z reports included"
    );
    // Every cash line is in a session, but the customer payments'.
    let mut in_sessions = 0;
    let cash = tx
        .find_payment_method("cash")
        .await
        .unwrap()
        .unwrap()
        .account_id;
    for session in tx
        .list_cash_sessions(ListQuery {
            filter: SessionFilter::default(),
            sort: (),
            order: Order::Desc,
            page: PageRequest::new(Some(1), Some(100)),
        })
        .await
        .unwrap()
        .items
    {
        for row in tx.session_postings(session.id).await.unwrap() {
            if row.account_id == cash {
                in_sessions += row.debit.minor_units() - row.credit.minor_units();
            }
        }
    }
    assert_eq!(
        balance(tx.as_mut(), codes::CASH).await,
        in_sessions + w.paid_cents,
        "cash is the sessions' cash lines and the customer payments"
    );
}

async fn run(store: Arc<dyn Store>, ops: Vec<Op>) {
    let mut w = world(store.as_ref()).await;
    for op in ops {
        if matches!(op, Op::Open { .. } | Op::Move { .. } | Op::Close { .. }) {
            apply_cash(store.clone(), &w, &op).await;
        } else {
            apply(store.as_ref(), &mut w, op).await;
        }
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
    fn every_invariant_holds_after_any_sequence_in_memory(ops in prop::collection::vec(op(), 1..30)) {
        runtime().block_on(run(pos_tests::stores::memory(), ops));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]
    #[test]
    fn every_invariant_holds_after_any_sequence_on_sqlite(ops in prop::collection::vec(op(), 1..20)) {
        let rt = runtime();
        let store = rt.block_on(pos_tests::stores::sqlite());
        rt.block_on(run(store, ops));
    }
}
