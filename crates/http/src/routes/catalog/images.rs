//! Product images: uploaded as multipart, checked by content (not by name or declared type),
//! kept behind the media-storage port.

use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use actix_multipart::Multipart;
use actix_web::web;
use futures_util::StreamExt;
use pos_api::catalog::images::*;
use pos_api::catalog::products::ProductView;
use pos_domain::app::catalog::{ImageChange, NewProductImage, Orphan};
use pos_domain::code::Code;
use pos_domain::ids::ProductId;

/// Reads the `image` part of the form, refusing it as soon as it passes `limit` bytes.
async fn read_image(mut form: Multipart, limit: usize) -> Result<Vec<u8>, ApiError> {
    let bad_form = |detail: String| ApiError::BadRequest {
        code: Code::InvalidMultipart,
        detail,
    };
    let mut image = None;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| bad_form(e.to_string()))?;
        if field.name() != Some("image") || image.is_some() {
            // The form has one field, once: another is a mistake to report, not to skip.
            let name = field.name().unwrap_or_default().to_owned();
            return Err(ApiError::validation(
                name,
                "is not expected: send the file alone, once, as the field `image`",
            ));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| bad_form(e.to_string()))?;
            if bytes.len() + chunk.len() > limit {
                return Err(ApiError::PayloadTooLarge {
                    detail: format!("Images may be at most {limit} bytes."),
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        image = Some(bytes);
    }
    image.ok_or_else(|| {
        ApiError::validation(
            "image",
            "is missing: send the file in a form field named `image`",
        )
    })
}

/// The product as changed. A previous image the media store could not delete is an orphan
/// file, not a broken product, so it is logged rather than reported.
fn render(state: &AppState, change: ImageChange) -> web::Json<ProductView> {
    if let Some(Orphan { key, error }) = change.orphan {
        tracing::warn!(%key, error = %error, "could not delete an image that is no longer used");
    }
    web::Json(state.product_view(change.product))
}

/// Upload or replace a product's image (PNG, JPEG or WebP). Managers and admins.
#[utoipa::path(
    put, path = "/api/products/{id}/image", tag = "products",
    params(("id" = i64, Path)),
    request_body(content = ImageUpload, content_type = "multipart/form-data"),
    responses(
        (status = 200, body = ProductView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 413, description = "Too large", body = Problem),
        (status = 415, description = "Not a PNG, JPEG or WebP image", body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn upload_product_image(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
    form: Multipart,
) -> Result<web::Json<ProductView>, ApiError> {
    let id = ProductId::new(*id);
    let bytes = read_image(form, state.settings.max_image_bytes).await?;
    let kind = ImageKind::sniff(&bytes).ok_or_else(|| ApiError::UnsupportedMediaType {
        detail: "The file is not a PNG, JPEG or WebP image.".to_owned(),
    })?;
    let key = format!(
        "products/{id}-{}.{}",
        uuid::Uuid::now_v7().simple(),
        kind.extension()
    );
    let command = NewProductImage {
        product: id,
        key,
        bytes,
    };
    let change = state
        .app
        .replace_product_image(command, state.media.as_ref())
        .await?;
    Ok(render(&state, change))
}

/// Remove a product's image. Managers and admins.
#[utoipa::path(
    delete, path = "/api/products/{id}/image", tag = "products",
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = ProductView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn delete_product_image(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<ProductView>, ApiError> {
    let id = ProductId::new(*id);
    let change = state
        .app
        .remove_product_image(id, state.media.as_ref())
        .await?;
    Ok(render(&state, change))
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    upload_product_image, delete_product_image,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_their_magic_bytes() {
        assert_eq!(
            ImageKind::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(ImageKind::Png)
        );
        assert_eq!(
            ImageKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(ImageKind::Jpeg)
        );
        assert_eq!(
            ImageKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(ImageKind::Webp)
        );
        assert_eq!(ImageKind::sniff(b"GIF89a"), None);
        assert_eq!(ImageKind::sniff(b"<svg xmlns="), None);
    }
}
