use crate::catalog::{
    Brand, Category, LabelDraft, LabelSort, Product, ProductDraft, ProductFilter, ProductSort,
    TaxRate, TaxRateDraft, TaxRateSort,
};
use crate::error::StoreError;
use crate::ids::{BrandId, CategoryId, ProductId, TaxRateId};
use crate::paging::{ListQuery, Page};
use async_trait::async_trait;
use time::OffsetDateTime;

/// Search text for brands, categories and tax rates (matches the name).
pub type NameSearch = Option<String>;

/// Brands, categories, tax rates and products.
///
/// Inserts and updates fail with `Duplicate(..)` on a taken unique name, SKU or barcode and
/// with `MissingReference(..)` when a product names a brand, category or tax rate that does not
/// exist; deletes fail with `InUse(ByProducts)` while products refer to the row. Updates and
/// deletes of a missing row fail with `NotFound`.
#[async_trait]
pub trait CatalogRepo: Send {
    async fn insert_brand(
        &mut self,
        draft: LabelDraft,
        at: OffsetDateTime,
    ) -> Result<Brand, StoreError>;
    async fn find_brand(&mut self, id: BrandId) -> Result<Option<Brand>, StoreError>;
    async fn update_brand(
        &mut self,
        id: BrandId,
        draft: LabelDraft,
        at: OffsetDateTime,
    ) -> Result<Brand, StoreError>;
    async fn delete_brand(&mut self, id: BrandId) -> Result<(), StoreError>;
    async fn list_brands(
        &mut self,
        query: &ListQuery<NameSearch, LabelSort>,
    ) -> Result<Page<Brand>, StoreError>;

    async fn insert_category(
        &mut self,
        draft: LabelDraft,
        at: OffsetDateTime,
    ) -> Result<Category, StoreError>;
    async fn find_category(&mut self, id: CategoryId) -> Result<Option<Category>, StoreError>;
    async fn update_category(
        &mut self,
        id: CategoryId,
        draft: LabelDraft,
        at: OffsetDateTime,
    ) -> Result<Category, StoreError>;
    async fn delete_category(&mut self, id: CategoryId) -> Result<(), StoreError>;
    async fn list_categories(
        &mut self,
        query: &ListQuery<NameSearch, LabelSort>,
    ) -> Result<Page<Category>, StoreError>;

    async fn insert_tax_rate(
        &mut self,
        draft: TaxRateDraft,
        at: OffsetDateTime,
    ) -> Result<TaxRate, StoreError>;
    async fn find_tax_rate(&mut self, id: TaxRateId) -> Result<Option<TaxRate>, StoreError>;
    async fn update_tax_rate(
        &mut self,
        id: TaxRateId,
        draft: TaxRateDraft,
        at: OffsetDateTime,
    ) -> Result<TaxRate, StoreError>;
    async fn delete_tax_rate(&mut self, id: TaxRateId) -> Result<(), StoreError>;
    async fn list_tax_rates(
        &mut self,
        query: &ListQuery<NameSearch, TaxRateSort>,
    ) -> Result<Page<TaxRate>, StoreError>;

    async fn insert_product(
        &mut self,
        draft: ProductDraft,
        at: OffsetDateTime,
    ) -> Result<Product, StoreError>;
    async fn find_product(&mut self, id: ProductId) -> Result<Option<Product>, StoreError>;
    async fn find_product_by_barcode(
        &mut self,
        barcode: &str,
    ) -> Result<Option<Product>, StoreError>;
    async fn update_product(
        &mut self,
        id: ProductId,
        draft: ProductDraft,
        at: OffsetDateTime,
    ) -> Result<Product, StoreError>;
    /// Points the product at a new image key (or none).
    async fn set_product_image(
        &mut self,
        id: ProductId,
        image: Option<String>,
        at: OffsetDateTime,
    ) -> Result<Product, StoreError>;
    async fn list_products(
        &mut self,
        query: &ListQuery<ProductFilter, ProductSort>,
    ) -> Result<Page<Product>, StoreError>;
}
