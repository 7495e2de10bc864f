#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests: a failed step should panic the test"
)]
//! Concurrent use cases on the SQL adapters: no lost update, no duplicate, no double spend.
//! SQLite always; MariaDB when POS_TEST_MYSQL_URL is set.

use pos_domain::catalog::{ProductDraft, ProductStatus, Unit};
use pos_domain::error::{StoreError, Unique};
use pos_domain::money::Money;
use pos_domain::ports::Store;
use pos_domain::quantity::Quantity;
use pos_domain::session::NewSession;
use pos_domain::text::{Email, Name, Sku, Username};
use pos_domain::user::{NewUser, PasswordHash, Role};
use pos_tests::stores;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

const RACERS: usize = 16;

fn draft(sku: &str) -> ProductDraft {
    ProductDraft {
        name: Name::new("Racer").unwrap(),
        sku: Sku::new(sku).unwrap(),
        barcode: None,
        brand_id: None,
        category_id: None,
        tax_rate_id: None,
        price: Money::from_minor_units(100),
        reorder_level: Quantity::ZERO,
        unit: Unit::Piece,
        status: ProductStatus::Active,
        description: None,
    }
}

/// Many clients create a product with one SKU at once: exactly one succeeds, the others are told
/// the SKU is taken, and nothing fails with an internal error.
async fn one_of_many_concurrent_creates_wins(store: Arc<dyn Store>) {
    let tasks: Vec<_> = (0..RACERS)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let mut tx = store.begin().await?;
                let product = tx
                    .insert_product(draft("RACE-1"), OffsetDateTime::now_utc())
                    .await?;
                tx.commit().await?;
                Ok::<_, StoreError>(product)
            })
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(StoreError::Duplicate(Unique::ProductSku)) => {}
            Err(other) => panic!("unexpected outcome: {other:?}"),
        }
    }
    assert_eq!(won, 1);
}

/// Many refreshes present one token at once: the revoke is a compare-and-set, so exactly one
/// rotates it.
async fn one_refresh_token_rotates_once(store: Arc<dyn Store>) {
    let now = OffsetDateTime::now_utc();
    let mut tx = store.begin().await.unwrap();
    let user = tx
        .insert_user(NewUser {
            username: Username::new("racer").unwrap(),
            email: Email::new("racer@shop.test").unwrap(),
            name: Name::new("Racer").unwrap(),
            role: Role::Staff,
            password_hash: PasswordHash::from_hash("x".into()),
            at: now,
        })
        .await
        .unwrap();
    let session = tx
        .insert_session(NewSession {
            user_id: user.id,
            family: "fam".into(),
            token_hash: "hash".into(),
            created_at: now,
            expires_at: now + Duration::days(1),
        })
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let tasks: Vec<_> = (0..RACERS)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let mut tx = store.begin().await?;
                let rotated = tx
                    .revoke_session(session.id, OffsetDateTime::now_utc())
                    .await?;
                tx.commit().await?;
                Ok::<_, StoreError>(rotated)
            })
        })
        .collect();
    let mut rotations = 0;
    for task in tasks {
        if task.await.unwrap().expect("no storage error") {
            rotations += 1;
        }
    }
    assert_eq!(rotations, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_one_of_many_concurrent_creates_wins() {
    one_of_many_concurrent_creates_wins(stores::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_one_refresh_token_rotates_once() {
    one_refresh_token_rotates_once(stores::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs MariaDB: set POS_TEST_MYSQL_URL and pass --include-ignored"]
async fn mysql_one_of_many_concurrent_creates_wins() {
    let Some(store) = stores::mysql().await else {
        stores::no_mysql()
    };
    one_of_many_concurrent_creates_wins(store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs MariaDB: set POS_TEST_MYSQL_URL and pass --include-ignored"]
async fn mysql_one_refresh_token_rotates_once() {
    let Some(store) = stores::mysql().await else {
        stores::no_mysql()
    };
    one_refresh_token_rotates_once(store).await;
}
