//! Authentication: access tokens, refresh tokens, passwords, the role guard and the login rate
//! limit.

pub mod guard;
pub mod password;
pub mod rate_limit;
pub mod refresh;
pub mod signed_links;
pub mod tokens;

pub use guard::Caller;
