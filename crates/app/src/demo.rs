//! `pos-app demo-data`: fills an empty database with a realistic stretch of trading, through
//! the application layer ([`App`]) a client drives, so every rule and invariant holds (FIFO
//! lots, balanced entries, stock equal to lots and log, dues equal to the books).
//!
//! Every operation is the use case the API calls (one transaction each), dated by a clock the
//! generator moves through the stretch; the one exception is the till, which runs the same
//! domain services many sales to a transaction for speed (see `sell_day`). The data is
//! deterministic for a given seed.
//!
//! The shape: products follow a long-tailed popularity (a few sell a lot); baskets hold 1 to
//! 5 lines; 30 % of sales are to named customers, a sixth of those on credit that is paid off
//! at each month's end; 1 in 100 sales sees a return; each supplier restocks its products on
//! the 1st of every month; rent, salaries and utilities are paid monthly.

pub use crate::operator::user_named;
use anyhow::{Context, anyhow, bail};
use pos_domain::app::ledger::NewExpense;
use pos_domain::app::parties::{NewCustomer, PaySupplier, ReceiveCustomerPayment};
use pos_domain::app::purchasing::{NewPurchase, ReceivedPurchase};
use pos_domain::app::{App, Once, Policy, Render, Reply, method_by_code};
use pos_domain::catalog::{
    LabelDraft, Percent, ProductDraft, ProductStatus, TaxMode, TaxRate, TaxRateDraft, Unit,
};
use pos_domain::clock::Clock;
use pos_domain::contact::Address;
use pos_domain::customers::CustomerDraft;
use pos_domain::ids::{
    BrandId, CategoryId, CustomerId, ExpenseCategoryId, ProductId, SaleLineId, SupplierId, UserId,
};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, PageRequest};
use pos_domain::ports::{Store, Tx};
use pos_domain::purchasing::purchase::{InvoiceNo, PurchaseLineDraft};
use pos_domain::quantity::Quantity;
use pos_domain::register::DEFAULT_REGISTER;
use pos_domain::sales::{CartLine, Discount, price_cart};
use pos_domain::services::sales::{
    Checkout, CheckoutError, CheckoutLine, ReturnLine, SaleReturnRequest, checkout, return_sale,
};
use pos_domain::suppliers::SupplierDraft;
use pos_domain::text::{Name, Sku};
use pos_domain::user::Role;
use rust_decimal::Decimal;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

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

/// The application's clock while the demo runs: set to each operation's moment as the
/// generator moves through the stretch, so every document is dated and stamped in the past.
struct DemoClock(Mutex<OffsetDateTime>);

impl DemoClock {
    fn set(&self, at: OffsetDateTime) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = at;
    }
}

impl Clock for DemoClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What a use case produced, kept by its render step for the generator's next step (the
/// reply itself is ignored).
struct Kept<T>(Mutex<Option<T>>);

impl<T> Kept<T> {
    fn new() -> Self {
        Self(Mutex::new(None))
    }

    fn keep(&self, value: T) -> Result<Reply, String> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
        ignore(&())
    }

    fn take(&self, what: &str) -> anyhow::Result<T> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .with_context(|| format!("{what} answered without rendering its result"))
    }
}

/// The reply of a money-moving use case, which nobody reads here.
fn ignore<T>(_: &T) -> Result<Reply, String> {
    Ok(Reply {
        status: 200,
        body: String::new(),
        replayed: false,
    })
}

const CASH: &str = "cash";
const CARD: &str = "card";
const BKASH: &str = "bkash";

struct DemoProduct {
    id: ProductId,
    price: Money,
    tax: Option<(Percent, TaxMode)>,
    cost: Money,
    supplier: usize,
    /// Expected units sold per day.
    daily: f64,
}

/// The shop as set up before trading starts.
struct Shop {
    products: Vec<DemoProduct>,
    /// Each product's cumulative share of popularity, for picking baskets.
    cumulative: Vec<f64>,
    suppliers: Vec<SupplierId>,
    customers: Vec<CustomerId>,
    expense_categories: Vec<ExpenseCategoryId>,
    lines_per_day: f64,
    /// Where deliveries arrive, to be shipped on to the stores.
    warehouse: pos_domain::ids::LocationId,
    /// (store, its till): the default store and a second one.
    stores: Vec<(pos_domain::ids::LocationId, pos_domain::ids::RegisterId)>,
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
    /// Shipped from the warehouse to a store and received there.
    pub transfers: u64,
}

