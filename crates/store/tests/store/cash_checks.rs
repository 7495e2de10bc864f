//! Cash sessions on the SQL adapter: one open session per register, gapless Z numbers, and an
//! integrity check that finds a Z report altered, or a posting moved into a session, after the
//! close; a close that never commits changes nothing.

use crate::support::new_user;
use pos_domain::cash::{Closing, Opening, Till};
use pos_domain::error::Unique;
use pos_domain::integrity::{Discrepancy, check};
use pos_domain::ledger::chart::codes;
use pos_domain::ledger::seed::ensure_chart;
use pos_domain::ledger::{BalancedEntry, EntryDraft, LineDraft, Source, SourceKind};
use pos_domain::ports::Store;
use pos_domain::register::DEFAULT_REGISTER;
use pos_domain::{Money, StoreError};
use pos_store::SeaStore;
use sea_orm::ConnectionTrait;
use time::OffsetDateTime;
use time::macros::datetime;

const AT: OffsetDateTime = datetime!(2026-11-28 09:00:00.123456 UTC);

pub async fn a_z_report_altered_after_the_close_is_found(store: &SeaStore, url: &str) {
    let mut tx = store.begin().await.unwrap();
    ensure_chart(tx.as_mut()).await.unwrap();
    let user = tx.insert_user(new_user("drawer", AT)).await.unwrap().id;
    let opening = Opening {
        register_id: DEFAULT_REGISTER,
        user_id: user,
        float: Money::from_minor_units(10_000),
        float_count: None,
        blind: false,
        automatic: false,
        at: AT,
    };
    let session = tx.insert_cash_session(opening.clone()).await.unwrap();
    assert_eq!(
        tx.insert_cash_session(opening).await,
        Err(StoreError::Duplicate(Unique::OpenSession)),
        "one open session per register"
    );
    let data = tx.static_data(true).await.unwrap();
    let account = |code: &str| data.account_by_code(code).unwrap().id;
    // 10.00 of cash in, then the close 0.50 short.
    let entry = |debit, credit, cents, kind| {
        BalancedEntry::new(EntryDraft {
            date: AT.date(),
            memo: "cash".to_owned(),
            source: Source {
                kind,
                id: Some(session.id.get()),
            },
            user_id: user,
            lines: vec![
                LineDraft::debit(debit, Money::from_minor_units(cents)),
                LineDraft::credit(credit, Money::from_minor_units(cents)),
            ],
        })
        .unwrap()
    };
    let till = Till {
        register: DEFAULT_REGISTER,
        session: Some(session.id),
        location: pos_domain::location::DEFAULT_LOCATION,
    };
    tx.post_entries(
        vec![entry(
            account(codes::CASH),
            account(codes::OWNERS_EQUITY),
            1_000,
            SourceKind::CashMovement,
        )],
        Some(till),
        AT,
    )
    .await
    .unwrap();
    tx.post_entries(
        vec![entry(
            account(codes::CASH_OVER_SHORT),
            account(codes::CASH),
            50,
            SourceKind::SessionClose,
        )],
        Some(till),
        AT,
    )
    .await
    .unwrap();
    let z_number = tx.take_z_number(DEFAULT_REGISTER).await.unwrap();
    assert_eq!(z_number, 1);
    let closing = Closing {
        z_number,
        user_id: user,
        at: AT,
        expected: Money::from_minor_units(11_000),
        counted: Money::from_minor_units(10_950),
        counted_denominations: None,
        methods: vec![],
    };
    let closed = tx
        .close_cash_session(session.id, closing.clone())
        .await
        .unwrap();
    assert_eq!(closed.closing, Some(closing.clone()));
    assert_eq!(
        tx.close_cash_session(session.id, closing).await,
        Err(StoreError::NotFound),
        "a session closes once"
    );
    assert_eq!(
        tx.take_z_number(DEFAULT_REGISTER).await.unwrap(),
        2,
        "gapless"
    );
    tx.commit().await.unwrap();
    let mut read = store.begin_read().await.unwrap();
    assert_eq!(check(read.as_mut()).await.unwrap(), vec![]);
    drop(read);

    // Behind the API's back: the Z report's expected cash, then a cash entry moved into the
    // closed session.
    let raw = sea_orm::Database::connect(url).await.unwrap();
    raw.execute_unprepared(&format!(
        "UPDATE cash_sessions SET expected_cents = 12000 WHERE id = {}",
        session.id
    ))
    .await
    .unwrap();
    let mut read = store.begin_read().await.unwrap();
    assert_eq!(
        check(read.as_mut()).await.unwrap(),
        vec![Discrepancy::SessionExpected {
            session: session.id,
            z_report: Money::from_minor_units(12_000),
            ledger: Money::from_minor_units(11_000),
        }]
    );
    drop(read);
    raw.execute_unprepared(&format!(
        "UPDATE cash_sessions SET expected_cents = 11000 WHERE id = {}",
        session.id
    ))
    .await
    .unwrap();
    let mut tx = store.begin().await.unwrap();
    let stray = tx
        .post_entries(
            vec![entry(
                account(codes::CASH),
                account(codes::OWNERS_EQUITY),
                700,
                SourceKind::CashMovement,
            )],
            None,
            AT,
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    raw.execute_unprepared(&format!(
        "UPDATE journal_entries SET cash_session_id = {} WHERE id = {}",
        session.id, stray[0].id
    ))
    .await
    .unwrap();
    let mut read = store.begin_read().await.unwrap();
    let found = check(read.as_mut()).await.unwrap();
    assert!(
        found.contains(&Discrepancy::SessionExpected {
            session: session.id,
            z_report: Money::from_minor_units(11_000),
            ledger: Money::from_minor_units(11_700),
        }) && found.contains(&Discrepancy::SessionCounted {
            session: session.id,
            counted: Money::from_minor_units(10_950),
            ledger: Money::from_minor_units(11_650),
        }) && found.contains(&Discrepancy::SessionEntry {
            entry_id: stray[0].id,
            session: session.id,
        }),
        "{found:?}"
    );
}

/// A close that does not commit (the server dies mid-close) leaves the session open with its
/// Z number given back and nothing posted: the close is one transaction.
pub async fn a_close_that_does_not_commit_leaves_the_session_open(store: &SeaStore) {
    let mut tx = store.begin().await.unwrap();
    ensure_chart(tx.as_mut()).await.unwrap();
    let user = tx.insert_user(new_user("crash", AT)).await.unwrap().id;
    let session = tx
        .insert_cash_session(Opening {
            register_id: DEFAULT_REGISTER,
            user_id: user,
            float: Money::from_minor_units(5_000),
            float_count: None,
            blind: false,
            automatic: false,
            at: AT,
        })
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let data = {
        let mut tx = store.begin().await.unwrap();
        tx.static_data(true).await.unwrap()
    };
    let account = |code: &str| data.account_by_code(code).unwrap().id;
    let mut tx = store.begin().await.unwrap();
    tx.lock_open_session(DEFAULT_REGISTER).await.unwrap();
    let close = BalancedEntry::new(EntryDraft {
        date: AT.date(),
        memo: "short".to_owned(),
        source: Source {
            kind: SourceKind::SessionClose,
            id: Some(session.id.get()),
        },
        user_id: user,
        lines: vec![
            LineDraft::debit(
                account(codes::CASH_OVER_SHORT),
                Money::from_minor_units(100),
            ),
            LineDraft::credit(account(codes::CASH), Money::from_minor_units(100)),
        ],
    })
    .unwrap();
    let till = Till {
        register: DEFAULT_REGISTER,
        session: Some(session.id),
        location: pos_domain::location::DEFAULT_LOCATION,
    };
    tx.post_entries(vec![close], Some(till), AT).await.unwrap();
    let z_number = tx.take_z_number(DEFAULT_REGISTER).await.unwrap();
    let closing = Closing {
        z_number,
        user_id: user,
        at: AT,
        expected: Money::from_minor_units(5_000),
        counted: Money::from_minor_units(4_900),
        counted_denominations: None,
        methods: vec![],
    };
    tx.close_cash_session(session.id, closing).await.unwrap();
    drop(tx);
    let mut tx = store.begin().await.unwrap();
    let still = tx.open_session(DEFAULT_REGISTER).await.unwrap();
    assert_eq!(still.map(|s| s.id), Some(session.id), "still open");
    assert!(tx.session_postings(session.id).await.unwrap().is_empty());
    assert_eq!(
        tx.take_z_number(DEFAULT_REGISTER).await.unwrap(),
        z_number,
        "the Z number was given back"
    );
}
