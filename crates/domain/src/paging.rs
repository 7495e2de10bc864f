//! One paging and sorting convention for every list in the API.

/// Which page of a list to return. Pages count from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    page: u32,
    per_page: u32,
}

impl PageRequest {
    pub const DEFAULT_PER_PAGE: u32 = 25;
    pub const MAX_PER_PAGE: u32 = 100;

    /// A page request; out-of-range values are clamped into range, never refused, so a
    /// client asking for page 0 or 10,000 rows gets page 1 or the maximum page size.
    pub fn new(page: Option<u32>, per_page: Option<u32>) -> Self {
        Self {
            page: page.unwrap_or(1).max(1),
            per_page: per_page
                .unwrap_or(Self::DEFAULT_PER_PAGE)
                .clamp(1, Self::MAX_PER_PAGE),
        }
    }

    pub fn page(self) -> u32 {
        self.page
    }

    pub fn per_page(self) -> u32 {
        self.per_page
    }

    /// Rows to skip.
    pub fn offset(self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::new(None, None)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    #[default]
    Asc,
    Desc,
}

/// What to list: filters, sort key and direction, and which page.
#[derive(Debug, Clone, Default)]
pub struct ListQuery<F, S> {
    pub filter: F,
    pub sort: S,
    pub order: Order,
    pub page: PageRequest,
}

/// One page of a list and the total number of rows matching the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
}

impl<T> Page<T> {
    /// Cuts one page out of an already filtered and sorted list (used by in-memory adapters).
    pub fn slice(all: Vec<T>, request: PageRequest) -> Self {
        let total = all.len() as u64;
        let offset = usize::try_from(request.offset()).unwrap_or(usize::MAX);
        let items = all
            .into_iter()
            .skip(offset)
            .take(request.per_page() as usize)
            .collect();
        Self {
            items,
            page: request.page(),
            per_page: request.per_page(),
            total,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            page: self.page,
            per_page: self.per_page,
            total: self.total,
        }
    }
}

/// Does `haystack` contain `needle`, ignoring case? The search rule every adapter follows.
pub fn matches_search(needle: &str, haystacks: &[&str]) -> bool {
    let needle = needle.to_lowercase();
    haystacks.iter().any(|h| h.to_lowercase().contains(&needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_requests_are_clamped() {
        let p = PageRequest::new(Some(0), Some(10_000));
        assert_eq!((p.page(), p.per_page()), (1, PageRequest::MAX_PER_PAGE));
        assert_eq!(PageRequest::new(Some(3), Some(10)).offset(), 20);
    }

    #[test]
    fn slicing_reports_the_total() {
        let page = Page::slice(
            (1..=7).collect::<Vec<_>>(),
            PageRequest::new(Some(2), Some(3)),
        );
        assert_eq!(page.items, vec![4, 5, 6]);
        assert_eq!(page.total, 7);
    }
}
