//! The ledger and idempotency part of the port contract.

use pos_domain::error::{StoreError, Unique};
use pos_domain::idempotency::{IdempotencyKey, IdempotentRecord, RETENTION};
use pos_domain::ids::{AccountId, CustomerId, EntryId, SupplierId, UserId};
use pos_domain::ledger::chart::{self, codes};
use pos_domain::ledger::money_events::{
    Direction, ExpenseDraft, ExpenseFilter, PaymentDraft, PaymentFilter,
};
use pos_domain::ledger::reports::trial_balance;
use pos_domain::ledger::seed::ensure_chart;
use pos_domain::ledger::{
    AccountCode, BalancedEntry, DateRange, EntryDraft, JournalFilter, LineDraft, Party, Side,
    Source, SourceKind,
};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, Order, PageRequest};
use pos_domain::ports::{Store, Tx};
use pos_domain::text::{Email, Name, Username};
use pos_domain::user::{NewUser, PasswordHash, Role};
use std::collections::HashMap;
use time::macros::date;
use time::{Date, Duration, OffsetDateTime};

fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
}

fn m(cents: i64) -> Money {
    Money::from_minor_units(cents)
}

/// Seeds the chart and a user; returns the user and the accounts by code.
async fn books(tx: &mut dyn Tx) -> (UserId, HashMap<&'static str, AccountId>) {
    ensure_chart(tx).await.unwrap();
    let user = tx
        .insert_user(NewUser {
            username: Username::new("clerk").unwrap(),
            email: Email::new("clerk@shop.test").unwrap(),
            name: Name::new("Clerk").unwrap(),
            role: Role::Manager,
            password_hash: PasswordHash::from_hash("x".into()),
            at: now(),
        })
        .await
        .unwrap();
    let mut accounts = HashMap::new();
    for (code, _, _) in chart::ACCOUNTS {
        let account = tx
            .find_account_by_code(&AccountCode::new(code).unwrap())
            .await
            .unwrap()
            .unwrap();
        accounts.insert(*code, account.id);
    }
    (user.id, accounts)
}

fn entry(user: UserId, day: Date, kind: SourceKind, lines: Vec<LineDraft>) -> BalancedEntry {
    BalancedEntry::new(EntryDraft {
        date: day,
        memo: format!("{kind} on {day}"),
        source: Source { kind, id: Some(1) },
        user_id: user,
        lines,
    })
    .unwrap()
}

fn all(filter: JournalFilter) -> ListQuery<JournalFilter, ()> {
    ListQuery {
        filter,
        sort: (),
        order: Order::Asc,
        page: PageRequest::new(Some(1), Some(100)),
    }
}

pub async fn chart_seeding_is_idempotent_and_complete(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    ensure_chart(tx.as_mut()).await.unwrap();
    ensure_chart(tx.as_mut()).await.unwrap();
    let accounts = tx.list_accounts().await.unwrap();
    assert_eq!(accounts.len(), chart::ACCOUNTS.len());
    let codes: Vec<&str> = accounts.iter().map(|a| a.code.as_str()).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    assert_eq!(codes, sorted, "ordered by code");
    let methods = tx.list_payment_methods().await.unwrap();
    assert_eq!(
        methods.iter().map(|m| m.code.as_str()).collect::<Vec<_>>(),
        ["bkash", "card", "cash", "nagad"]
    );
    let cash = tx
        .find_account_by_code(&AccountCode::new(codes::CASH).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        tx.find_payment_method("cash")
            .await
            .unwrap()
            .unwrap()
            .account_id,
        cash.id
    );
    assert_eq!(
        tx.list_expense_categories().await.unwrap().len(),
        chart::EXPENSE_CATEGORIES.len()
    );
    let dup = tx
        .insert_account(pos_domain::ledger::accounts::NewAccount {
            code: cash.code.clone(),
            name: Name::new("Again").unwrap(),
            kind: cash.kind,
        })
        .await;
    assert_eq!(dup, Err(StoreError::Duplicate(Unique::AccountCode)));
}

