//! Money and quantities travel as decimal strings ("19.99"), never JSON numbers: a number would
//! pass through a float in most JSON parsers, clients included.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, de};

/// Deserializes a decimal from a JSON string only; a JSON number is refused with a hint.
pub fn from_str<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    struct Visitor;

    impl de::Visitor<'_> for Visitor {
        type Value = Decimal;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a decimal number written as a string, like \"19.99\"")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            if !is_canonical(v) {
                return Err(E::custom(format!(
                    "{v:?} is not a decimal written canonically: digits with an optional \
                     minus sign and fraction, like \"19.99\", \"-2\" or \"0.5\" (no spaces, \
                     leading zeros, bare points, exponents or minus zero)"
                )));
            }
            // Exact: a value with more digits than a decimal holds is refused, never rounded.
            Decimal::from_str_exact(v)
                .map_err(|_| E::custom(format!("{v:?} has more digits than a number may have")))
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

/// The one spelling money and quantities accept: `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, and not a
/// negative zero. So `" 1"`, `"1."`, `".5"`, `"01"`, `"1e3"` and `"-0"` are refused rather
/// than read as something the client may not have meant. The spec carries it as a `pattern`.
pub fn is_canonical(v: &str) -> bool {
    let unsigned = v.strip_prefix('-').unwrap_or(v);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let whole_ok = digits(whole) && (whole == "0" || !whole.starts_with('0'));
    let fraction_ok = fraction.is_none_or(digits);
    let negative_zero = v.starts_with('-') && unsigned.bytes().all(|b| matches!(b, b'0' | b'.'));
    whole_ok && fraction_ok && !negative_zero
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
    fn only_the_canonical_spelling_is_accepted() {
        for ok in ["0", "19.99", "-2", "0.5", "10", "100.000", "-0.01"] {
            assert!(is_canonical(ok), "{ok}");
        }
        for bad in [
            " 1", "1 ", "1.", ".5", "-0", "-0.00", "01", "00.5", "1e3", "+1", "", "-", "1.2.3",
            "1,5", "١",
        ] {
            assert!(!is_canonical(bad), "{bad:?}");
            let body = format!(r#"{{"price":{}}}"#, serde_json::Value::from(bad));
            assert!(serde_json::from_str::<Body>(&body).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn numbers_and_exponents_are_refused() {
        assert!(serde_json::from_str::<Body>(r#"{"price":19.99}"#).is_err());
        assert!(serde_json::from_str::<Body>(r#"{"price":"1e3"}"#).is_err());
        assert!(serde_json::from_str::<Body>(r#"{"price":"abc"}"#).is_err());
    }
}
