//! Refresh tokens: 256 random bits, given to the client once and stored only as a SHA-256 hash,
//! so a database leak does not leak live sessions.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use sha2::{Digest, Sha256};

pub const COOKIE_NAME: &str = "pos_refresh";
/// The cookie is only ever sent to the auth endpoints.
pub const COOKIE_PATH: &str = "/api/auth";

pub fn generate() -> String {
    let bytes: [u8; 32] = rand::random();
    to_hex(&bytes)
}

pub fn hash(token: &str) -> String {
    to_hex(&Sha256::digest(token.as_bytes()))
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The refresh cookie: httpOnly (no script can read it), SameSite=Strict, scoped to /api/auth.
pub fn cookie(token: &str, max_age_secs: i64, secure: bool) -> Cookie<'static> {
    Cookie::build(COOKIE_NAME, token.to_owned())
        .path(COOKIE_PATH)
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::seconds(max_age_secs))
        .finish()
}

/// A cookie that makes the browser forget the refresh token.
pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    let mut c = cookie("", 0, secure);
    c.make_removal();
    c
}

/// The refresh token from the body (non-browser clients) or else the cookie (browsers).
pub fn presented(req: &HttpRequest, body: Option<String>) -> Option<String> {
    body.filter(|t| !t.is_empty())
        .or_else(|| req.cookie(COOKIE_NAME).map(|c| c.value().to_owned()))
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_are_stable() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), a);
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
