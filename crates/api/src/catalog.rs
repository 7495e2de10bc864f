//! The catalog: brands, categories, tax rates, products and their images.

use serde::Deserialize;
use utoipa::ToSchema;

/// Declares the query parameters of a named list (brands, categories, tax rates): search in
/// the name, a sort key, direction and page.
macro_rules! named_list_params {
    ($name:ident, $sort:ty) => {
        #[derive(Debug, serde::Deserialize, garde::Validate, utoipa::IntoParams)]
        #[into_params(parameter_in = Query)]
        pub struct $name {
            /// Search in the name.
            #[garde(length(chars, max = 100))]
            #[param(max_length = 100)]
            pub q: Option<String>,
            /// Sort key.
            #[garde(skip)]
            pub sort: Option<$sort>,
            #[garde(skip)]
            pub order: Option<crate::SortOrder>,
            /// Page number, from 1.
            #[garde(range(min = 1, max = 2147483647))]
            #[param(minimum = 1, maximum = 2147483647)]
            pub page: Option<u32>,
            /// Rows per page, 1 to 100 (default 25).
            #[garde(range(min = 1, max = 100))]
            #[param(minimum = 1, maximum = 100)]
            pub per_page: Option<u32>,
        }

        impl $name {
            pub fn into_query<T>(
                self,
                sort: impl FnOnce($sort) -> T,
            ) -> pos_domain::paging::ListQuery<Option<String>, T> {
                pos_domain::paging::ListQuery {
                    filter: self.q.filter(|q| !q.trim().is_empty()),
                    sort: sort(self.sort.unwrap_or_default()),
                    order: self.order.unwrap_or_default().into(),
                    page: pos_domain::paging::PageRequest::new(self.page, self.per_page),
                }
            }
        }
    };
}

/// Sort keys for brands and categories.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LabelSortKey {
    #[default]
    Name,
    CreatedAt,
}

named_list_params!(LabelListParams, LabelSortKey);

// Declared after the macro above, which they use.
pub mod images;
pub mod labels;
pub mod products;
pub mod tax_rates;
