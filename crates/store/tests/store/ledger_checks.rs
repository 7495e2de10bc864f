//! Ledger checks run against every backend: exact sums, the double-reversal guard, paged
//! statements, idempotency records and the error mapping of the new indexes.
//!
//! On MySQL the checks share one database, so each uses account codes and users of its own and
//! only looks at those.

use crate::support::new_user;
use pos_domain::Money;
use pos_domain::StoreError;
use pos_domain::error::Unique;
use pos_domain::idempotency::{IdempotencyKey, IdempotentRecord, RETENTION};
use pos_domain::ids::{AccountId, CustomerId, EntryId, UserId};
use pos_domain::ledger::accounts::NewAccount;
use pos_domain::ledger::entry::reversal_of;
use pos_domain::ledger::money_events::{
    Direction, ExpenseDraft, ExpenseFilter, NewExpenseCategory, NewPaymentMethod, PaymentDraft,
    PaymentFilter,
};
use pos_domain::ledger::{
    Account, AccountCode, AccountKind, BalancedEntry, DateRange, EntryDraft, JournalFilter,
    LineDraft, Party, Side, Source, SourceKind,
};
use pos_domain::paging::{ListQuery, Order, PageRequest};
use pos_domain::ports::{Store, Tx};
use pos_domain::text::Name;
use pos_store::SeaStore;
use time::macros::{date, datetime};
use time::{Date, Duration, OffsetDateTime};

const AT: OffsetDateTime = datetime!(2026-11-25 12:00:00.123456 UTC);
/// 2^31 cents: sums beyond it must not be truncated to 32 bits anywhere.
const OVER_I32: i64 = 2_147_483_648;

fn cents(amount: i64) -> Money {
    Money::from_minor_units(amount)
}

async fn account(tx: &mut Box<dyn Tx>, code: &str, kind: AccountKind) -> Account {
    let new = NewAccount {
        code: AccountCode::new(code).unwrap(),
        name: Name::new(code).unwrap(),
        kind,
    };
    tx.insert_account(new).await.unwrap()
}

fn entry(date: Date, user: UserId, source: Source, lines: Vec<LineDraft>) -> BalancedEntry {
    BalancedEntry::new(EntryDraft {
        date,
        memo: format!("entry of {date}"),
        source,
        user_id: user,
        lines,
    })
    .unwrap()
}

fn opening() -> Source {
    Source {
        kind: SourceKind::Opening,
        id: None,
    }
}

/// Dr `debit`, Cr `credit`, one amount.
async fn post(
    tx: &mut Box<dyn Tx>,
    date: Date,
    user: UserId,
    debit: AccountId,
    credit: AccountId,
    amount: i64,
) -> EntryId {
    let lines = vec![
        LineDraft::debit(debit, cents(amount)),
        LineDraft::credit(credit, cents(amount)),
    ];
    tx.post_entry(entry(date, user, opening(), lines), AT)
        .await
        .unwrap()
        .id
}

