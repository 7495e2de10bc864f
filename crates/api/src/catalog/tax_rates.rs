//! Tax rates: a name, a percentage, and whether shelf prices include it.

use crate::decimal;
use crate::enums::TaxModeDto;
use crate::problem::{FieldErrors, Invalid};
use garde::Validate;
use pos_domain::catalog::{Percent, TaxRate, TaxRateDraft};
use pos_domain::text::Name;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxRateInput {
    /// Unique name, e.g. "VAT 15%".
    #[garde(length(chars, min = 1, max = 120))]
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    )]
    #[schema(example = "VAT 15%")]
    pub name: String,
    /// The rate in percent, 0 to 100 with up to 4 decimals, as a string.
    #[serde(deserialize_with = "decimal::from_str")]
    #[garde(skip)]
    #[schema(value_type = String, example = "15.00", pattern = "^(100(\\.0{1,16})?|[1-9]?[0-9](\\.[0-9]{1,4}0{0,12})?)$")]
    pub rate: Decimal,
    #[garde(skip)]
    pub mode: TaxModeDto,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaxRateView {
    pub id: i64,
    pub name: String,
    /// Percent, as a decimal string.
    #[schema(value_type = String, example = "15")]
    pub rate: Decimal,
    pub mode: TaxModeDto,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

impl From<TaxRate> for TaxRateView {
    fn from(t: TaxRate) -> Self {
        Self {
            id: t.id.get(),
            name: t.name.into_inner(),
            rate: t.rate.value(),
            mode: t.mode.into(),
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

/// Sort keys for tax rates.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaxRateSortKey {
    #[default]
    Name,
    Rate,
}

named_list_params!(TaxRateListParams, TaxRateSortKey);

impl TaxRateInput {
    pub fn into_draft(self) -> Result<TaxRateDraft, Invalid> {
        let mut errors = FieldErrors::validated(&self);
        let name = errors.check("name", Name::new(&self.name));
        let rate = errors.check("rate", Percent::new(self.rate));
        let (name, rate) = errors.values((name, rate))?;
        Ok(TaxRateDraft {
            name,
            rate,
            mode: self.mode.into(),
        })
    }
}
