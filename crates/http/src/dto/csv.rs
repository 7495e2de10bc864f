//! CSV answers: list reports answer `Accept: text/csv` with their rows (see [`pos_api::csv`]).

use crate::problem::ApiError;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
pub use pos_api::csv::{text, to_csv};
use serde::Serialize;

/// Whether the client asked for CSV.
pub fn wants_csv(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/csv"))
}

/// The JSON `view`, or its `rows` as CSV when the client asked for CSV.
pub fn respond<V: Serialize, R: Serialize + Default>(
    req: &HttpRequest,
    name: &str,
    view: &V,
    rows: &[R],
) -> Result<HttpResponse, ApiError> {
    if !wants_csv(req) {
        return Ok(HttpResponse::Ok().json(view));
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.csv\""),
        ))
        .body(to_csv(rows).map_err(ApiError::internal)?))
}
