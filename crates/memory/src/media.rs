use async_trait::async_trait;
use pos_domain::ports::{MediaError, MediaStore};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::RwLock;

/// Media kept in memory, for tests.
#[derive(Clone, Default)]
pub struct MemoryMedia {
    files: Arc<RwLock<HashMap<String, Vec<u8>>>>,
}

#[async_trait]
impl MediaStore for MemoryMedia {
    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), MediaError> {
        self.files.write().await.insert(key.to_owned(), bytes);
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Vec<u8>, MediaError> {
        self.files
            .read()
            .await
            .get(key)
            .cloned()
            .ok_or(MediaError::NotFound)
    }

    async fn delete(&self, key: &str) -> Result<(), MediaError> {
        self.files.write().await.remove(key);
        Ok(())
    }
}
