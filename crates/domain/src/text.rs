//! Validated text values: names, emails, usernames, SKUs and barcodes.
//!
//! Each is parsed once at the edge and then trusted; the private field means no code can build
//! one that skipped the checks.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {max} characters long")]
    TooLong { max: usize },
    #[error("must be at least {min} characters long")]
    TooShort { min: usize },
    #[error("{0}")]
    Invalid(&'static str),
}

macro_rules! text_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

/// Characters that print as nothing (zero-width spaces and joiners, word joiner, byte-order
/// mark, soft hyphen): stripped from every text value, so "Acme\u{200b}" is "Acme".
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{180E}'
            | '\u{034F}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{E0000}'..='\u{E007F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{3164}'
            | '\u{FFA0}'
            | '\u{061C}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{206F}'
            | '\u{2800}'
            | '\u{1CBC}'
            | '\u{1D173}'..='\u{1D17A}'
    )
}

/// NFKC: compatibility forms folded to their plain form ("Ａｃｍｅ" is "Acme", "ﬁ" is "fi").
fn nfkc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc().collect()
}

/// The key unique names are compared by: NFKC, then case folded (lower-cased and normalised
/// again, as Unicode's NFKC_Casefold does for the cases a shop meets), so "Acme", "ACME",
/// "Ａｃｍｅ" and "Acme\u{200b}" are one name.
pub fn comparison_key(name: &str) -> String {
    let folded = nfkc(&nfkc(name).to_lowercase());
    // "Ac  me" and "Ac me" are one name: runs of white space count as one space.
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn bounded(raw: &str, max: usize) -> Result<String, TextError> {
    // Names are parsed on every read of a stored row too: the common case (nothing to strip)
    // allocates once.
    let visible: std::borrow::Cow<'_, str> = if raw.chars().any(is_invisible) {
        raw.chars()
            .filter(|c| !is_invisible(*c))
            .collect::<String>()
            .into()
    } else {
        raw.into()
    };
    let trimmed = visible.trim();
    if trimmed.is_empty() {
        return Err(TextError::Empty);
    }
    if trimmed.chars().count() > max {
        return Err(TextError::TooLong { max });
    }
    if trimmed.chars().any(char::is_control) {
        return Err(TextError::Invalid("must not contain control characters"));
    }
    Ok(trimmed.to_owned())
}

text_type!(
    /// A display name (person, brand, product...): trimmed, 1 to 120 characters.
    Name
);

impl Name {
    pub const MAX: usize = 120;

    pub fn new(raw: &str) -> Result<Self, TextError> {
        let value = bounded(raw, Self::MAX)?;
        // The key is stored beside the name (120 characters); a few compatibility characters
        // expand under NFKC ("ﬃ" is "ffi"), so the key is held to the same length.
        // ASCII is its own key, of the same length: only other text can grow.
        if !value.is_ascii() && comparison_key(&value).chars().count() > Self::MAX {
            return Err(TextError::TooLong { max: Self::MAX });
        }
        Ok(Self(value))
    }

    /// What uniqueness compares: see [`comparison_key`].
    pub fn key(&self) -> String {
        comparison_key(&self.0)
    }
}

text_type!(
    /// An email address, lower-cased. Only its shape is checked; delivery is not our business.
    Email
);

impl Email {
    pub const MAX: usize = 254;

    pub fn new(raw: &str) -> Result<Self, TextError> {
        let value = bounded(raw, Self::MAX)?.to_lowercase();
        let (local, domain) = value.split_once('@').ok_or(TextError::Invalid(
            "must be an email address like name@example.com",
        ))?;
        let plausible = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !value.chars().any(char::is_whitespace);
        if !plausible {
            return Err(TextError::Invalid(
                "must be an email address like name@example.com",
            ));
        }
        Ok(Self(value))
    }
}

text_type!(
    /// A login name: 3 to 32 of a-z, 0-9, '.', '_' and '-', lower-cased.
    Username
);

