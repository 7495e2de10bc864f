//! `pos-app demo-data`: fills an empty database with a realistic stretch of trading, through
//! the same domain services the API calls, so every invariant holds (FIFO lots, balanced
//! entries, stock equal to lots and log, dues equal to the books).
//!
//! Speed comes from batching: many sales run inside one transaction (one commit per batch),
//! never from writing rows around the rules. The data is deterministic for a given seed.
//!
//! The shape: products follow a long-tailed popularity (a few sell a lot); baskets hold 1 to
//! 5 lines; 30 % of sales are to named customers, a sixth of those on credit that is paid off
//! at each month's end; 1 in 100 sales sees a return; each supplier restocks its products on
//! the 1st of every month; rent, salaries and utilities are paid monthly.

use anyhow::{Context, anyhow, bail};
use pos_domain::catalog::{
    LabelDraft, Percent, ProductDraft, ProductStatus, TaxMode, TaxRateDraft, Unit,
};
use pos_domain::contact::Address;
use pos_domain::customers::CustomerDraft;
use pos_domain::ids::{CustomerId, ProductId, SupplierId, UserId};
use pos_domain::ledger::money_events::{ExpenseDraft, PaymentMethod, expense_entry};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, PageRequest};
use pos_domain::ports::{Store, Tx};
use pos_domain::purchasing::purchase::{
    InvoiceNo, PurchaseDraft, PurchaseLineDraft, price_purchase,
};
use pos_domain::quantity::Quantity;
use pos_domain::register::DEFAULT_REGISTER;
use pos_domain::sales::{CartLine, Discount, price_cart};
use pos_domain::services::purchasing::{pay_supplier, receive_purchase};
use pos_domain::services::sales::{
    Checkout, CheckoutLine, ReturnLine, SaleReturnRequest, checkout, return_sale,
    take_customer_payment,
};
use pos_domain::suppliers::SupplierDraft;
use pos_domain::text::{Name, Sku};
use pos_domain::user::Role;
use rust_decimal::Decimal;
use std::time::Instant;
use time::{Date, Duration, OffsetDateTime, Time};

/// How much to generate (the defaults: a year of a busy shop, about a million sale lines).
#[derive(Debug, Clone, clap::Args)]
pub struct DemoSize {
    /// Products in the catalog.
    #[arg(long, default_value_t = 2_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub products: u32,
    /// Customers (a third of sales name one).
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    pub customers: u32,
    /// Suppliers the stock is bought from.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub suppliers: u32,
    /// Sale lines in all, spread over the days.
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u32).range(0..=100_000_000))]
    pub sale_lines: u32,
    /// Days of trading, ending today.
    #[arg(long, default_value_t = 365, value_parser = clap::value_parser!(u16).range(1..=366))]
    pub days: u16,
    /// The seed of the generator: the same seed and sizes give the same data.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

impl Default for DemoSize {
    fn default() -> Self {
        Self {
            products: 2_000,
            customers: 500,
            suppliers: 50,
            sale_lines: 1_000_000,
            days: 365,
            seed: 42,
        }
    }
}

/// xorshift64*: small, fast and deterministic; statistical quality is plenty for demo data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

struct DemoProduct {
    id: ProductId,
    price: Money,
    tax: Option<(Percent, TaxMode)>,
    cost: Money,
    supplier: usize,
    /// Expected units sold per day.
    daily: f64,
}

struct Methods {
    cash: PaymentMethod,
    card: PaymentMethod,
    bkash: PaymentMethod,
}

fn name(s: &str) -> anyhow::Result<Name> {
    Name::new(s).map_err(|e| anyhow!("{s}: {e}"))
}

fn units(n: i64) -> Quantity {
    Quantity::from_thousandths(n * 1000)
}

/// What was made, for the summary line.
#[derive(Debug, Default)]
pub struct Made {
    pub sales: u64,
    pub sale_lines: u64,
    pub returns: u64,
    pub purchases: u64,
    pub refused_for_stock: u64,
}

