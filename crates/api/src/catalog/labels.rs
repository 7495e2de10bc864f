//! Brands and categories: the same shape and rules, so one implementation serves both.

use super::LabelSortKey;
use crate::Paged;
use crate::problem::{FieldErrors, Invalid};
use garde::Validate;
use pos_domain::catalog::{Label, LabelDraft, LabelSort};
use pos_domain::text::{Name, optional_text};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

pub const DESCRIPTION_MAX: usize = 1000;

/// A brand or category as sent by clients.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelInput {
    /// Unique name, 1-120 characters.
    #[garde(length(chars, min = 1, max = 120))]
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    )]
    #[schema(example = "Acme")]
    pub name: String,
    /// Up to 1000 characters.
    #[garde(length(chars, max = 1000))]
    #[schema(max_length = 1000)]
    pub description: Option<String>,
}

/// A brand or category.
#[derive(Debug, Serialize, ToSchema)]
pub struct LabelView {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

pub trait RawId: Copy {
    fn raw(self) -> i64;
}

impl RawId for pos_domain::ids::BrandId {
    fn raw(self) -> i64 {
        self.get()
    }
}

impl RawId for pos_domain::ids::CategoryId {
    fn raw(self) -> i64 {
        self.get()
    }
}

impl<Id: RawId> From<Label<Id>> for LabelView {
    fn from(l: Label<Id>) -> Self {
        Self {
            id: l.id.raw(),
            name: l.name.into_inner(),
            description: l.description,
            created_at: l.created_at,
            updated_at: l.updated_at,
        }
    }
}

pub fn label_sort(key: LabelSortKey) -> LabelSort {
    match key {
        LabelSortKey::Name => LabelSort::Name,
        LabelSortKey::CreatedAt => LabelSort::CreatedAt,
    }
}

pub fn paged<Id: RawId>(page: pos_domain::paging::Page<Label<Id>>) -> Paged<LabelView> {
    Paged::from_page(page, LabelView::from)
}

impl LabelInput {
    pub fn into_draft(self) -> Result<LabelDraft, Invalid> {
        let mut errors = FieldErrors::validated(&self);
        let name = errors.check("name", Name::new(&self.name));
        let description = errors.check(
            "description",
            optional_text(self.description.as_deref(), DESCRIPTION_MAX),
        );
        let (name, description) = errors.values((name, description))?;
        Ok(LabelDraft { name, description })
    }
}
