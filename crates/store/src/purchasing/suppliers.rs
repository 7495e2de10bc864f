//! Suppliers: who the shop buys from. Stored like customers (see `parties`).

pub(crate) use crate::parties::{find, insert, list, set_active, update};
