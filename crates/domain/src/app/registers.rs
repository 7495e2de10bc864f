//! Registers: the tills sales are rung up at, each with its own gapless invoice series.

use crate::app::{App, AppResult};
use crate::ids::RegisterId;
use crate::register::{NewRegister, Register, RegisterChange};
use crate::services::ServiceError;
use crate::services::registers::{change_register, create_register};

/// Rename a register or switch it on or off.
#[derive(Debug, Clone)]
pub struct ChangeRegister {
    pub register: RegisterId,
    pub change: RegisterChange,
}

impl App {
    /// Every register, by id.
    pub async fn registers(&self) -> AppResult<Vec<Register>> {
        self.read(async |tx| Ok(tx.list_registers().await?)).await
    }

    /// One register. Refuses: 404 `register`.
    pub async fn register(&self, id: RegisterId) -> AppResult<Register> {
        self.read(async |tx| {
            tx.find_register(id)
                .await?
                .ok_or(ServiceError::NotFound("register"))
        })
        .await
    }

    /// Adds a register. Refuses: 409 `register_limit` when the shop has its maximum, a taken
    /// code (`Duplicate`).
    pub async fn create_register(&self, new: NewRegister) -> AppResult<Register> {
        let now = self.now();
        self.write(async |tx| create_register(tx, new, now).await)
            .await
    }

    /// Renames a register or switches it on or off; its code never changes. Refuses: 404
    /// `register`, 409 `default_register` when switching the default register off.
    pub async fn change_register(&self, command: ChangeRegister) -> AppResult<Register> {
        let now = self.now();
        self.write(async |tx| change_register(tx, command.register, command.change, now).await)
            .await
    }
}
