use crate::error::StoreError;
use crate::ids::RegisterId;
use crate::register::{NewRegister, Numbering, Register, RegisterChange};
use crate::static_data::StaticData;
use async_trait::async_trait;
use std::sync::Arc;
use time::OffsetDateTime;

/// Registers, their invoice series, and the static data a checkout prices with.
#[async_trait]
pub trait RegisterRepo: Send {
    /// `Duplicate(RegisterCode)` when the code is taken.
    async fn insert_register(
        &mut self,
        register: NewRegister,
        at: OffsetDateTime,
    ) -> Result<Register, StoreError>;
    /// `NotFound` when there is no such register.
    async fn update_register(
        &mut self,
        id: RegisterId,
        change: RegisterChange,
        at: OffsetDateTime,
    ) -> Result<Register, StoreError>;
    async fn find_register(&mut self, id: RegisterId) -> Result<Option<Register>, StoreError>;
    /// Every register, by id.
    async fn list_registers(&mut self) -> Result<Vec<Register>, StoreError>;

    /// The static data (see [`crate::static_data`]): the process's snapshot, read in this
    /// transaction when there is none yet or `fresh` is asked for.
    async fn static_data(&mut self, fresh: bool) -> Result<Arc<StaticData>, StoreError>;

    /// Takes the register's next invoice number, if the register is active and the static
    /// version is still `version`, in one statement. The number is held (its row locked)
    /// until the transaction ends; a rollback gives it back, so the series has no gaps.
    async fn take_sale_number(
        &mut self,
        register: RegisterId,
        version: i64,
    ) -> Result<Numbering, StoreError>;
}
