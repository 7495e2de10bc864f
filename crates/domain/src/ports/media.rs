use async_trait::async_trait;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    #[error("no media stored under this key")]
    NotFound,
    #[error("media storage failure: {0}")]
    Backend(String),
}

/// Where uploaded images live (local disk by default; object storage could plug in here).
#[async_trait]
pub trait MediaStore: Send + Sync + 'static {
    /// Stores the bytes under `key` (a generated, path-safe name like `products/7-<uuid>.png`).
    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), MediaError>;
    async fn get(&self, key: &str) -> Result<Vec<u8>, MediaError>;
    async fn delete(&self, key: &str) -> Result<(), MediaError>;
}
