//! The catalog: brands, categories, tax rates, products and their images.

pub mod images;
pub mod labels;
pub mod products;
pub mod tax_rates;
