//! Password hashing with bcrypt, run on the blocking pool so it never stalls the async workers.

use crate::problem::ApiError;
use pos_domain::user::{Password, PasswordHash};

pub async fn hash(password: Password, cost: u32) -> Result<PasswordHash, ApiError> {
    let hashed = actix_web::web::block(move || bcrypt::hash(password.expose(), cost)).await?;
    hashed
        .map(PasswordHash::from_hash)
        .map_err(ApiError::internal)
}

/// Checks a typed password against a stored hash. A malformed hash counts as a mismatch.
pub async fn verify(candidate: String, hash: String) -> Result<bool, ApiError> {
    let outcome = actix_web::web::block(move || bcrypt::verify(candidate, &hash)).await?;
    Ok(outcome.unwrap_or(false))
}
