//! The port contract: what every storage adapter must do, stated once and run against each
//! (memory, SQLite, MariaDB). A behaviour that differs between adapters is a bug in one of them.

use pos_domain::catalog::{
    LabelDraft, LabelSort, Percent, ProductDraft, ProductFilter, ProductSort, ProductStatus,
    TaxMode, TaxRateDraft, TaxRateSort, Unit,
};
use pos_domain::error::{Referenced, StoreError, Unique};
use pos_domain::ids::{BrandId, ProductId, UserId};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, Order, PageRequest};
use pos_domain::ports::Store;
use pos_domain::quantity::Quantity;
use pos_domain::session::NewSession;
use pos_domain::text::{Barcode, Email, Name, Sku, Username};
use pos_domain::user::{
    LoginAttempt, NewUser, PasswordHash, Role, UserChanges, UserFilter, UserSort,
};
use rust_decimal::Decimal;
use std::str::FromStr;
use time::{Duration, OffsetDateTime};

pub use crate::ledger_contract::*;
pub use crate::purchasing_contract::*;
pub use crate::sales_contract::*;

/// Generates one `#[tokio::test]` per contract case for an adapter. `$factory` is an async
/// expression giving `Option<Arc<dyn Store>>`. `needs_mysql` marks the cases ignored (listed as
/// such by `cargo test`, never counted as passed) unless run with `--include-ignored`, as CI does
/// with `POS_TEST_MYSQL_URL` set; run so without it, they fail.
#[macro_export]
macro_rules! contract_suite {
    ($adapter:ident, $factory:expr) => {
        $crate::contract_suite!(@suite plain $adapter, $factory);
    };
    (needs_mysql $adapter:ident, $factory:expr) => {
        $crate::contract_suite!(@suite needs_mysql $adapter, $factory);
    };
    (@suite $kind:ident $adapter:ident, $factory:expr) => {
        mod $adapter {
            use super::*;
            $crate::contract_suite!(@cases $kind $factory;
                users_round_trip_and_unique_fields,
                credentials_are_found_by_email_or_username,
                users_list_filters_sorts_and_pages,
                user_labels_name_the_users_that_exist,
                user_updates_apply_and_missing_users_are_not_found,
                login_attempts_are_recorded_and_stamp_last_login,
                sessions_revoke_once_and_by_family_or_user,
                labels_are_unique_updatable_and_deletable,
                labels_in_use_cannot_be_deleted,
                tax_rates_keep_exact_percentages,
                products_keep_exact_money_and_quantities,
                product_uniqueness_and_references_are_enforced,
                products_list_searches_filters_sorts_and_pages,
                uncommitted_transactions_leave_nothing_behind,
                timestamps_round_trip_to_the_microsecond,
                chart_seeding_is_idempotent_and_complete,
                entries_post_read_filter_and_page,
                posting_to_an_unknown_account_is_refused,
                an_entry_is_reversed_once,
                account_totals_sum_exactly_over_ranges,
                account_activity_pages_carry_the_balance_before,
                party_balance_sums_one_partys_lines_on_one_account,
                payments_and_expenses_round_trip_and_filter,
                idempotency_records_are_unique_per_user_and_key,
                random_postings_and_reversals_keep_the_books_balanced,
                suppliers_round_trip_search_and_deactivate,
                purchases_store_lines_and_enforce_invoice_uniqueness,
                payments_credits_and_returns_update_what_is_owed,
                lots_are_consumed_oldest_first_and_never_overdrawn,
                movements_are_logged_and_filtered,
                customers_round_trip_search_and_lock,
                sales_round_trip_with_lines_takes_and_payments,
                open_sales_payments_returns_and_totals,
                reports_sum_sales_and_returns_per_group,
                lots_take_returned_units_back_but_never_overfill,
                held_sales_are_kept_listed_and_deleted_once,
                sale_numbers_are_gapless_across_rollbacks,
            );
        }
    };
    (@cases $kind:ident $factory:expr; $($case:ident),+ $(,)?) => {$(
        $crate::contract_suite!(@case $kind $factory; $case);
    )+};
    (@case plain $factory:expr; $case:ident) => {
        #[tokio::test]
        async fn $case() {
            $crate::contract_suite!(@body $factory; $case);
        }
    };
    (@case needs_mysql $factory:expr; $case:ident) => {
        #[tokio::test]
        #[ignore = "needs MariaDB: set POS_TEST_MYSQL_URL and pass --include-ignored"]
        async fn $case() {
            $crate::contract_suite!(@body $factory; $case);
        }
    };
    (@body $factory:expr; $case:ident) => {
        let store: Option<std::sync::Arc<dyn pos_domain::ports::Store>> = $factory;
        let store = store.unwrap_or_else(|| $crate::stores::no_mysql());
        $crate::contract::$case(store.as_ref()).await
    };
}

fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000).expect("valid time")
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal literal")
}

fn new_user(username: &str, role: Role) -> NewUser {
    NewUser {
        username: Username::new(username).expect("username"),
        email: Email::new(&format!("{username}@shop.test")).expect("email"),
        name: Name::new(&format!("{username} name")).expect("name"),
        role,
        password_hash: PasswordHash::from_hash(format!("hash-of-{username}")),
        at: t0(),
    }
}

fn label(name: &str) -> LabelDraft {
    LabelDraft {
        name: Name::new(name).expect("name"),
        description: None,
    }
}

fn product(sku: &str, price: &str) -> ProductDraft {
    ProductDraft {
        name: Name::new(&format!("Product {sku}")).expect("name"),
        sku: Sku::new(sku).expect("sku"),
        barcode: None,
        brand_id: None,
        category_id: None,
        tax_rate_id: None,
        price: Money::new(dec(price)).expect("money"),
        reorder_level: Quantity::ZERO,
        unit: Unit::Piece,
        status: ProductStatus::Active,
        description: None,
    }
}

fn query<F: Default, S: Default>(
    filter: F,
    sort: S,
    order: Order,
    page: u32,
    per_page: u32,
) -> ListQuery<F, S> {
    ListQuery {
        filter,
        sort,
        order,
        page: PageRequest::new(Some(page), Some(per_page)),
    }
}

pub async fn users_round_trip_and_unique_fields(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let ann = tx.insert_user(new_user("ann", Role::Admin)).await.unwrap();
    assert_eq!(ann.username.as_str(), "ann");
    assert_eq!(ann.email.as_str(), "ann@shop.test");
    assert_eq!(ann.role, Role::Admin);
    assert!(ann.active);
    assert_eq!(ann.last_login_at, None);
    assert_eq!(ann.created_at, t0());
    let mut same_email = new_user("ann2", Role::Staff);
    same_email.email = ann.email.clone();
    assert_eq!(
        tx.insert_user(same_email).await,
        Err(StoreError::Duplicate(Unique::UserEmail))
    );
    let mut same_name = new_user("bob", Role::Staff);
    same_name.username = ann.username.clone();
    assert_eq!(
        tx.insert_user(same_name).await,
        Err(StoreError::Duplicate(Unique::Username))
    );
    tx.commit().await.unwrap();

    let mut tx = store.begin_read().await.unwrap();
    assert_eq!(tx.find_user(ann.id).await.unwrap(), Some(ann.clone()));
    assert_eq!(
        tx.find_user(UserId::new(ann.id.get() + 1000))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        tx.password_hash(ann.id).await.unwrap().unwrap().as_str(),
        "hash-of-ann"
    );
    assert_eq!(tx.count_users().await.unwrap(), 1);
}

pub async fn credentials_are_found_by_email_or_username(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let cid = tx.insert_user(new_user("cid", Role::Staff)).await.unwrap();
    let (by_email, hash) = tx.find_credentials("cid@shop.test").await.unwrap().unwrap();
    assert_eq!(by_email.id, cid.id);
    assert_eq!(hash.as_str(), "hash-of-cid");
    assert_eq!(
        tx.find_credentials("cid").await.unwrap().unwrap().0.id,
        cid.id
    );
    assert!(tx.find_credentials("nobody").await.unwrap().is_none());
}