/// Generates `size` worth of trading ending on `last_day` (the shop's calendar), as the user
/// `admin`, through the application over `store` with the shop's `policy`.
pub async fn generate(
    store: Arc<dyn Store>,
    policy: Policy,
    admin: UserId,
    size: &DemoSize,
    last_day: Date,
) -> anyhow::Result<Made> {
    let started = Instant::now();
    let first_day = last_day - Duration::days(i64::from(size.days) - 1);
    let mut demo = Demo::new(store, policy, admin, size.seed, first_day);
    let shop = demo.open_shop(size).await?;
    eprintln!(
        "demo-data: catalog, {} suppliers and {} customers in {:.1?}",
        shop.suppliers.len(),
        shop.customers.len(),
        started.elapsed()
    );
    for day in (0..i64::from(size.days)).map(|d| first_day + Duration::days(d)) {
        demo.trade(&shop, day).await?;
        if day.day() == 1 || day == last_day {
            eprintln!(
                "demo-data: {day}: {} sales, {} lines so far ({:.0?})",
                demo.made.sales,
                demo.made.sale_lines,
                started.elapsed()
            );
        }
    }
    Ok(demo.made)
}

/// The generator: the application it drives, the clock it moves, and what it made so far.
struct Demo {
    app: App,
    /// For the till's batches (see `sell_day`).
    store: Arc<dyn Store>,
    clock: Arc<DemoClock>,
    shop_offset: UtcOffset,
    admin: UserId,
    /// Who sells at the till.
    sellers: Vec<UserId>,
    rng: Rng,
    first_day: Date,
    made: Made,
    /// Customers who bought on credit since the last month's end.
    open_credit: Vec<CustomerId>,
    purchase_no: u64,
}

impl Demo {
    fn new(
        store: Arc<dyn Store>,
        policy: Policy,
        admin: UserId,
        seed: u64,
        first_day: Date,
    ) -> Self {
        let shop_offset = policy.shop_offset;
        let clock = Arc::new(DemoClock(Mutex::new(OffsetDateTime::UNIX_EPOCH)));
        let demo = Self {
            app: App::new(store.clone(), clock.clone(), policy),
            store,
            clock,
            shop_offset,
            admin,
            sellers: vec![admin],
            rng: Rng(seed.max(1)),
            first_day,
            made: Made::default(),
            open_credit: Vec::new(),
            purchase_no: 0,
        };
        demo.set_clock(first_day, 0);
        demo
    }

    /// Moves the clock to `seconds` past 9:00 on `day` (the shop's calendar), within a
    /// twelve-hour trading day.
    fn set_clock(&self, day: Date, seconds: u32) {
        let opening = PrimitiveDateTime::new(day, Time::MIDNIGHT).assume_offset(self.shop_offset);
        let at = opening + Duration::seconds(i64::from(9 * 3600 + seconds % (12 * 3600)));
        self.clock.set(at);
    }

    /// The identity of one money-moving request: no Idempotency-Key, the admin's.
    fn once<'a, T>(&self, use_case: &'a str, render: Render<'a, T>) -> Once<'a, T> {
        Once {
            user: self.admin,
            key: None,
            request_hash: format!("demo-data {use_case}"),
            use_case,
            render,
        }
    }
}

/// Setting up the shop: the books' seeds, the catalog and the counterparties.
impl Demo {
    async fn open_shop(&mut self, size: &DemoSize) -> anyhow::Result<Shop> {
        self.refuse_a_shop_with_products().await?;
        let expense_categories = self.seeded_books().await?;
        self.set_clock(self.first_day, 0);
        let rates = self.tax_rates().await?;
        let labels = self.labels().await?;
        let suppliers = self.suppliers(size.suppliers).await?;
        let customers = self.customers(size.customers).await?;
        let lines_per_day = f64::from(size.sale_lines) / f64::from(size.days);
        let weights = popularity(size.products);
        let products = self
            .products(&weights, lines_per_day, &rates, &labels, suppliers.len())
            .await?;
        let (warehouse, stores) = self.locations().await?;
        Ok(Shop {
            products,
            cumulative: cumulative(&weights),
            suppliers,
            customers,
            expense_categories,
            lines_per_day,
            warehouse,
            stores,
        })
    }

