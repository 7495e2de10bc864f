//! Shapes shared by many endpoints: decimal strings, pages, sort order.

pub mod decimal;
pub mod enums;
pub mod page;

pub use page::{Paged, SortOrder};
