//! The catalog ([`CatalogRepo`]): brands, categories, tax rates and products.

mod labels;
pub(crate) mod products;
pub(crate) mod tax_rates;

use crate::entities::{self, brands, categories};
use crate::errors::{db_err, in_use_by_products};
use crate::tx::SeaTx;
use async_trait::async_trait;
use pos_domain::StoreError;
use pos_domain::catalog::{
    Brand, Category, LabelDraft, LabelSort, Product, ProductDraft, ProductFilter, ProductSort,
    TaxRate, TaxRateDraft, TaxRateSort,
};
use pos_domain::error::Referenced;
use pos_domain::ids::{BrandId, CategoryId, ProductId, TaxRateId};
use pos_domain::paging::{ListQuery, Page};
use pos_domain::ports::CatalogRepo;
use pos_domain::text::Name;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter};
use time::OffsetDateTime;

/// The folded name that holds the unique index of brands, categories, tax rates and expense
/// categories, so that "Acme" and "ACME" clash. ASCII folding, exactly like the in-memory
/// adapter's `eq_ignore_ascii_case`, so the two adapters agree on every name.
pub(crate) fn name_key(name: &Name) -> String {
    name.key()
}

/// Deletes a row products may refer to: `InUse` while any does, `NotFound` when there is no
/// such row. The count gives a clear answer on both backends; the RESTRICT foreign key catches
/// a product added concurrently.
async fn delete_unless_used<E: EntityTrait<Model: Send + Sync>>(
    conn: &DatabaseTransaction,
    id_column: E::Column,
    id: i64,
    product_column: entities::products::Column,
) -> Result<(), StoreError> {
    let referencing = entities::products::Entity::find()
        .filter(product_column.eq(id))
        .count(conn)
        .await
        .map_err(db_err)?;
    if referencing > 0 {
        return Err(StoreError::InUse(Referenced::ByProducts));
    }
    let deleted = E::delete_many()
        .filter(id_column.eq(id))
        .exec(conn)
        .await
        .map_err(in_use_by_products)?;
    if deleted.rows_affected == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

#[async_trait]
impl CatalogRepo for SeaTx {
    async fn insert_brand(
        &mut self,
        draft: LabelDraft,
        at: OffsetDateTime,
    ) -> Result<Brand, StoreError> {
        labels::insert::<brands::Entity>(self.conn(), draft, at).await
    }

    async fn find_brand(&mut self, id: BrandId) -> Result<Option<Brand>, StoreError> {
        labels::find::<brands::Entity>(self.conn(), id).await
    }

    async fn update_brand(
        &mut self,
        id: BrandId,
        draft: LabelDraft,
        at: OffsetDateTime,
    ) -> Result<Brand, StoreError> {
        labels::update::<brands::Entity>(self.conn(), id, draft, at).await
    }

    async fn delete_brand(&mut self, id: BrandId) -> Result<(), StoreError> {
        labels::delete::<brands::Entity>(self.conn(), id).await
    }

    async fn list_brands(
        &mut self,
        query: &ListQuery<Option<String>, LabelSort>,
    ) -> Result<Page<Brand>, StoreError> {
        labels::list::<brands::Entity>(self.conn(), query).await
    }

    async fn insert_category(
        &mut self,
        draft: LabelDraft,
        at: OffsetDateTime,
    ) -> Result<Category, StoreError> {
        labels::insert::<categories::Entity>(self.conn(), draft, at).await
    }

    async fn find_category(&mut self, id: CategoryId) -> Result<Option<Category>, StoreError> {
        labels::find::<categories::Entity>(self.conn(), id).await
    }

    async fn update_category(
        &mut self,
        id: CategoryId,
        draft: LabelDraft,
        at: OffsetDateTime,
    ) -> Result<Category, StoreError> {
        labels::update::<categories::Entity>(self.conn(), id, draft, at).await
    }

    async fn delete_category(&mut self, id: CategoryId) -> Result<(), StoreError> {
        labels::delete::<categories::Entity>(self.conn(), id).await
    }

    async fn list_categories(
        &mut self,
        query: &ListQuery<Option<String>, LabelSort>,
    ) -> Result<Page<Category>, StoreError> {
        labels::list::<categories::Entity>(self.conn(), query).await
    }

    async fn insert_tax_rate(
        &mut self,
        draft: TaxRateDraft,
        at: OffsetDateTime,
    ) -> Result<TaxRate, StoreError> {
        self.bump_static_version().await?;
        tax_rates::insert(self.conn(), draft, at).await
    }

    async fn find_tax_rate(&mut self, id: TaxRateId) -> Result<Option<TaxRate>, StoreError> {
        tax_rates::find(self.conn(), id).await
    }

    async fn update_tax_rate(
        &mut self,
        id: TaxRateId,
        draft: TaxRateDraft,
        at: OffsetDateTime,
    ) -> Result<TaxRate, StoreError> {
        self.bump_static_version().await?;
        tax_rates::update(self.conn(), id, draft, at).await
    }

    async fn delete_tax_rate(&mut self, id: TaxRateId) -> Result<(), StoreError> {
        self.bump_static_version().await?;
        tax_rates::delete(self.conn(), id).await
    }

    async fn list_tax_rates(
        &mut self,
        query: &ListQuery<Option<String>, TaxRateSort>,
    ) -> Result<Page<TaxRate>, StoreError> {
        tax_rates::list(self.conn(), query).await
    }

    async fn insert_product(
        &mut self,
        draft: ProductDraft,
        at: OffsetDateTime,
    ) -> Result<Product, StoreError> {
        products::insert(self.conn(), draft, at).await
    }

    async fn find_product(&mut self, id: ProductId) -> Result<Option<Product>, StoreError> {
        products::find(self.conn(), id).await
    }

    async fn find_product_by_barcode(
        &mut self,
        barcode: &str,
    ) -> Result<Option<Product>, StoreError> {
        products::find_by_barcode(self.conn(), barcode).await
    }

    async fn update_product(
        &mut self,
        id: ProductId,
        draft: ProductDraft,
        at: OffsetDateTime,
    ) -> Result<Product, StoreError> {
        products::update(self.conn(), id, draft, at).await
    }

    async fn set_product_image(
        &mut self,
        id: ProductId,
        image: Option<String>,
        at: OffsetDateTime,
    ) -> Result<Product, StoreError> {
        products::set_image(self.conn(), id, image, at).await
    }

    async fn list_products(
        &mut self,
        query: &ListQuery<ProductFilter, ProductSort>,
    ) -> Result<Page<Product>, StoreError> {
        products::list(self.conn(), query).await
    }
}
