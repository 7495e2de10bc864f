use pos_domain::paging::{Order, Page};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One page of a list. Every list endpoint answers in this shape.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paged<T> {
    /// The rows of this page.
    pub data: Vec<T>,
    /// This page's number, from 1.
    pub page: u32,
    /// The page size used.
    pub per_page: u32,
    /// Rows matching the query across all pages.
    pub total: u64,
}

impl<T> Paged<T> {
    pub fn from_page<D>(page: Page<D>, f: impl FnMut(D) -> T) -> Self {
        let page = page.map(f);
        Self {
            data: page.items,
            page: page.page,
            per_page: page.per_page,
            total: page.total,
        }
    }
}

/// Sort direction.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    #[default]
    Asc,
    Desc,
}

impl From<SortOrder> for Order {
    fn from(o: SortOrder) -> Self {
        match o {
            SortOrder::Asc => Order::Asc,
            SortOrder::Desc => Order::Desc,
        }
    }
}
