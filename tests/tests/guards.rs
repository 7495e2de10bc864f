//! Books that no request can break: every reproducer of the hostile test pass, through the HTTP
//! API, on the memory adapter, on SQLite and (when POS_TEST_MYSQL_URL is set) on MariaDB. Each
//! refused request must get its 4xx with a stable code, change nothing, and leave the
//! integrity check empty.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod guards {
    pub mod access;
    pub mod books;
    pub mod limits;
    pub mod money;
    pub mod registers;
    pub mod sessions;
    pub mod stateful;
    pub mod support;
}
