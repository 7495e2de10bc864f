use crate::MemoryTx;
use crate::state::State;
use async_trait::async_trait;
use pos_domain::StoreError;
use pos_domain::error::Unique;
use pos_domain::ids::RegisterId;
use pos_domain::ports::RegisterRepo;
use pos_domain::register::{
    DEFAULT_REGISTER, NewRegister, Numbering, Register, RegisterChange, RegisterCode,
};
use pos_domain::static_data::StaticData;
use pos_domain::text::Name;
use std::sync::Arc;
use time::OffsetDateTime;

/// The default register, as the SQL migration seeds it.
fn ensure_default(state: &mut State) {
    if state.registers.is_empty()
        && let (Ok(code), Ok(name)) = (RegisterCode::new("INV"), Name::new("Main register"))
    {
        state.registers.insert(
            DEFAULT_REGISTER.get(),
            Register {
                id: DEFAULT_REGISTER,
                code,
                name,
                active: true,
                last_number: 0,
                location_id: pos_domain::location::DEFAULT_LOCATION,
                created_at: OffsetDateTime::UNIX_EPOCH,
                updated_at: OffsetDateTime::UNIX_EPOCH,
            },
        );
    }
}

#[async_trait]
impl RegisterRepo for MemoryTx {
    async fn insert_register(
        &mut self,
        new: NewRegister,
        at: OffsetDateTime,
    ) -> Result<Register, StoreError> {
        ensure_default(&mut self.staged);
        if self.staged.registers.values().any(|r| r.code == new.code) {
            return Err(StoreError::Duplicate(Unique::RegisterCode));
        }
        let id = self.staged.registers.keys().max().copied().unwrap_or(0) + 1;
        let register = Register {
            id: RegisterId::new(id),
            code: new.code,
            name: new.name,
            active: true,
            last_number: 0,
            location_id: new.location,
            created_at: at,
            updated_at: at,
        };
        self.staged.registers.insert(id, register.clone());
        Ok(register)
    }

    async fn update_register(
        &mut self,
        id: RegisterId,
        change: RegisterChange,
        at: OffsetDateTime,
    ) -> Result<Register, StoreError> {
        ensure_default(&mut self.staged);
        let register = self
            .staged
            .registers
            .get_mut(&id.get())
            .ok_or(StoreError::NotFound)?;
        if let Some(name) = change.name {
            register.name = name;
        }
        if let Some(active) = change.active {
            register.active = active;
        }
        register.updated_at = at;
        Ok(register.clone())
    }

    async fn find_register(&mut self, id: RegisterId) -> Result<Option<Register>, StoreError> {
        ensure_default(&mut self.staged);
        Ok(self.staged.registers.get(&id.get()).cloned())
    }

    async fn list_registers(&mut self) -> Result<Vec<Register>, StoreError> {
        ensure_default(&mut self.staged);
        Ok(self.staged.registers.values().cloned().collect())
    }

    async fn static_data(&mut self, _fresh: bool) -> Result<Arc<StaticData>, StoreError> {
        ensure_default(&mut self.staged);
        let s = &self.staged;
        Ok(Arc::new(StaticData {
            version: s.static_version,
            accounts: s.accounts.values().cloned().collect(),
            payment_methods: s.payment_methods.values().cloned().collect(),
            tax_rates: s.tax_rates.values().cloned().collect(),
            registers: s.registers.values().cloned().collect(),
            locations: s.locations.values().cloned().collect(),
        }))
    }

    async fn take_sale_number(
        &mut self,
        register: RegisterId,
        version: i64,
    ) -> Result<Numbering, StoreError> {
        ensure_default(&mut self.staged);
        if version != self.staged.static_version {
            return Ok(Numbering::Stale);
        }
        match self.staged.registers.get_mut(&register.get()) {
            Some(r) if r.active => {
                r.last_number += 1;
                Ok(Numbering::Taken(r.last_number))
            }
            _ => Ok(Numbering::Closed),
        }
    }
}
