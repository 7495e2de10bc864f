//! Password hashing with bcrypt, run on the blocking pool so it never stalls the async workers.
//!
//! bcrypt is slow by design (about a quarter second at cost 12) and takes a whole core while it
//! runs. At most half the cores (at least one) hash or check passwords at once, so a storm of
//! logins queues behind itself and the tills keep the other cores. This bounds one instance's
//! CPU, not a shared quota: the failed-login limits, kept in the database, are what every
//! instance agrees on.

use crate::problem::ApiError;
use crate::state::AppState;
use async_trait::async_trait;
use pos_domain::app::AppResult;
use pos_domain::app::auth::Passwords;
use pos_domain::services::ServiceError;
use pos_domain::user::{Password, PasswordHash};
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

fn bcrypt_slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Semaphore::new((cores / 2).max(1))
    })
}

pub async fn hash(password: Password, cost: u32) -> Result<PasswordHash, ApiError> {
    let _slot = bcrypt_slots().acquire().await.map_err(ApiError::internal)?;
    let hashed = actix_web::web::block(move || bcrypt::hash(password.expose(), cost)).await?;
    hashed
        .map(PasswordHash::from_hash)
        .map_err(ApiError::internal)
}

/// Checks a typed password against a stored hash. A malformed hash counts as a mismatch.
pub async fn verify(candidate: String, hash: String) -> Result<bool, ApiError> {
    let _slot = bcrypt_slots().acquire().await.map_err(ApiError::internal)?;
    let outcome = actix_web::web::block(move || bcrypt::verify(candidate, &hash)).await?;
    Ok(outcome.unwrap_or(false))
}

/// The application's [`Passwords`] port: bcrypt at the configured cost, on the blocking pool,
/// with the state's dummy hash for logins that name no user.
pub struct Bcrypt {
    cost: u32,
    dummy_hash: Arc<str>,
}

impl Bcrypt {
    pub fn new(state: &AppState) -> Self {
        Self {
            cost: state.settings.bcrypt_cost,
            dummy_hash: state.dummy_hash.clone(),
        }
    }

    /// For hashing only (the shell's password reset): no login is verified with it, so it
    /// needs no dummy hash.
    pub fn hashing_only(cost: u32) -> Self {
        Self {
            cost,
            dummy_hash: Arc::from(""),
        }
    }
}

/// The hashing functions fail only on infrastructure (a closed pool): a 500 either way.
fn internal(err: ApiError) -> ServiceError {
    match err {
        ApiError::Internal { cause } => ServiceError::Internal(cause),
        other => ServiceError::Internal(other.to_string()),
    }
}

#[async_trait]
impl Passwords for Bcrypt {
    async fn hash(&self, password: Password) -> AppResult<PasswordHash> {
        hash(password, self.cost).await.map_err(internal)
    }

    async fn verify(&self, candidate: &str, hash: &str) -> AppResult<bool> {
        verify(candidate.to_owned(), hash.to_owned())
            .await
            .map_err(internal)
    }

    fn dummy_hash(&self) -> &str {
        &self.dummy_hash
    }
}
