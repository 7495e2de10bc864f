//! Password hashing with bcrypt, run on the blocking pool so it never stalls the async workers.
//!
//! bcrypt is slow by design (about a quarter second at cost 12) and takes a whole core while it
//! runs. At most half the cores (at least one) hash or check passwords at once, so a storm of
//! logins queues behind itself and the tills keep the other cores. This bounds one instance's
//! CPU, not a shared quota: the failed-login limits, kept in the database, are what every
//! instance agrees on.

use crate::problem::ApiError;
use pos_domain::user::{Password, PasswordHash};
use std::sync::OnceLock;
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
