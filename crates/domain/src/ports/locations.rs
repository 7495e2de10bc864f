use crate::error::StoreError;
use crate::ids::LocationId;
use crate::location::{Location, LocationChange, NewLocation};
use async_trait::async_trait;
use time::OffsetDateTime;

/// Stores and warehouses.
#[async_trait]
pub trait LocationRepo: Send {
    /// `Duplicate(LocationCode)` when the code is taken.
    async fn insert_location(
        &mut self,
        location: NewLocation,
        at: OffsetDateTime,
    ) -> Result<Location, StoreError>;
    /// `NotFound` when there is no such location.
    async fn update_location(
        &mut self,
        id: LocationId,
        change: LocationChange,
        at: OffsetDateTime,
    ) -> Result<Location, StoreError>;
    async fn find_location(&mut self, id: LocationId) -> Result<Option<Location>, StoreError>;
    /// Every location, by id.
    async fn list_locations(&mut self) -> Result<Vec<Location>, StoreError>;
}