    /// A warehouse and a second store with its own till (its session open all along) beside
    /// the default store and register.
    #[allow(clippy::type_complexity, reason = "a pair of ids")]
    async fn locations(
        &self,
    ) -> anyhow::Result<(
        pos_domain::ids::LocationId,
        Vec<(pos_domain::ids::LocationId, pos_domain::ids::RegisterId)>,
    )> {
        use pos_domain::location::{LocationCode, LocationKind, NewLocation};
        let place = |code: &str, label: &str, kind| -> anyhow::Result<NewLocation> {
            Ok(NewLocation {
                code: LocationCode::new(code).map_err(|e| anyhow!("{e}"))?,
                name: name(label)?,
                kind,
                address: None,
                utc_offset: None,
            })
        };
        let warehouse = self
            .app
            .create_location(place("WH1", "Central warehouse", LocationKind::Warehouse)?)
            .await?
            .id;
        let second = self
            .app
            .create_location(place("S2", "Second store", LocationKind::Store)?)
            .await?
            .id;
        let till = self
            .app
            .create_register(pos_domain::register::NewRegister {
                code: pos_domain::register::RegisterCode::new("S2A").map_err(|e| anyhow!("{e}"))?,
                name: name("Second store till")?,
                location: second,
            })
            .await?
            .id;
        // Both tills open their sessions before the first sale. (The till's clock runs round
        // its trading day on a busy day, so a session a first sale opened automatically later
        // in the morning would postdate the day's wrapped-round early sales.)
        for register in [DEFAULT_REGISTER, till] {
            let open = pos_domain::app::cash::OpenCashSession {
                register,
                float: pos_domain::cash::Counted::Amount(Money::ZERO),
                blind: false,
                user: self.admin,
                stores: pos_domain::user::Stores::All,
            };
            self.app
                .open_cash_session(open, self.once("open_session", &ignore))
                .await
                .map_err(|e| anyhow!("opening till {register}: {e}"))?;
        }
        Ok((
            warehouse,
            vec![
                (pos_domain::location::DEFAULT_LOCATION, DEFAULT_REGISTER),
                (second, till),
            ],
        ))
    }

    async fn refuse_a_shop_with_products(&self) -> anyhow::Result<()> {
        let existing = self
            .app
            .products(ListQuery {
                filter: Default::default(),
                sort: Default::default(),
                order: Default::default(),
                page: PageRequest::new(Some(1), Some(1)),
            })
            .await?;
        if existing.total > 0 {
            bail!("demo-data fills an empty shop, and this one has products; use a new database");
        }
        Ok(())
    }

    /// The payment methods the demo pays by, and the expense categories, as seeded at start.
    async fn seeded_books(&self) -> anyhow::Result<Vec<ExpenseCategoryId>> {
        let methods = self.app.payment_methods().await?.methods;
        for code in [CASH, CARD, BKASH] {
            if !methods.iter().any(|m| m.code == code) {
                bail!("payment method {code:?} is missing; run the app once to seed the books");
            }
        }
        let categories = self.app.expense_categories().await?.categories;
        if categories.is_empty() {
            bail!("no expense categories; run the app once to seed the books");
        }
        Ok(categories.into_iter().map(|c| c.id).collect())
    }

    async fn tax_rates(&self) -> anyhow::Result<[TaxRate; 2]> {
        let rate = |label: &str, percent: i64, mode| -> anyhow::Result<TaxRateDraft> {
            Ok(TaxRateDraft {
                name: name(label)?,
                rate: Percent::new(Decimal::from(percent))?,
                mode,
            })
        };
        Ok([
            self.app
                .create_tax_rate(rate("VAT 15%", 15, TaxMode::Exclusive)?)
                .await?,
            self.app
                .create_tax_rate(rate("VAT 5% (included)", 5, TaxMode::Inclusive)?)
                .await?,
        ])
    }

