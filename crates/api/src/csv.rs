//! CSV export: list reports answer `Accept: text/csv` with their rows as RFC 4180 CSV.
//!
//! The columns are declared once, by the row's `Serialize`: one flat struct (`#[serde(flatten)]`
//! included), its field names the header and each value's JSON text a cell: decimals as their
//! strings, dates as they are written, `None` empty. A nested value or a list has no cell, and
//! refuses the whole document (a bug, caught by the tests below).
//!
//! Text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`)
//! are prefixed with `'`, so a product named "=HYPERLINK(...)" cannot run in the manager's
//! spreadsheet (CSV injection). Free text (names, SKUs, codes) is marked with [`text`] and
//! always defused; any other string is too, unless it is a number.

use serde::Serialize;
use serde::ser::{self, Impossible, SerializeMap, SerializeStruct};
use std::fmt;

/// The newtype name [`text`] wraps free text in; JSON ignores it.
const TEXT: &str = "csv::Text";

/// `#[serde(serialize_with = "csv::text")]`: free text, always defused in CSV; the same string
/// in JSON.
pub fn text<S: ser::Serializer>(value: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_newtype_struct(TEXT, value)
}

/// Why a row has no CSV record: a bug in its type.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "not a CSV row: {}", self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

fn defuse(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    }
}

/// A decimal as serialized: `-?digits(.digits)?`.
fn is_number(value: &str) -> bool {
    let unsigned = value.strip_prefix('-').unwrap_or(value);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match unsigned.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(unsigned),
    }
}

fn nested<T>() -> Result<T, Error> {
    Err(Error("a nested value has no single cell".to_owned()))
}

/// Scalars as their `Display` text, which is their JSON text.
macro_rules! as_text {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<(), Error> {
            self.cell(v.to_string())
        })*
    };
}

/// Lists, tuples and enum variants with data have no single cell.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ok:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ok, Error> {
            nested()
        })*
    };
}

/// One row's field names and cells, in order.
#[derive(Default)]
struct Record {
    names: Vec<String>,
    cells: Vec<String>,
}

impl Record {
    fn of<R: Serialize>(row: &R) -> Result<Record, Error> {
        let mut record = Record::default();
        row.serialize(Walk::Row(&mut record))?;
        Ok(record)
    }

    fn push<T: ?Sized + Serialize>(&mut self, name: String, value: &T) -> Result<(), Error> {
        let cell = cell(value).map_err(|Error(e)| Error(format!("`{name}`: {e}")))?;
        self.names.push(name);
        self.cells.push(cell);
        Ok(())
    }
}

/// One value's cell text.
fn cell<T: ?Sized + Serialize>(value: &T) -> Result<String, Error> {
    let mut out = String::new();
    value.serialize(Walk::Cell {
        out: &mut out,
        text: false,
    })?;
    Ok(out)
}

/// Walks a row: its fields into a record, each field's value into its cell.
enum Walk<'a> {
    /// The row itself: a struct, or a map when it flattens another struct into itself.
    Row(&'a mut Record),
    /// One field's value: a single scalar; `text` when it is marked free text.
    Cell { out: &'a mut String, text: bool },
}

impl<'a> Walk<'a> {
    fn cell(self, text: String) -> Result<(), Error> {
        match self {
            Walk::Row(_) => Err(Error("a row must be a struct".to_owned())),
            Walk::Cell { out, .. } => {
                *out = text;
                Ok(())
            }
        }
    }

    fn fields(self) -> Result<&'a mut Record, Error> {
        match self {
            Walk::Row(record) => Ok(record),
            Walk::Cell { .. } => nested(),
        }
    }
}

impl<'a> ser::Serializer for Walk<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = &'a mut Record;
    type SerializeStruct = &'a mut Record;
    type SerializeStructVariant = Impossible<(), Error>;

    as_text! {
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    /// Free text is defused; so is any other string but a number (a decimal's string).
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        let text = matches!(self, Walk::Cell { text: true, .. });
        let cell = if text || !is_number(v) {
            defuse(v)
        } else {
            v.to_owned()
        };
        self.cell(cell)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.cell(String::new())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.cell(String::new())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.cell(String::new())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        match self {
            Walk::Cell { out, text } => value.serialize(Walk::Cell {
                out,
                text: text || name == TEXT,
            }),
            row => value.serialize(row),
        }
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        self.fields()
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        self.fields()
    }
    refuse! {
        serialize_bytes(&[u8]) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize)
            -> Self::SerializeTupleVariant;
        serialize_struct_variant(&'static str, u32, &'static str, usize)
            -> Self::SerializeStructVariant;
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        nested()
    }
}

