//! Shapes shared by many endpoints: decimal strings, pages, sort order.

pub mod csv;
pub mod date;
pub mod decimal;
pub mod enums;
pub mod json;
pub mod page;

pub use json::Body;
pub use page::{Paged, SortOrder};
