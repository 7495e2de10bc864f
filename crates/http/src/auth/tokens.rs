//! Short-lived access tokens: JWT, HS256 only, with issuer and audience pinned.

use crate::settings::HttpSettings;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use pos_domain::ids::UserId;
use pos_domain::user::Role;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// The user id.
    pub sub: String,
    /// The role at issue, for clients to shape their screens. Never used to authorise: each
    /// request is authorised with the user's current role, read from the database.
    pub role: String,
    /// The login (refresh-session family) the token belongs to: the token works while that
    /// login is live, and stops on the next request after logout.
    pub sid: String,
    pub iat: i64,
    pub exp: i64,
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl: time::Duration,
}

/// Why a presented access token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the access token has expired; refresh it or log in again")]
    Expired,
    #[error("the access token is invalid")]
    Invalid,
}

/// An authenticated user, with the role they hold now (not the one in their token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: UserId,
    pub role: Role,
    /// Where the user works, read with the role on every request.
    pub stores: pos_domain::user::Stores,
}

/// What a valid signature vouches for: who, and which login. Whether that login is still live
/// and which role the user has now are asked of the store on every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    pub user_id: UserId,
    pub family: String,
}

impl TokenKeys {
    pub fn new(settings: &HttpSettings) -> Self {
        // Pinning the algorithm refuses "alg: none" and RS/HS confusion; expiry is checked below
        // against our own clock so that it can be tested with a mock clock.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&settings.jwt_issuer]);
        validation.set_audience(&[&settings.jwt_audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // `sid` is required too: serde refuses a token without it.
        validation.validate_exp = false;
        Self {
            encoding: EncodingKey::from_secret(&settings.jwt_secret),
            decoding: DecodingKey::from_secret(&settings.jwt_secret),
            validation,
            issuer: settings.jwt_issuer.clone(),
            audience: settings.jwt_audience.clone(),
            ttl: time::Duration::try_from(settings.access_ttl).unwrap_or(time::Duration::MINUTE),
        }
    }

    /// Issues an access token; returns it with its lifetime in seconds.
    pub fn issue(
        &self,
        user_id: UserId,
        role: Role,
        family: &str,
        now: OffsetDateTime,
    ) -> Result<(String, i64), jsonwebtoken::errors::Error> {
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: user_id.to_string(),
            role: role.as_str().to_owned(),
            sid: family.to_owned(),
            iat: now.unix_timestamp(),
            exp: (now + self.ttl).unix_timestamp(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, self.ttl.whole_seconds()))
    }

    pub fn verify(&self, token: &str, now: OffsetDateTime) -> Result<VerifiedToken, TokenError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| TokenError::Invalid)?;
        let claims = data.claims;
        if now.unix_timestamp() >= claims.exp {
            return Err(TokenError::Expired);
        }
        let user_id = claims
            .sub
            .parse()
            .map(UserId::new)
            .map_err(|_| TokenError::Invalid)?;
        if claims.sid.is_empty() {
            return Err(TokenError::Invalid);
        }
        Ok(VerifiedToken {
            user_id,
            family: claims.sid,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mockall::Sequence;
    use pos_domain::clock::{Clock, MockClock};

    fn keys() -> TokenKeys {
        TokenKeys::new(&HttpSettings::for_tests())
    }

    #[test]
    fn a_token_is_accepted_until_it_expires() {
        let issued_at = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        // The clock is read once at issue, then at each check: just before and at expiry.
        let mut clock = MockClock::new();
        let mut seq = Sequence::new();
        for offset in [0, 15 * 60 - 1, 15 * 60] {
            clock
                .expect_now()
                .times(1)
                .in_sequence(&mut seq)
                .return_const(issued_at + time::Duration::seconds(offset));
        }
        let keys = keys();
        let (token, ttl) = keys
            .issue(UserId::new(7), Role::Manager, "login-1", clock.now())
            .unwrap();
        assert_eq!(ttl, 15 * 60);
        let verified = keys.verify(&token, clock.now()).unwrap();
        assert_eq!(
            verified,
            VerifiedToken {
                user_id: UserId::new(7),
                family: "login-1".to_owned()
            }
        );
        assert_eq!(keys.verify(&token, clock.now()), Err(TokenError::Expired));
    }

    #[test]
    fn a_token_signed_with_another_secret_is_invalid() {
        let now = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        let mut other = HttpSettings::for_tests();
        other.jwt_secret = b"another-secret-another-secret-!!!!".to_vec();
        let (token, _) = TokenKeys::new(&other)
            .issue(UserId::new(1), Role::Admin, "login-1", now)
            .unwrap();
        assert_eq!(keys().verify(&token, now), Err(TokenError::Invalid));
    }

    #[test]
    fn an_unsigned_token_is_invalid() {
        let now = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        let (token, _) = keys()
            .issue(UserId::new(1), Role::Admin, "login-1", now)
            .unwrap();
        let payload = token.split('.').nth(1).unwrap();
        // {"alg":"none","typ":"JWT"}
        let forged = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.");
        assert_eq!(keys().verify(&forged, now), Err(TokenError::Invalid));
    }
}
