//! The port contract suite on every adapter. MariaDB runs when POS_TEST_MYSQL_URL is set.

use pos_tests::{contract_suite, stores};

contract_suite!(memory, Some(stores::memory()));
contract_suite!(sqlite, Some(stores::sqlite().await));
contract_suite!(needs_mysql mysql, stores::mysql().await);
