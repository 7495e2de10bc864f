//! Stock: levels, adjustments, counts and the inventory log.

use crate::app::{App, AppResult, Once, Reply};
use crate::ids::{ProductId, UserId};
use crate::inventory::adjustments::AdjustmentReason;
use crate::inventory::{Lot, Movement, MovementFilter};
use crate::ledger::DateRange;
use crate::ledger::chart::codes;
use crate::money::Money;
use crate::paging::{ListQuery, Page};
use crate::quantity::Quantity;
use crate::services::ServiceError;
use crate::services::stock::{Adjustment, StockError, account, adjust, lock};
use std::collections::HashMap;
use time::Date;

pub use crate::services::stock::Adjusted;

/// One product's stock and what its open lots cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValuedStock {
    pub product_id: ProductId,
    /// Empty when the product's label could not be read.
    pub sku: String,
    pub name: String,
    /// Units on hand: the sum of the open lots.
    pub on_hand: Quantity,
    /// What the open lots cost (FIFO valuation).
    pub value: Money,
}

/// Stock and FIFO valuation of every product with lots (at some locations, or all), and the
/// ledger's inventory balance there, which always equals the total value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockValuation {
    /// By product id.
    pub products: Vec<ValuedStock>,
    pub total_value: Money,
    /// The inventory account's balance in the ledger.
    pub ledger_inventory: Money,
}

/// Change one product's stock outside purchases and sales.
#[derive(Debug, Clone)]
pub struct StockAdjustment {
    pub product: ProductId,
    pub reason: AdjustmentReason,
    /// Units in (positive) or out (negative), in thousandths.
    pub delta_thousandths: i64,
    /// The cost of each unit added; the product's last cost when not given.
    pub unit_cost: Option<Money>,
    pub note: Option<String>,
    pub date: Option<Date>,
    pub user: UserId,
    /// Where the units are taken from or found.
    pub location: crate::ids::LocationId,
    /// Where the user works: stock is adjusted only there.
    pub stores: crate::user::Stores,
}

/// A stock count: the units counted on the shelf, one line per product.
#[derive(Debug, Clone)]
pub struct StockCount {
    pub lines: Vec<(ProductId, Quantity)>,
    pub note: Option<String>,
    pub date: Option<Date>,
    pub user: UserId,
    /// Where the shelves were counted: each count is against that location's lots.
    pub location: crate::ids::LocationId,
    /// Where the user works: stock is counted only there.
    pub stores: crate::user::Stores,
}

/// The location, or a refusal (422 `location_id`) when it does not exist or is switched off.
async fn active_location(
    tx: &mut dyn crate::ports::Tx,
    id: crate::ids::LocationId,
) -> Result<crate::location::Location, StockError> {
    Ok(crate::services::stock::active_location(tx, id, "location_id").await?)
}

impl App {
    /// Stock on hand and FIFO valuation of every product with lots at `locations` (empty:
    /// everywhere), with the ledger's inventory balance there beside the total.
    pub async fn stock_valuation(
        &self,
        locations: &[crate::ids::LocationId],
    ) -> AppResult<StockValuation> {
        self.read(async |tx| {
            let rows = tx.stock_values_at(None, locations).await?;
            let labels: HashMap<ProductId, (String, String)> = tx
                .stock_levels(false)
                .await?
                .into_iter()
                .map(|l| (l.product_id, (l.sku, l.name)))
                .collect();
            let total_value = Money::wide_sum(rows.iter().map(|r| r.value))
                .map_err(|_| ServiceError::out_of_range("total_value"))?;
            let inventory = account(tx, codes::INVENTORY).await?;
            let totals = tx
                .account_totals_at(DateRange::default(), locations)
                .await?;
            let ledger_inventory = totals
                .iter()
                .find(|t| t.account.id == inventory)
                .map_or(Ok(Money::ZERO), |t| t.balance())?;
            let products = rows
                .into_iter()
                .map(|r| {
                    let (sku, name) = labels.get(&r.product_id).cloned().unwrap_or_default();
                    ValuedStock {
                        product_id: r.product_id,
                        sku,
                        name,
                        on_hand: r.on_hand,
                        value: r.value,
                    }
                })
                .collect();
            Ok(StockValuation {
                products,
                total_value,
                ledger_inventory,
            })
        })
        .await
    }

    /// A product's lots, oldest first (the order units leave in), empty ones included; 404
    /// when there is no such product.
    pub async fn product_lots(
        &self,
        product: ProductId,
        stores: &crate::user::Stores,
    ) -> AppResult<Vec<Lot>> {
        self.read(async |tx| {
            tx.find_product(product)
                .await?
                .ok_or(ServiceError::NotFound("product"))?;
            let mut lots = tx.product_lots(product).await?;
            lots.retain(|l| stores.allows(l.location_id));
            Ok(lots)
        })
        .await
    }

    /// A product's stock at each location that holds some, by location id: its open lots'
    /// units and FIFO value there. Refuses: 404 `product`. They add up to the product's stock on hand.
    pub async fn stock_by_location(
        &self,
        product: ProductId,
        stores: &crate::user::Stores,
    ) -> AppResult<Vec<crate::inventory::LocationStock>> {
        let lots = self.product_lots(product, stores).await?;
        Ok(crate::inventory::stock_by_location(&lots)?)
    }

