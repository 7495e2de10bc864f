//! What the HTTP layer needs to be told. The app crate reads these from the environment.

use std::time::Duration;

#[derive(Clone)]
pub struct HttpSettings {
    /// HS256 secret for access tokens. At least 32 bytes in production.
    pub jwt_secret: Vec<u8>,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    /// bcrypt cost for new password hashes (12 in production; tests use the minimum, 4).
    pub bcrypt_cost: u32,
    /// Mark the refresh cookie `Secure` (browsers still accept it on http://localhost).
    pub secure_cookies: bool,
    /// Login requests a client address may send in a burst, and how fast the allowance
    /// refills: a flood guard kept in each instance's memory (actix-governor), so each instance
    /// allows its own burst. The limits that matter are the failure limits below.
    pub login_burst: u32,
    pub login_refill: Duration,
    /// Failed logins allowed per account (since its last success) and per client address,
    /// within `login_failure_window`; the next attempt gets 429 until the oldest of them
    /// leaves the window. Counted from the stored login attempts, so every instance on the
    /// database sees the same count and adding instances adds no attempts.
    pub login_failures_per_account: u32,
    pub login_failures_per_address: u32,
    pub login_failure_window: Duration,
    /// Exact origins (scheme://host:port) the web frontend is served from.
    pub cors_origins: Vec<String>,
    pub max_json_bytes: usize,
    pub max_image_bytes: usize,
    /// The most staff may refund on one sale, all its returns together.
    pub staff_refund_limit: pos_domain::money::Money,
    /// The most staff may take off a sale in discounts, as a percent of its gross.
    pub staff_discount_limit: pos_domain::catalog::Percent,
    /// The most staff may pay out of a drawer at once.
    pub staff_payout_limit: pos_domain::money::Money,
    /// The most a closing count may differ from the expected cash for staff to close.
    pub close_tolerance: pos_domain::money::Money,
    /// The shop's offset from UTC: documents are dated on the shop's calendar, and reports'
    /// "today" and "this month" are the shop's.
    pub shop_offset: time::UtcOffset,
}

impl HttpSettings {
    /// Settings for tests and local development: a fixed secret, fast bcrypt, generous limits.
    pub fn for_tests() -> Self {
        Self {
            jwt_secret: b"test-secret-test-secret-test-secret!".to_vec(),
            jwt_issuer: "pos".to_owned(),
            jwt_audience: "pos-api".to_owned(),
            access_ttl: Duration::from_secs(15 * 60),
            refresh_ttl: Duration::from_secs(14 * 24 * 3600),
            bcrypt_cost: 4,
            secure_cookies: true,
            login_burst: 1000,
            login_refill: Duration::from_millis(1),
            login_failures_per_account: 5,
            login_failures_per_address: 20,
            login_failure_window: Duration::from_secs(15 * 60),
            cors_origins: vec!["http://localhost:5173".to_owned()],
            max_json_bytes: 64 * 1024,
            max_image_bytes: 2 * 1024 * 1024,
            staff_refund_limit: pos_domain::money::Money::from_minor_units(5_000),
            staff_discount_limit: pos_domain::catalog::Percent::from_scaled(20 * 10_000),
            staff_payout_limit: pos_domain::money::Money::from_minor_units(2_000),
            close_tolerance: pos_domain::money::Money::from_minor_units(500),
            shop_offset: time::UtcOffset::UTC,
        }
    }
}