pub async fn totals_and_expense_sums_are_exact(store: &SeaStore) {
    let mut tx = store.begin().await.unwrap();
    let user = tx.insert_user(new_user("totals", AT)).await.unwrap().id;
    let cash = account(&mut tx, "T-1000", AccountKind::Asset).await;
    let equity = account(&mut tx, "T-3000", AccountKind::Equity).await;
    let unused = account(&mut tx, "T-9999", AccountKind::Revenue).await;
    // Cash debits sum past 2^32, credits exceed them: a negative net.
    post(
        &mut tx,
        date!(2026 - 11 - 01),
        user,
        cash.id,
        equity.id,
        OVER_I32 + 1,
    )
    .await;
    post(
        &mut tx,
        date!(2026 - 11 - 10),
        user,
        cash.id,
        equity.id,
        3 * OVER_I32,
    )
    .await;
    post(
        &mut tx,
        date!(2026 - 11 - 30),
        user,
        equity.id,
        cash.id,
        5 * OVER_I32,
    )
    .await;
    // Outside the range.
    post(&mut tx, date!(2026 - 12 - 01), user, cash.id, equity.id, 7).await;

    let method = tx
        .insert_payment_method(NewPaymentMethod {
            code: "t-cash".into(),
            name: Name::new("Till cash").unwrap(),
            account_id: cash.id,
        })
        .await
        .unwrap();
    let category = tx
        .insert_expense_category(NewExpenseCategory {
            name: Name::new("T rent").unwrap(),
            account_id: unused.id,
        })
        .await
        .unwrap();
    for (day, amount) in [
        (date!(2026 - 11 - 02), OVER_I32),
        (date!(2026 - 11 - 03), OVER_I32 + 5),
    ] {
        let expense = ExpenseDraft {
            title: Name::new("Rent").unwrap(),
            amount: cents(amount),
            category: category.clone(),
            method: method.clone(),
            date: day,
            note: None,
            user_id: user,
        };
        tx.insert_expense(&expense, AT).await.unwrap();
    }
    tx.commit().await.unwrap();

    let mut tx = store.begin_read().await.unwrap();
    let november = DateRange {
        from: Some(date!(2026 - 11 - 01)),
        to: Some(date!(2026 - 11 - 30)),
    };
    let totals: Vec<_> = tx
        .account_totals(november)
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.account.code.as_str().starts_with("T-"))
        .collect();
    let codes: Vec<_> = totals.iter().map(|t| t.account.code.as_str()).collect();
    assert_eq!(
        codes,
        ["T-1000", "T-3000", "T-9999"],
        "by code, unused included"
    );
    assert_eq!(totals[0].debit, cents(4 * OVER_I32 + 1));
    assert_eq!(totals[0].credit, cents(5 * OVER_I32));
    assert_eq!(
        totals[0].balance(),
        Ok(cents(-OVER_I32 + 1)),
        "a negative net"
    );
    assert_eq!(totals[1].debit, cents(5 * OVER_I32));
    assert_eq!(totals[1].credit, cents(4 * OVER_I32 + 1));
    assert_eq!(
        (totals[2].debit, totals[2].credit),
        (Money::ZERO, Money::ZERO)
    );
    let all_time = tx.account_totals(DateRange::default()).await.unwrap();
    let cash_all = all_time.iter().find(|t| t.account.id == cash.id).unwrap();
    assert_eq!(cash_all.debit, cents(4 * OVER_I32 + 8));

    let query = ListQuery {
        filter: ExpenseFilter {
            category_id: Some(category.id),
            ..ExpenseFilter::default()
        },
        page: PageRequest::new(Some(1), Some(1)),
        ..ListQuery::default()
    };
    let (page, sum) = tx.list_expenses(&query).await.unwrap();
    assert_eq!((page.items.len(), page.total), (1, 2));
    assert_eq!(sum, cents(2 * OVER_I32 + 5), "the sum covers every page");
    let nothing = ListQuery {
        filter: ExpenseFilter {
            from: Some(date!(2030 - 01 - 01)),
            ..ExpenseFilter::default()
        },
        ..ListQuery::default()
    };
    assert_eq!(tx.list_expenses(&nothing).await.unwrap().1, Money::ZERO);
}

pub async fn an_entry_is_reversed_at_most_once(store: &SeaStore) {
    let mut tx = store.begin().await.unwrap();
    let user = tx.insert_user(new_user("reverser", AT)).await.unwrap().id;
    let cash = account(&mut tx, "R-1000", AccountKind::Asset).await;
    let equity = account(&mut tx, "R-3000", AccountKind::Equity).await;
    let original_id = post(
        &mut tx,
        date!(2026 - 11 - 20),
        user,
        cash.id,
        equity.id,
        500,
    )
    .await;
    let original = tx.find_entry(original_id).await.unwrap().unwrap();
    let mirror = reversal_of(&original, date!(2026 - 11 - 21), user, None).unwrap();
    let first = tx.post_entry(mirror.clone(), AT).await.unwrap();
    assert_eq!(first.reverses, Some(original_id));
    tx.link_reversal(original_id, first.id).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    let second = tx.post_entry(mirror, AT).await.unwrap();
    assert_eq!(
        tx.link_reversal(original_id, second.id).await.unwrap_err(),
        StoreError::Duplicate(Unique::Reversal)
    );
    assert_eq!(
        tx.link_reversal(EntryId::new(999_999), second.id)
            .await
            .unwrap_err(),
        StoreError::MissingReference("entry_id")
    );
    drop(tx);

    let mut tx = store.begin_read().await.unwrap();
    let original = tx.find_entry(original_id).await.unwrap().unwrap();
    assert_eq!(original.reversed_by, Some(first.id));
    let reversal = tx.find_entry(first.id).await.unwrap().unwrap();
    assert_eq!(
        (reversal.reverses, reversal.reversed_by),
        (Some(original_id), None)
    );
    assert_eq!(
        reversal.lines[0].side,
        Side::Credit,
        "lines keep their order"
    );
    let linked = tx
        .entries_for_source(SourceKind::Reversal, original_id.get())
        .await
        .unwrap();
    assert_eq!(linked.iter().map(|e| e.id).collect::<Vec<_>>(), [first.id]);
}

