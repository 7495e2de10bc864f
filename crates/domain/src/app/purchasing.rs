//! Purchases from suppliers and returns to them.
