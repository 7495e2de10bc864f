//! How to reach a customer or supplier: phone numbers and a postal address.

use crate::text::TextError;

/// A phone number as written: 3 to 32 of digits, spaces and `+-().`, with at least 3 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn new(raw: &str) -> Result<Self, TextError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(TextError::Empty);
        }
        if value.len() > 32 {
            return Err(TextError::TooLong { max: 32 });
        }
        let allowed = value
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        if !allowed || value.chars().filter(char::is_ascii_digit).count() < 3 {
            return Err(TextError::Invalid(
                "must be a phone number like +880 1711-000000",
            ));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A postal address; every part optional, each at most 120 characters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_checked_loosely() {
        assert_eq!(
            Phone::new(" +880 1711-000000 ").unwrap().as_str(),
            "+880 1711-000000"
        );
        assert!(Phone::new("call me").is_err());
        assert!(Phone::new("12").is_err());
    }
}