pub async fn generate(
    store: &dyn Store,
    admin: UserId,
    size: &DemoSize,
    last_day: Date,
) -> anyhow::Result<Made> {
    let started = Instant::now();
    let mut rng = Rng(size.seed.max(1));
    let first_day = last_day - Duration::days(i64::from(size.days) - 1);
    let at = |day: Date, seconds: u32| {
        OffsetDateTime::new_utc(day, Time::MIDNIGHT)
            + Duration::seconds(i64::from(9 * 3600 + seconds % (12 * 3600)))
    };
    let t0 = at(first_day, 0);

    let mut tx = store.begin().await?;
    let existing = tx
        .list_products(&ListQuery {
            filter: Default::default(),
            sort: Default::default(),
            order: Default::default(),
            page: PageRequest::new(Some(1), Some(1)),
        })
        .await?;
    if existing.total > 0 {
        bail!("demo-data fills an empty shop, and this one has products; use a new database");
    }
    let methods = Methods {
        cash: method(tx.as_mut(), "cash").await?,
        card: method(tx.as_mut(), "card").await?,
        bkash: method(tx.as_mut(), "bkash").await?,
    };
    let sellers = [admin];
    let rates = [
        tx.insert_tax_rate(
            TaxRateDraft {
                name: name("VAT 15%")?,
                rate: Percent::new(Decimal::from(15))?,
                mode: TaxMode::Exclusive,
            },
            t0,
        )
        .await?,
        tx.insert_tax_rate(
            TaxRateDraft {
                name: name("VAT 5% (included)")?,
                rate: Percent::new(Decimal::from(5))?,
                mode: TaxMode::Inclusive,
            },
            t0,
        )
        .await?,
    ];
    let mut categories = Vec::new();
    for c in [
        "Grocery",
        "Beverages",
        "Household",
        "Personal care",
        "Snacks",
        "Dairy",
        "Stationery",
        "Toys",
    ] {
        categories.push(
            tx.insert_category(
                LabelDraft {
                    name: name(c)?,
                    description: None,
                },
                t0,
            )
            .await?
            .id,
        );
    }
    let mut brands = Vec::new();
    for b in 0..12 {
        brands.push(
            tx.insert_brand(
                LabelDraft {
                    name: name(&format!("Brand {b:02}"))?,
                    description: None,
                },
                t0,
            )
            .await?
            .id,
        );
    }
    let mut suppliers: Vec<SupplierId> = Vec::new();
    for s in 0..size.suppliers {
        let draft = SupplierDraft {
            name: name(&format!("Supplier {s:03}"))?,
            phone: None,
            alt_phone: None,
            email: None,
            address: Address::default(),
            note: None,
        };
        suppliers.push(tx.insert_supplier(draft, t0).await?.id);
    }
    let mut customers: Vec<CustomerId> = Vec::new();
    for c in 0..size.customers {
        let draft = CustomerDraft {
            name: name(&format!("Customer {c:04}"))?,
            phone: None,
            alt_phone: None,
            email: None,
            address: Address::default(),
            credit_limit: Some(Money::from_minor_units(10_000_000)),
            note: None,
        };
        customers.push(tx.insert_customer(draft, t0).await?.id);
    }

    // Long-tailed popularity: weight 1 / rank^0.8, scaled so the lines add up.
    let weights: Vec<f64> = (1..=size.products)
        .map(|r| 1.0 / f64::from(r).powf(0.8))
        .collect();
    let total_weight: f64 = weights.iter().sum();
    let lines_per_day = f64::from(size.sale_lines) / f64::from(size.days);
    let mut products = Vec::with_capacity(weights.len());
    for (i, weight) in weights.iter().enumerate() {
        let price = Money::from_minor_units(100 + (rng.next() % 50_000) as i64);
        let tax = match rng.below(10) {
            0..=5 => Some(&rates[0]),
            6..=7 => Some(&rates[1]),
            _ => None,
        };
        let draft = ProductDraft {
            name: name(&format!("Product {i:05}"))?,
            sku: Sku::new(&format!("SKU-{i:05}")).map_err(|e| anyhow!("{e}"))?,
            barcode: None,
            brand_id: Some(brands[i % brands.len()]),
            category_id: Some(categories[i % categories.len()]),
            tax_rate_id: tax.map(|t| t.id),
            price,
            reorder_level: units(5 + (i % 16) as i64),
            unit: Unit::Piece,
            status: ProductStatus::Active,
            description: None,
        };
        let id = tx.insert_product(draft, t0).await?.id;
        products.push(DemoProduct {
            id,
            price,
            tax: tax.map(|t| (t.rate, t.mode)),
            // Bought at 55 % to 75 % of the shelf price.
            cost: Money::from_minor_units(price.minor_units() * (55 + rng.below(21) as i64) / 100),
            supplier: i % suppliers.len(),
            // 1.3 units per line on average.
            daily: lines_per_day * 1.3 * weight / total_weight,
        });
        if i % 500 == 499 {
            tx.commit().await?;
            tx = store.begin().await?;
        }
    }
    let cumulative: Vec<f64> = weights
        .iter()
        .scan(0.0, |acc, w| {
            *acc += w / total_weight;
            Some(*acc)
        })
        .collect();
    let categories_len = expense_categories(tx.as_mut()).await?;
    tx.commit().await?;
    eprintln!(
        "demo-data: catalog, {} suppliers and {} customers in {:.1?}",
        suppliers.len(),
        customers.len(),
        started.elapsed()
    );

    let mut made = Made::default();
    let mut open_credit: Vec<CustomerId> = Vec::new();
    let mut purchase_no = 0u64;
    for day in (0..i64::from(size.days)).map(|d| first_day + Duration::days(d)) {
        let mut tx = store.begin().await?;
        if day == first_day || day.day() == 1 {
            // Restock: the month's expected sales (two months' at the start) and some spare.
            let months = if day == first_day { 2.0 } else { 1.1 };
            for (s, supplier) in suppliers.iter().enumerate() {
                let lines: Vec<PurchaseLineDraft> = products
                    .iter()
                    .filter(|p| p.supplier == s)
                    .map(|p| PurchaseLineDraft {
                        product_id: p.id,
                        quantity: units((p.daily * 30.0 * months).ceil() as i64 + 10),
                        unit_cost: p.cost,
                    })
                    .collect();
                if lines.is_empty() {
                    continue;
                }
                purchase_no += 1;
                let draft = PurchaseDraft {
                    supplier_id: *supplier,
                    invoice_no: InvoiceNo::new(&format!("P-{purchase_no:06}"))
                        .map_err(|e| anyhow!("{e}"))?,
                    date: day,
                    lines,
                    payments: Vec::new(),
                    note: None,
                    user_id: admin,
                };
                let priced = price_purchase(draft).map_err(|e| anyhow!("{e}"))?;
                let total = priced.total;
                receive_purchase(tx.as_mut(), priced, at(day, 0)).await?;
                // Half paid at once, the rest stays owed until next month's payment run.
                let half = Money::from_minor_units(total.minor_units() / 2);
                if half > Money::ZERO && day != first_day {
                    pay_supplier(
                        tx.as_mut(),
                        pos_domain::services::PaymentRequest {
                            party: *supplier,
                            method: methods.cash.clone(),
                            amount: half,
                            document: None,
                            reference: None,
                            note: None,
                            date: day,
                            user_id: admin,
                            at: at(day, 60),
                        },
                    )
                    .await?;
                }
                made.purchases += 1;
            }
            if day != first_day {
                pay_month_end(
                    tx.as_mut(),
                    &mut open_credit,
                    &methods,
                    categories_len.clone(),
                    day,
                    admin,
                    &at,
                )
                .await?;
            }
        }
        let target = (lines_per_day * (1.0 + (rng.below(41) as f64 - 20.0) / 100.0)).round() as u64;
        let mut lines_today = 0u64;
        let mut sale_in_day = 0u32;
        let mut batch = 0;
        while lines_today < target {
            let basket = 1 + rng.below(5);
            let mut chosen: Vec<usize> = Vec::with_capacity(basket);
            while chosen.len() < basket {
                let x = (rng.next() % 1_000_000) as f64 / 1_000_000.0;
                let i = cumulative
                    .partition_point(|c| *c < x)
                    .min(products.len() - 1);
                if !chosen.contains(&i) {
                    chosen.push(i);
                }
            }
            chosen.sort_unstable();
            let lines: Vec<CheckoutLine> = chosen
                .iter()
                .map(|i| CheckoutLine {
                    product_id: products[*i].id,
                    quantity: units(match rng.below(20) {
                        0 => 3,
                        1..=3 => 2,
                        _ => 1,
                    }),
                    discount: None,
                    unit_price: None,
                })
                .collect();
            let order_discount = rng
                .chance(8)
                .then(|| Discount::Percent(Percent::from_scaled(50_000)));
            let cart: Vec<CartLine> = lines
                .iter()
                .zip(&chosen)
                .map(|(l, i)| CartLine {
                    product_id: l.product_id,
                    quantity: l.quantity,
                    unit_price: products[*i].price,
                    tax: products[*i].tax,
                    discount: None,
                })
                .collect();
            let total = price_cart(&cart, order_discount)
                .map_err(|e| anyhow!("{e}"))?
                .total;
            let customer = (!customers.is_empty() && rng.chance(30))
                .then(|| customers[rng.below(customers.len())]);
            let on_credit = customer.is_some() && rng.chance(16);
            let tenders = if on_credit {
                Vec::new()
            } else {
                match rng.below(10) {
                    0..=5 => vec![(
                        methods.cash.code.clone(),
                        Money::from_minor_units((total.minor_units() / 10_000 + 1) * 10_000),
                    )],
                    6..=8 => vec![(methods.card.code.clone(), total)],
                    _ => vec![(methods.bkash.code.clone(), total)],
                }
            };
            sale_in_day += 1;
            let result = checkout(
                tx.as_mut(),
                Checkout {
                    register_id: DEFAULT_REGISTER,
                    customer_id: customer,
                    lines,
                    order_discount,
                    tenders,
                    expected_total: Some(total),
                    note: None,
                    date: day,
                    user_id: sellers[rng.below(sellers.len())],
                    role: Role::Admin,
                    staff_discount_limit: pos_domain::catalog::Percent::from_scaled(1_000_000),
                    at: at(day, sale_in_day * 50),
                },
            )
            .await;
            let sold = match result {
                Ok(sold) => sold,
                Err(pos_domain::services::error::ServiceError::InsufficientStock { .. }) => {
                    made.refused_for_stock += 1;
                    continue;
                }
                Err(e) => return Err(anyhow!("checkout on {day}: {e}")),
            };
            made.sales += 1;
            made.sale_lines += sold.sale.lines.len() as u64;
            lines_today += sold.sale.lines.len() as u64;
            if let (true, Some(c)) = (on_credit, customer) {
                open_credit.push(c);
            }
            if rng.chance(1) {
                let line = &sold.sale.lines[0];
                return_sale(
                    tx.as_mut(),
                    SaleReturnRequest {
                        register_id: DEFAULT_REGISTER,
                        sale_id: sold.sale.id,
                        lines: vec![ReturnLine {
                            sale_line_id: line.id,
                            quantity: units(1),
                            restock: !rng.chance(20),
                        }],
                        refund_method: Some(methods.cash.clone()),
                        staff_refund_limit: Money::from_minor_units(i64::MAX / 4),
                        role: Role::Admin,
                        date: day,
                        user_id: admin,
                        at: at(day, sale_in_day * 50 + 20),
                    },
                )
                .await
                .map_err(|e| anyhow!("return on {day}: {e}"))?;
                made.returns += 1;
            }
            batch += 1;
            if batch == 250 {
                tx.commit().await?;
                tx = store.begin().await?;
                batch = 0;
            }
        }
        tx.commit().await?;
        if day.day() == 1 || day == last_day {
            eprintln!(
                "demo-data: {day}: {} sales, {} lines so far ({:.0?})",
                made.sales,
                made.sale_lines,
                started.elapsed()
            );
        }
    }
    Ok(made)
}