pub async fn statements_carry_the_sums_before_each_page(store: &SeaStore) {
    let mut tx = store.begin().await.unwrap();
    let user = tx.insert_user(new_user("statement", AT)).await.unwrap().id;
    let cash = account(&mut tx, "S-1000", AccountKind::Asset).await;
    let equity = account(&mut tx, "S-3000", AccountKind::Equity).await;
    // Before the range.
    post(
        &mut tx,
        date!(2026 - 10 - 30),
        user,
        cash.id,
        equity.id,
        100,
    )
    .await;
    post(&mut tx, date!(2026 - 10 - 31), user, equity.id, cash.id, 30).await;
    // In the range, posted out of date order, one entry with two cash lines.
    post(&mut tx, date!(2026 - 11 - 20), user, equity.id, cash.id, 7).await;
    post(&mut tx, date!(2026 - 11 - 05), user, cash.id, equity.id, 11).await;
    let two_cash_lines = vec![
        LineDraft::debit(cash.id, cents(13)),
        LineDraft::debit(cash.id, cents(17)),
        LineDraft::credit(equity.id, cents(30)),
    ];
    tx.post_entry(
        entry(date!(2026 - 11 - 05), user, opening(), two_cash_lines),
        AT,
    )
    .await
    .unwrap();
    post(&mut tx, date!(2026 - 11 - 01), user, equity.id, cash.id, 19).await;
    // After the range.
    post(
        &mut tx,
        date!(2026 - 12 - 01),
        user,
        cash.id,
        equity.id,
        1000,
    )
    .await;
    tx.commit().await.unwrap();

    let mut tx = store.begin_read().await.unwrap();
    let range = DateRange {
        from: Some(date!(2026 - 11 - 01)),
        to: Some(date!(2026 - 11 - 30)),
    };
    let all = tx
        .account_activity(cash.id, range, PageRequest::new(Some(1), Some(100)))
        .await
        .unwrap();
    assert_eq!(all.total, 5);
    let amounts: Vec<_> = all.lines.iter().map(|l| l.amount.minor_units()).collect();
    assert_eq!(amounts, [19, 11, 13, 17, 7], "by date, entry, line");
    assert_eq!(
        (all.debit_before, all.credit_before),
        (cents(100), cents(30))
    );

    let sum = |lines: &[pos_domain::ledger::reports::ActivityLine], side: Side| {
        cents(
            lines
                .iter()
                .filter(|l| l.side == side)
                .map(|l| l.amount.minor_units())
                .sum(),
        )
    };
    for page in 1..=4 {
        let request = PageRequest::new(Some(page), Some(2));
        let got = tx.account_activity(cash.id, range, request).await.unwrap();
        let skipped = (2 * (page as usize - 1)).min(all.lines.len());
        let earlier = &all.lines[..skipped];
        let expected_lines: Vec<_> = all.lines.iter().skip(skipped).take(2).cloned().collect();
        assert_eq!(got.lines, expected_lines, "page {page}");
        assert_eq!(got.total, 5);
        assert_eq!(
            got.debit_before.minor_units(),
            100 + sum(earlier, Side::Debit).minor_units(),
            "page {page}"
        );
        assert_eq!(
            got.credit_before.minor_units(),
            30 + sum(earlier, Side::Credit).minor_units(),
            "page {page}"
        );
    }
    // Page 2 in plain numbers: the lines before the range plus page 1 (19 credit, 11 debit).
    let page_2 = tx
        .account_activity(cash.id, range, PageRequest::new(Some(2), Some(2)))
        .await
        .unwrap();
    assert_eq!(
        (page_2.debit_before, page_2.credit_before),
        (cents(111), cents(49))
    );
    // Without a lower bound nothing comes before the first page.
    let open = DateRange {
        from: None,
        to: range.to,
    };
    let first = tx
        .account_activity(cash.id, open, PageRequest::new(Some(1), Some(2)))
        .await
        .unwrap();
    assert_eq!(
        (first.total, first.debit_before, first.credit_before),
        (7, Money::ZERO, Money::ZERO)
    );
}