pub async fn entries_post_read_filter_and_page(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let (user, a) = books(tx.as_mut()).await;
    let customer = Some(Party::Customer(CustomerId::new(42)));
    let opening = entry(
        user,
        date!(2026 - 11 - 01),
        SourceKind::Opening,
        vec![
            LineDraft::debit(a[codes::CASH], m(100_000)),
            LineDraft::credit(a[codes::OWNERS_EQUITY], m(100_000)),
        ],
    );
    let sale = entry(
        user,
        date!(2026 - 11 - 02),
        SourceKind::Sale,
        vec![
            LineDraft::debit(a[codes::ACCOUNTS_RECEIVABLE], m(1_150)).with_party(customer),
            LineDraft::credit(a[codes::SALES_REVENUE], m(1_000)),
            LineDraft::credit(a[codes::TAX_PAYABLE], m(150)),
        ],
    );
    let rent = entry(
        user,
        date!(2026 - 11 - 03),
        SourceKind::Expense,
        vec![
            LineDraft::debit(a["6000"], m(300)),
            LineDraft::credit(a[codes::CASH], m(300)),
        ],
    );
    let first = tx.post_entry(opening, now()).await.unwrap();
    let second = tx.post_entry(sale.clone(), now()).await.unwrap();
    tx.post_entry(rent, now()).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin_read().await.unwrap();
    let read = tx.find_entry(second.id).await.unwrap().unwrap();
    assert_eq!(read, second);
    assert_eq!(read.lines.len(), 3);
    assert_eq!(
        (
            read.lines[0].side,
            read.lines[0].amount,
            read.lines[0].party
        ),
        (Side::Debit, m(1_150), customer)
    );
    assert_eq!(
        read.lines[2].account_id,
        a[codes::TAX_PAYABLE],
        "lines keep their order"
    );
    assert_eq!(
        (read.date, read.created_at, read.source),
        (date!(2026 - 11 - 02), now(), sale.draft().source)
    );
    assert!(
        tx.find_entry(EntryId::new(second.id.get() + 1000))
            .await
            .unwrap()
            .is_none()
    );

    let everything = tx
        .list_entries(&all(JournalFilter::default()))
        .await
        .unwrap();
    assert_eq!(
        everything.items.iter().map(|e| e.id).collect::<Vec<_>>()[0],
        first.id
    );
    assert_eq!(everything.total, 3);
    let on_cash = tx
        .list_entries(&all(JournalFilter {
            account_id: Some(a[codes::CASH]),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert_eq!(on_cash.total, 2);
    let for_customer = tx
        .list_entries(&all(JournalFilter {
            party: customer,
            ..Default::default()
        }))
        .await
        .unwrap();
    assert_eq!(
        for_customer.items.iter().map(|e| e.id).collect::<Vec<_>>(),
        [second.id]
    );
    let by_kind = tx
        .list_entries(&all(JournalFilter {
            source_kind: Some(SourceKind::Expense),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert_eq!(by_kind.total, 1);
    let dated = tx
        .list_entries(&all(JournalFilter {
            from: Some(date!(2026 - 11 - 02)),
            to: Some(date!(2026 - 11 - 02)),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert_eq!(dated.total, 1);
    let newest = ListQuery {
        filter: JournalFilter::default(),
        sort: (),
        order: Order::Desc,
        page: PageRequest::new(Some(2), Some(2)),
    };
    let page = tx.list_entries(&newest).await.unwrap();
    assert_eq!(
        (page.total, page.items.len(), page.items[0].id),
        (3, 1, first.id)
    );
    assert_eq!(
        tx.entries_for_source(SourceKind::Sale, 1).await.unwrap(),
        vec![second]
    );
}

pub async fn posting_to_an_unknown_account_is_refused(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let (user, a) = books(tx.as_mut()).await;
    let ghost = AccountId::new(a.values().map(|id| id.get()).max().unwrap() + 1000);
    let bad = entry(
        user,
        date!(2026 - 11 - 01),
        SourceKind::Opening,
        vec![
            LineDraft::debit(a[codes::CASH], m(1)),
            LineDraft::credit(ghost, m(1)),
        ],
    );
    assert_eq!(
        tx.post_entry(bad, now()).await,
        Err(StoreError::MissingReference("account_id"))
    );
}

pub async fn an_entry_is_reversed_once(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let (user, a) = books(tx.as_mut()).await;
    let original = tx
        .post_entry(
            entry(
                user,
                date!(2026 - 11 - 01),
                SourceKind::Opening,
                vec![
                    LineDraft::debit(a[codes::CASH], m(5)),
                    LineDraft::credit(a[codes::OWNERS_EQUITY], m(5)),
                ],
            ),
            now(),
        )
        .await
        .unwrap();
    let mirror =
        pos_domain::ledger::entry::reversal_of(&original, date!(2026 - 11 - 02), user, None)
            .unwrap();
    let reversal = tx.post_entry(mirror, now()).await.unwrap();
    assert_eq!(reversal.reverses, Some(original.id));
    tx.link_reversal(original.id, reversal.id).await.unwrap();
    assert_eq!(
        tx.link_reversal(original.id, reversal.id).await,
        Err(StoreError::Duplicate(Unique::Reversal))
    );
    tx.commit().await.unwrap();
    let mut tx = store.begin_read().await.unwrap();
    assert_eq!(
        tx.find_entry(original.id)
            .await
            .unwrap()
            .unwrap()
            .reversed_by,
        Some(reversal.id)
    );
    let totals = tx.account_totals(DateRange::default()).await.unwrap();
    let cash = totals
        .iter()
        .find(|t| t.account.id == a[codes::CASH])
        .unwrap();
    assert_eq!(
        (cash.debit, cash.credit, cash.balance()),
        (m(5), m(5), Ok(Money::ZERO))
    );
}

pub async fn account_totals_sum_exactly_over_ranges(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let (user, a) = books(tx.as_mut()).await;
    let big = 300_000_000_000; // cents: 3 billion, far over 2^31
    for (day, cents) in [
        (date!(2026 - 10 - 31), big),
        (date!(2026 - 11 - 01), 1),
        (date!(2026 - 11 - 30), 10),
    ] {
        tx.post_entry(
            entry(
                user,
                day,
                SourceKind::Opening,
                vec![
                    LineDraft::debit(a[codes::CASH], m(cents)),
                    LineDraft::credit(a[codes::OWNERS_EQUITY], m(cents)),
                ],
            ),
            now(),
        )
        .await
        .unwrap();
    }
    tx.post_entry(
        entry(
            user,
            date!(2026 - 11 - 15),
            SourceKind::Expense,
            vec![
                LineDraft::debit(a["6000"], m(big + 5)),
                LineDraft::credit(a[codes::CASH], m(big + 5)),
            ],
        ),
        now(),
    )
    .await
    .unwrap();
    let cash = async |tx: &mut dyn Tx, range: DateRange| {
        tx.account_totals(range)
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.account.id == a[codes::CASH])
            .unwrap()
    };
    let all_time = cash(tx.as_mut(), DateRange::default()).await;
    assert_eq!((all_time.debit, all_time.credit), (m(big + 11), m(big + 5)));
    assert_eq!(all_time.balance(), Ok(m(6)));
    let november = cash(
        tx.as_mut(),
        DateRange {
            from: Some(date!(2026 - 11 - 01)),
            to: Some(date!(2026 - 11 - 30)),
        },
    )
    .await;
    assert_eq!(
        (november.debit, november.credit, november.balance()),
        (m(11), m(big + 5), Ok(m(11 - big - 5)))
    );
    let totals = tx
        .account_totals(DateRange {
            from: None,
            to: Some(date!(2026 - 11 - 01)),
        })
        .await
        .unwrap();
    assert_eq!(
        totals.len(),
        chart::ACCOUNTS.len(),
        "accounts without lines are listed with zeros"
    );
    let tb = trial_balance(&totals).unwrap();
    assert!(tb.is_balanced());
    assert_eq!(tb.total_debit, m(big + 1));
}

pub async fn account_activity_pages_carry_the_balance_before(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let (user, a) = books(tx.as_mut()).await;
    for (i, day) in [
        date!(2026 - 10 - 30),
        date!(2026 - 11 - 01),
        date!(2026 - 11 - 02),
        date!(2026 - 11 - 02),
        date!(2026 - 11 - 03),
    ]
    .into_iter()
    .enumerate()
    {
        let cents = 100 * (i as i64 + 1);
        let lines = if i % 2 == 0 {
            vec![
                LineDraft::debit(a[codes::CASH], m(cents)),
                LineDraft::credit(a[codes::OWNERS_EQUITY], m(cents)),
            ]
        } else {
            vec![
                LineDraft::debit(a["6000"], m(cents)),
                LineDraft::credit(a[codes::CASH], m(cents)),
            ]
        };
        tx.post_entry(entry(user, day, SourceKind::Opening, lines), now())
            .await
            .unwrap();
    }
    let range = DateRange {
        from: Some(date!(2026 - 11 - 01)),
        to: None,
    };
    let page1 = tx
        .account_activity(a[codes::CASH], range, PageRequest::new(Some(1), Some(2)))
        .await
        .unwrap();
    assert_eq!(page1.total, 4);
    assert_eq!(
        (page1.debit_before, page1.credit_before),
        (m(100), Money::ZERO),
        "only the line before `from`"
    );
    assert_eq!(
        page1
            .lines
            .iter()
            .map(|l| (l.side, l.amount))
            .collect::<Vec<_>>(),
        [(Side::Credit, m(200)), (Side::Debit, m(300))]
    );
    let page2 = tx
        .account_activity(a[codes::CASH], range, PageRequest::new(Some(2), Some(2)))
        .await
        .unwrap();
    assert_eq!((page2.debit_before, page2.credit_before), (m(400), m(200)));
    assert_eq!(
        page2.lines.iter().map(|l| l.amount).collect::<Vec<_>>(),
        [m(400), m(500)]
    );
    assert_eq!(page2.lines[0].memo, "opening on 2026-11-02");
}

pub async fn party_balance_sums_one_partys_lines_on_one_account(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let (user, a) = books(tx.as_mut()).await;
    let (payable, stock, cash) = (
        a[codes::ACCOUNTS_PAYABLE],
        a[codes::INVENTORY],
        a[codes::CASH],
    );
    let ours = Party::Supplier(SupplierId::new(7));
    let theirs = Party::Supplier(SupplierId::new(8));
    let customer = Party::Customer(CustomerId::new(7));
    let postings = [
        // Two purchases on credit and a payment, on different days.
        (
            LineDraft::debit(stock, m(10_000)),
            LineDraft::credit(payable, m(10_000)).with_party(Some(ours)),
        ),
        (
            LineDraft::debit(payable, m(2_500)).with_party(Some(ours)),
            LineDraft::credit(cash, m(2_500)),
        ),
        (
            LineDraft::debit(stock, m(1)),
            LineDraft::credit(payable, m(1)).with_party(Some(ours)),
        ),
        // Another supplier; a customer with the same id; the supplier on another account;
        // payables without a party.
        (
            LineDraft::debit(stock, m(999)),
            LineDraft::credit(payable, m(999)).with_party(Some(theirs)),
        ),
        (
            LineDraft::debit(a[codes::ACCOUNTS_RECEIVABLE], m(111)).with_party(Some(customer)),
            LineDraft::credit(a[codes::SALES_REVENUE], m(111)),
        ),
        (
            LineDraft::debit(stock, m(700)).with_party(Some(ours)),
            LineDraft::credit(cash, m(700)),
        ),
        (
            LineDraft::debit(stock, m(50)),
            LineDraft::credit(payable, m(50)),
        ),
    ];
    for (i, (debit, credit)) in postings.into_iter().enumerate() {
        let day = date!(2026 - 11 - 01) + Duration::days(i as i64);
        tx.post_entry(
            entry(user, day, SourceKind::Opening, vec![debit, credit]),
            now(),
        )
        .await
        .unwrap();
    }
    assert_eq!(
        tx.party_balance(payable, ours).await,
        Ok((m(2_500), m(10_001))),
        "the supplier's payable lines, debits and credits apart"
    );
    assert_eq!(
        tx.party_balance(payable, theirs).await,
        Ok((Money::ZERO, m(999)))
    );
    assert_eq!(
        tx.party_balance(stock, ours).await,
        Ok((m(700), Money::ZERO))
    );
    assert_eq!(
        tx.party_balance(payable, customer).await,
        Ok((Money::ZERO, Money::ZERO)),
        "a customer is not the supplier of the same id"
    );
    assert_eq!(
        tx.party_balance(a[codes::ACCOUNTS_RECEIVABLE], customer)
            .await,
        Ok((m(111), Money::ZERO))
    );
    assert_eq!(
        tx.party_balance(payable, Party::Supplier(SupplierId::new(9)))
            .await,
        Ok((Money::ZERO, Money::ZERO)),
        "no lines: zeros"
    );
}

pub async fn payments_and_expenses_round_trip_and_filter(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let (user, a) = books(tx.as_mut()).await;
    let cash = tx.find_payment_method("cash").await.unwrap().unwrap();
    let card = tx.find_payment_method("card").await.unwrap().unwrap();
    let payment = |direction,
                   method: &pos_domain::ledger::money_events::PaymentMethod,
                   cents,
                   day| PaymentDraft {
        direction,
        method: method.clone(),
        amount: m(cents),
        party: None,
        counter_account_id: a[codes::OWNERS_EQUITY],
        reference: Some("R-1".into()),
        note: None,
        date: day,
        user_id: user,
    };
    let p1 = tx
        .insert_payment(
            &payment(Direction::In, &cash, 500, date!(2026 - 11 - 01)),
            now(),
        )
        .await
        .unwrap();
    tx.insert_payment(
        &payment(Direction::Out, &card, 250, date!(2026 - 11 - 02)),
        now(),
    )
    .await
    .unwrap();
    assert_eq!(
        (p1.amount, p1.method_id, p1.reference.as_deref(), p1.date),
        (m(500), cash.id, Some("R-1"), date!(2026 - 11 - 01))
    );
    let list = |filter| ListQuery {
        filter,
        sort: (),
        order: Order::Desc,
        page: PageRequest::new(Some(1), Some(10)),
    };
    let ins = tx
        .list_payments(&list(PaymentFilter {
            direction: Some(Direction::In),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert_eq!(ins.items, vec![p1.clone()]);
    let by_card = tx
        .list_payments(&list(PaymentFilter {
            method_id: Some(card.id),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert_eq!(by_card.total, 1);
    let newest = tx
        .list_payments(&list(PaymentFilter::default()))
        .await
        .unwrap();
    assert_eq!(newest.items[0].method_id, card.id);

    let categories = tx.list_expense_categories().await.unwrap();
    let rent = categories
        .iter()
        .find(|c| c.name.as_str() == "Rent")
        .unwrap()
        .clone();
    for (day, cents) in [
        (date!(2026 - 11 - 01), 1_000),
        (date!(2026 - 11 - 10), 2_345),
        (date!(2026 - 12 - 01), 7),
    ] {
        let draft = ExpenseDraft {
            title: Name::new("Rent").unwrap(),
            amount: m(cents),
            category: rent.clone(),
            method: cash.clone(),
            date: day,
            note: Some("n".into()),
            user_id: user,
        };
        tx.insert_expense(&draft, now()).await.unwrap();
    }
    let november = ExpenseFilter {
        from: Some(date!(2026 - 11 - 01)),
        to: Some(date!(2026 - 11 - 30)),
        ..Default::default()
    };
    let query = ListQuery {
        filter: november,
        sort: (),
        order: Order::Asc,
        page: PageRequest::new(Some(1), Some(1)),
    };
    let (page, total) = tx.list_expenses(&query).await.unwrap();
    assert_eq!((page.total, page.items.len(), total), (2, 1, m(3_345)));
    assert_eq!(
        (page.items[0].amount, page.items[0].note.as_deref()),
        (m(1_000), Some("n"))
    );
    let by_category = ListQuery {
        filter: ExpenseFilter {
            category_id: Some(rent.id),
            method_id: Some(card.id),
            ..Default::default()
        },
        sort: (),
        order: Order::Asc,
        page: PageRequest::default(),
    };
    assert_eq!(tx.list_expenses(&by_category).await.unwrap().1, Money::ZERO);
}

pub async fn idempotency_records_are_unique_per_user_and_key(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let record = |user: i64, key: &str, at: OffsetDateTime| IdempotentRecord {
        user_id: UserId::new(user),
        key: IdempotencyKey::new(key).unwrap(),
        request_hash: "h".repeat(64),
        status: 201,
        body: r#"{"id":1,"note":"ünïcode"}"#.into(),
        created_at: at,
    };
    tx.save_idempotent(record(1, "k", now())).await.unwrap();
    assert_eq!(
        tx.save_idempotent(record(1, "k", now())).await,
        Err(StoreError::Duplicate(Unique::IdempotencyKey))
    );
    tx.save_idempotent(record(2, "k", now())).await.unwrap();
    let found = tx
        .find_idempotent(UserId::new(1), &IdempotencyKey::new("k").unwrap())
        .await
        .unwrap();
    assert_eq!(found, Some(record(1, "k", now())));
    assert!(
        tx.find_idempotent(UserId::new(3), &IdempotencyKey::new("k").unwrap())
            .await
            .unwrap()
            .is_none()
    );
    // An expired record is replaced by a new one with the same key.
    let later = now() + RETENTION + Duration::minutes(1);
    tx.save_idempotent(record(1, "k", later)).await.unwrap();
    assert_eq!(
        tx.find_idempotent(UserId::new(1), &IdempotencyKey::new("k").unwrap())
            .await
            .unwrap()
            .unwrap()
            .created_at,
        later
    );
    assert_eq!(
        tx.purge_idempotent(now() + Duration::seconds(1))
            .await
            .unwrap(),
        1,
        "user 2's old record"
    );
}

/// A small deterministic generator, so a failure replays exactly.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }
}

/// Checks the ledger invariants on a store: the trial balance is zero, and every account's
/// totals equal the sums of its lines as read back from the journal.
pub async fn assert_books_balance(tx: &mut dyn Tx) {
    let totals = tx.account_totals(DateRange::default()).await.unwrap();
    let tb = trial_balance(&totals).unwrap();
    assert!(
        tb.is_balanced(),
        "trial balance {} != {}",
        tb.total_debit,
        tb.total_credit
    );
    let mut sums: HashMap<(AccountId, Side), i64> = HashMap::new();
    let mut page = 1;
    loop {
        let query = ListQuery {
            filter: JournalFilter::default(),
            sort: (),
            order: Order::Asc,
            page: PageRequest::new(Some(page), Some(100)),
        };
        let entries = tx.list_entries(&query).await.unwrap();
        for line in entries.items.iter().flat_map(|e| e.lines.iter()) {
            *sums.entry((line.account_id, line.side)).or_default() += line.amount.minor_units();
        }
        if u64::from(page) * 100 >= entries.total {
            break;
        }
        page += 1;
    }
    for t in &totals {
        let side = |s| sums.get(&(t.account.id, s)).copied().unwrap_or(0);
        assert_eq!(
            (t.debit.minor_units(), t.credit.minor_units()),
            (side(Side::Debit), side(Side::Credit)),
            "account {}",
            t.account.code
        );
    }
}

pub async fn random_postings_and_reversals_keep_the_books_balanced(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let (user, a) = books(tx.as_mut()).await;
    tx.commit().await.unwrap();
    let ids: Vec<AccountId> = a.values().copied().collect();
    let mut rng = Lcg(7);
    let mut posted = Vec::new();
    for _ in 0..40 {
        let mut tx = store.begin().await.unwrap();
        if !posted.is_empty() && rng.next(4) == 0 {
            let original = posted[rng.next(posted.len() as u64) as usize];
            let entry = tx.find_entry(original).await.unwrap().unwrap();
            if let Ok(mirror) =
                pos_domain::ledger::entry::reversal_of(&entry, entry.date, user, None)
            {
                let reversal = tx.post_entry(mirror, now()).await.unwrap();
                tx.link_reversal(original, reversal.id).await.unwrap();
            }
        } else {
            let debits: Vec<i64> = (0..=rng.next(3))
                .map(|_| 1 + rng.next(1_000_000) as i64)
                .collect();
            let mut lines: Vec<LineDraft> = debits
                .iter()
                .map(|c| LineDraft::debit(ids[rng.next(ids.len() as u64) as usize], m(*c)))
                .collect();
            let total: i64 = debits.iter().sum();
            let credits = if total >= 2 && rng.next(2) == 0 {
                let split = 1 + rng.next(total as u64 - 1) as i64; // 1..=total-1
                vec![split, total - split]
            } else {
                vec![total]
            };
            lines.extend(
                credits
                    .into_iter()
                    .map(|c| LineDraft::credit(ids[rng.next(ids.len() as u64) as usize], m(c))),
            );
            let day = date!(2026 - 11 - 01) + Duration::days(rng.next(30) as i64);
            posted.push(
                tx.post_entry(entry(user, day, SourceKind::Adjustment, lines), now())
                    .await
                    .unwrap()
                    .id,
            );
        }
        tx.commit().await.unwrap();
    }
    let mut tx = store.begin_read().await.unwrap();
    assert_books_balance(tx.as_mut()).await;
}
