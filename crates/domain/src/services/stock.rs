//! Moving stock in and out of a locked product's lots, with the log and the cached stock kept
//! in step.

mod error;

pub use error::{InsufficientStock, StockError};

use super::error::Refusal;
use crate::catalog::Product;
use crate::ids::{AccountId, ProductId, UserId};
use crate::inventory::adjustments::{
    AdjustmentPlan, AdjustmentReason, StockAccounts, adjustment_entry, plan_adjustment,
};
use crate::inventory::{Lot, LotBalance, MovementKind, NewLot, NewMovement, Take, allocate};
use crate::ledger::AccountCode;
use crate::ledger::chart::codes;
use crate::money::Money;
use crate::ports::{InventoryRepo, LedgerRepo, RegisterRepo};
use crate::quantity::Quantity;
use crate::static_data::StaticData;
use std::sync::Arc;
use time::{Date, OffsetDateTime};

/// Who and why, for the inventory log.
#[derive(Debug, Clone)]
pub struct Context {
    pub kind: MovementKind,
    pub reference_id: Option<i64>,
    pub reason: Option<String>,
    pub user_id: UserId,
    pub at: OffsetDateTime,
    /// The document's business day.
    pub day: Date,
    /// Where the units come or go.
    pub location: crate::ids::LocationId,
}

/// The static data, read afresh when it lacks what `has` looks for (an account, a register, a
/// tax rate or a payment method created since the snapshot was read).
pub(crate) async fn static_data_with<T: RegisterRepo + ?Sized>(
    tx: &mut T,
    has: impl Fn(&StaticData) -> bool,
) -> Result<Arc<StaticData>, Refusal> {
    let data = tx.static_data(false).await?;
    if has(&data) {
        return Ok(data);
    }
    Ok(tx.static_data(true).await?)
}

/// The id of the account with `code` in the static data (a code never changes hands).
pub(crate) fn account_in(data: &StaticData, code: &str) -> Result<AccountId, Refusal> {
    data.account_by_code(code)
        .map(|a| a.id)
        .ok_or(Refusal::NotFound("account"))
}

/// The id of the account with this code.
pub async fn account<T: RegisterRepo + ?Sized>(
    tx: &mut T,
    code: &str,
) -> Result<AccountId, Refusal> {
    let code = AccountCode::new(code).map_err(|e| Refusal::invalid("account", e))?;
    let data = static_data_with(tx, |d| d.account_by_code(code.as_str()).is_some()).await?;
    account_in(&data, code.as_str())
}

pub async fn stock_accounts<T: RegisterRepo + ?Sized>(
    tx: &mut T,
) -> Result<StockAccounts, Refusal> {
    Ok(StockAccounts {
        inventory: account(tx, codes::INVENTORY).await?,
        shrinkage: account(tx, codes::INVENTORY_SHRINKAGE).await?,
        gain: account(tx, codes::INVENTORY_GAIN).await?,
    })
}

/// The location, or a refusal (422, naming `field`) when it does not exist or is switched off.
pub async fn active_location<T: crate::ports::LocationRepo + ?Sized>(
    tx: &mut T,
    id: crate::ids::LocationId,
    field: &str,
) -> Result<crate::location::Location, Refusal> {
    match tx.find_location(id).await? {
        Some(l) if l.active => Ok(l),
        _ => Err(Refusal::invalid(
            field.to_owned(),
            "no such active location (GET /api/locations)",
        )),
    }
}

/// Locks the products (ascending id, all at once) and fails if any is missing.
pub async fn lock<T: InventoryRepo + ?Sized>(
    tx: &mut T,
    ids: &[ProductId],
) -> Result<Vec<Product>, Refusal> {
    let found = tx.lock_products(ids).await?;
    match ids.iter().find(|id| !found.iter().any(|p| p.id == **id)) {
        Some(_) => Err(Refusal::NotFound("product")),
        None => Ok(found),
    }
}

