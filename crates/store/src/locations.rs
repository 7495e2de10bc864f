//! Stores and warehouses ([`LocationRepo`]), in plain SQL.

use crate::errors::{corrupt, db_err};
use crate::timestamps::{from_micros, to_micros};
use crate::tx::SeaTx;
use async_trait::async_trait;
use pos_domain::StoreError;
use pos_domain::ids::LocationId;
use pos_domain::location::{
    Location, LocationChange, LocationCode, LocationKind, NewLocation, offset_from_minutes,
    offset_minutes,
};
use pos_domain::ports::LocationRepo;
use pos_domain::text::Name;
use sea_orm::{ConnectionTrait, QueryResult, Statement, Value};
use time::OffsetDateTime;

const COLUMNS: &str =
    "id, code, name, kind, address, active, utc_offset_minutes, created_at, updated_at";

fn to_location(row: &QueryResult) -> Result<Location, StoreError> {
    let get = |c: &str| row.try_get::<i64>("", c).map_err(db_err);
    let text = |c: &str| row.try_get::<String>("", c).map_err(db_err);
    let code = text("code")?;
    let kind = text("kind")?;
    let offset: Option<i32> = row.try_get("", "utc_offset_minutes").map_err(db_err)?;
    Ok(Location {
        id: LocationId::new(get("id")?),
        code: LocationCode::new(&code).map_err(|e| corrupt("locations.code", e))?,
        name: Name::new(&text("name")?).map_err(|e| corrupt("locations.name", e))?,
        kind: LocationKind::parse(&kind).ok_or_else(|| corrupt("locations.kind", &kind))?,
        address: row.try_get("", "address").map_err(db_err)?,
        active: row.try_get("", "active").map_err(db_err)?,
        utc_offset: offset
            .map(|m| offset_from_minutes(m).ok_or_else(|| corrupt("locations.utc_offset", m)))
            .transpose()?,
        created_at: from_micros(get("created_at")?)?,
        updated_at: from_micros(get("updated_at")?)?,
    })
}

/// Every location, by id (for the static data's calendars).
pub(crate) async fn all(conn: &sea_orm::DatabaseTransaction) -> Result<Vec<Location>, StoreError> {
    conn.query_all_raw(Statement::from_sql_and_values(
        conn.get_database_backend(),
        format!("SELECT {COLUMNS} FROM locations ORDER BY id"),
        Vec::<Value>::new(),
    ))
    .await
    .map_err(db_err)?
    .iter()
    .map(to_location)
    .collect()
}

impl SeaTx {
    async fn location_rows(
        &self,
        filter: &str,
        values: Vec<Value>,
    ) -> Result<Vec<Location>, StoreError> {
        let conn = self.conn();
        conn.query_all_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            format!("SELECT {COLUMNS} FROM locations {filter} ORDER BY id"),
            values,
        ))
        .await
        .map_err(db_err)?
        .iter()
        .map(to_location)
        .collect()
    }
}

#[async_trait]
impl LocationRepo for SeaTx {
    async fn insert_location(
        &mut self,
        location: NewLocation,
        at: OffsetDateTime,
    ) -> Result<Location, StoreError> {
        let conn = self.conn();
        let done = conn
            .execute_raw(Statement::from_sql_and_values(
                conn.get_database_backend(),
                "INSERT INTO locations (code, name, kind, address, active, utc_offset_minutes, \
                 created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    location.code.as_str().into(),
                    location.name.as_str().into(),
                    location.kind.as_str().into(),
                    location.address.clone().into(),
                    true.into(),
                    location.utc_offset.map(offset_minutes).into(),
                    to_micros(at).into(),
                    to_micros(at).into(),
                ],
            ))
            .await
            .map_err(db_err)?;
        let id = i64::try_from(done.last_insert_id()).map_err(|e| corrupt("locations.id", e))?;
        // Locations are in the static data, for their calendars.
        self.bump_static_version().await?;
        self.find_location(LocationId::new(id))
            .await?
            .ok_or(StoreError::NotFound)
    }

    async fn update_location(
        &mut self,
        id: LocationId,
        change: LocationChange,
        at: OffsetDateTime,
    ) -> Result<Location, StoreError> {
        let mut sets = vec!["updated_at = ?".to_owned()];
        let mut values: Vec<Value> = vec![to_micros(at).into()];
        if let Some(name) = &change.name {
            sets.push("name = ?".into());
            values.push(name.as_str().into());
        }
        if let Some(address) = change.address {
            sets.push("address = ?".into());
            values.push(address.into());
        }
        if let Some(active) = change.active {
            sets.push("active = ?".into());
            values.push(active.into());
        }
        if let Some(offset) = change.utc_offset {
            sets.push("utc_offset_minutes = ?".into());
            values.push(offset.map(offset_minutes).into());
        }
        values.push(id.get().into());
        let conn = self.conn();
        let done = conn
            .execute_raw(Statement::from_sql_and_values(
                conn.get_database_backend(),
                format!("UPDATE locations SET {} WHERE id = ?", sets.join(", ")),
                values,
            ))
            .await
            .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        self.bump_static_version().await?;
        self.find_location(id).await?.ok_or(StoreError::NotFound)
    }

    async fn find_location(&mut self, id: LocationId) -> Result<Option<Location>, StoreError> {
        Ok(self
            .location_rows("WHERE id = ?", vec![id.get().into()])
            .await?
            .into_iter()
            .next())
    }

    async fn list_locations(&mut self) -> Result<Vec<Location>, StoreError> {
        self.location_rows("", vec![]).await
    }
}
