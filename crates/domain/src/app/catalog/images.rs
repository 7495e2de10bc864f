//! Product images: the bytes go to the media store, the product keeps the key. The caller
//! checks the bytes are an image and names the key; this module keeps the product and the
//! media store in step.

use crate::app::{App, AppResult};
use crate::catalog::Product;
use crate::ids::ProductId;
use crate::ports::{MediaError, MediaStore};
use crate::services::ServiceError;

/// Upload or replace a product's image.
#[derive(Debug, Clone)]
pub struct NewProductImage {
    pub product: ProductId,
    /// Where to store the bytes: a fresh, path-safe key (`products/7-<unique>.png`), never one
    /// already in use.
    pub key: String,
    pub bytes: Vec<u8>,
}

/// A product after its image changed.
#[derive(Debug)]
pub struct ImageChange {
    pub product: Product,
    /// The previous image, if the media store could not delete it. The product no longer points
    /// at it, so it is an orphan file, not a broken product: the caller logs it.
    pub orphan: Option<Orphan>,
}

/// A file no product points at any more, which could not be deleted.
#[derive(Debug)]
pub struct Orphan {
    pub key: String,
    pub error: MediaError,
}

impl App {
    /// Stores the image under the command's key and points the product at it, then deletes the
    /// previous image. Refuses: 404 `product`; a media store failure is internal. When the
    /// product cannot be updated after the bytes were stored, the new file is deleted again.
    pub async fn replace_product_image(
        &self,
        command: NewProductImage,
        media: &dyn MediaStore,
    ) -> AppResult<ImageChange> {
        let NewProductImage {
            product: id,
            key,
            bytes,
        } = command;
        let now = self.now();
        let mut stored = false;
        let outcome = self
            .write(async |tx| {
                let previous = tx
                    .find_product(id)
                    .await?
                    .ok_or(ServiceError::NotFound("product"))?
                    .image;
                media
                    .put(&key, bytes)
                    .await
                    .map_err(|e| ServiceError::Internal(e.to_string()))?;
                stored = true;
                let product = tx.set_product_image(id, Some(key.clone()), now).await?;
                Ok((product, previous))
            })
            .await;
        match outcome {
            Ok((product, previous)) => Ok(ImageChange {
                product,
                orphan: forget(media, previous).await,
            }),
            Err(e) => {
                if stored {
                    // Do not leave an orphan file behind a failed update.
                    let _ = media.delete(&key).await;
                }
                Err(e)
            }
        }
    }

    /// Takes a product's image away and deletes its file. Refuses: 404 `product`.
    pub async fn remove_product_image(
        &self,
        id: ProductId,
        media: &dyn MediaStore,
    ) -> AppResult<ImageChange> {
        let now = self.now();
        let (product, previous) = self
            .write(async |tx| {
                let previous = tx
                    .find_product(id)
                    .await?
                    .ok_or(ServiceError::NotFound("product"))?
                    .image;
                Ok((tx.set_product_image(id, None, now).await?, previous))
            })
            .await?;
        Ok(ImageChange {
            product,
            orphan: forget(media, previous).await,
        })
    }
}

/// Deletes a file no product points at any more; a failure is handed back, not raised.
async fn forget(media: &dyn MediaStore, key: Option<String>) -> Option<Orphan> {
    let key = key?;
    match media.delete(&key).await {
        Ok(()) => None,
        Err(error) => Some(Orphan { key, error }),
    }
}