fn balances(lots: &[Lot]) -> Vec<LotBalance> {
    lots.iter()
        .map(|l| LotBalance {
            lot_id: l.id,
            remaining: l.remaining,
            remaining_value: l.remaining_value,
        })
        .collect()
}

/// Sets a locked product's stock and logs the change.
pub async fn set_stock_logged<T: InventoryRepo + ?Sized>(
    tx: &mut T,
    product: &mut Product,
    after: Quantity,
    cx: &Context,
) -> Result<(), Refusal> {
    log(tx, product, after, cx).await
}

async fn log<T: InventoryRepo + ?Sized>(
    tx: &mut T,
    product: &mut Product,
    after: Quantity,
    cx: &Context,
) -> Result<(), Refusal> {
    tx.set_stock(product.id, after).await?;
    let movement = NewMovement {
        product_id: product.id,
        kind: cx.kind,
        before: product.stock_on_hand,
        after,
        reference_id: cx.reference_id,
        reason: cx.reason.clone(),
        user_id: cx.user_id,
        at: cx.at,
        day: cx.day,
        location: cx.location,
    };
    tx.insert_movement(movement).await?;
    product.stock_on_hand = after;
    Ok(())
}

/// Adds a lot to a locked product.
pub async fn receive<T: InventoryRepo + ?Sized>(
    tx: &mut T,
    product: &mut Product,
    lot: NewLot,
    cx: &Context,
) -> Result<Lot, Refusal> {
    // A product's stock stays within the range of a quantity: a receipt that would take it
    // past it is refused, naming the quantity.
    let after = Quantity::checked_from_thousandths(
        i128::from(product.stock_on_hand.thousandths()) + i128::from(lot.quantity.thousandths()),
    )
    .map_err(|_| Refusal::out_of_range(format!("quantity (the stock of {})", product.draft.sku)))?;
    let lot = tx.insert_lot(lot).await?;
    log(tx, product, after, cx).await?;
    Ok(lot)
}

/// Applies takes (from [`allocate`] or one lot) to a locked product.
pub async fn apply_takes<T: InventoryRepo + ?Sized>(
    tx: &mut T,
    product: &mut Product,
    takes: &[Take],
    cx: &Context,
) -> Result<Money, Refusal> {
    let mut cost = Money::ZERO;
    let mut after = product.stock_on_hand;
    let range = |_| Refusal::out_of_range(format!("quantity (the stock of {})", product.draft.sku));
    for take in takes {
        tx.take_from_lot(take.lot_id, take.quantity, take.cost)
            .await?;
        cost = cost.checked_add(take.cost).map_err(range)?;
        after = after.checked_sub(take.quantity).map_err(range)?;
    }
    log(tx, product, after, cx).await?;
    Ok(cost)
}

/// Plans taking `quantity` from a locked product's open lots, oldest first, without changing
/// anything.
pub fn plan_takes(
    product: &Product,
    lots: &[Lot],
    quantity: Quantity,
) -> Result<Vec<Take>, InsufficientStock> {
    allocate(&balances(lots), quantity).map_err(|e| InsufficientStock {
        product_id: product.id,
        sku: product.draft.sku.to_string(),
        requested: e.requested,
        available: e.available,
    })
}

/// Takes `quantity` from a locked product, oldest lots first. Returns the takes and their cost.
pub async fn take_fifo<T: InventoryRepo + ?Sized>(
    tx: &mut T,
    product: &mut Product,
    quantity: Quantity,
    cx: &Context,
) -> Result<(Vec<Take>, Money), StockError> {
    let lots = tx.open_lots(product.id).await?;
    let takes = plan_takes(product, &lots, quantity)?;
    let cost = apply_takes(tx, product, &takes, cx).await?;
    Ok((takes, cost))
}

/// What an adjustment did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjusted {
    pub product_id: ProductId,
    pub before: Quantity,
    pub after: Quantity,
    /// Value taken out (negative) or put in (positive).
    pub value_change: Money,
    pub entry_id: Option<crate::ids::EntryId>,
}

