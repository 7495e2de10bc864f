//! Locations: the stores that sell and the warehouses that hold stock.

use crate::app::{App, AppResult};
use crate::code::Code;
use crate::ids::LocationId;
use crate::location::{Location, LocationChange, NewLocation};
use crate::services::ServiceError;

impl App {
    /// Every location, by id.
    pub async fn locations(&self) -> AppResult<Vec<Location>> {
        self.read(async |tx| Ok(tx.list_locations().await?)).await
    }

    /// One location. Refuses: 404 `location`.
    pub async fn location(&self, id: LocationId) -> AppResult<Location> {
        self.read(async |tx| {
            tx.find_location(id)
                .await?
                .ok_or(ServiceError::NotFound("location"))
        })
        .await
    }

    /// Adds a store or a warehouse. Refuses a taken code (`Duplicate`).
    pub async fn create_location(&self, new: NewLocation) -> AppResult<Location> {
        let now = self.now();
        self.write(async |tx| Ok(tx.insert_location(new, now).await?))
            .await
    }

    /// Renames a location, changes its address or offset, or switches it on or off; never its
    /// code or kind. Refuses: 404 `location`, 409 `default_location` when switching the default
    /// store off.
    pub async fn change_location(
        &self,
        id: LocationId,
        change: LocationChange,
    ) -> AppResult<Location> {
        let now = self.now();
        self.write(async |tx| {
            let location = tx
                .find_location(id)
                .await?
                .ok_or(ServiceError::NotFound("location"))?;
            if location.is_default() && change.active == Some(false) {
                return Err(ServiceError::Conflict {
                    code: Code::DefaultLocation,
                    message: "The default store stays on: everything that names no location \
                              happens there."
                        .to_owned(),
                });
            }
            Ok(tx.update_location(id, change, now).await?)
        })
        .await
    }
}