    async fn labels(&self) -> anyhow::Result<(Vec<CategoryId>, Vec<BrandId>)> {
        let label = |s: &str| -> anyhow::Result<LabelDraft> {
            Ok(LabelDraft {
                name: name(s)?,
                description: None,
            })
        };
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
            categories.push(self.app.create_category(label(c)?).await?.id);
        }
        let mut brands = Vec::new();
        for b in 0..12 {
            let draft = label(&format!("Brand {b:02}"))?;
            brands.push(self.app.create_brand(draft).await?.id);
        }
        Ok((categories, brands))
    }

    async fn suppliers(&self, count: u32) -> anyhow::Result<Vec<SupplierId>> {
        let mut suppliers = Vec::new();
        for s in 0..count {
            let draft = SupplierDraft {
                name: name(&format!("Supplier {s:03}"))?,
                phone: None,
                alt_phone: None,
                email: None,
                address: Address::default(),
                note: None,
            };
            suppliers.push(self.app.create_supplier(draft).await?.id);
        }
        Ok(suppliers)
    }

    async fn customers(&self, count: u32) -> anyhow::Result<Vec<CustomerId>> {
        let mut customers = Vec::new();
        for c in 0..count {
            let draft = CustomerDraft {
                name: name(&format!("Customer {c:04}"))?,
                phone: None,
                alt_phone: None,
                email: None,
                address: Address::default(),
                credit_limit: Some(Money::from_minor_units(10_000_000)),
                note: None,
            };
            let command = NewCustomer {
                draft,
                role: Role::Admin,
            };
            customers.push(self.app.create_customer(command).await?.id);
        }
        Ok(customers)
    }

    /// One product per popularity weight, priced at random, bought from the suppliers in
    /// turn, with its expected daily sales.
    async fn products(
        &mut self,
        weights: &[f64],
        lines_per_day: f64,
        rates: &[TaxRate; 2],
        labels: &(Vec<CategoryId>, Vec<BrandId>),
        suppliers: usize,
    ) -> anyhow::Result<Vec<DemoProduct>> {
        let total_weight: f64 = weights.iter().sum();
        let (categories, brands) = labels;
        let mut products = Vec::with_capacity(weights.len());
        for (i, weight) in weights.iter().enumerate() {
            let price = Money::from_minor_units(100 + (self.rng.next() % 50_000) as i64);
            let tax = match self.rng.below(10) {
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
            let id = self.app.create_product(draft).await?.id;
            // Bought at 55 % to 75 % of the shelf price.
            let share = 55 + self.rng.below(21) as i64;
            products.push(DemoProduct {
                id,
                price,
                tax: tax.map(|t| (t.rate, t.mode)),
                cost: Money::from_minor_units(price.minor_units() * share / 100),
                supplier: i % suppliers,
                // 1.3 units per line on average.
                daily: lines_per_day * 1.3 * weight / total_weight,
            });
        }
        Ok(products)
    }
}

/// Long-tailed popularity: weight 1 / rank^0.8.
fn popularity(products: u32) -> Vec<f64> {
    (1..=products)
        .map(|r| 1.0 / f64::from(r).powf(0.8))
        .collect()
}

/// Each weight's cumulative share of the whole.
fn cumulative(weights: &[f64]) -> Vec<f64> {
    let total: f64 = weights.iter().sum();
    weights
        .iter()
        .scan(0.0, |acc, w| {
            *acc += w / total;
            Some(*acc)
        })
        .collect()
}

/// A trading day: the month's restocking and bills on its first day, then the till.
impl Demo {
    async fn trade(&mut self, shop: &Shop, day: Date) -> anyhow::Result<()> {
        if day == self.first_day || day.day() == 1 {
            self.restock(shop, day).await?;
            if day != self.first_day {
                self.collect_credit(day).await?;
                self.pay_bills(shop, day).await?;
            }
        }
        self.sell_day(shop, day).await
    }

    /// Restock: each supplier delivers the month's expected sales of its products (two
    /// months' at the start) and some spare; half is paid at once, except at the start, and
    /// the rest stays owed until next month's payment run.
    async fn restock(&mut self, shop: &Shop, day: Date) -> anyhow::Result<()> {
        let months = if day == self.first_day { 2.0 } else { 1.1 };
        for (s, supplier) in shop.suppliers.iter().enumerate() {
            let lines: Vec<PurchaseLineDraft> = shop
                .products
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
            let total = self
                .receive(*supplier, lines.clone(), day, shop.warehouse)
                .await?;
            self.distribute(shop, &lines, day).await?;
            let half = Money::from_minor_units(total.minor_units() / 2);
            if half > Money::ZERO && day != self.first_day {
                self.pay_supplier(*supplier, half, day).await?;
            }
            self.made.purchases += 1;
        }
        Ok(())
    }