pub async fn journal_and_payments_filter_and_order(store: &SeaStore) {
    let mut tx = store.begin().await.unwrap();
    let user = tx.insert_user(new_user("journal", AT)).await.unwrap().id;
    let cash = account(&mut tx, "J-1000", AccountKind::Asset).await;
    let receivable = account(&mut tx, "J-1100", AccountKind::Asset).await;
    let customer = Party::Customer(CustomerId::new(42));
    let method = tx
        .insert_payment_method(NewPaymentMethod {
            code: "j-cash".into(),
            name: Name::new("Cash").unwrap(),
            account_id: cash.id,
        })
        .await
        .unwrap();
    let mut entry_ids = Vec::new();
    for day in [
        date!(2026 - 11 - 03),
        date!(2026 - 11 - 01),
        date!(2026 - 11 - 03),
    ] {
        let draft = PaymentDraft {
            direction: Direction::In,
            method: method.clone(),
            amount: cents(250),
            party: Some(customer),
            counter_account_id: receivable.id,
            reference: Some("R-1".into()),
            note: Some("n".into()),
            date: day,
            user_id: user,
        };
        let payment = tx.insert_payment(&draft, AT).await.unwrap();
        let posted =
            pos_domain::ledger::money_events::payment_entry(&draft, Some(payment.id)).unwrap();
        entry_ids.push(tx.post_entry(posted, AT).await.unwrap().id);
    }
    tx.commit().await.unwrap();

    let mut tx = store.begin_read().await.unwrap();
    let journal = |order| ListQuery {
        filter: JournalFilter {
            party: Some(customer),
            account_id: Some(cash.id),
            source_kind: Some(SourceKind::Payment),
            ..JournalFilter::default()
        },
        order,
        ..ListQuery::default()
    };
    let ascending = tx.list_entries(&journal(Order::Asc)).await.unwrap();
    let ids: Vec<_> = ascending.items.iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        [entry_ids[1], entry_ids[0], entry_ids[2]],
        "by date, then id"
    );
    assert_eq!(ascending.items[0].lines[1].party, Some(customer));
    assert_eq!(ascending.items[0].created_at, AT);
    let descending = tx.list_entries(&journal(Order::Desc)).await.unwrap();
    let ids: Vec<_> = descending.items.iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        [entry_ids[2], entry_ids[0], entry_ids[1]],
        "both keys reversed"
    );
    let payments = tx
        .list_payments(&ListQuery {
            filter: PaymentFilter {
                from: Some(date!(2026 - 11 - 02)),
                party: Some(customer),
                direction: Some(Direction::In),
                method_id: Some(method.id),
                ..PaymentFilter::default()
            },
            ..ListQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(payments.total, 2);
    assert_eq!(payments.items[0].date, date!(2026 - 11 - 03));
    assert_eq!(payments.items[0].reference.as_deref(), Some("R-1"));
}

pub async fn idempotency_records_are_unique_per_user_and_key(store: &SeaStore) {
    let user = UserId::new(77);
    let record = |created_at: OffsetDateTime, hash: &str| IdempotentRecord {
        user_id: user,
        key: IdempotencyKey::new("0b7c6f1e-2f3a-4c5d").unwrap(),
        request_hash: hash.into(),
        status: 201,
        // Past MySQL's 64 KiB TEXT limit.
        body: "x".repeat(70_000),
        created_at,
    };
    let first = record(AT, "first");
    let mut tx = store.begin().await.unwrap();
    tx.save_idempotent(first.clone()).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.save_idempotent(record(AT + Duration::hours(1), "again"))
            .await
            .unwrap_err(),
        StoreError::Duplicate(Unique::IdempotencyKey)
    );
    drop(tx);
    let mut tx = store.begin().await.unwrap();
    let other_user = IdempotentRecord {
        user_id: UserId::new(78),
        ..first.clone()
    };
    tx.save_idempotent(other_user).await.unwrap();
    assert_eq!(
        tx.find_idempotent(user, &first.key).await.unwrap(),
        Some(first.clone())
    );
    // Expired: replaced.
    let later = record(AT + RETENTION + Duration::seconds(1), "later");
    tx.save_idempotent(later.clone()).await.unwrap();
    assert_eq!(
        tx.find_idempotent(user, &first.key).await.unwrap(),
        Some(later)
    );
    assert_eq!(
        tx.purge_idempotent(AT + Duration::seconds(1))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        tx.purge_idempotent(AT + RETENTION + Duration::seconds(2))
            .await
            .unwrap(),
        1
    );
    assert_eq!(tx.find_idempotent(user, &first.key).await.unwrap(), None);
    tx.commit().await.unwrap();
}

