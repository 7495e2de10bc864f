//! Stock: FIFO lots with their cost, the inventory log, and adjustments.
//!
//! Every unit that comes in belongs to a lot; every unit that goes out leaves the oldest lot
//! first, and that cost becomes the cost of what left. A product's stock is always the sum of
//! its lots' remaining units, and the inventory account always equals the lots' remaining value.

pub mod adjustments;
pub mod fifo;
pub mod lots;
pub mod movements;

pub use fifo::{InsufficientStock, LotBalance, Take, allocate, take_from_lot};
pub use lots::{LocationStock, Lot, NewLot, line_value, stock_by_location};
pub use movements::{Movement, MovementFilter, MovementKind, NewMovement};
