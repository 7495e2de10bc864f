//! Locations on the wire: stores and warehouses.

use crate::problem::{FieldErrors, Invalid};
use garde::Validate;
use pos_domain::location::{Location, LocationChange, LocationCode, LocationKind, NewLocation};
use pos_domain::text::{Name, optional_text};
use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, UtcOffset};
use utoipa::ToSchema;

/// What a location does.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LocationKindDto {
    /// Sells: has registers.
    Store,
    /// Only holds stock.
    Warehouse,
}

impl From<LocationKindDto> for LocationKind {
    fn from(k: LocationKindDto) -> Self {
        match k {
            LocationKindDto::Store => LocationKind::Store,
            LocationKindDto::Warehouse => LocationKind::Warehouse,
        }
    }
}

/// An offset like `+06:00` or `-05:30`.
fn offset(field: &str, raw: &str, errors: &mut FieldErrors) -> Option<UtcOffset> {
    let format = time::macros::format_description!("[offset_hour sign:mandatory]:[offset_minute]");
    errors.check(
        field,
        UtcOffset::parse(raw, &format).map_err(|_| "must be an offset like +06:00 or -05:30"),
    )
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationInput {
    /// 1 to 8 capital letters and digits, starting with a letter; never changes.
    #[garde(length(chars, min = 1, max = 8))]
    #[schema(
        min_length = 1,
        max_length = 8,
        example = "WH1",
        pattern = "^[A-Z][A-Z0-9]{0,7}$"
    )]
    pub code: String,
    #[garde(length(chars, min = 1, max = 120))]
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$",
        example = "North warehouse"
    )]
    pub name: String,
    #[garde(skip)]
    pub kind: LocationKindDto,
    #[garde(length(chars, max = 500))]
    #[schema(max_length = 500)]
    pub address: Option<String>,
    /// Its own offset from UTC (`+06:00`); the shop's (`POS_UTC_OFFSET`) when omitted.
    #[garde(length(chars, max = 6))]
    #[schema(example = "+06:00", pattern = "^[+-][0-9]{2}:[0-9]{2}$")]
    pub utc_offset: Option<String>,
}

impl LocationInput {
    pub fn command(&self) -> Result<NewLocation, Invalid> {
        let mut errors = FieldErrors::validated(self);
        let code = errors.check("code", LocationCode::new(&self.code));
        let name = errors.check("name", Name::new(&self.name));
        let address = errors.check("address", optional_text(self.address.as_deref(), 500));
        let utc_offset = match self.utc_offset.as_deref() {
            None => Some(None),
            Some(raw) => offset("utc_offset", raw, &mut errors).map(Some),
        };
        let (code, name, address, utc_offset) = errors.values((code, name, address, utc_offset))?;
        Ok(NewLocation {
            code,
            name,
            kind: self.kind.into(),
            address,
            utc_offset,
        })
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationPatch {
    #[garde(length(chars, min = 1, max = 120))]
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    )]
    pub name: Option<String>,
    /// An empty string clears it.
    #[garde(length(chars, max = 500))]
    #[schema(max_length = 500)]
    pub address: Option<String>,
    /// Switched off, a location takes no new registers; the default store stays on.
    #[garde(skip)]
    pub active: Option<bool>,
    /// `+06:00`; an empty string goes back to the shop's offset.
    #[garde(length(chars, max = 6))]
    #[schema(pattern = "^([+-][0-9]{2}:[0-9]{2})?$")]
    pub utc_offset: Option<String>,
}

impl LocationPatch {
    pub fn change(&self) -> Result<LocationChange, Invalid> {
        let mut errors = FieldErrors::validated(self);
        let name = match self.name.as_deref() {
            None => Some(None),
            Some(raw) => errors.check("name", Name::new(raw)).map(Some),
        };
        let address = match self.address.as_deref() {
            None => Some(None),
            Some(raw) => errors
                .check("address", optional_text(Some(raw), 500))
                .map(Some),
        };
        let utc_offset = match self.utc_offset.as_deref() {
            None => Some(None),
            Some("") => Some(Some(None)),
            Some(raw) => offset("utc_offset", raw, &mut errors).map(|o| Some(Some(o))),
        };
        let (name, address, utc_offset) = errors.values((name, address, utc_offset))?;
        Ok(LocationChange {
            name,
            address,
            active: self.active,
            utc_offset,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LocationView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: LocationKindDto,
    pub address: Option<String>,
    pub active: bool,
    /// Where requests that name no location happen.
    pub is_default: bool,
    /// Its own offset from UTC; null: the shop's.
    #[schema(example = "+06:00")]
    pub utc_offset: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

impl From<Location> for LocationView {
    fn from(l: Location) -> Self {
        let offset_text = |o: UtcOffset| {
            let (h, m, _) = o.as_hms();
            let sign = if o.is_negative() { '-' } else { '+' };
            format!("{sign}{:02}:{:02}", h.unsigned_abs(), m.unsigned_abs())
        };
        Self {
            id: l.id.get(),
            is_default: l.is_default(),
            code: l.code.to_string(),
            name: l.name.into_inner(),
            kind: match l.kind {
                LocationKind::Store => LocationKindDto::Store,
                LocationKind::Warehouse => LocationKindDto::Warehouse,
            },
            address: l.address,
            active: l.active,
            utc_offset: l.utc_offset.map(offset_text),
            created_at: l.created_at,
            updated_at: l.updated_at,
        }
    }
}

/// Which locations a report covers: one, several (`1,3`) or, without it, all.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LocationsParam {
    /// Location ids, comma separated (`1,3`); every location when omitted.
    #[param(
        pattern = "^[1-9][0-9]{0,17}(,[1-9][0-9]{0,17}){0,49}$",
        max_length = 949
    )]
    pub location_ids: Option<String>,
}

impl LocationsParam {
    /// The ids asked for, sorted and each once; empty for every location.
    pub fn ids(&self) -> Result<Vec<pos_domain::ids::LocationId>, Invalid> {
        let Some(raw) = self.location_ids.as_deref() else {
            return Ok(Vec::new());
        };
        let mut errors = FieldErrors::default();
        let parsed: Option<Vec<i64>> = raw
            .split(',')
            .map(|id| id.parse::<i64>().ok().filter(|id| *id > 0))
            .collect();
        let ids = errors.check(
            "location_ids",
            parsed
                .filter(|ids| ids.len() <= 50)
                .ok_or("must be up to 50 location ids separated by commas, such as 1,3"),
        );
        let (mut ids,) = errors.values((ids,))?;
        ids.sort_unstable();
        ids.dedup();
        Ok(ids
            .into_iter()
            .map(pos_domain::ids::LocationId::new)
            .collect())
    }
}