    /// The inventory log, in its sequence: every stock change with who, when, why and the
    /// stock before and after.
    pub async fn stock_movements(
        &self,
        query: ListQuery<MovementFilter, ()>,
    ) -> AppResult<Page<Movement>> {
        self.read(async |tx| Ok(tx.list_movements(&query).await?))
            .await
    }

    /// Adjusts a product's stock: decreases leave FIFO lots at their cost (posted to
    /// shrinkage), increases make a lot (posted to inventory gains). Refuses (422) a date out
    /// of range; 404 for no such product; 409 `insufficient_stock` when fewer units are on
    /// hand than would be taken.
    pub async fn adjust_stock(
        &self,
        command: StockAdjustment,
        once: Once<'_, Adjusted>,
    ) -> Result<Reply, StockError> {
        if let Some(refused) = command.stores.refusal(command.location, "adjust stock") {
            return Err(StockError::Elsewhere(refused));
        }
        self.once(once, async |tx, now| {
            let location = active_location(tx, command.location).await?;
            // Dated on the location's calendar.
            let offset = location.offset(self.policy().shop_offset);
            let date = self.document_date_at(offset, command.date)?;
            let mut products = lock(tx, &[command.product]).await?;
            let product = products
                .first_mut()
                .ok_or(StockError::NotFound("product"))?;
            let adjustment = Adjustment {
                reason: command.reason,
                delta_thousandths: command.delta_thousandths,
                unit_cost: command.unit_cost,
                note: command.note.clone(),
                date,
                user_id: command.user,
                at: now,
                location: command.location,
            };
            adjust(tx, product, adjustment).await
        })
        .await
    }

    /// Records a stock count: each product whose count differs from the books is adjusted to
    /// it (a count correction); products that match are left alone. All or nothing; answers
    /// the adjustments made, in the order of the lines. Refuses (422) a product counted twice
    /// (`lines`) and a date out of range; 404 when a product does not exist.
    pub async fn count_stock(
        &self,
        command: StockCount,
        once: Once<'_, Vec<Adjusted>>,
    ) -> Result<Reply, StockError> {
        let mut ids: Vec<ProductId> = command.lines.iter().map(|(p, _)| *p).collect();
        ids.sort_unstable();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            return Err(StockError::Invalid {
                field: "lines".to_owned(),
                message: "a product is counted twice; give one line per product".to_owned(),
            });
        }
        if let Some(refused) = command.stores.refusal(command.location, "count stock") {
            return Err(StockError::Elsewhere(refused));
        }
        self.once(once, async |tx, now| {
            let location = active_location(tx, command.location).await?;
            let offset = location.offset(self.policy().shop_offset);
            let date = self.document_date_at(offset, command.date)?;
            let mut products = lock(tx, &ids).await?;
            let mut adjusted = Vec::new();
            for (product_id, counted) in &command.lines {
                let product = products
                    .iter_mut()
                    .find(|p| p.id == *product_id)
                    .ok_or(StockError::NotFound("product"))?;
                // What the books hold at the counted location: its lots.
                let held: i64 = tx
                    .open_lots(product.id)
                    .await?
                    .iter()
                    .filter(|l| l.location_id == command.location)
                    .map(|l| l.remaining.thousandths())
                    .sum();
                let delta = counted.thousandths() - held;
                if delta == 0 {
                    continue;
                }
                let adjustment = Adjustment {
                    reason: AdjustmentReason::CountCorrection,
                    delta_thousandths: delta,
                    unit_cost: None,
                    note: command.note.clone(),
                    date,
                    user_id: command.user,
                    at: now,
                    location: command.location,
                };
                adjusted.push(adjust(tx, product, adjustment).await?);
            }
            Ok(adjusted)
        })
        .await
    }
}

impl App {
    /// A product's reorder levels set per location, by location id. Refuses: 404 `product`.
    pub async fn reorder_levels(
        &self,
        product: ProductId,
    ) -> AppResult<Vec<(crate::ids::LocationId, Quantity)>> {
        self.read(async |tx| {
            tx.find_product(product)
                .await?
                .ok_or(ServiceError::NotFound("product"))?;
            Ok(tx
                .reorder_levels(Some(product), None)
                .await?
                .into_iter()
                .map(|(_, l, q)| (l, q))
                .collect())
        })
        .await
    }

    /// Sets a product's reorder level at one location, which its alerts there use instead of
    /// the shop-wide level (`None`: the shop-wide level again). Refuses: 404 `product`, 422
    /// `location_id` for no such active location, 403 at a location the user does not work at.
    pub async fn set_reorder_level(
        &self,
        product: ProductId,
        location: crate::ids::LocationId,
        level: Option<Quantity>,
        stores: &crate::user::Stores,
    ) -> AppResult<Vec<(crate::ids::LocationId, Quantity)>> {
        if let Some(refused) = stores.refusal(location, "set its reorder levels") {
            return Err(ServiceError::Forbidden(refused));
        }
        self.write(async |tx| {
            tx.find_product(product)
                .await?
                .ok_or(ServiceError::NotFound("product"))?;
            active_location(tx, location).await?;
            tx.set_reorder_level(product, location, level).await?;
            Ok(tx
                .reorder_levels(Some(product), None)
                .await?
                .into_iter()
                .map(|(_, l, q)| (l, q))
                .collect())
        })
        .await
    }
}
