//! Products: the catalog entries sold at the counter.

use crate::SortOrder;
use crate::catalog::labels::DESCRIPTION_MAX;
use crate::decimal;
use crate::enums::{ProductStatusDto, UnitDto};
use crate::problem::{FieldErrors, Invalid};
use garde::Validate;
use pos_domain::catalog::{Product, ProductDraft, ProductStatus};
use pos_domain::ids::{BrandId, CategoryId, TaxRateId};
use pos_domain::money::Money;
use pos_domain::quantity::Quantity;
use pos_domain::text::{Barcode, Name, Sku, optional_text};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

/// A product's editable fields. Stock is not among them: it changes only through purchases,
/// sales and adjustments.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    #[garde(length(chars, min = 1, max = 120))]
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    )]
    #[schema(example = "Blue T-Shirt")]
    pub name: String,
    /// Unique code; letters, digits and `-_./`, stored upper-case.
    #[garde(length(chars, min = 1, max = 64))]
    #[schema(
        min_length = 1,
        max_length = 64,
        pattern = "^\\s*[A-Za-z0-9._/-]{1,64}\\s*$"
    )]
    #[schema(example = "TS-001")]
    pub sku: String,
    /// Unique when present.
    #[garde(length(chars, min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, pattern = "^\\s*[!-~]{1,64}\\s*$")]
    #[schema(example = "5012345678900")]
    pub barcode: Option<String>,
    #[garde(skip)]
    pub brand_id: Option<i64>,
    #[garde(skip)]
    pub category_id: Option<i64>,
    /// Without a tax rate the product is sold untaxed.
    #[garde(skip)]
    pub tax_rate_id: Option<i64>,
    /// Shelf price per unit, at most 2 decimals, as a string.
    #[serde(deserialize_with = "decimal::from_str")]
    #[garde(skip)]
    #[schema(value_type = String, example = "19.99", pattern = "^(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
    pub price: Decimal,
    /// Stock at or below which the product needs reordering (default 0).
    #[serde(default, deserialize_with = "decimal::option_from_str")]
    #[garde(skip)]
    #[schema(value_type = Option<String>, example = "5", pattern = "^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,3}0{0,13})?$")]
    pub reorder_level: Option<Decimal>,
    /// Default `pcs`.
    #[serde(default)]
    #[garde(skip)]
    pub unit: UnitDto,
    /// Default `active`.
    #[garde(skip)]
    pub status: Option<ProductStatusDto>,
    #[garde(length(chars, max = 1000))]
    #[schema(max_length = 1000)]
    pub description: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductView {
    pub id: i64,
    pub name: String,
    pub sku: String,
    pub barcode: Option<String>,
    pub brand_id: Option<i64>,
    pub category_id: Option<i64>,
    pub tax_rate_id: Option<i64>,
    /// Shelf price per unit, as a decimal string with 2 places.
    #[schema(value_type = String, example = "19.99")]
    pub price: Decimal,
    #[schema(value_type = String, example = "5")]
    pub reorder_level: Decimal,
    pub unit: UnitDto,
    pub status: ProductStatusDto,
    pub description: Option<String>,
    /// The image, if one was uploaded: a signed link that works as it is, with no token (for a
    /// plain `<img src>`), until the end of the hour after next; read the product again for a
    /// fresh one.
    pub image_url: Option<String>,
    /// Units on hand; read-only.
    #[schema(value_type = String, example = "25")]
    pub stock_on_hand: Decimal,
    /// Stock is at or below the reorder level.
    pub low_stock: bool,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

impl From<Product> for ProductView {
    fn from(p: Product) -> Self {
        let d = p.draft;
        Self {
            id: p.id.get(),
            name: d.name.into_inner(),
            sku: d.sku.into_inner(),
            barcode: d.barcode.map(Barcode::into_inner),
            brand_id: d.brand_id.map(BrandId::get),
            category_id: d.category_id.map(CategoryId::get),
            tax_rate_id: d.tax_rate_id.map(TaxRateId::get),
            price: d.price.amount(),
            reorder_level: d.reorder_level.value(),
            unit: d.unit.into(),
            status: d.status.into(),
            description: d.description,
            image_url: p.image.map(|key| format!("/api/media/{key}")),
            stock_on_hand: p.stock_on_hand.value(),
            low_stock: p.stock_on_hand <= d.reorder_level,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// Sort keys for products.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProductSortKey {
    #[default]
    Name,
    Sku,
    Price,
    Stock,
    CreatedAt,
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductListParams {
    /// Search in name, SKU and barcode.
    #[garde(length(chars, max = 100))]
    #[param(max_length = 100)]
    pub q: Option<String>,
    #[garde(skip)]
    pub brand_id: Option<i64>,
    #[garde(skip)]
    pub category_id: Option<i64>,
    #[garde(skip)]
    pub tax_rate_id: Option<i64>,
    #[garde(skip)]
    pub status: Option<ProductStatusDto>,
    /// Only products at or below their reorder level.
    #[garde(skip)]
    pub low_stock: Option<bool>,
    #[garde(skip)]
    pub sort: Option<ProductSortKey>,
    #[garde(skip)]
    pub order: Option<SortOrder>,
    /// Page number, from 1.
    #[garde(range(min = 1, max = 2147483647))]
    #[param(minimum = 1, maximum = 2147483647)]
    pub page: Option<u32>,
    /// Rows per page, 1 to 100 (default 25).
    #[garde(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

impl ProductInput {
    pub fn into_draft(self) -> Result<ProductDraft, Invalid> {
        let mut errors = FieldErrors::validated(&self);
        let name = errors.check("name", Name::new(&self.name));
        let sku = errors.check("sku", Sku::new(&self.sku));
        let barcode = errors.check_opt("barcode", self.barcode, |b| Barcode::new(&b));
        let price = errors.check("price", Money::non_negative(self.price));
        let reorder_level = errors.check(
            "reorder_level",
            Quantity::new(self.reorder_level.unwrap_or(Decimal::ZERO)),
        );
        let description = errors.check(
            "description",
            optional_text(self.description.as_deref(), DESCRIPTION_MAX),
        );
        let (name, sku, barcode, price, reorder_level, description) =
            errors.values((name, sku, barcode, price, reorder_level, description))?;
        Ok(ProductDraft {
            name,
            sku,
            barcode,
            brand_id: self.brand_id.map(BrandId::new),
            category_id: self.category_id.map(CategoryId::new),
            tax_rate_id: self.tax_rate_id.map(TaxRateId::new),
            price,
            reorder_level,
            unit: self.unit.into(),
            status: self.status.map_or(ProductStatus::Active, Into::into),
            description,
        })
    }
}