pub async fn users_list_filters_sorts_and_pages(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    for (name, role) in [
        ("dora", Role::Staff),
        ("eve", Role::Manager),
        ("abe", Role::Admin),
        ("carl", Role::Staff),
    ] {
        tx.insert_user(new_user(name, role)).await.unwrap();
    }
    let by_name = tx
        .list_users(&query(
            UserFilter::default(),
            UserSort::Username,
            Order::Asc,
            1,
            3,
        ))
        .await
        .unwrap();
    let names: Vec<_> = by_name.items.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["abe", "carl", "dora"]);
    assert_eq!((by_name.total, by_name.page, by_name.per_page), (4, 1, 3));
    let page2 = tx
        .list_users(&query(
            UserFilter::default(),
            UserSort::Username,
            Order::Asc,
            2,
            3,
        ))
        .await
        .unwrap();
    assert_eq!(page2.items.len(), 1);
    assert_eq!(page2.items[0].username.as_str(), "eve");
    let desc = tx
        .list_users(&query(
            UserFilter::default(),
            UserSort::Username,
            Order::Desc,
            1,
            1,
        ))
        .await
        .unwrap();
    assert_eq!(desc.items[0].username.as_str(), "eve");
    let staff = UserFilter {
        role: Some(Role::Staff),
        ..Default::default()
    };
    assert_eq!(
        tx.list_users(&query(staff, UserSort::Name, Order::Asc, 1, 10))
            .await
            .unwrap()
            .total,
        2
    );
    // Search is a case-insensitive substring over name, username and email.
    let search = UserFilter {
        q: Some("ORA".into()),
        ..Default::default()
    };
    let found = tx
        .list_users(&query(search, UserSort::Name, Order::Asc, 1, 10))
        .await
        .unwrap();
    assert_eq!(
        found
            .items
            .iter()
            .map(|u| u.username.as_str())
            .collect::<Vec<_>>(),
        ["dora"]
    );
    let wildcard = UserFilter {
        q: Some("%".into()),
        ..Default::default()
    };
    assert_eq!(
        tx.list_users(&query(wildcard, UserSort::Name, Order::Asc, 1, 10))
            .await
            .unwrap()
            .total,
        0
    );
}

pub async fn user_labels_name_the_users_that_exist(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let ann = tx.insert_user(new_user("ann", Role::Admin)).await.unwrap();
    let bob = tx.insert_user(new_user("bob", Role::Staff)).await.unwrap();
    tx.insert_user(new_user("cat", Role::Staff)).await.unwrap();
    let gone = UserId::new(bob.id.get() + 1000);
    let labels = tx
        .user_labels(&[bob.id, gone, ann.id, bob.id])
        .await
        .unwrap();
    assert_eq!(
        labels,
        [
            (ann.id, "ann".to_owned(), "ann name".to_owned()),
            (bob.id, "bob".to_owned(), "bob name".to_owned()),
        ],
        "only the users asked for that exist, once each, by id"
    );
    assert!(tx.user_labels(&[]).await.unwrap().is_empty());
}

pub async fn user_updates_apply_and_missing_users_are_not_found(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let a = tx.insert_user(new_user("fay", Role::Admin)).await.unwrap();
    let b = tx.insert_user(new_user("gus", Role::Admin)).await.unwrap();
    assert_eq!(tx.count_active_admins().await.unwrap(), 2);
    let later = t0() + Duration::minutes(5);
    let changes = UserChanges {
        name: Some(Name::new("Fay Q").unwrap()),
        role: Some(Role::Manager),
        active: Some(false),
        password_hash: Some(PasswordHash::from_hash("new-hash".into())),
        ..Default::default()
    };
    let updated = tx.update_user(a.id, changes, later).await.unwrap();
    assert_eq!(
        (updated.name.as_str(), updated.role, updated.active),
        ("Fay Q", Role::Manager, false)
    );
    assert_eq!(updated.updated_at, later);
    assert_eq!(updated.created_at, t0());
    assert_eq!(
        tx.password_hash(a.id).await.unwrap().unwrap().as_str(),
        "new-hash"
    );
    assert_eq!(tx.count_active_admins().await.unwrap(), 1);
    let clash = UserChanges {
        email: Some(b.email.clone()),
        ..Default::default()
    };
    assert_eq!(
        tx.update_user(a.id, clash, later).await,
        Err(StoreError::Duplicate(Unique::UserEmail))
    );
    let missing = tx
        .update_user(
            UserId::new(b.id.get() + 1000),
            UserChanges::default(),
            later,
        )
        .await;
    assert_eq!(missing, Err(StoreError::NotFound));
}

