//! The catalog: products, brands, categories, tax rates, labels and images.
