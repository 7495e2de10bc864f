//! Logging in and out, refreshing sessions, changing passwords.
