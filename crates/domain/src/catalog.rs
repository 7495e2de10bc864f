//! The catalog: brands, categories, tax rates and products.

use crate::ids::{BrandId, CategoryId, ProductId, TaxRateId};
use crate::money::Money;
use crate::quantity::Quantity;
use crate::text::{Barcode, Name, Sku};
use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;
use time::OffsetDateTime;

/// A named grouping of products: brands and categories share this shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label<Id> {
    pub id: Id,
    pub name: Name,
    pub description: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

pub type Brand = Label<BrandId>;
pub type Category = Label<CategoryId>;

/// The editable fields of a brand or category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelDraft {
    pub name: Name,
    pub description: Option<String>,
}

/// A percentage between 0 and 100 with at most four decimal places (7.25 means 7.25 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(Decimal);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PercentError {
    #[error("a percentage must be between 0 and 100; got {0}")]
    OutOfRange(Decimal),
    #[error("a percentage has at most 4 decimal places; got {0}")]
    TooPrecise(Decimal),
}

impl Percent {
    pub const SCALE: u32 = 4;

    pub fn new(value: Decimal) -> Result<Self, PercentError> {
        let normalized = value.normalize();
        if normalized.scale() > Self::SCALE {
            return Err(PercentError::TooPrecise(value));
        }
        if normalized < Decimal::ZERO || normalized > Decimal::ONE_HUNDRED {
            return Err(PercentError::OutOfRange(value));
        }
        Ok(Self(normalized))
    }

    /// Rebuilds a percentage from its storage encoding, ten-thousandths of a percent.
    pub fn from_scaled(raw: i64) -> Self {
        Self(Decimal::new(raw, Self::SCALE).normalize())
    }

    /// The storage encoding: ten-thousandths of a percent (7.25 % is 72500).
    pub fn scaled(self) -> i64 {
        let mut value = self.0;
        value.rescale(Self::SCALE);
        // At most 100 with four decimals: at most 1,000,000, which fits.
        i64::try_from(value.mantissa()).map_or(1_000_000, |scaled| scaled.min(1_000_000))
    }

    pub fn value(self) -> Decimal {
        self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxRate {
    pub id: TaxRateId,
    pub name: Name,
    pub rate: Percent,
    pub mode: TaxMode,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxRateDraft {
    pub name: Name,
    pub rate: Percent,
    pub mode: TaxMode,
}

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(UnknownValue(other.to_owned())),
                }
            }
        }
    };
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {0:?}")]
pub struct UnknownValue(pub String);

string_enum!(
    /// The unit a product is sold in.
    Unit {
        Piece => "pcs",
        Kilogram => "kg",
        Gram => "g",
        Litre => "l",
        Millilitre => "ml",
        Metre => "m",
        Box => "box",
        Pack => "pack",
    }
);

string_enum!(
    /// Whether a product can be sold. Products are never deleted once they have history.
    ProductStatus {
        Active => "active",
        Inactive => "inactive",
    }
);

string_enum!(
    /// Whether a product's shelf price already contains its tax.
    TaxMode {
        /// The shelf price includes the tax (common for retail in most countries).
        Inclusive => "inclusive",
        /// Tax is added on top of the shelf price.
        Exclusive => "exclusive",
    }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: ProductId,
    pub draft: ProductDraft,
    /// A key in media storage, set by uploading an image.
    pub image: Option<String>,
    /// Units on hand. Read-only here: only purchases, sales and adjustments change it.
    pub stock_on_hand: Quantity,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// The fields of a product that staff edit directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductDraft {
    pub name: Name,
    pub sku: Sku,
    pub barcode: Option<Barcode>,
    pub brand_id: Option<BrandId>,
    pub category_id: Option<CategoryId>,
    pub tax_rate_id: Option<TaxRateId>,
    /// Shelf price per unit, as labelled (tax included or not per the tax rate's mode).
    pub price: Money,
    /// At or below this stock the product shows as needing reorder.
    pub reorder_level: Quantity,
    pub unit: Unit,
    pub status: ProductStatus,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    /// Matches name, SKU or barcode.
    pub q: Option<String>,
    pub brand_id: Option<BrandId>,
    pub category_id: Option<CategoryId>,
    pub tax_rate_id: Option<TaxRateId>,
    pub status: Option<ProductStatus>,
    /// Only products at or below their reorder level.
    pub low_stock: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProductSort {
    #[default]
    Name,
    Sku,
    Price,
    Stock,
    CreatedAt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LabelSort {
    #[default]
    Name,
    CreatedAt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaxRateSort {
    #[default]
    Name,
    Rate,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn percentages_are_bounded_and_exact() {
        let rate = Percent::new(dec!(7.25)).unwrap();
        assert_eq!(rate.scaled(), 72_500);
        assert_eq!(Percent::from_scaled(72_500), rate);
        assert!(matches!(
            Percent::new(dec!(100.01)),
            Err(PercentError::OutOfRange(_))
        ));
        assert!(matches!(
            Percent::new(dec!(-1)),
            Err(PercentError::OutOfRange(_))
        ));
        assert!(matches!(
            Percent::new(dec!(1.00001)),
            Err(PercentError::TooPrecise(_))
        ));
    }

    #[test]
    fn units_parse_from_their_short_names() {
        for unit in Unit::ALL {
            assert_eq!(unit.as_str().parse::<Unit>(), Ok(*unit));
        }
        assert!("bushel".parse::<Unit>().is_err());
    }
}
