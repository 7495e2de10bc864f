//! SQLite writers queue behind each other instead of failing with SQLITE_BUSY.

use crate::support::{TempDb, label};
use pos_domain::catalog::LabelSort;
use pos_domain::paging::ListQuery;
use pos_domain::ports::Store;
use std::time::Duration;
use time::macros::datetime;

#[tokio::test]
async fn a_second_sqlite_writer_waits_for_the_first_to_commit() {
    let db = TempDb::new();
    let store = pos_store::connect(&db.url()).await.unwrap();
    store.migrate_up().await.unwrap();
    let at = datetime!(2026-11-25 12:00:00 UTC);

    let mut first = store.begin().await.unwrap();
    first.insert_brand(label("First"), at).await.unwrap();

    let second_store = store.clone();
    let second = tokio::spawn(async move {
        // Blocks in BEGIN IMMEDIATE until `first` commits, then sees its row.
        let mut second = second_store.begin().await.unwrap();
        let seen = second
            .list_brands(&ListQuery::default())
            .await
            .unwrap()
            .total;
        second.insert_brand(label("Second"), at).await.unwrap();
        second.commit().await.unwrap();
        seen
    });
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Readers are not blocked by the waiting writer (WAL).
    let mut reader = store.begin_read().await.unwrap();
    assert_eq!(
        reader
            .list_brands(&ListQuery::default())
            .await
            .unwrap()
            .total,
        0
    );
    drop(reader);

    first.commit().await.unwrap();
    assert_eq!(
        second.await.unwrap(),
        1,
        "the second writer started after the first committed"
    );

    let mut tx = store.begin_read().await.unwrap();
    let query = ListQuery {
        sort: LabelSort::Name,
        ..ListQuery::default()
    };
    let names: Vec<_> = tx
        .list_brands(&query)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|b| b.name.into_inner())
        .collect();
    assert_eq!(names, ["First", "Second"]);
}

#[tokio::test]
async fn a_second_sqlite_stock_writer_waits_for_the_first_to_commit() {
    let db = TempDb::new();
    let store = pos_store::connect(&db.url()).await.unwrap();
    store.migrate_up().await.unwrap();
    crate::inventory_checks::lock_products_makes_a_second_locker_wait(&store).await;
}