impl SerializeStruct for &mut Record {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.push(key.to_owned(), value)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

/// A row with a flattened struct comes as a map: its fields are the entries.
impl SerializeMap for &mut Record {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, _: &T) -> Result<(), Error> {
        Err(Error("a map key without its value".to_owned()))
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, _: &T) -> Result<(), Error> {
        Err(Error("a map value without its key".to_owned()))
    }
    fn serialize_entry<K: ?Sized + Serialize, V: ?Sized + Serialize>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), Error> {
        self.push(cell(key)?, value)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

fn escape(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

fn line(out: &mut String, cells: &[String]) {
    let cells: Vec<String> = cells.iter().map(|c| escape(c)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// The rows as a CSV document, header first. The header is a default row's field names, so an
/// empty report still has one; every row must have the same.
pub fn to_csv<R: Serialize + Default>(rows: &[R]) -> Result<String, Error> {
    let header = Record::of(&R::default())?.names;
    let mut out = String::new();
    line(&mut out, &header);
    for row in rows {
        let record = Record::of(row)?;
        if record.names != header {
            return Err(Error(format!(
                "a row's fields {:?} are not the header",
                record.names
            )));
        }
        line(&mut out, &record.cells);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[derive(Default, Serialize)]
    struct Row {
        #[serde(serialize_with = "text")]
        name: String,
        #[serde(flatten)]
        figures: Figures,
        note: Option<String>,
    }

    #[derive(Default, Serialize)]
    struct Figures {
        amount: Decimal,
        share: Option<Decimal>,
        count: u64,
    }

    fn row(name: &str, amount: &str, note: Option<&str>) -> Row {
        Row {
            name: name.to_owned(),
            figures: Figures {
                amount: amount.parse().unwrap_or_default(),
                share: None,
                count: 2,
            },
            note: note.map(str::to_owned),
        }
    }

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        let rows = [
            row("Tea, green \"fine\"", "-1.50", Some("-2")),
            row("=cmd()", "2.00", Some("@x")),
            row("-5", "0", None),
        ];
        assert_eq!(
            to_csv(&rows).map_err(|e| e.to_string()),
            Ok("name,amount,share,count,note\r\n\
                \"Tea, green \"\"fine\"\"\",-1.50,,2,-2\r\n\
                '=cmd(),2.00,,2,'@x\r\n\
                '-5,0,,2,\r\n"
                .to_owned())
        );
        assert_eq!(
            serde_json::to_value(&rows[2]).ok(),
            Some(
                serde_json::json!({ "name": "-5", "amount": "0", "share": null, "count": 2, "note": null })
            )
        );
    }

    #[test]
    fn an_empty_report_has_its_header() {
        assert_eq!(
            to_csv::<Row>(&[]).ok().as_deref(),
            Some("name,amount,share,count,note\r\n")
        );
    }

    #[test]
    fn a_nested_value_is_refused() {
        #[derive(Default, Serialize)]
        struct Nested {
            lines: Vec<u8>,
        }
        let refused = to_csv(&[Nested::default()]).map_err(|e| e.to_string());
        assert_eq!(
            refused,
            Err("not a CSV row: `lines`: a nested value has no single cell".to_owned())
        );
    }

    /// Every report's row renders: a nested field would be refused here, not in production.
    #[test]
    fn every_report_row_is_flat() {
        use crate::reports::{sales, stock};
        let headers = [
            to_csv::<crate::inventory::StockRow>(&[]),
            to_csv::<crate::sales::SaleRecord>(&[]),
            to_csv::<sales::DayRow>(&[]),
            to_csv::<sales::ProductRow>(&[]),
            to_csv::<sales::CustomerRow>(&[]),
            to_csv::<sales::StaffRow>(&[]),
            to_csv::<sales::MethodRow>(&[]),
            to_csv::<sales::TaxRow>(&[]),
            to_csv::<stock::AlertRow>(&[]),
            to_csv::<stock::MovementRow>(&[]),
            to_csv::<stock::ReorderRow>(&[]),
            to_csv::<stock::DetailedRow>(&[]),
        ];
        for header in headers {
            assert!(header.is_ok(), "{header:?}");
        }
    }
}
