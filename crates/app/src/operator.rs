//! What an operator does from the shell besides serving: find a user, and set a password that
//! was lost (`pos-app reset-password`).

use anyhow::anyhow;
use pos_domain::app::App;
use pos_domain::app::users::UpdateUser;
use pos_domain::ids::UserId;
use pos_domain::paging::{ListQuery, PageRequest};
use pos_domain::text::Username;
use pos_domain::user::{Password, UserFilter};
use pos_http::auth::password::Bcrypt;

/// The id of the user `username`, if there is one.
pub async fn user_named(app: &App, username: &str) -> anyhow::Result<Option<UserId>> {
    let username = Username::new(username).map_err(|e| anyhow!("{username:?}: {e}"))?;
    for page in 1.. {
        let query = ListQuery {
            filter: UserFilter {
                q: Some(username.as_str().to_owned()),
                ..Default::default()
            },
            sort: Default::default(),
            order: Default::default(),
            page: PageRequest::new(Some(page), Some(PageRequest::MAX_PER_PAGE)),
        };
        let users = app.users(query).await?;
        if let Some(user) = users.items.iter().find(|u| u.username == username) {
            return Ok(Some(user.id));
        }
        if users.items.len() < PageRequest::MAX_PER_PAGE as usize {
            break;
        }
    }
    Ok(None)
}

/// Sets the password of `username` to `new`, or to a generated one (returned, to be shown
/// once), through the same use case as an admin's reset: the password is hashed at `cost`, and
/// every session of the user ends. The account is not reactivated: an admin does that.
pub async fn reset_password(
    app: &App,
    username: &str,
    new: Option<String>,
    cost: u32,
) -> anyhow::Result<Option<String>> {
    let user = user_named(app, username)
        .await?
        .ok_or_else(|| anyhow!("no user is named {username:?}"))?;
    let generated = new.is_none();
    let raw = new.unwrap_or_else(crate::bootstrap::generate_password);
    let password = Password::new(raw.clone()).map_err(|e| anyhow!("the new password {e}"))?;
    let command = UpdateUser {
        user,
        username: None,
        email: None,
        name: None,
        role: None,
        active: None,
        password: Some(password),
    };
    app.update_user(command, &Bcrypt::hashing_only(cost))
        .await?;
    Ok(generated.then_some(raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bootstrap::{ensure_books, ensure_first_admin};
    use crate::config::AdminSeed;
    use pos_domain::app::Policy;
    use pos_domain::catalog::Percent;
    use pos_domain::money::Money;
    use pos_domain::ports::Store;
    use pos_memory::MemoryStore;
    use std::sync::Arc;
    use time::UtcOffset;

    async fn hash_of(store: &MemoryStore, user: UserId) -> String {
        let mut tx = store.begin().await.unwrap();
        tx.password_hash(user)
            .await
            .unwrap()
            .unwrap()
            .as_str()
            .to_owned()
    }

    #[tokio::test]
    async fn a_lost_password_is_set_from_the_shell() {
        let store = MemoryStore::new();
        ensure_books(&store).await.unwrap();
        let seed = AdminSeed {
            username: "admin".into(),
            email: "admin@example.com".into(),
            password: Some("forgotten-password".into()),
        };
        ensure_first_admin(&store, &seed, 4).await.unwrap();
        let policy = Policy {
            staff_refund_limit: Money::from_minor_units(5_000),
            staff_discount_limit: Percent::from_scaled(200_000),
            staff_payout_limit: Money::from_minor_units(2_000),
            close_tolerance: Money::from_minor_units(500),
            shop_offset: UtcOffset::UTC,
        };
        let port: Arc<dyn Store> = Arc::new(store.clone());
        let app = App::new(port, Arc::new(pos_http::SystemClock), policy);
        let admin = user_named(&app, "admin").await.unwrap().unwrap();

        let given = reset_password(&app, "admin", Some("a-new-password".into()), 4).await;
        assert_eq!(given.unwrap(), None, "a given password is not echoed");
        let verify = |candidate: &str, hash: String| {
            pos_http::auth::password::verify(candidate.to_owned(), hash)
        };
        assert!(
            verify("a-new-password", hash_of(&store, admin).await)
                .await
                .unwrap()
        );
        assert!(
            !verify("forgotten-password", hash_of(&store, admin).await)
                .await
                .unwrap()
        );

        let generated = reset_password(&app, "admin", None, 4)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(generated.len(), 20);
        assert!(
            verify(&generated, hash_of(&store, admin).await)
                .await
                .unwrap()
        );

        let unknown = reset_password(&app, "nobody", None, 4).await;
        assert!(
            unknown
                .unwrap_err()
                .to_string()
                .contains("no user is named")
        );
        let short = reset_password(&app, "admin", Some("short".into()), 4).await;
        assert!(short.is_err(), "the password rules hold");
    }
}