pub async fn login_attempts_are_recorded_and_stamp_last_login(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let u = tx.insert_user(new_user("hal", Role::Staff)).await.unwrap();
    let attempt = |success: bool, minutes: i64| LoginAttempt {
        user_id: Some(u.id),
        identifier: "hal".into(),
        success,
        ip: Some("127.0.0.1".into()),
        user_agent: Some("test".into()),
        at: t0() + Duration::minutes(minutes),
    };
    tx.record_login(attempt(false, 1)).await.unwrap();
    assert_eq!(
        tx.find_user(u.id).await.unwrap().unwrap().last_login_at,
        None
    );
    tx.record_login(attempt(true, 2)).await.unwrap();
    tx.record_login(LoginAttempt {
        user_id: None,
        identifier: "ghost".into(),
        ..attempt(false, 3)
    })
    .await
    .unwrap();
    assert_eq!(
        tx.find_user(u.id).await.unwrap().unwrap().last_login_at,
        Some(t0() + Duration::minutes(2))
    );
    let recent = tx.recent_logins(2).await.unwrap();
    assert_eq!(recent.len(), 2);
    assert_eq!(
        (recent[0].identifier.as_str(), recent[0].user_id),
        ("ghost", None)
    );
    assert!(recent[1].success);
}

pub async fn sessions_revoke_once_and_by_family_or_user(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let u = tx.insert_user(new_user("ida", Role::Staff)).await.unwrap();
    let session = |family: &str, hash: &str| NewSession {
        user_id: u.id,
        family: family.into(),
        token_hash: hash.into(),
        created_at: t0(),
        expires_at: t0() + Duration::days(14),
    };
    let s1 = tx.insert_session(session("fam-a", "h1")).await.unwrap();
    tx.insert_session(session("fam-a", "h2")).await.unwrap();
    tx.insert_session(session("fam-b", "h3")).await.unwrap();
    let found = tx.find_session("h1").await.unwrap().unwrap();
    assert_eq!(found, s1);
    assert_eq!(found.expires_at, t0() + Duration::days(14));
    assert!(tx.find_session("nope").await.unwrap().is_none());
    let at = t0() + Duration::hours(1);
    assert!(
        tx.revoke_session(s1.id, at).await.unwrap(),
        "first revoke wins"
    );
    assert!(
        !tx.revoke_session(s1.id, at).await.unwrap(),
        "second revoke is a no-op"
    );
    assert_eq!(
        tx.find_session("h1").await.unwrap().unwrap().revoked_at,
        Some(at)
    );
    assert_eq!(
        tx.revoke_family("fam-a", at).await.unwrap(),
        1,
        "only the live one is counted"
    );
    assert_eq!(tx.revoke_user_sessions(u.id, at).await.unwrap(), 1);
    assert!(
        tx.find_session("h3")
            .await
            .unwrap()
            .unwrap()
            .revoked_at
            .is_some()
    );
}

pub async fn labels_are_unique_updatable_and_deletable(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let acme = tx.insert_brand(label("Acme"), t0()).await.unwrap();
    let zeta = tx
        .insert_brand(
            LabelDraft {
                description: Some("Last".into()),
                ..label("Zeta")
            },
            t0(),
        )
        .await
        .unwrap();
    assert_eq!(
        tx.insert_brand(label("Acme"), t0()).await,
        Err(StoreError::Duplicate(Unique::BrandName))
    );
    // Brands and categories are separate namespaces.
    let drinks = tx.insert_category(label("Acme"), t0()).await.unwrap();
    assert_eq!(
        tx.insert_category(label("Acme"), t0()).await,
        Err(StoreError::Duplicate(Unique::CategoryName))
    );
    let later = t0() + Duration::hours(1);
    let renamed = tx
        .update_brand(acme.id, label("Acme Ltd"), later)
        .await
        .unwrap();
    assert_eq!(
        (
            renamed.name.as_str(),
            renamed.created_at,
            renamed.updated_at
        ),
        ("Acme Ltd", t0(), later)
    );
    assert_eq!(
        tx.update_brand(zeta.id, label("Acme Ltd"), later).await,
        Err(StoreError::Duplicate(Unique::BrandName))
    );
    assert_eq!(
        tx.find_brand(zeta.id)
            .await
            .unwrap()
            .unwrap()
            .description
            .as_deref(),
        Some("Last")
    );
    let listed = tx
        .list_brands(&query(None, LabelSort::Name, Order::Desc, 1, 10))
        .await
        .unwrap();
    assert_eq!(
        listed
            .items
            .iter()
            .map(|b| b.name.as_str())
            .collect::<Vec<_>>(),
        ["Zeta", "Acme Ltd"]
    );
    let searched = tx
        .list_brands(&query(
            Some("ltd".into()),
            LabelSort::Name,
            Order::Asc,
            1,
            10,
        ))
        .await
        .unwrap();
    assert_eq!(searched.total, 1);
    tx.delete_brand(zeta.id).await.unwrap();
    assert_eq!(tx.find_brand(zeta.id).await.unwrap(), None);
    assert_eq!(tx.delete_brand(zeta.id).await, Err(StoreError::NotFound));
    assert_eq!(
        tx.update_brand(zeta.id, label("X"), later).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        tx.find_category(drinks.id)
            .await
            .unwrap()
            .unwrap()
            .name
            .as_str(),
        "Acme"
    );
    tx.delete_category(drinks.id).await.unwrap();
    assert_eq!(
        tx.list_categories(&query(None, LabelSort::Name, Order::Asc, 1, 10))
            .await
            .unwrap()
            .total,
        0
    );
}

