//! Products: the catalog entries sold at the counter.

use crate::app::{App, AppResult};
use crate::catalog::{Product, ProductDraft, ProductFilter, ProductSort};
use crate::ids::ProductId;
use crate::paging::{ListQuery, Page};
use crate::services::ServiceError;

/// Replace a product's editable fields.
#[derive(Debug, Clone)]
pub struct UpdateProduct {
    pub product: ProductId,
    pub draft: ProductDraft,
}

impl App {
    /// Products matching the filter (name, SKU or barcode search; brand, category, tax rate,
    /// status; low stock only), sorted and paged.
    pub async fn products(
        &self,
        query: ListQuery<ProductFilter, ProductSort>,
    ) -> AppResult<Page<Product>> {
        self.read(async |tx| Ok(tx.list_products(&query).await?))
            .await
    }

    /// One product. Refuses: 404 `product`.
    pub async fn product(&self, id: ProductId) -> AppResult<Product> {
        self.read(async |tx| {
            tx.find_product(id)
                .await?
                .ok_or(ServiceError::NotFound("product"))
        })
        .await
    }

    /// The product with this barcode (surrounding blanks ignored), as scanned at the counter.
    /// Refuses: 404 `product with that barcode`.
    pub async fn product_by_barcode(&self, barcode: &str) -> AppResult<Product> {
        let barcode = barcode.trim();
        self.read(async |tx| {
            tx.find_product_by_barcode(barcode)
                .await?
                .ok_or(ServiceError::NotFound("product with that barcode"))
        })
        .await
    }

    /// Creates a product with no stock. Refuses: a taken SKU or barcode (`Duplicate`), a
    /// brand, category or tax rate that does not exist (`MissingReference`).
    pub async fn create_product(&self, draft: ProductDraft) -> AppResult<Product> {
        let now = self.now();
        self.write(async |tx| Ok(tx.insert_product(draft, now).await?))
            .await
    }

    /// Replaces a product's editable fields (its stock is not among them). To retire a product,
    /// set its status to inactive: products are never deleted. Refuses: 404 `product`, a taken
    /// SKU or barcode, a missing brand, category or tax rate.
    pub async fn update_product(&self, command: UpdateProduct) -> AppResult<Product> {
        let now = self.now();
        self.write(async |tx| {
            tx.update_product(command.product, command.draft, now)
                .await
                .map_err(super::missing("product"))
        })
        .await
    }
}
