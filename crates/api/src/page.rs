use pos_domain::paging::{Order, Page, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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

    /// One page cut out of a whole list the application answered in order (the small sets:
    /// accounts, methods, registers, a product's lots...), so they answer like every other list.
    pub fn slice<D>(all: Vec<D>, params: &PageParams, f: impl FnMut(D) -> T) -> Self {
        Self::from_page(Page::slice(all, params.request()), f)
    }
}

/// The page of a list that takes no other parameters.
#[derive(Debug, Deserialize, garde::Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page number, from 1.
    #[garde(range(min = 1, max = 2147483647))]
    #[param(minimum = 1, maximum = 2147483647)]
    pub page: Option<u32>,
    /// Rows per page, 1 to 100 (default 25).
    #[garde(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

impl PageParams {
    pub fn request(&self) -> PageRequest {
        PageRequest::new(self.page, self.per_page)
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