    /// Receives a purchase from `supplier`; answers its total.
    async fn receive(
        &mut self,
        supplier: SupplierId,
        lines: Vec<PurchaseLineDraft>,
        day: Date,
        location: pos_domain::ids::LocationId,
    ) -> anyhow::Result<Money> {
        self.purchase_no += 1;
        let command = NewPurchase {
            supplier,
            invoice_no: InvoiceNo::new(&format!("P-{:06}", self.purchase_no))
                .map_err(|e| anyhow!("{e}"))?,
            date: Some(day),
            lines,
            payments: Vec::new(),
            note: None,
            user: self.admin,
            location,
            stores: pos_domain::user::Stores::All,
        };
        self.set_clock(day, 0);
        let kept = Kept::new();
        let render = |r: &ReceivedPurchase| kept.keep(r.purchase.total);
        self.app
            .receive_purchase(command, self.once("receive_purchase", &render))
            .await
            .map_err(|e| anyhow!("purchase on {day}: {e}"))?;
        kept.take("receive_purchase")
    }

    /// Ships a delivery on from the warehouse: three fifths to the default store, the rest to
    /// the second, each received the same day; now and then a unit arrives short.
    async fn distribute(
        &mut self,
        shop: &Shop,
        lines: &[PurchaseLineDraft],
        day: Date,
    ) -> anyhow::Result<()> {
        use pos_domain::app::transfers::{CreateTransfer, ReceiveTransfer, TransferStep};
        use pos_domain::transfer::{ReceiptLine, Transfer};
        for (n, (store, _)) in shop.stores.iter().enumerate() {
            let sent: Vec<(ProductId, Quantity)> = lines
                .iter()
                .map(|l| {
                    let all = l.quantity.thousandths() / 1_000;
                    let first = all * 3 / 5;
                    (
                        l.product_id,
                        units(if n == 0 { first } else { all - first }),
                    )
                })
                .filter(|(_, q)| *q > Quantity::ZERO)
                .collect();
            if sent.is_empty() {
                continue;
            }
            self.set_clock(day, 30);
            let kept = Kept::new();
            let render = |t: &Transfer| kept.keep(t.id);
            let create = CreateTransfer {
                from: shop.warehouse,
                to: *store,
                note: None,
                lines: sent.clone(),
                user: self.admin,
                stores: pos_domain::user::Stores::All,
            };
            self.app
                .create_transfer(create, self.once("create_transfer", &render))
                .await
                .map_err(|e| anyhow!("transfer on {day}: {e}"))?;
            let transfer = kept.take("create_transfer")?;
            let step = TransferStep {
                transfer,
                user: self.admin,
                stores: pos_domain::user::Stores::All,
            };
            self.app
                .ship_transfer(step, self.once("ship_transfer", &ignore))
                .await
                .map_err(|e| anyhow!("shipping on {day}: {e}"))?;
            let short = self.rng.chance(20);
            let receipt = sent
                .iter()
                .enumerate()
                .map(|(i, (product_id, quantity))| {
                    let lost = if short && i == 0 {
                        units(1)
                    } else {
                        Quantity::ZERO
                    };
                    ReceiptLine {
                        product_id: *product_id,
                        received: Quantity::from_thousandths(
                            quantity.thousandths() - lost.thousandths(),
                        ),
                        short: lost,
                    }
                })
                .collect();
            let receive = ReceiveTransfer {
                transfer,
                lines: receipt,
                user: self.admin,
                stores: pos_domain::user::Stores::All,
            };
            self.app
                .receive_transfer(receive, self.once("receive_transfer", &ignore))
                .await
                .map_err(|e| anyhow!("receiving on {day}: {e}"))?;
            self.made.transfers += 1;
        }
        Ok(())
    }

    async fn pay_supplier(
        &self,
        supplier: SupplierId,
        amount: Money,
        day: Date,
    ) -> anyhow::Result<()> {
        let command = PaySupplier {
            party: supplier,
            amount,
            method: CASH.to_owned(),
            document: None,
            date: Some(day),
            reference: None,
            note: None,
            user: self.admin,
        };
        self.set_clock(day, 60);
        self.app
            .pay_supplier(command, self.once("pay_supplier", &ignore))
            .await
            .map_err(|e| anyhow!("supplier payment on {day}: {e}"))?;
        Ok(())
    }

