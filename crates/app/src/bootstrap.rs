//! The first admin: on an empty database, created from POS_ADMIN_* or with a generated password
//! printed once.

use crate::config::AdminSeed;
use anyhow::{Context, anyhow};
use pos_domain::ports::Store;
use pos_domain::text::{Email, Name, Username};
use pos_domain::user::{NewUser, Password, Role};
use time::OffsetDateTime;

/// Seeds the chart of accounts, payment methods and expense categories where missing.
pub async fn ensure_books(store: &dyn Store) -> anyhow::Result<()> {
    let mut tx = store.begin().await?;
    pos_domain::ledger::seed::ensure_chart(tx.as_mut()).await?;
    tx.commit().await?;
    Ok(())
}

/// What happened at start-up.
#[derive(Debug, PartialEq, Eq)]
pub enum Seeded {
    /// Users exist: nothing to do.
    AlreadyHadUsers,
    /// The admin was created with the configured password.
    WithConfiguredPassword,
    /// The admin was created with this generated password, which is shown once.
    WithGeneratedPassword(String),
}

pub async fn ensure_first_admin(
    store: &dyn Store,
    seed: &AdminSeed,
    bcrypt_cost: u32,
) -> anyhow::Result<Seeded> {
    let mut tx = store.begin().await?;
    if tx.count_users().await? > 0 {
        return Ok(Seeded::AlreadyHadUsers);
    }
    let generated = seed.password.is_none();
    let raw = seed.password.clone().unwrap_or_else(generate_password);
    let password = Password::new(raw.clone()).map_err(|e| anyhow!("POS_ADMIN_PASSWORD {e}"))?;
    let hash = pos_http::auth::password::hash(password, bcrypt_cost)
        .await
        .map_err(|e| anyhow!("hashing the admin password: {e}"))?;
    let user = NewUser {
        username: Username::new(&seed.username).map_err(|e| anyhow!("POS_ADMIN_USERNAME {e}"))?,
        email: Email::new(&seed.email).map_err(|e| anyhow!("POS_ADMIN_EMAIL {e}"))?,
        name: Name::new("Administrator").context("admin name")?,
        role: Role::Admin,
        password_hash: hash,
        at: OffsetDateTime::now_utc(),
    };
    tx.insert_user(user).await?;
    tx.commit().await?;
    Ok(if generated {
        Seeded::WithGeneratedPassword(raw)
    } else {
        Seeded::WithConfiguredPassword
    })
}

/// 20 characters from an unambiguous alphabet: about 110 bits.
pub(crate) fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    (0..20)
        .map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char)
        .collect()
}
