//! Paying suppliers: a payment pays down what is owed, oldest purchase first unless one is
//! named, and can never pay more than is owed.

pub use crate::allocation::{AllocationError, allocate_payment};
