//! Registers ([`RegisterRepo`]): their rows, their invoice series, and the process's snapshot
//! of the static data a checkout prices with (see `pos_domain::static_data`).

use crate::catalog::tax_rates;
use crate::entities::{registers, static_version};
use crate::errors::{corrupt, db_err};
use crate::ledger::chart;
use crate::timestamps::{as_stored, from_micros, to_micros};
use crate::tx::SeaTx;
use async_trait::async_trait;
use pos_domain::StoreError;
use pos_domain::ids::RegisterId;
use pos_domain::ports::RegisterRepo;
use pos_domain::register::{NewRegister, Numbering, Register, RegisterChange, RegisterCode};
use pos_domain::static_data::StaticData;
use pos_domain::text::Name;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, Statement,
};
use std::sync::{Arc, RwLock};
use time::OffsetDateTime;

/// The static data of one process, shared by its transactions. Only ever a whole snapshot read
/// in one transaction; replaced, never patched.
#[derive(Debug, Default)]
pub(crate) struct StaticCache(RwLock<Option<Arc<StaticData>>>);

impl StaticCache {
    fn get(&self) -> Option<Arc<StaticData>> {
        self.0.read().ok().and_then(|held| held.clone())
    }

    fn set(&self, data: Arc<StaticData>) {
        if let Ok(mut held) = self.0.write() {
            *held = Some(data);
        }
    }

    fn clear(&self) {
        if let Ok(mut held) = self.0.write() {
            *held = None;
        }
    }
}

fn to_register(row: registers::Model) -> Result<Register, StoreError> {
    Ok(Register {
        id: RegisterId::new(row.id),
        code: RegisterCode::new(&row.code).map_err(|e| corrupt("registers.code", e))?,
        name: Name::new(&row.name).map_err(|e| corrupt("registers.name", e))?,
        active: row.active,
        last_number: row.last_number,
        location_id: pos_domain::ids::LocationId::new(row.location_id),
        created_at: from_micros(row.created_at)?,
        updated_at: from_micros(row.updated_at)?,
    })
}

async fn all(conn: &DatabaseTransaction) -> Result<Vec<Register>, StoreError> {
    registers::Entity::find()
        .order_by_asc(registers::Column::Id)
        .all(conn)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(to_register)
        .collect()
}

async fn find(conn: &DatabaseTransaction, id: RegisterId) -> Result<Option<Register>, StoreError> {
    registers::Entity::find_by_id(id.get())
        .one(conn)
        .await
        .map_err(db_err)?
        .map(to_register)
        .transpose()
}

async fn version(conn: &DatabaseTransaction) -> Result<i64, StoreError> {
    static_version::Entity::find_by_id(1)
        .one(conn)
        .await
        .map_err(db_err)?
        .map(|row| row.version)
        .ok_or_else(|| StoreError::backend("the static_version row is missing"))
}

impl SeaTx {
    /// Raises the static version: called in every transaction that changes an account, a
    /// payment method or a tax rate, so every instance's snapshot is found stale at its next
    /// sale. This transaction's own reads of the static data are then kept out of the process's
    /// snapshot: they hold what may yet be rolled back.
    pub(crate) async fn bump_static_version(&mut self) -> Result<(), StoreError> {
        self.changed_statics = true;
        bump(self.conn()).await
    }
}

async fn bump(conn: &DatabaseTransaction) -> Result<(), StoreError> {
    static_version::Entity::update_many()
        .col_expr(
            static_version::Column::Version,
            Expr::col(static_version::Column::Version).add(1),
        )
        .filter(static_version::Column::Id.eq(1))
        .exec(conn)
        .await
        .map_err(db_err)?;
    Ok(())
}

async fn load(conn: &DatabaseTransaction) -> Result<StaticData, StoreError> {
    Ok(StaticData {
        version: version(conn).await?,
        accounts: chart::list_accounts(conn).await?,
        payment_methods: chart::list_payment_methods(conn).await?,
        tax_rates: tax_rates::all(conn).await?,
        registers: all(conn).await?,
        locations: crate::locations::all(conn).await?,
    })
}

