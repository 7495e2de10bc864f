//! Administration: the integrity check and other whole-shop operations.
