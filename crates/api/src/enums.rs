//! Wire forms of the domain's enums, with their OpenAPI schemas.

use pos_domain::catalog::{ProductStatus, TaxMode, Unit};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares a wire enum mirroring a domain enum variant for variant, both ways.
macro_rules! mirror_enum {
    ($(#[$meta:meta])* $dto:ident <=> $domain:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "lowercase")]
        pub enum $dto { $($(#[$vmeta])* $variant),+ }

        impl From<$dto> for $domain {
            fn from(v: $dto) -> Self {
                match v { $($dto::$variant => $domain::$variant),+ }
            }
        }

        impl From<$domain> for $dto {
            fn from(v: $domain) -> Self {
                match v { $($domain::$variant => $dto::$variant),+ }
            }
        }
    };
}

mirror_enum!(
    /// Whether the shelf price includes the tax (`inclusive`) or the tax is added on top
    /// (`exclusive`).
    TaxModeDto <=> TaxMode { Inclusive, Exclusive }
);

mirror_enum!(
    /// `active` products can be sold; `inactive` ones are kept for history only.
    ProductStatusDto <=> ProductStatus { Active, Inactive }
);

/// The unit a product is sold in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
pub enum UnitDto {
    #[default]
    #[serde(rename = "pcs")]
    Piece,
    #[serde(rename = "kg")]
    Kilogram,
    #[serde(rename = "g")]
    Gram,
    #[serde(rename = "l")]
    Litre,
    #[serde(rename = "ml")]
    Millilitre,
    #[serde(rename = "m")]
    Metre,
    #[serde(rename = "box")]
    Box,
    #[serde(rename = "pack")]
    Pack,
}

impl From<UnitDto> for Unit {
    fn from(v: UnitDto) -> Self {
        match v {
            UnitDto::Piece => Unit::Piece,
            UnitDto::Kilogram => Unit::Kilogram,
            UnitDto::Gram => Unit::Gram,
            UnitDto::Litre => Unit::Litre,
            UnitDto::Millilitre => Unit::Millilitre,
            UnitDto::Metre => Unit::Metre,
            UnitDto::Box => Unit::Box,
            UnitDto::Pack => Unit::Pack,
        }
    }
}

impl From<Unit> for UnitDto {
    fn from(v: Unit) -> Self {
        match v {
            Unit::Piece => UnitDto::Piece,
            Unit::Kilogram => UnitDto::Kilogram,
            Unit::Gram => UnitDto::Gram,
            Unit::Litre => UnitDto::Litre,
            Unit::Millilitre => UnitDto::Millilitre,
            Unit::Metre => UnitDto::Metre,
            Unit::Box => UnitDto::Box,
            Unit::Pack => UnitDto::Pack,
        }
    }
}