pub async fn labels_in_use_cannot_be_deleted(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let brand = tx.insert_brand(label("Used"), t0()).await.unwrap();
    let category = tx.insert_category(label("Used"), t0()).await.unwrap();
    let vat = tx
        .insert_tax_rate(
            TaxRateDraft {
                name: Name::new("VAT").unwrap(),
                rate: Percent::new(dec("15")).unwrap(),
                mode: TaxMode::Exclusive,
            },
            t0(),
        )
        .await
        .unwrap();
    let draft = ProductDraft {
        brand_id: Some(brand.id),
        category_id: Some(category.id),
        tax_rate_id: Some(vat.id),
        ..product("USED-1", "1.00")
    };
    tx.insert_product(draft, t0()).await.unwrap();
    let in_use = Err(StoreError::InUse(Referenced::ByProducts));
    assert_eq!(tx.delete_brand(brand.id).await, in_use);
    assert_eq!(tx.delete_category(category.id).await, in_use);
    assert_eq!(tx.delete_tax_rate(vat.id).await, in_use);
    tx.commit().await.unwrap();
    let mut tx = store.begin_read().await.unwrap();
    assert!(
        tx.find_brand(brand.id).await.unwrap().is_some(),
        "a refused delete changes nothing"
    );
}

pub async fn tax_rates_keep_exact_percentages(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let draft = |name: &str, rate: &str, mode| TaxRateDraft {
        name: Name::new(name).unwrap(),
        rate: Percent::new(dec(rate)).unwrap(),
        mode,
    };
    let reduced = tx
        .insert_tax_rate(draft("Reduced", "7.25", TaxMode::Inclusive), t0())
        .await
        .unwrap();
    tx.insert_tax_rate(draft("Standard", "15", TaxMode::Exclusive), t0())
        .await
        .unwrap();
    tx.insert_tax_rate(draft("Zero", "0", TaxMode::Exclusive), t0())
        .await
        .unwrap();
    assert_eq!(
        tx.insert_tax_rate(draft("Zero", "1", TaxMode::Exclusive), t0())
            .await,
        Err(StoreError::Duplicate(Unique::TaxRateName))
    );
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let read = tx.find_tax_rate(reduced.id).await.unwrap().unwrap();
    assert_eq!(read.rate.value(), dec("7.25"));
    assert_eq!(read.mode, TaxMode::Inclusive);
    let by_rate = tx
        .list_tax_rates(&query(None, TaxRateSort::Rate, Order::Desc, 1, 10))
        .await
        .unwrap();
    assert_eq!(
        by_rate
            .items
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>(),
        ["Standard", "Reduced", "Zero"]
    );
    let updated = tx
        .update_tax_rate(
            reduced.id,
            draft("Reduced", "99.9999", TaxMode::Exclusive),
            t0(),
        )
        .await
        .unwrap();
    assert_eq!(updated.rate.value(), dec("99.9999"));
    tx.delete_tax_rate(reduced.id).await.unwrap();
    assert_eq!(tx.find_tax_rate(reduced.id).await.unwrap(), None);
}

