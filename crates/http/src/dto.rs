//! Request plumbing shared by many endpoints: the JSON body extractor and CSV answers. The
//! shapes themselves (decimal strings, dates, pages) are the wire contract in `pos_api`.

pub mod csv;
pub mod json;

pub use json::{Body, OptionalBody};
pub use pos_api::page::{PageParams, Paged, SortOrder};
pub use pos_api::{date, decimal, enums, page};
