//! Held sales: parked carts completed later.