pub async fn products_keep_exact_money_and_quantities(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let mut ids = Vec::new();
    for (sku, price) in [
        ("P-010", "0.10"),
        ("P-BIG", "1234567.89"),
        ("P-ZERO", "0"),
        ("P-MAX", "99999999999.99"),
    ] {
        let draft = ProductDraft {
            reorder_level: Quantity::new(dec("2.125")).unwrap(),
            unit: Unit::Kilogram,
            ..product(sku, price)
        };
        ids.push((tx.insert_product(draft, t0()).await.unwrap().id, price));
    }
    tx.commit().await.unwrap();
    let mut tx = store.begin_read().await.unwrap();
    for (id, price) in ids {
        let p = tx.find_product(id).await.unwrap().unwrap();
        assert_eq!(
            p.draft.price,
            Money::new(dec(price)).unwrap(),
            "price {price} round trip"
        );
        assert_eq!(p.draft.price.to_string(), format!("{:.2}", dec(price)));
        assert_eq!(p.draft.reorder_level.value(), dec("2.125"));
        assert_eq!(p.draft.unit, Unit::Kilogram);
        assert_eq!(p.stock_on_hand, Quantity::ZERO);
        assert_eq!(p.image, None);
    }
}

pub async fn product_uniqueness_and_references_are_enforced(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let with_code = |sku: &str, code: Option<&str>| ProductDraft {
        barcode: code.map(|c| Barcode::new(c).unwrap()),
        ..product(sku, "1.00")
    };
    let first = tx
        .insert_product(with_code("A-1", Some("4006381333931")), t0())
        .await
        .unwrap();
    // Many products may have no barcode.
    tx.insert_product(with_code("A-2", None), t0())
        .await
        .unwrap();
    let no_code = tx
        .insert_product(with_code("A-3", None), t0())
        .await
        .unwrap();
    assert_eq!(
        tx.insert_product(with_code("A-1", None), t0()).await,
        Err(StoreError::Duplicate(Unique::ProductSku))
    );
    assert_eq!(
        tx.insert_product(with_code("A-4", Some("4006381333931")), t0())
            .await,
        Err(StoreError::Duplicate(Unique::ProductBarcode))
    );
    assert_eq!(
        tx.update_product(no_code.id, with_code("A-1", None), t0())
            .await,
        Err(StoreError::Duplicate(Unique::ProductSku))
    );
    let ghost_brand = ProductDraft {
        brand_id: Some(BrandId::new(first.id.get() + 10_000)),
        ..product("A-5", "1.00")
    };
    assert_eq!(
        tx.insert_product(ghost_brand, t0()).await,
        Err(StoreError::MissingReference("brand_id"))
    );
    assert_eq!(
        tx.update_product(
            ProductId::new(first.id.get() + 10_000),
            with_code("A-9", None),
            t0()
        )
        .await,
        Err(StoreError::NotFound)
    );
    let found = tx
        .find_product_by_barcode("4006381333931")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, first.id);
    assert!(tx.find_product_by_barcode("000").await.unwrap().is_none());
    let later = t0() + Duration::seconds(30);
    let with_image = tx
        .set_product_image(first.id, Some("products/1-x.png".into()), later)
        .await
        .unwrap();
    assert_eq!(
        (with_image.image.as_deref(), with_image.updated_at),
        (Some("products/1-x.png"), later)
    );
    let renamed = tx
        .update_product(
            first.id,
            ProductDraft {
                name: Name::new("Renamed").unwrap(),
                ..with_code("A-1", Some("4006381333931"))
            },
            later,
        )
        .await
        .unwrap();
    assert_eq!(
        renamed.image.as_deref(),
        Some("products/1-x.png"),
        "an update keeps the image"
    );
    assert_eq!(renamed.draft.name.as_str(), "Renamed");
}

