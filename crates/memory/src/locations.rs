//! Stores and warehouses in memory; the default store is there before anything is asked.

use crate::MemoryTx;
use crate::state::State;
use async_trait::async_trait;
use pos_domain::StoreError;
use pos_domain::error::Unique;
use pos_domain::ids::LocationId;
use pos_domain::location::{
    DEFAULT_LOCATION, Location, LocationChange, LocationCode, LocationKind, NewLocation,
};
use pos_domain::ports::LocationRepo;
use pos_domain::text::Name;
use time::OffsetDateTime;

/// The default store, as the SQL migration seeds it.
fn ensure_default(state: &mut State) {
    if state.locations.is_empty()
        && let (Ok(code), Ok(name)) = (LocationCode::new("MAIN"), Name::new("Main store"))
    {
        state.locations.insert(
            DEFAULT_LOCATION.get(),
            Location {
                id: DEFAULT_LOCATION,
                code,
                name,
                kind: LocationKind::Store,
                address: None,
                active: true,
                utc_offset: None,
                created_at: OffsetDateTime::UNIX_EPOCH,
                updated_at: OffsetDateTime::UNIX_EPOCH,
            },
        );
    }
}

#[async_trait]
impl LocationRepo for MemoryTx {
    async fn insert_location(
        &mut self,
        new: NewLocation,
        at: OffsetDateTime,
    ) -> Result<Location, StoreError> {
        ensure_default(&mut self.staged);
        if self.staged.locations.values().any(|l| l.code == new.code) {
            return Err(StoreError::Duplicate(Unique::LocationCode));
        }
        let id = self.staged.locations.keys().max().copied().unwrap_or(0) + 1;
        let location = Location {
            id: LocationId::new(id),
            code: new.code,
            name: new.name,
            kind: new.kind,
            address: new.address,
            active: true,
            utc_offset: new.utc_offset,
            created_at: at,
            updated_at: at,
        };
        self.staged.locations.insert(id, location.clone());
        Ok(location)
    }

    async fn update_location(
        &mut self,
        id: LocationId,
        change: LocationChange,
        at: OffsetDateTime,
    ) -> Result<Location, StoreError> {
        ensure_default(&mut self.staged);
        let location = self
            .staged
            .locations
            .get_mut(&id.get())
            .ok_or(StoreError::NotFound)?;
        if let Some(name) = change.name {
            location.name = name;
        }
        if let Some(address) = change.address {
            location.address = address;
        }
        if let Some(active) = change.active {
            location.active = active;
        }
        if let Some(offset) = change.utc_offset {
            location.utc_offset = offset;
        }
        location.updated_at = at;
        Ok(location.clone())
    }

    async fn find_location(&mut self, id: LocationId) -> Result<Option<Location>, StoreError> {
        ensure_default(&mut self.staged);
        Ok(self.staged.locations.get(&id.get()).cloned())
    }

    async fn list_locations(&mut self) -> Result<Vec<Location>, StoreError> {
        ensure_default(&mut self.staged);
        Ok(self.staged.locations.values().cloned().collect())
    }
}
