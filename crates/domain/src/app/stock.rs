//! Stock: levels, adjustments, counts and the inventory log.
