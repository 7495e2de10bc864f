//! Checkout, sales, receipts and returns.
