//! Managing registers: at most [`MAX_REGISTERS`], and the default one always on.

use super::ServiceError;
use crate::code::Code;
use crate::ids::RegisterId;
use crate::location::LocationKind;
use crate::ports::{LocationRepo, RegisterRepo};
use crate::register::{MAX_REGISTERS, NewRegister, Register, RegisterChange};
use time::OffsetDateTime;

pub async fn create_register<T: RegisterRepo + LocationRepo + ?Sized>(
    tx: &mut T,
    new: NewRegister,
    at: OffsetDateTime,
) -> Result<Register, ServiceError> {
    match tx.find_location(new.location).await? {
        Some(l) if l.active && l.kind == LocationKind::Store => {}
        Some(l) if l.kind == LocationKind::Warehouse => {
            return Err(ServiceError::invalid(
                "location_id",
                format!("{} is a warehouse: registers stand in stores", l.code),
            ));
        }
        Some(l) => {
            return Err(ServiceError::invalid(
                "location_id",
                format!("{} is switched off", l.code),
            ));
        }
        None => return Err(ServiceError::invalid("location_id", "no such location")),
    }
    // Two creations racing past the count can overshoot it by one each; the bound it protects
    // (64-bit sums over every register's day rows) holds up to 126 registers.
    if tx.list_registers().await?.len() as u64 >= MAX_REGISTERS {
        return Err(ServiceError::Conflict {
            code: Code::RegisterLimit,
            message: format!(
                "A shop has at most {MAX_REGISTERS} registers; switch one off and rename it \
                 instead of adding another."
            ),
        });
    }
    // A code already taken: `Duplicate(RegisterCode)`.
    Ok(tx.insert_register(new, at).await?)
}

pub async fn change_register<T: RegisterRepo + ?Sized>(
    tx: &mut T,
    id: RegisterId,
    change: RegisterChange,
    at: OffsetDateTime,
) -> Result<Register, ServiceError> {
    let register = tx
        .find_register(id)
        .await?
        .ok_or(ServiceError::NotFound("register"))?;
    if register.is_default() && change.active == Some(false) {
        return Err(ServiceError::Conflict {
            code: Code::DefaultRegister,
            message: "The default register stays on: requests that name no register are \
                      sold there."
                .to_owned(),
        });
    }
    Ok(tx.update_register(id, change, at).await?)
}
