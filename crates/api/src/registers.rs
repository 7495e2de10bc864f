//! Registers (tills): each sells with its own gapless invoice series. Managers and admins
//! manage them; everyone can list them.

use garde::Validate;
use pos_domain::register::Register;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterInput {
    /// 1 to 8 capital letters and digits, starting with a letter. Printed before every invoice
    /// number of the register (`R2-000001`); it can never change.
    #[garde(length(chars, min = 1, max = 8))]
    #[schema(min_length = 1, max_length = 8)]
    #[schema(example = "R2", pattern = "^[A-Z][A-Z0-9]{0,7}$")]
    pub code: String,
    #[garde(length(chars, min = 1, max = 120))]
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    )]
    #[schema(example = "Front counter")]
    pub name: String,
    /// The store it stands in (`GET /api/locations`); the default store when omitted.
    #[serde(default)]
    #[garde(skip)]
    pub location_id: Option<i64>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterPatch {
    #[garde(length(chars, min = 1, max = 120))]
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    )]
    pub name: Option<String>,
    /// Switched off, a register sells nothing (409 `register_inactive`); the default register
    /// stays on.
    #[garde(skip)]
    pub active: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub active: bool,
    /// Where requests that name no register happen.
    pub is_default: bool,
    /// The last invoice number of its series (0: none yet).
    pub last_number: i64,
    /// The store it stands in.
    pub location_id: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

impl From<Register> for RegisterView {
    fn from(r: Register) -> Self {
        Self {
            id: r.id.get(),
            is_default: r.is_default(),
            code: r.code.as_str().to_owned(),
            name: r.name.into_inner(),
            active: r.active,
            last_number: r.last_number,
            location_id: r.location_id.get(),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}