/// A change of a product's stock outside purchases and sales.
#[derive(Debug, Clone)]
pub struct Adjustment {
    pub reason: AdjustmentReason,
    /// Units in (positive) or out (negative), in thousandths.
    pub delta_thousandths: i64,
    /// The cost of units found; the last lot's cost when not given.
    pub unit_cost: Option<Money>,
    pub note: Option<String>,
    pub date: Date,
    pub user_id: crate::ids::UserId,
    pub at: OffsetDateTime,
    /// Where the units are taken from or found.
    pub location: crate::ids::LocationId,
}

/// Changes a locked product's stock as `adjustment` says, and posts it.
pub async fn adjust<T: InventoryRepo + LedgerRepo + RegisterRepo + ?Sized>(
    tx: &mut T,
    product: &mut Product,
    adjustment: Adjustment,
) -> Result<Adjusted, StockError> {
    let Adjustment {
        reason,
        delta_thousandths,
        unit_cost,
        note,
        date,
        user_id,
        at,
        location,
    } = adjustment;
    let plan = plan_for(tx, product, reason, delta_thousandths, unit_cost, location).await?;
    let before = product.stock_on_hand;
    let reason_text = match &note {
        Some(note) => format!("{reason}: {note}"),
        None => reason.to_string(),
    };
    let cx = Context {
        kind: MovementKind::Adjustment,
        reference_id: None,
        reason: Some(reason_text.clone()),
        user_id,
        at,
        day: date,
        location,
    };
    let value_change = carry_out(tx, product, &plan, &cx, location).await?;
    let accounts = stock_accounts(tx).await?;
    let memo = format!("Stock adjustment of {} ({reason_text})", product.draft.sku);
    let entry = match adjustment_entry(&plan, accounts, date, memo, product.id.get(), user_id)? {
        Some(entry) => Some(tx.post_entry(entry.located(location), at).await?.id),
        None => None,
    };
    Ok(Adjusted {
        product_id: product.id,
        before,
        after: product.stock_on_hand,
        value_change,
        entry_id: entry,
    })
}

/// What an adjustment of a locked product does to its lots, planned without changing anything.
async fn plan_for<T: InventoryRepo + ?Sized>(
    tx: &mut T,
    product: &Product,
    reason: AdjustmentReason,
    delta_thousandths: i64,
    unit_cost: Option<Money>,
    location: crate::ids::LocationId,
) -> Result<AdjustmentPlan, StockError> {
    use crate::inventory::adjustments::AdjustmentError;
    let mut lots = tx.open_lots(product.id).await?;
    lots.retain(|l| l.location_id == location);
    let last_cost = tx.last_unit_cost(product.id).await?;
    plan_adjustment(
        reason,
        delta_thousandths,
        &balances(&lots),
        unit_cost,
        last_cost,
    )
    .map_err(|e| match e {
        AdjustmentError::InsufficientStock(s) => StockError::InsufficientStock(InsufficientStock {
            product_id: product.id,
            sku: product.draft.sku.to_string(),
            requested: s.requested,
            available: s.available,
        }),
        AdjustmentError::OutOfRange => Refusal::out_of_range("change").into(),
        other => Refusal::invalid("quantity", other).into(),
    })
}

/// Takes from the lots or receives a new one, as planned; the change in the stock's value.
async fn carry_out<T: InventoryRepo + ?Sized>(
    tx: &mut T,
    product: &mut Product,
    plan: &AdjustmentPlan,
    cx: &Context,
    location: crate::ids::LocationId,
) -> Result<Money, Refusal> {
    match plan {
        AdjustmentPlan::Decrease { takes, cost } => {
            apply_takes(tx, product, takes, cx).await?;
            Ok(cost.negated())
        }
        AdjustmentPlan::Increase {
            quantity,
            unit_cost,
            value,
        } => {
            let lot = NewLot {
                product_id: product.id,
                purchase_line_id: None,
                quantity: *quantity,
                unit_cost: *unit_cost,
                received_at: cx.at,
                location,
                carried_value: None,
            };
            receive(tx, product, lot, cx).await?;
            Ok(*value)
        }
    }
}
