//! Money and quantities travel as decimal strings ("19.99"), never JSON numbers: a number would
//! pass through a float in most JSON parsers, clients included.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, de};
use std::str::FromStr;

/// Deserializes a decimal from a JSON string only; a JSON number is refused with a hint.
pub fn from_str<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    struct Visitor;

    impl de::Visitor<'_> for Visitor {
        type Value = Decimal;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a decimal number written as a string, like \"19.99\"")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            let v = v.trim();
            // Refuse exponents and other forms rust_decimal would also accept, to keep one
            // canonical spelling on the wire.
            if v.is_empty()
                || !v
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-'))
            {
                return Err(E::custom(format!(
                    "{v:?} is not a plain decimal like \"19.99\""
                )));
            }
            Decimal::from_str(v).map_err(|_| E::custom(format!("{v:?} is not a decimal number")))
        }

        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Decimal, E> {
            Err(E::custom(
                "write amounts as strings, like \"19.99\", not as JSON numbers",
            ))
        }

        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Decimal, E> {
            Err(E::custom(
                "write amounts as strings, like \"19.99\", not as JSON numbers",
            ))
        }

        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Decimal, E> {
            Err(E::custom(
                "write amounts as strings, like \"19.99\", not as JSON numbers",
            ))
        }
    }

    deserializer.deserialize_any(Visitor)
}

/// `Option` version of [`from_str`], for optional fields (`#[serde(default)]` alongside).
pub fn option_from_str<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Decimal>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapper(#[serde(deserialize_with = "from_str")] Decimal);
    Option::<Wrapper>::deserialize(deserializer).map(|w| w.map(|Wrapper(d)| d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[derive(Deserialize, Debug)]
    struct Body {
        #[serde(deserialize_with = "from_str")]
        price: Decimal,
    }

    #[test]
    fn strings_are_accepted_exactly() {
        let body: Body = serde_json::from_str(r#"{"price":"19.99"}"#).unwrap();
        assert_eq!(body.price, dec!(19.99));
    }

    #[test]
    fn numbers_and_exponents_are_refused() {
        assert!(serde_json::from_str::<Body>(r#"{"price":19.99}"#).is_err());
        assert!(serde_json::from_str::<Body>(r#"{"price":"1e3"}"#).is_err());
        assert!(serde_json::from_str::<Body>(r#"{"price":"abc"}"#).is_err());
    }
}
