//! The catalog: products, brands, categories, tax rates, labels and images.
//!
//! Brands, categories and tax rates are plain named records: the store refuses a taken name
//! (`Duplicate`) and a delete while products still use the row (`InUse`). Products carry the
//! shelf price and reorder level; their stock changes only through purchases, sales and
//! adjustments, never here.

mod images;
mod labels;
mod products;
mod tax_rates;

pub use images::{ImageChange, NewProductImage, Orphan};
pub use labels::UpdateLabel;
pub use products::UpdateProduct;
pub use tax_rates::UpdateTaxRate;

use crate::error::StoreError;
use crate::services::ServiceError;

/// A store error of an update or delete, naming `what` was not there (404 "No `what` ...").
fn missing(what: &'static str) -> impl Fn(StoreError) -> ServiceError {
    move |err| match err {
        StoreError::NotFound => ServiceError::NotFound(what),
        other => other.into(),
    }
}
