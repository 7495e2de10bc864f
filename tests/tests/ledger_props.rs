//! Property: any sequence of valid postings and reversals, on any adapter, keeps the trial
//! balance at exactly zero and every account's totals equal to the sums of its lines.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use pos_domain::ids::{AccountId, EntryId, UserId};
use pos_domain::ledger::entry::reversal_of;
use pos_domain::ledger::seed::ensure_chart;
use pos_domain::ledger::{BalancedEntry, EntryDraft, LineDraft, Source, SourceKind};
use pos_domain::money::Money;
use pos_domain::ports::Store;
use pos_domain::text::{Email, Name, Username};
use pos_domain::user::{NewUser, PasswordHash, Role};
use pos_tests::ledger_contract::assert_books_balance;
use pos_tests::stores;
use proptest::prelude::*;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

#[derive(Debug, Clone)]
enum Op {
    /// Debit amounts (cents) and the accounts (as indexes into the chart) they go to, then
    /// the credit side split at `split` of the total.
    Post {
        debits: Vec<(usize, i64)>,
        credit_accounts: (usize, usize),
        split_per_mille: i64,
        day: i64,
    },
    /// Reverse the n-th posted entry (modulo how many there are).
    Reverse(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let post = (
        prop::collection::vec((0usize..24, 1i64..10_000_000_000), 1..4),
        (0usize..24, 0usize..24),
        0i64..=1000,
        0i64..60,
    )
        .prop_map(|(debits, credit_accounts, split_per_mille, day)| Op::Post {
            debits,
            credit_accounts,
            split_per_mille,
            day,
        });
    prop_oneof![3 => post, 1 => any::<usize>().prop_map(Op::Reverse)]
}

async fn run(store: Arc<dyn Store>, ops: Vec<Op>) {
    let now = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
    let mut tx = store.begin().await.unwrap();
    ensure_chart(tx.as_mut()).await.unwrap();
    let user = tx
        .insert_user(NewUser {
            username: Username::new("prop").unwrap(),
            email: Email::new("prop@shop.test").unwrap(),
            name: Name::new("Prop").unwrap(),
            role: Role::Admin,
            password_hash: PasswordHash::from_hash("x".into()),
            at: now,
        })
        .await
        .unwrap()
        .id;
    let accounts: Vec<AccountId> = tx
        .list_accounts()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    tx.commit().await.unwrap();
    let mut posted: Vec<EntryId> = Vec::new();
    for op in ops {
        let mut tx = store.begin().await.unwrap();
        match op {
            Op::Post {
                debits,
                credit_accounts,
                split_per_mille,
                day,
            } => {
                let total: i64 = debits.iter().map(|(_, c)| c).sum();
                let first = (total * split_per_mille / 1000).clamp(0, total);
                let mut lines: Vec<LineDraft> = debits
                    .iter()
                    .map(|(i, c)| {
                        LineDraft::debit(accounts[i % accounts.len()], Money::from_minor_units(*c))
                    })
                    .collect();
                for (account, cents) in [
                    (credit_accounts.0, first),
                    (credit_accounts.1, total - first),
                ] {
                    if cents > 0 {
                        lines.push(LineDraft::credit(
                            accounts[account % accounts.len()],
                            Money::from_minor_units(cents),
                        ));
                    }
                }
                let date = time::macros::date!(2026 - 11 - 01) + Duration::days(day);
                let draft = EntryDraft {
                    date,
                    memo: "prop".into(),
                    source: Source {
                        kind: SourceKind::Adjustment,
                        id: None,
                    },
                    user_id: user,
                    lines,
                };
                let entry = BalancedEntry::new(draft).expect("generated entries balance");
                posted.push(tx.post_entry(entry, now).await.unwrap().id);
            }
            Op::Reverse(n) if !posted.is_empty() => {
                let original = tx
                    .find_entry(posted[n % posted.len()])
                    .await
                    .unwrap()
                    .unwrap();
                if let Ok(mirror) =
                    reversal_of(&original, original.date, UserId::new(user.get()), None)
                {
                    let reversal = tx.post_entry(mirror, now).await.unwrap();
                    tx.link_reversal(original.id, reversal.id).await.unwrap();
                }
            }
            Op::Reverse(_) => {}
        }
        tx.commit().await.unwrap();
    }
    let mut tx = store.begin_read().await.unwrap();
    assert_books_balance(tx.as_mut()).await;
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn books_balance_after_any_postings_and_reversals_in_memory(ops in prop::collection::vec(op(), 1..40)) {
        runtime().block_on(run(stores::memory(), ops));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]
    #[test]
    fn books_balance_after_any_postings_and_reversals_on_sqlite(ops in prop::collection::vec(op(), 1..25)) {
        let rt = runtime();
        let store = rt.block_on(stores::sqlite());
        rt.block_on(run(store, ops));
    }
}