pub async fn ledger_constraints_become_domain_errors(store: &SeaStore) {
    let mut tx = store.begin().await.unwrap();
    let user = tx.insert_user(new_user("errors", AT)).await.unwrap().id;
    let cash = account(&mut tx, "E-1000", AccountKind::Asset).await;
    tx.insert_payment_method(NewPaymentMethod {
        code: "e-cash".into(),
        name: Name::new("Cash").unwrap(),
        account_id: cash.id,
    })
    .await
    .unwrap();
    tx.insert_expense_category(NewExpenseCategory {
        name: Name::new("E Rent").unwrap(),
        account_id: cash.id,
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.begin().await.unwrap();
    let new_account = NewAccount {
        code: AccountCode::new("e-1000").unwrap(),
        name: Name::new("Again").unwrap(),
        kind: AccountKind::Asset,
    };
    assert_eq!(
        tx.insert_account(new_account).await.unwrap_err(),
        StoreError::Duplicate(Unique::AccountCode)
    );
    let method = |account_id| NewPaymentMethod {
        code: "e-cash".into(),
        name: Name::new("Cash").unwrap(),
        account_id,
    };
    assert_eq!(
        tx.insert_payment_method(method(cash.id)).await.unwrap_err(),
        StoreError::Duplicate(Unique::PaymentMethodCode)
    );
    assert_eq!(
        tx.insert_payment_method(method(AccountId::new(999_999)))
            .await
            .unwrap_err(),
        StoreError::MissingReference("account_id")
    );
    let category = NewExpenseCategory {
        name: Name::new("e RENT").unwrap(),
        account_id: cash.id,
    };
    assert_eq!(
        tx.insert_expense_category(category).await.unwrap_err(),
        StoreError::Duplicate(Unique::ExpenseCategoryName),
        "category names are unique whatever their case"
    );
    let lines = vec![
        LineDraft::debit(cash.id, cents(1)),
        LineDraft::credit(AccountId::new(999_999), cents(1)),
    ];
    assert_eq!(
        tx.post_entry(entry(date!(2026 - 11 - 01), user, opening(), lines), AT)
            .await
            .unwrap_err(),
        StoreError::MissingReference("account_id")
    );
}

/// Two requests with one key race: the second save waits for the first transaction and then
/// fails as a duplicate (MySQL), or runs after it and fails the same way (SQLite) — never as a
/// deadlock, which a gap-locking delete-then-insert would cause on MySQL.
pub async fn a_racing_duplicate_key_fails_as_a_duplicate(store: &SeaStore) {
    let record = IdempotentRecord {
        user_id: UserId::new(90),
        key: IdempotencyKey::new("race").unwrap(),
        request_hash: "h".into(),
        status: 201,
        body: "{}".into(),
        created_at: AT,
    };
    let mut first = store.begin().await.unwrap();
    assert_eq!(
        first
            .find_idempotent(record.user_id, &record.key)
            .await
            .unwrap(),
        None
    );
    first.save_idempotent(record.clone()).await.unwrap();
    // The second arrives while the first is saved but not committed.
    let second_store = store.clone();
    let second_record = record.clone();
    let second = tokio::spawn(async move {
        let mut tx = second_store.begin().await.unwrap();
        tx.find_idempotent(second_record.user_id, &second_record.key)
            .await
            .unwrap();
        tx.save_idempotent(second_record).await
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    first.commit().await.unwrap();
    assert_eq!(
        second.await.unwrap(),
        Err(StoreError::Duplicate(Unique::IdempotencyKey))
    );
}
