//! Media on local disk: the default adapter of the media-storage port.

use async_trait::async_trait;
use pos_domain::ports::{MediaError, MediaStore};
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

pub struct DiskMedia {
    root: PathBuf,
}

impl DiskMedia {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// Creates the folder if need be and proves a file can be written there and removed.
    pub fn check_writable(&self) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.root)?;
        let probe = self
            .root
            .join(format!(".write-check-{}", std::process::id()));
        std::fs::write(&probe, b"")?;
        std::fs::remove_file(&probe)
    }

    /// The file for a key, refusing any key that would step outside the root.
    fn path(&self, key: &str) -> Result<PathBuf, MediaError> {
        let relative = Path::new(key);
        if !relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        {
            return Err(MediaError::NotFound);
        }
        Ok(self.root.join(relative))
    }
}

fn backend(e: std::io::Error) -> MediaError {
    match e.kind() {
        ErrorKind::NotFound => MediaError::NotFound,
        _ => MediaError::Backend(e.to_string()),
    }
}

#[async_trait]
impl MediaStore for DiskMedia {
    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), MediaError> {
        let path = self.path(key)?;
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await.map_err(backend)?;
        }
        // Write then rename, so a reader never sees half a file.
        let partial = path.with_extension("partial");
        tokio::fs::write(&partial, bytes).await.map_err(backend)?;
        tokio::fs::rename(&partial, &path).await.map_err(backend)
    }

    async fn get(&self, key: &str) -> Result<Vec<u8>, MediaError> {
        tokio::fs::read(self.path(key)?).await.map_err(backend)
    }

    async fn delete(&self, key: &str) -> Result<(), MediaError> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Err(e) if e.kind() != ErrorKind::NotFound => Err(backend(e)),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn files_round_trip_and_escapes_are_refused() {
        let dir = std::env::temp_dir().join(format!("pos-media-{}", uuid::Uuid::new_v4()));
        let media = DiskMedia::new(&dir);
        media
            .put("products/1-a.png", b"png".to_vec())
            .await
            .unwrap();
        assert_eq!(media.get("products/1-a.png").await.unwrap(), b"png");
        media.delete("products/1-a.png").await.unwrap();
        assert_eq!(
            media.get("products/1-a.png").await,
            Err(MediaError::NotFound)
        );
        assert_eq!(media.get("../etc/passwd").await, Err(MediaError::NotFound));
        assert_eq!(
            media.put("/etc/x.png", vec![]).await,
            Err(MediaError::NotFound)
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn an_unusable_folder_is_found_before_the_first_upload() {
        let dir = std::env::temp_dir().join(format!("pos-media-{}", uuid::Uuid::new_v4()));
        DiskMedia::new(&dir).check_writable().unwrap();
        assert!(dir.is_dir(), "created");
        // A folder under a plain file can never be made, whoever runs the test (even root).
        let file = dir.join("a-file");
        std::fs::write(&file, b"").unwrap();
        assert!(DiskMedia::new(file.join("media")).check_writable().is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
