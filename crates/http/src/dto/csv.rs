//! CSV export: list reports answer `Accept: text/csv` with their rows as RFC 4180 CSV.
//!
//! Text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`)
//! are prefixed with `'`, so a product named "=HYPERLINK(...)" cannot run in the manager's
//! spreadsheet (CSV injection). Numbers are written as they are in JSON: decimal strings.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

/// A report row that can be written as one CSV record.
pub trait CsvRow {
    /// The header record.
    const HEADER: &'static [&'static str];
    fn cells(&self) -> Vec<String>;
}

/// A text cell, defused against formula injection.
pub fn text(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    }
}

/// An optional value's cell: empty when absent.
pub fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn escape(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

fn record(cells: &[impl AsRef<str>]) -> String {
    let mut line = cells
        .iter()
        .map(|c| escape(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// The rows as a CSV document, header first.
pub fn to_csv<R: CsvRow>(rows: &[R]) -> String {
    let mut out = record(R::HEADER);
    for row in rows {
        out.push_str(&record(&row.cells()));
    }
    out
}

/// Whether the client asked for CSV.
pub fn wants_csv(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/csv"))
}

/// The JSON `view`, or its `rows` as CSV when the client asked for CSV.
pub fn respond<V: Serialize, R: CsvRow>(
    req: &HttpRequest,
    name: &str,
    view: &V,
    rows: &[R],
) -> HttpResponse {
    if wants_csv(req) {
        HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.csv\""),
            ))
            .body(to_csv(rows))
    } else {
        HttpResponse::Ok().json(view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row(&'static str, &'static str);

    impl CsvRow for Row {
        const HEADER: &'static [&'static str] = &["name", "amount"];
        fn cells(&self) -> Vec<String> {
            vec![text(self.0), self.1.to_owned()]
        }
    }

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        let csv = to_csv(&[Row("Tea, green \"fine\"", "-1.50"), Row("=cmd()", "2.00")]);
        assert_eq!(
            csv,
            "name,amount\r\n\"Tea, green \"\"fine\"\"\",-1.50\r\n'=cmd(),2.00\r\n"
        );
    }
}
