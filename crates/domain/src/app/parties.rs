//! Customers and suppliers: one counterparty model for what they share.
