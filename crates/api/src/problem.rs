//! The problem document every error is sent as (RFC 9457), and the field errors a request
//! body is checked into.

use serde::Serialize;
use std::fmt;
use utoipa::ToSchema;

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field, as a dotted path into the request (`price`, `lines[0].quantity`).
    pub field: String,
    /// What is wrong with it and what is expected.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl fmt::Display) -> Self {
        Self {
            field: field.into(),
            message: message.to_string(),
        }
    }
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem type: `urn:pos:problem:<code>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// A short summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this occurrence, and what to do about it.
    pub detail: String,
    /// The stable machine-readable code, e.g. `validation_failed`.
    pub code: String,
    /// Per-field errors, for `validation_failed` and conflicts on a field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// Collects field errors while a request is turned into domain values, so the client hears of
/// every bad field at once rather than one per round trip.
#[derive(Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// Starts with the shape errors garde finds in `input` (lengths, ranges).
    pub fn validated<T: garde::Validate<Context = ()>>(input: &T) -> Self {
        match input.validate() {
            Ok(()) => Self::default(),
            Err(report) => Self::from(report),
        }
    }

    /// Keeps the value, or records the error against `field` (once per field: the first
    /// error found for a field is the one reported).
    pub fn check<T, E: fmt::Display>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        result
            .map_err(|e| {
                if !self.0.iter().any(|f| f.field == field) {
                    self.0.push(FieldError::new(field, e));
                }
            })
            .ok()
    }

    /// Like `check` for an optional input.
    pub fn check_opt<R, T, E: fmt::Display>(
        &mut self,
        field: &str,
        raw: Option<R>,
        parse: impl FnOnce(R) -> Result<T, E>,
    ) -> Option<Option<T>> {
        match raw {
            None => Some(None),
            Some(raw) => self.check(field, parse(raw)).map(Some),
        }
    }

    /// The errors collected so far.
    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }

    /// Fails with every collected error, if any.
    pub fn finish(self) -> Result<(), Invalid> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Invalid::Fields(self.0))
        }
    }

    /// Fails with every collected error, if any; else the checked values, unwrapped. Each
    /// `check` either kept its value or recorded an error, so without errors every value is
    /// there: the one place that relies on it is here.
    pub fn values<T: Checked>(self, checked: T) -> Result<T::Values, Invalid> {
        self.finish()?;
        checked.values().ok_or(Invalid::Lost)
    }
}

/// A tuple of checked fields (`Option`s from [`FieldErrors::check`]).
pub trait Checked {
    type Values;
    /// Every value, or `None` if one is missing.
    fn values(self) -> Option<Self::Values>;
}

macro_rules! checked_tuples {
    ($(($($t:ident),+)),+) => {$(
        impl<$($t),+> Checked for ($(Option<$t>,)+) {
            type Values = ($($t,)+);
            #[allow(non_snake_case)]
            fn values(self) -> Option<Self::Values> {
                let ($($t,)+) = self;
                Some(($($t?,)+))
            }
        }
    )+};
}

checked_tuples!(
    (A),
    (A, B),
    (A, B, C),
    (A, B, C, D),
    (A, B, C, D, E),
    (A, B, C, D, E, F),
    (A, B, C, D, E, F, G),
    (A, B, C, D, E, F, G, H),
    (A, B, C, D, E, F, G, H, I)
);

/// Why a request body did not become its command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    /// Every field that is wrong, and why (422 `validation_failed`).
    Fields(Vec<FieldError>),
    /// A field check kept neither a value nor an error: a bug in the parsing code.
    Lost,
}

impl From<garde::Report> for FieldErrors {
    fn from(report: garde::Report) -> Self {
        Self(
            report
                .iter()
                .map(|(path, error)| FieldError::new(path.to_string(), error.message()))
                .collect(),
        )
    }
}

/// Why a domain value has no wire form. Both are bugs or broken bounds, never the client's
/// doing: the server answers 500 (or 422 `amount_out_of_range` for a figure past its range).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unrenderable {
    /// A figure (a total, a balance) past the range the wire format allows.
    OutOfRange(String),
    /// A reference to nothing (a line on an unknown account): a broken invariant.
    Broken(String),
}

impl fmt::Display for Unrenderable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OutOfRange(field) => write!(f, "{field} {}", pos_domain::money::OutOfRange),
            Self::Broken(cause) => f.write_str(cause),
        }
    }
}

impl Unrenderable {
    pub fn out_of_range(field: impl Into<String>) -> Self {
        Self::OutOfRange(field.into())
    }

    pub fn broken(cause: impl fmt::Display) -> Self {
        Self::Broken(cause.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_error_is_reported_at_once_and_values_come_only_without_errors() {
        let parse = |a: &str, b: &str| {
            let mut errors = FieldErrors::default();
            let a = errors.check("a", a.parse::<u8>());
            let b = errors.check("b", b.parse::<u8>());
            errors.values((a, b))
        };
        assert!(matches!(parse("1", "2"), Ok((1, 2))));
        match parse("x", "y") {
            Err(Invalid::Fields(errors)) => {
                let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["a", "b"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
