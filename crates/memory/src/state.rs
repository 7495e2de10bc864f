use pos_domain::catalog::{Brand, Category, Product, TaxRate};
use pos_domain::customers::Customer;
use pos_domain::idempotency::IdempotentRecord;
use pos_domain::inventory::{Lot, Movement};
use pos_domain::ledger::money_events::{Expense, ExpenseCategory, Payment, PaymentMethod};
use pos_domain::ledger::{Account, JournalEntry};
use pos_domain::purchasing::Purchase;
use pos_domain::sales::Sale;
use pos_domain::sales::held::HeldSale;
use pos_domain::session::RefreshSession;
use pos_domain::suppliers::Supplier;
use pos_domain::user::{LoginAttempt, PasswordHash, User};
use std::collections::BTreeMap;

/// Everything the store holds. Cloned at the start of each transaction.
#[derive(Clone, Default)]
pub(crate) struct State {
    pub users: BTreeMap<i64, (User, PasswordHash)>,
    pub logins: Vec<LoginAttempt>,
    pub sessions: BTreeMap<i64, RefreshSession>,
    pub brands: BTreeMap<i64, Brand>,
    pub categories: BTreeMap<i64, Category>,
    pub tax_rates: BTreeMap<i64, TaxRate>,
    pub products: BTreeMap<i64, Product>,
    pub accounts: BTreeMap<i64, Account>,
    pub payment_methods: BTreeMap<i64, PaymentMethod>,
    pub expense_categories: BTreeMap<i64, ExpenseCategory>,
    /// Entries as posted; `reversed_by` is filled in from `reversals` when read.
    pub entries: BTreeMap<i64, JournalEntry>,
    /// original entry id -> reversal entry id
    pub reversals: BTreeMap<i64, i64>,
    pub payments: BTreeMap<i64, Payment>,
    pub expenses: BTreeMap<i64, Expense>,
    pub idempotency: Vec<IdempotentRecord>,
    pub suppliers: BTreeMap<i64, Supplier>,
    pub purchases: BTreeMap<i64, Purchase>,
    pub lots: BTreeMap<i64, Lot>,
    pub movements: BTreeMap<i64, Movement>,
    pub customers: BTreeMap<i64, Customer>,
    pub sales: BTreeMap<i64, Sale>,
    /// Returns as recorded, in the order they were made.
    pub sale_returns: Vec<pos_domain::sales::returns::NewSaleReturn>,
    pub held_sales: BTreeMap<i64, HeldSale>,
    /// Registers by id; the default one (id 1) is there before anything else is asked.
    pub registers: BTreeMap<i64, pos_domain::register::Register>,
    /// Locations by id; the default store (id 1) is there before anything else is asked.
    pub locations: BTreeMap<i64, pos_domain::location::Location>,
    /// entry id -> the cash session it was posted in.
    pub entry_sessions: BTreeMap<i64, i64>,
    pub cash_sessions: BTreeMap<i64, pos_domain::cash::CashSession>,
    /// register id -> its last Z number.
    pub z_numbers: BTreeMap<i64, i64>,
    pub cash_reasons: BTreeMap<i64, pos_domain::cash::CashReason>,
    pub cash_movements: BTreeMap<i64, pos_domain::cash::CashMovement>,
    pub transfers: BTreeMap<i64, pos_domain::transfer::Transfer>,
    /// user id -> the locations they work at (absent: every location).
    pub user_locations: BTreeMap<i64, Vec<pos_domain::ids::LocationId>>,
    /// (product id, location id) -> its reorder level there.
    pub reorder_levels: BTreeMap<(i64, i64), pos_domain::quantity::Quantity>,
    pub transit_lots: BTreeMap<i64, pos_domain::transfer::TransitLot>,
    /// Raised by every change of accounts, payment methods and tax rates.
    pub static_version: i64,
    last_id: i64,
}

impl State {
    /// Ids are unique across tables, which is allowed by the ports and catches code that mixes
    /// them up.
    pub fn next_id(&mut self) -> i64 {
        self.last_id += 1;
        self.last_id
    }
}

/// Orders two values per the requested direction, then by id for stable pages.
pub(crate) fn ordered<K: Ord>(
    order: pos_domain::paging::Order,
    a: (K, i64),
    b: (K, i64),
) -> std::cmp::Ordering {
    let by_key = a.0.cmp(&b.0);
    let by_key = match order {
        pos_domain::paging::Order::Asc => by_key,
        pos_domain::paging::Order::Desc => by_key.reverse(),
    };
    by_key.then(a.1.cmp(&b.1))
}