pub async fn products_list_searches_filters_sorts_and_pages(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let brand = tx.insert_brand(label("Brand"), t0()).await.unwrap();
    let rows = [
        ("TEA-1", "Green Tea", "3.50", true),
        ("TEA-2", "Black tea", "2.00", false),
        ("COF-1", "Coffee", "12.00", true),
        ("MUG-1", "Mug", "7.25", false),
    ];
    for (sku, name, price, branded) in rows {
        let draft = ProductDraft {
            name: Name::new(name).unwrap(),
            brand_id: branded.then_some(brand.id),
            status: if sku == "MUG-1" {
                ProductStatus::Inactive
            } else {
                ProductStatus::Active
            },
            barcode: (sku == "COF-1").then(|| Barcode::new("TEABAG-LOOKALIKE").unwrap()),
            reorder_level: Quantity::new(dec(if sku == "TEA-2" { "1" } else { "0" })).unwrap(),
            ..product(sku, price)
        };
        tx.insert_product(draft, t0()).await.unwrap();
    }
    let list = |tx_filter: ProductFilter, sort, order| query(tx_filter, sort, order, 1, 10);
    let names = |page: pos_domain::paging::Page<pos_domain::catalog::Product>| {
        page.items
            .into_iter()
            .map(|p| p.draft.sku.into_inner())
            .collect::<Vec<_>>()
    };
    let search = ProductFilter {
        q: Some("tea".into()),
        ..Default::default()
    };
    assert_eq!(
        names(
            tx.list_products(&list(search, ProductSort::Sku, Order::Asc))
                .await
                .unwrap()
        ),
        ["COF-1", "TEA-1", "TEA-2"],
        "name, SKU and barcode are searched"
    );
    let by_price = tx
        .list_products(&list(
            ProductFilter::default(),
            ProductSort::Price,
            Order::Desc,
        ))
        .await
        .unwrap();
    assert_eq!(names(by_price), ["COF-1", "MUG-1", "TEA-1", "TEA-2"]);
    let branded = ProductFilter {
        brand_id: Some(brand.id),
        ..Default::default()
    };
    assert_eq!(
        names(
            tx.list_products(&list(branded, ProductSort::Name, Order::Asc))
                .await
                .unwrap()
        ),
        ["COF-1", "TEA-1"]
    );
    let inactive = ProductFilter {
        status: Some(ProductStatus::Inactive),
        ..Default::default()
    };
    assert_eq!(
        names(
            tx.list_products(&list(inactive, ProductSort::Name, Order::Asc))
                .await
                .unwrap()
        ),
        ["MUG-1"]
    );
    // Stock is 0 everywhere, so every product is at or below its reorder level.
    let low = ProductFilter {
        low_stock: true,
        ..Default::default()
    };
    assert_eq!(
        tx.list_products(&list(low, ProductSort::Sku, Order::Asc))
            .await
            .unwrap()
            .total,
        4
    );
    let by_name = tx
        .list_products(&query(
            ProductFilter::default(),
            ProductSort::Name,
            Order::Asc,
            2,
            2,
        ))
        .await
        .unwrap();
    assert_eq!(
        (by_name.total, names(by_name)),
        (4, vec!["TEA-1".to_owned(), "MUG-1".to_owned()]),
        "name order is case-insensitive"
    );
}

pub async fn uncommitted_transactions_leave_nothing_behind(store: &dyn Store) {
    {
        let mut tx = store.begin().await.unwrap();
        tx.insert_brand(label("Ghost"), t0()).await.unwrap();
        tx.insert_user(new_user("ghost", Role::Staff))
            .await
            .unwrap();
        // dropped without commit
    }
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        tx.list_brands(&query(None, LabelSort::Name, Order::Asc, 1, 10))
            .await
            .unwrap()
            .total,
        0
    );
    assert_eq!(tx.count_users().await.unwrap(), 0);
    tx.insert_brand(label("Kept"), t0()).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin_read().await.unwrap();
    assert_eq!(
        tx.list_brands(&query(None, LabelSort::Name, Order::Asc, 1, 10))
            .await
            .unwrap()
            .total,
        1
    );
}

pub async fn timestamps_round_trip_to_the_microsecond(store: &dyn Store) {
    let precise = t0() + Duration::microseconds(123_456);
    let mut tx = store.begin().await.unwrap();
    let brand = tx.insert_brand(label("Timed"), precise).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin_read().await.unwrap();
    let read = tx.find_brand(brand.id).await.unwrap().unwrap();
    assert_eq!(read.created_at, precise);
    assert_eq!(read.created_at.offset(), time::UtcOffset::UTC);
    let sorted = tx
        .list_brands(&query(None, LabelSort::CreatedAt, Order::Asc, 1, 10))
        .await
        .unwrap();
    assert_eq!(sorted.items.len(), 1);
}