    /// The month's end: customers who bought on credit pay what they owe.
    async fn collect_credit(&mut self, day: Date) -> anyhow::Result<()> {
        let mut open = std::mem::take(&mut self.open_credit);
        open.sort_unstable();
        open.dedup();
        self.set_clock(day, 120);
        for customer in open {
            let due = self.app.customer_details(customer).await?.totals.due;
            if due <= Money::ZERO {
                continue;
            }
            let command = ReceiveCustomerPayment {
                party: customer,
                amount: due,
                method: BKASH.to_owned(),
                document: None,
                date: Some(day),
                reference: None,
                note: None,
                user: self.admin,
            };
            self.app
                .receive_customer_payment(command, self.once("receive_customer_payment", &ignore))
                .await
                .map_err(|e| anyhow!("customer payment on {day}: {e}"))?;
        }
        Ok(())
    }

    /// The month's end: the shop pays its rent, salaries and utilities in cash.
    async fn pay_bills(&self, shop: &Shop, day: Date) -> anyhow::Result<()> {
        let bills = [
            ("Rent", 8_000_000),
            ("Salaries", 15_000_000),
            ("Utilities", 1_200_000),
        ];
        let categories = &shop.expense_categories;
        self.set_clock(day, 180);
        for (i, (title, cents)) in bills.into_iter().enumerate() {
            let command = NewExpense {
                title: name(title)?,
                amount: Money::from_minor_units(cents),
                category: categories[i % categories.len()],
                method: CASH.to_owned(),
                date: Some(day),
                note: None,
                user: self.admin,
            };
            self.app
                .record_expense(command, self.once("record_expense", &ignore))
                .await
                .map_err(|e| anyhow!("expense on {day}: {e}"))?;
        }
        Ok(())
    }
}

/// Sales per transaction at the till.
const SALES_PER_COMMIT: u32 = 250;

