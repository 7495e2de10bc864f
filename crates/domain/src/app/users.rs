//! Users and their roles.