/// One statement: bumps the register's counter if it is active and the static version is
/// still `version`. MySQL hands the new value back through `LAST_INSERT_ID(expr)` in the
/// statement's own reply; SQLite through `RETURNING`.
async fn take_number(
    conn: &DatabaseTransaction,
    register: RegisterId,
    version: i64,
) -> Result<Option<i64>, StoreError> {
    let backend = conn.get_database_backend();
    let values = [register.get().into(), true.into(), version.into()];
    let condition = "WHERE id = ? AND active = ? \
                     AND (SELECT version FROM static_version WHERE id = 1) = ?";
    match backend {
        DbBackend::MySql => {
            let result = conn
                .execute_raw(Statement::from_sql_and_values(
                    backend,
                    format!(
                        "UPDATE registers SET last_number = LAST_INSERT_ID(last_number + 1) \
                         {condition}"
                    ),
                    values,
                ))
                .await
                .map_err(db_err)?;
            if result.rows_affected() == 0 {
                return Ok(None);
            }
            i64::try_from(result.last_insert_id())
                .map(Some)
                .map_err(|e| corrupt("registers.last_number", e))
        }
        _ => {
            let row = conn
                .query_one_raw(Statement::from_sql_and_values(
                    backend,
                    format!(
                        "UPDATE registers SET last_number = last_number + 1 {condition} \
                         RETURNING last_number"
                    ),
                    values,
                ))
                .await
                .map_err(db_err)?;
            row.map(|row| row.try_get_by_index::<i64>(0))
                .transpose()
                .map_err(db_err)
        }
    }
}

#[async_trait]
impl RegisterRepo for SeaTx {
    async fn insert_register(
        &mut self,
        register: NewRegister,
        at: OffsetDateTime,
    ) -> Result<Register, StoreError> {
        let row = registers::ActiveModel {
            id: NotSet,
            code: Set(register.code.as_str().to_owned()),
            name: Set(register.name.as_str().to_owned()),
            active: Set(true),
            last_number: Set(0),
            location_id: Set(register.location.get()),
            created_at: Set(to_micros(at)),
            updated_at: Set(to_micros(at)),
        };
        let id = registers::Entity::insert(row)
            .exec(self.conn())
            .await
            .map_err(db_err)?
            .last_insert_id;
        Ok(Register {
            id: RegisterId::new(id),
            code: register.code,
            name: register.name,
            active: true,
            last_number: 0,
            location_id: register.location,
            created_at: as_stored(at),
            updated_at: as_stored(at),
        })
    }

    async fn update_register(
        &mut self,
        id: RegisterId,
        change: RegisterChange,
        at: OffsetDateTime,
    ) -> Result<Register, StoreError> {
        let mut update = registers::Entity::update_many()
            .col_expr(registers::Column::UpdatedAt, Expr::value(to_micros(at)));
        if let Some(name) = change.name {
            update = update.col_expr(registers::Column::Name, Expr::value(name.as_str()));
        }
        if let Some(active) = change.active {
            update = update.col_expr(registers::Column::Active, Expr::value(active));
        }
        let updated = update
            .filter(registers::Column::Id.eq(id.get()))
            .exec(self.conn())
            .await
            .map_err(db_err)?;
        if updated.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        find(self.conn(), id).await?.ok_or(StoreError::NotFound)
    }

    async fn find_register(&mut self, id: RegisterId) -> Result<Option<Register>, StoreError> {
        find(self.conn(), id).await
    }

    async fn list_registers(&mut self) -> Result<Vec<Register>, StoreError> {
        all(self.conn()).await
    }

    async fn static_data(&mut self, fresh: bool) -> Result<Arc<StaticData>, StoreError> {
        if !fresh
            && !self.changed_statics
            && let Some(data) = self.statics().get()
        {
            return Ok(data);
        }
        let data = Arc::new(load(self.conn()).await?);
        if !self.changed_statics {
            self.statics().set(data.clone());
        }
        Ok(data)
    }

    async fn take_sale_number(
        &mut self,
        register: RegisterId,
        version: i64,
    ) -> Result<Numbering, StoreError> {
        if let Some(number) = take_number(self.conn(), register, version).await? {
            return Ok(Numbering::Taken(number));
        }
        // Nothing taken: tell a switched-off register from a stale snapshot (rare, so a read).
        let open = find(self.conn(), register).await?.is_some_and(|r| r.active);
        if open {
            self.statics().clear();
            Ok(Numbering::Stale)
        } else {
            Ok(Numbering::Closed)
        }
    }
}
