//! Signed links to stored media, so a browser can show a product image with a plain
//! `<img src>`, which sends no `Authorization` header, while no image is readable without
//! authorisation: only a caller who could read the product gets its link.
//!
//! A link carries `sig=<expires>.<hmac>`: an HMAC-SHA256, keyed from the token secret (so every
//! instance that shares `POS_JWT_SECRET` signs and checks the same links, with no state), of the
//! media key and the expiry. Links expire on the hour, one to two hours after they were made: a
//! page of products reloaded within the hour gets the same URLs, so browsers cache the images.

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha512};
use time::OffsetDateTime;

/// The query parameter of a signed link.
pub const PARAM: &str = "sig";
/// Its security scheme in the spec: a route that lists it besides `bearer` takes either.
pub const SCHEME: &str = "signed_link";

/// Links end at an hour boundary at least this long after they are made.
const AT_LEAST_SECS: i64 = 3600;

/// Why a signed link was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    Expired,
    Invalid,
}

pub struct MediaLinks {
    mac: Hmac<Sha256>,
}

impl MediaLinks {
    pub fn new(secret: &[u8]) -> Self {
        // A key of its own, derived from the token secret, so a link's MAC can never be
        // replayed as, or forged from, a token signature. 64 bytes: SHA-256's block size, the
        // key length HMAC-SHA256 takes as it is.
        let key = Sha512::new()
            .chain_update(b"pos media links v1\0")
            .chain_update(secret)
            .finalize();
        Self {
            mac: <Hmac<Sha256> as KeyInit>::new(&key),
        }
    }

    /// The path and query of a link to `key` that works until the end of the hour after next.
    pub fn url(&self, key: &str, now: OffsetDateTime) -> String {
        let hour = now.unix_timestamp().div_euclid(3600) * 3600;
        let expires = hour + 3600 + AT_LEAST_SECS;
        let signature = self.sign(key, expires);
        format!("/api/media/{key}?{PARAM}={expires}.{signature}")
    }

    /// Whether `sig` is a link to `key` this server made and that has not expired.
    pub fn check(&self, key: &str, sig: &str, now: OffsetDateTime) -> Result<(), LinkError> {
        let (expires, signature) = sig.split_once('.').ok_or(LinkError::Invalid)?;
        let expires: i64 = expires.parse().map_err(|_| LinkError::Invalid)?;
        let signature = decode_hex(signature).ok_or(LinkError::Invalid)?;
        let mut mac = self.mac.clone();
        mac.update(&message(key, expires));
        // Constant-time comparison.
        mac.verify_slice(&signature)
            .map_err(|_| LinkError::Invalid)?;
        if now.unix_timestamp() >= expires {
            return Err(LinkError::Expired);
        }
        Ok(())
    }

    fn sign(&self, key: &str, expires: i64) -> String {
        let mut mac = self.mac.clone();
        mac.update(&message(key, expires));
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

fn message(key: &str, expires: i64) -> Vec<u8> {
    format!("{key}\n{expires}").into_bytes()
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 64 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-28 10:20:00 UTC);

    fn sig_of(url: &str) -> &str {
        url.split_once("?sig=").unwrap().1
    }

    #[test]
    fn a_link_works_until_the_hour_after_next_and_not_after() {
        let links = MediaLinks::new(b"a secret of at least thirty-two bytes!!");
        let url = links.url("products/1-a.png", NOW);
        assert!(url.starts_with("/api/media/products/1-a.png?sig="), "{url}");
        let sig = sig_of(&url);
        assert_eq!(links.check("products/1-a.png", sig, NOW), Ok(()));
        let last = datetime!(2026-11-28 11:59:59 UTC);
        assert_eq!(links.check("products/1-a.png", sig, last), Ok(()));
        let end = datetime!(2026-11-28 12:00:00 UTC);
        assert_eq!(
            links.check("products/1-a.png", sig, end),
            Err(LinkError::Expired)
        );
        // Within the hour the link is the same, so browsers cache the image.
        let later = datetime!(2026-11-28 10:59:00 UTC);
        assert_eq!(links.url("products/1-a.png", later), url);
    }

    #[test]
    fn a_link_opens_only_its_own_file_and_only_as_signed() {
        let links = MediaLinks::new(b"a secret of at least thirty-two bytes!!");
        let sig = sig_of(&links.url("products/1-a.png", NOW)).to_owned();
        assert_eq!(
            links.check("products/2-b.png", &sig, NOW),
            Err(LinkError::Invalid)
        );
        let (expires, mac) = sig.split_once('.').unwrap();
        let later: i64 = expires.parse::<i64>().unwrap() + 3600;
        assert_eq!(
            links.check("products/1-a.png", &format!("{later}.{mac}"), NOW),
            Err(LinkError::Invalid),
            "the expiry is signed"
        );
        let other = MediaLinks::new(b"another secret of thirty-two bytes or more");
        assert_eq!(
            other.check("products/1-a.png", &sig, NOW),
            Err(LinkError::Invalid)
        );
        for junk in ["", "1", "x.y", "1.zz", &format!("{expires}.{}", &mac[..62])] {
            assert_eq!(
                links.check("products/1-a.png", junk, NOW),
                Err(LinkError::Invalid),
                "{junk}"
            );
        }
    }
}