impl Username {
    pub fn new(raw: &str) -> Result<Self, TextError> {
        let value = bounded(raw, 32)?.to_lowercase();
        if value.chars().count() < 3 {
            return Err(TextError::TooShort { min: 3 });
        }
        if !value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return Err(TextError::Invalid(
                "may contain only letters, digits, '.', '_' and '-'",
            ));
        }
        Ok(Self(value))
    }
}

text_type!(
    /// A stock-keeping unit code, unique per product: 1 to 64 of letters, digits and `-_./`,
    /// upper-cased so that "ts-001" and "TS-001" are the same SKU.
    Sku
);

impl Sku {
    pub fn new(raw: &str) -> Result<Self, TextError> {
        let value = nfkc(&bounded(raw, 64)?).to_uppercase();
        if !value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        {
            return Err(TextError::Invalid(
                "may contain only letters, digits and - _ . /",
            ));
        }
        Ok(Self(value))
    }
}

text_type!(
    /// A barcode as scanned (EAN, UPC, Code 128...): 1 to 64 printable ASCII characters without
    /// spaces.
    Barcode
);

impl Barcode {
    pub fn new(raw: &str) -> Result<Self, TextError> {
        let value = bounded(raw, 64)?;
        if !value.chars().all(|c| c.is_ascii_graphic()) {
            return Err(TextError::Invalid(
                "may contain only printable ASCII without spaces",
            ));
        }
        Ok(Self(value))
    }
}

/// Optional free text (descriptions, notes): trimmed, empty becomes `None`, at most `max` chars.
pub fn optional_text(raw: Option<&str>, max: usize) -> Result<Option<String>, TextError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) if text.chars().count() > max => Err(TextError::TooLong { max }),
        Some(text) => Ok(Some(text.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names_compare_after_nfkc_case_folding_and_invisibles() {
        let key = |s: &str| Name::new(s).unwrap().key();
        assert_eq!(key("Acme"), key("ＡＣＭＥ"));
        assert_eq!(key("Acme"), key("Acme\u{200b}"));
        assert_eq!(key("Acme"), key(" acme "));
        assert_eq!(Name::new("Acme\u{200b}").unwrap().as_str(), "Acme");
        assert_ne!(key("Acme"), key("Acne"));
        assert_eq!(Sku::new("ｔｓ-００１").unwrap().as_str(), "TS-001");
        assert_eq!(Name::new("\u{200b}"), Err(TextError::Empty));
        for lookalike in [
            "Acme\u{202a}",
            "\u{202e}Acme",
            "\u{2066}Acme\u{2069}",
            "Acme\u{2800}",
        ] {
            assert_eq!(key(lookalike), key("Acme"), "{lookalike:?}");
        }
        assert_eq!(key("Ac  me"), key("Ac me"));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(Name::new("  Acme ").unwrap().as_str(), "Acme");
        assert_eq!(Name::new("   "), Err(TextError::Empty));
        assert_eq!(
            Name::new(&"x".repeat(121)),
            Err(TextError::TooLong { max: 120 })
        );
    }

    #[test]
    fn emails_are_lower_cased_and_shape_checked() {
        assert_eq!(
            Email::new("Admin@Shop.Example").unwrap().as_str(),
            "admin@shop.example"
        );
        for bad in [
            "admin",
            "admin@",
            "@shop.example",
            "a@b",
            "a b@c.d",
            "a@.c",
            "a@b@c.d",
        ] {
            assert!(Email::new(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn skus_are_upper_cased_and_restricted() {
        assert_eq!(Sku::new("ts-001").unwrap().as_str(), "TS-001");
        assert!(Sku::new("TS 001").is_err());
    }

    #[test]
    fn usernames_have_a_minimum_length() {
        assert_eq!(Username::new("ab"), Err(TextError::TooShort { min: 3 }));
        assert_eq!(Username::new("Till.One").unwrap().as_str(), "till.one");
    }

    #[test]
    fn empty_optional_text_is_none() {
        assert_eq!(optional_text(Some("  "), 10), Ok(None));
        assert_eq!(optional_text(Some(" hi "), 10), Ok(Some("hi".into())));
        assert_eq!(
            optional_text(Some("hello world"), 5),
            Err(TextError::TooLong { max: 5 })
        );
    }
}