/// The till: baskets, sales and the odd return.
///
/// The one exception to driving [`App`]: a sale through [`App::checkout`] is a transaction of
/// its own, which makes a year of them several times slower (and quadratic on the in-memory
/// store), so the till runs the same domain services, `checkout` and `return_sale`, many sales
/// to a transaction. It takes the date rule, the clock and the staff limits from the App, as
/// `App::checkout` and `App::return_sale` do. No App write may run while a batch is open (on
/// SQLite it would wait for the batch's lock).
impl Demo {
    /// Sells baskets until the day's lines (the average, give or take 20 %) are sold.
    async fn sell_day(&mut self, shop: &Shop, day: Date) -> anyhow::Result<()> {
        let swing = 1.0 + (self.rng.below(41) as f64 - 20.0) / 100.0;
        let target = (shop.lines_per_day * swing).round() as u64;
        let mut lines_today = 0u64;
        let mut sale_in_day = 0u32;
        let mut tx = self.store.begin().await?;
        let mut in_batch = 0;
        while lines_today < target {
            sale_in_day += 1;
            lines_today += self.sell(tx.as_mut(), shop, day, sale_in_day).await?;
            in_batch += 1;
            if in_batch == SALES_PER_COMMIT {
                tx.commit().await?;
                tx = self.store.begin().await?;
                in_batch = 0;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Sells the `n`th basket of `day`; answers the lines sold (none when a product ran out,
    /// and the till refused the basket, which leaves no trace in the transaction).
    async fn sell(
        &mut self,
        tx: &mut dyn Tx,
        shop: &Shop,
        day: Date,
        n: u32,
    ) -> anyhow::Result<u64> {
        self.set_clock(day, n * 50);
        let (sale, on_credit) = self.basket(shop, day)?;
        let customer = sale.customer_id;
        let sold = match checkout(tx, sale).await {
            Ok(sold) => sold,
            Err(CheckoutError::InsufficientStock(_)) => {
                self.made.refused_for_stock += 1;
                return Ok(0);
            }
            Err(e) => bail!("checkout on {day}: {e}"),
        };
        let lines = sold.sale.lines.len() as u64;
        self.made.sales += 1;
        self.made.sale_lines += lines;
        if let (true, Some(c)) = (on_credit, customer) {
            self.open_credit.push(c);
        }
        if self.rng.chance(1)
            && let Some(line) = sold.sale.lines.first()
        {
            self.return_one(tx, &sold.sale, line.id, day, n).await?;
        }
        Ok(lines)
    }

    /// A basket of 1 to 5 products by popularity, maybe for a customer (sometimes on
    /// credit: the `bool`), paid by cash, card or bKash, sold now.
    fn basket(&mut self, shop: &Shop, day: Date) -> anyhow::Result<(Checkout, bool)> {
        let chosen = self.pick(shop);
        let lines: Vec<CheckoutLine> = chosen
            .iter()
            .map(|i| CheckoutLine {
                product_id: shop.products[*i].id,
                quantity: units(match self.rng.below(20) {
                    0 => 3,
                    1..=3 => 2,
                    _ => 1,
                }),
                discount: None,
                unit_price: None,
            })
            .collect();
        let order_discount = self
            .rng
            .chance(8)
            .then(|| Discount::Percent(Percent::from_scaled(50_000)));
        let total = till_total(shop, &chosen, &lines, order_discount)?;
        let customer = (!shop.customers.is_empty() && self.rng.chance(30))
            .then(|| shop.customers[self.rng.below(shop.customers.len())]);
        let on_credit = customer.is_some() && self.rng.chance(16);
        let tenders = if on_credit {
            Vec::new()
        } else {
            self.tenders(total)
        };
        // Three baskets in five at the default store, the rest at the second, as stocked.
        let till = shop.stores[usize::from(self.rng.below(5) >= 3)].1;
        let sale = Checkout {
            register_id: till,
            customer_id: customer,
            lines,
            order_discount,
            tenders,
            expected_total: Some(total),
            note: None,
            date: self.app.document_date(Some(day))?,
            user_id: self.sellers[self.rng.below(self.sellers.len())],
            role: Role::Admin,
            staff_discount_limit: self.app.policy().staff_discount_limit,
            at: self.app.now(),
            stores: pos_domain::user::Stores::All,
        };
        Ok((sale, on_credit))
    }

    /// Distinct products by popularity, in catalog order.
    fn pick(&mut self, shop: &Shop) -> Vec<usize> {
        let basket = 1 + self.rng.below(5);
        let mut chosen: Vec<usize> = Vec::with_capacity(basket);
        while chosen.len() < basket {
            let x = (self.rng.next() % 1_000_000) as f64 / 1_000_000.0;
            let i = shop
                .cumulative
                .partition_point(|c| *c < x)
                .min(shop.products.len() - 1);
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen
    }

    /// Cash rounded up to the next 100.00 (change given), else card or bKash for the total.
    fn tenders(&mut self, total: Money) -> Vec<(String, Money)> {
        match self.rng.below(10) {
            0..=5 => vec![(
                CASH.to_owned(),
                Money::from_minor_units((total.minor_units() / 10_000 + 1) * 10_000),
            )],
            6..=8 => vec![(CARD.to_owned(), total)],
            _ => vec![(BKASH.to_owned(), total)],
        }
    }

    /// One unit of a sale's line comes back, usually to the shelf, else written off; the
    /// refund is paid in cash.
    async fn return_one(
        &mut self,
        tx: &mut dyn Tx,
        sold: &pos_domain::sales::Sale,
        line: SaleLineId,
        day: Date,
        n: u32,
    ) -> anyhow::Result<()> {
        let sale = sold.id;
        let restock = !self.rng.chance(20);
        self.set_clock(day, n * 50 + 20);
        // Brought back to the till it was bought at: the goods go back to that store's lots.
        let request = SaleReturnRequest {
            register_id: sold.register_id,
            sale_id: sale,
            lines: vec![ReturnLine {
                sale_line_id: line,
                quantity: units(1),
                restock,
            }],
            refund_method: Some(method_by_code(tx, "refund_method", CASH).await?),
            staff_refund_limit: self.app.policy().staff_refund_limit,
            role: Role::Admin,
            date: self.app.document_date(Some(day))?,
            user_id: self.admin,
            at: self.app.now(),
            stores: pos_domain::user::Stores::All,
        };
        return_sale(tx, request)
            .await
            .map_err(|e| anyhow!("return on {day}: {e}"))?;
        self.made.returns += 1;
        Ok(())
    }
}

/// The total the till shows for a basket, priced as the server will price it.
fn till_total(
    shop: &Shop,
    chosen: &[usize],
    lines: &[CheckoutLine],
    order_discount: Option<Discount>,
) -> anyhow::Result<Money> {
    let cart: Vec<CartLine> = lines
        .iter()
        .zip(chosen)
        .map(|(l, i)| CartLine {
            product_id: l.product_id,
            quantity: l.quantity,
            unit_price: shop.products[*i].price,
            tax: shop.products[*i].tax,
            discount: None,
        })
        .collect();
    Ok(price_cart(&cart, order_discount)
        .map_err(|e| anyhow!("{e}"))?
        .total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bootstrap::{ensure_books, ensure_first_admin};
    use crate::config::AdminSeed;
    use pos_domain::ids::LocationId;
    use pos_domain::reports::{Period, SalesScope};
    use pos_domain::services::reports::summary;
    use pos_memory::MemoryStore;
    use time::macros::date;

    #[derive(clap::Parser)]
    struct Args {
        #[command(flatten)]
        size: DemoSize,
    }

    fn policy() -> Policy {
        Policy {
            staff_refund_limit: Money::from_minor_units(100_000),
            staff_discount_limit: Percent::from_scaled(100_000),
            staff_payout_limit: Money::from_minor_units(2_000),
            close_tolerance: Money::from_minor_units(500),
            shop_offset: UtcOffset::UTC,
        }
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

    /// More than 864 sales in a day run the till's clock round its trading day (50 s a sale):
    /// the books still agree, every sale after its till's session opened.
    #[tokio::test]
    async fn a_busy_day_keeps_every_invariant() {
        let store = MemoryStore::new();
        ensure_books(&store).await.unwrap();
        let seed = AdminSeed {
            username: "admin".into(),
            email: "admin@example.com".into(),
            password: Some("demo-admin-password".into()),
        };
        ensure_first_admin(&store, &seed, 4).await.unwrap();
        let port: Arc<dyn Store> = Arc::new(store.clone());
        let app = App::new(port.clone(), Arc::new(pos_http::SystemClock), policy());
        let admin = user_named(&app, "admin").await.unwrap().unwrap();
        let size = parse(&[
            "--products",
            "20",
            "--customers",
            "3",
            "--suppliers",
            "2",
            "--sale-lines",
            "3600",
            "--days",
            "1",
            "--seed",
            "2",
        ])
        .unwrap();
        let made = generate(port, policy(), admin, &size, date!(2026 - 03 - 31))
            .await
            .unwrap();
        assert!(made.sales > 900, "past the clock's turn: {made:?}");
        let mut tx = store.begin_read().await.unwrap();
        let found = pos_domain::integrity::check(tx.as_mut()).await.unwrap();
        assert!(found.is_empty(), "{found:?}");
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
        let port: Arc<dyn Store> = Arc::new(store.clone());
        let app = App::new(port.clone(), Arc::new(pos_http::SystemClock), policy());
        let admin = user_named(&app, "ADMIN").await.unwrap().unwrap();
        assert_eq!(user_named(&app, "nobody").await.unwrap(), None);
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
        let made = generate(port.clone(), policy(), admin, &size, last)
            .await
            .unwrap();
        assert!(made.sale_lines >= 700, "about 900 lines: {made:?}");
        assert!(made.sales > 0 && made.purchases >= 6, "{made:?}");
        // Every delivery went on from the warehouse to both stores, and both sold.
        assert_eq!(made.transfers, 2 * made.purchases, "{made:?}");

        let mut tx = store.begin_read().await.unwrap();
        let found = pos_domain::integrity::check(tx.as_mut()).await.unwrap();
        assert!(found.is_empty(), "{found:?}");
        // The whole stretch's figures agree with what was made, and the month-end expenses
        // reached the books.
        let period = Period::new(last - Duration::days(44), last).unwrap();
        let counter =
            pos_domain::services::reports::performance(tx.as_mut(), period, &SalesScope::default())
                .await
                .unwrap();
        assert_eq!(counter.sold.sales, made.sales);
        assert_eq!(counter.sold.lines, made.sale_lines);
        assert_eq!(counter.returned.returns, made.returns);
        let books = summary(tx.as_mut(), period, &[]).await.unwrap();
        assert!(books.total_expenses > Money::ZERO);
        let mut per_store = 0;
        for store in [pos_domain::location::DEFAULT_LOCATION, LocationId::new(3)] {
            let scope = SalesScope {
                locations: vec![store],
                ..SalesScope::default()
            };
            let here = pos_domain::services::reports::performance(tx.as_mut(), period, &scope)
                .await
                .unwrap();
            assert!(here.sold.sales > 0, "store {store} sold nothing");
            per_store += here.sold.sales;
        }
        assert_eq!(
            per_store, made.sales,
            "the stores' sales add up to the shop's"
        );
        drop(tx);

        let again = generate(port, policy(), admin, &size, last).await;
        assert!(again.is_err(), "a shop with products is refused");
    }
}