async fn method(tx: &mut dyn Tx, code: &str) -> anyhow::Result<PaymentMethod> {
    tx.find_payment_method(code).await?.with_context(|| {
        format!("payment method {code:?} is missing; run the app once to seed the books")
    })
}

async fn expense_categories(
    tx: &mut dyn Tx,
) -> anyhow::Result<Vec<pos_domain::ledger::money_events::ExpenseCategory>> {
    let all = tx.list_expense_categories().await?;
    if all.is_empty() {
        bail!("no expense categories; run the app once to seed the books");
    }
    Ok(all)
}

/// The month's end: customers pay what they owe, suppliers get last month's balance, and the
/// shop pays its rent, salaries and utilities.
async fn pay_month_end(
    tx: &mut dyn Tx,
    open_credit: &mut Vec<CustomerId>,
    methods: &Methods,
    categories: Vec<pos_domain::ledger::money_events::ExpenseCategory>,
    day: Date,
    user: UserId,
    at: &impl Fn(Date, u32) -> OffsetDateTime,
) -> anyhow::Result<()> {
    open_credit.sort_unstable();
    open_credit.dedup();
    for customer in open_credit.drain(..) {
        let due = tx.customer_totals(customer).await?.due;
        if due > Money::ZERO {
            take_customer_payment(
                tx,
                pos_domain::services::PaymentRequest {
                    party: customer,
                    method: methods.bkash.clone(),
                    amount: due,
                    document: None,
                    reference: None,
                    note: None,
                    date: day,
                    user_id: user,
                    at: at(day, 120),
                },
            )
            .await
            .map_err(|e| anyhow!("customer payment: {e}"))?;
        }
    }
    let bills = [
        ("Rent", 8_000_000),
        ("Salaries", 15_000_000),
        ("Utilities", 1_200_000),
    ];
    for (i, (title, cents)) in bills.into_iter().enumerate() {
        let draft = ExpenseDraft {
            title: name(title)?,
            amount: Money::from_minor_units(cents),
            category: categories[i % categories.len()].clone(),
            method: methods.cash.clone(),
            date: day,
            note: None,
            user_id: user,
        };
        let expense = tx.insert_expense(&draft, at(day, 180)).await?;
        let entry = expense_entry(&draft, Some(expense.id)).map_err(|e| anyhow!("{e}"))?;
        tx.post_entry(entry, at(day, 180)).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bootstrap::{ensure_books, ensure_first_admin};
    use crate::config::AdminSeed;
    use pos_domain::reports::{Period, SalesScope};
    use pos_domain::services::reports::summary;
    use pos_memory::MemoryStore;
    use time::macros::date;

    #[derive(clap::Parser)]
    struct Args {
        #[command(flatten)]
        size: DemoSize,
    }

    fn parse(args: &[&str]) -> Result<DemoSize, clap::Error> {
        <Args as clap::Parser>::try_parse_from(
            std::iter::once("demo-data").chain(args.iter().copied()),
        )
        .map(|a| a.size)
    }

    #[test]
    fn sizes_out_of_range_are_refused() {
        assert!(parse(&["--days", "0"]).is_err());
        assert!(parse(&["--days", "367"]).is_err());
        assert!(parse(&["--products", "0"]).is_err());
        assert!(parse(&["--products", "-1"]).is_err());
        assert_eq!(parse(&[]).unwrap().products, 2_000);
    }

    #[tokio::test]
    async fn a_small_demo_keeps_every_invariant_and_refuses_a_second_run() {
        let store = MemoryStore::new();
        ensure_books(&store).await.unwrap();
        let seed = AdminSeed {
            username: "admin".into(),
            email: "admin@example.com".into(),
            password: Some("demo-admin-password".into()),
        };
        ensure_first_admin(&store, &seed, 4).await.unwrap();
        let admin = {
            let mut tx = store.begin_read().await.unwrap();
            tx.find_credentials("admin").await.unwrap().unwrap().0.id
        };
        let size = parse(&[
            "--products",
            "30",
            "--customers",
            "6",
            "--suppliers",
            "3",
            "--sale-lines",
            "900",
            "--days",
            "45",
            "--seed",
            "7",
        ])
        .unwrap();
        let last = date!(2026 - 03 - 31);
        let made = generate(&store, admin, &size, last).await.unwrap();
        assert!(made.sale_lines >= 700, "about 900 lines: {made:?}");
        assert!(made.sales > 0 && made.purchases >= 6, "{made:?}");

        let mut tx = store.begin_read().await.unwrap();
        let found = pos_domain::integrity::check(tx.as_mut()).await.unwrap();
        assert!(found.is_empty(), "{found:?}");
        // The whole stretch's figures agree with what was made, and the month-end expenses
        // reached the books.
        let period = Period::new(last - Duration::days(44), last).unwrap();
        let counter =
            pos_domain::services::reports::performance(tx.as_mut(), period, SalesScope::default())
                .await
                .unwrap();
        assert_eq!(counter.sold.sales, made.sales);
        assert_eq!(counter.sold.lines, made.sale_lines);
        assert_eq!(counter.returned.returns, made.returns);
        let books = summary(tx.as_mut(), period).await.unwrap();
        assert!(books.total_expenses > Money::ZERO);
        drop(tx);

        let again = generate(&store, admin, &size, last).await;
        assert!(again.is_err(), "a shop with products is refused");
    }
}
