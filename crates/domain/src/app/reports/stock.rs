//! What is on the shelf: alerts, movement, reorder advice and the detailed inventory.

use crate::app::{App, AppResult};
use crate::catalog::ProductStatus;
use crate::ids::ProductId;
use crate::inventory::MovementKind;
use crate::money::Money;
use crate::ports::ReportRepo;
use crate::quantity::Quantity;
use crate::reports::{
    GroupKey, Grouping, Period, ReorderAdvice, SalesScope, StockLevel, reorder_advice,
};
use crate::services::ServiceError;
use crate::services::reports::performance_by;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Active products at or below their reorder level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockAlerts {
    /// Of `products`, those with nothing on hand, and the others.
    pub out_of_stock: u64,
    pub low: u64,
    /// Out of stock first, then by how far below the reorder level, then by id.
    pub products: Vec<StockLevel>,
}

/// One product's stock over a period, by what moved it (negative is out). `closing` is the
/// stock at the period's end; `opening` is `closing` less every movement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovementLine {
    pub product: ProductId,
    /// Empty when the product is no longer in the catalog.
    pub sku: String,
    pub name: String,
    pub opening: Quantity,
    pub purchased: Quantity,
    pub returned_to_suppliers: Quantity,
    pub sold: Quantity,
    pub returned_by_customers: Quantity,
    pub adjusted: Quantity,
    /// Moved between locations: shipped out less received in. Across every location, what is
    /// in transit or was reported short.
    pub transferred: Quantity,
    pub closing: Quantity,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovementReport {
    pub period: Period,
    /// Products whose stock moved in the period, by id.
    pub products: Vec<MovementLine>,
}

/// Reorder advice: sales measured over the `window_days` ending today, stock to cover
/// `cover_days` of them. The caller keeps both within 1 to 365.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reorder {
    pub window_days: u16,
    pub cover_days: u16,
}

/// A product to reorder, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReorderLine {
    pub level: StockLevel,
    /// Units sold less returned in the window.
    pub sold_in_window: Quantity,
    pub advice: ReorderAdvice,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReorderReport {
    pub window: Period,
    pub cover_days: u16,
    /// Fewest days of cover first (products that did not sell last), then by id.
    pub products: Vec<ReorderLine>,
}

/// One product's stock, value and recent selling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailedLine {
    pub level: StockLevel,
    /// FIFO value per unit on hand, to two places (half to even); `None` without stock.
    pub average_cost: Option<Decimal>,
    /// Stock on hand at the shelf price, to the cent (half to even). A `Decimal`, not `Money`:
    /// a price (up to 10^11) times a stock (up to 10^12 units) can pass any amount a document
    /// may carry, and the report still shows it.
    pub retail_value: Decimal,
    /// Units sold less returned in the last 30 days.
    pub sold_last_30_days: Quantity,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailedInventory {
    /// Every product, by id.
    pub products: Vec<DetailedLine>,
    pub total_value: Money,
    pub total_retail_value: Decimal,
}

fn units(thousandths: i64) -> Quantity {
    Quantity::from_thousandths(thousandths)
}

/// Units sold less returned per product over `period`.
async fn net_sold<T: ReportRepo + ?Sized>(
    tx: &mut T,
    period: Period,
) -> AppResult<BTreeMap<ProductId, Quantity>> {
    Ok(
        performance_by(tx, period, &SalesScope::default(), Grouping::Product)
            .await?
            .into_iter()
            .filter_map(|(k, p)| match k {
                GroupKey::Product(id) => Some((id, p.net_quantity())),
                _ => None,
            })
            .collect(),
    )
}

/// Active products whose stock is at or below their reorder level, worst first.
pub(super) async fn alerts<T: ReportRepo + ?Sized>(tx: &mut T) -> AppResult<StockAlerts> {
    let levels: Vec<StockLevel> = tx
        .stock_levels(true)
        .await?
        .into_iter()
        .filter(|l| l.status == ProductStatus::Active)
        .collect();
    Ok(rank(levels))
}

/// Out of stock first, then by how far below the reorder level, then by id.
fn rank(mut levels: Vec<StockLevel>) -> StockAlerts {
    levels.sort_by_key(|l| {
        (
            !l.out_of_stock(),
            l.on_hand.thousandths() - l.reorder_level.thousandths(),
            l.product_id,
        )
    });
    let out_of_stock = levels.iter().filter(|l| l.out_of_stock()).count() as u64;
    StockAlerts {
        out_of_stock,
        low: levels.len() as u64 - out_of_stock,
        products: levels,
    }
}

/// [`alerts`] at one location: its lots' stock against its own reorder levels.
async fn alerts_at(
    tx: &mut dyn crate::ports::Tx,
    location: crate::ids::LocationId,
) -> AppResult<StockAlerts> {
    let here: BTreeMap<ProductId, (Quantity, crate::money::Money)> = tx
        .stock_values_at(None, &[location])
        .await?
        .into_iter()
        .map(|v| (v.product_id, (v.on_hand, v.value)))
        .collect();
    let levels: BTreeMap<ProductId, Quantity> = tx
        .reorder_levels(None, Some(location))
        .await?
        .into_iter()
        .map(|(p, _, q)| (p, q))
        .collect();
    let mut low: Vec<StockLevel> = Vec::new();
    for mut level in tx.stock_levels(false).await? {
        if level.status != ProductStatus::Active {
            continue;
        }
        let (on_hand, value) = here
            .get(&level.product_id)
            .copied()
            .unwrap_or((Quantity::ZERO, crate::money::Money::ZERO));
        let set_here = levels.get(&level.product_id).copied();
        let watched = set_here.is_some() || on_hand > Quantity::ZERO;
        let reorder = set_here.unwrap_or(level.reorder_level);
        if watched && on_hand <= reorder {
            level.on_hand = on_hand;
            level.value = value;
            level.reorder_level = reorder;
            low.push(level);
        }
    }
    Ok(rank(low))
}

/// Each product's movements by kind, its closing stock (`now` less what moved after the
/// period) and its opening stock (closing less the movements).
fn movement_lines(
    changes: Vec<(ProductId, MovementKind, Quantity)>,
    after: &BTreeMap<ProductId, Quantity>,
    levels: &BTreeMap<ProductId, StockLevel>,
) -> Vec<MovementLine> {
    // Per product, thousandths moved by kind: purchase, supplier return, sale, sale return,
    // adjustment.
    let mut moved: BTreeMap<ProductId, [i64; 6]> = BTreeMap::new();
    for (product, kind, change) in changes {
        let slot = match kind {
            MovementKind::Purchase => 0,
            MovementKind::SupplierReturn => 1,
            MovementKind::Sale => 2,
            MovementKind::SaleReturn => 3,
            MovementKind::Adjustment => 4,
            MovementKind::TransferOut | MovementKind::TransferIn => 5,
        };
        moved.entry(product).or_default()[slot] += change.thousandths();
    }
    moved
        .into_iter()
        .map(|(product, by_kind)| {
            let level = levels.get(&product);
            let now = level.map_or(0, |l| l.on_hand.thousandths());
            let closing = now - after.get(&product).map_or(0, |q| q.thousandths());
            let [
                purchased,
                returned_to_suppliers,
                sold,
                returned_by_customers,
                adjusted,
                transferred,
            ] = by_kind;
            MovementLine {
                product,
                sku: level.map(|l| l.sku.clone()).unwrap_or_default(),
                name: level.map(|l| l.name.clone()).unwrap_or_default(),
                opening: units(closing - by_kind.iter().sum::<i64>()),
                purchased: units(purchased),
                returned_to_suppliers: units(returned_to_suppliers),
                sold: units(sold),
                returned_by_customers: units(returned_by_customers),
                adjusted: units(adjusted),
                transferred: units(transferred),
                closing: units(closing),
            }
        })
        .collect()
}

/// A product's line of the detailed inventory.
fn detailed_line(level: StockLevel, sold: Quantity) -> AppResult<DetailedLine> {
    let on_hand = level.on_hand.value();
    // At most 10^23: far inside a Decimal's range, so no refusal here.
    let retail = level
        .price
        .amount()
        .checked_mul(on_hand)
        .map(|r| r.round_dp(2))
        .ok_or_else(|| ServiceError::out_of_range("retail_value"))?;
    Ok(DetailedLine {
        average_cost: (on_hand > Decimal::ZERO)
            .then(|| (level.value.amount() / on_hand).round_dp(2)),
        retail_value: retail,
        sold_last_30_days: sold,
        level,
    })
}

impl App {
    /// Inventory alerts: active products out of stock or at or below their reorder level,
    /// worst first. At one location: the products with a reorder level set there (out of
    /// stock there too), and those stocked there at or below their shop-wide level.
    pub async fn stock_alerts(
        &self,
        location: Option<crate::ids::LocationId>,
    ) -> AppResult<StockAlerts> {
        match location {
            None => self.read(async |tx| alerts(tx).await).await,
            Some(location) => self.read(async |tx| alerts_at(tx, location).await).await,
        }
    }

    /// Stock movement over `period`, counted on the documents' business days: per product
    /// that moved, opening stock, what each kind of document moved, and closing stock.
    pub async fn stock_movement(&self, period: Period) -> AppResult<MovementReport> {
        self.read(async |tx| {
            let changes = tx.stock_changes(period).await?;
            let after: BTreeMap<ProductId, Quantity> = tx
                .stock_changes_after(period.to())
                .await?
                .into_iter()
                .collect();
            let levels: BTreeMap<ProductId, StockLevel> = tx
                .stock_levels(false)
                .await?
                .into_iter()
                .map(|l| (l.product_id, l))
                .collect();
            Ok(MovementReport {
                period,
                products: movement_lines(changes, &after, &levels),
            })
        })
        .await
    }

    /// Reorder recommendations from sales velocity over the window ending today: active
    /// products whose stock lasts less than `cover_days` at the window's rate, or is at or
    /// below the reorder level (see [`reorder_advice`]).
    pub async fn reorder_advice(&self, query: Reorder) -> AppResult<ReorderReport> {
        let window = Period::ending(self.today(), query.window_days);
        self.read(async |tx| {
            let sold = net_sold(tx, window).await?;
            let mut products: Vec<ReorderLine> = tx
                .stock_levels(false)
                .await?
                .into_iter()
                .filter(|l| l.status == ProductStatus::Active)
                .filter_map(|level| {
                    let sold = sold
                        .get(&level.product_id)
                        .copied()
                        .unwrap_or(Quantity::ZERO);
                    reorder_advice(&level, sold, query.window_days, query.cover_days).map(
                        |advice| ReorderLine {
                            level,
                            sold_in_window: sold,
                            advice,
                        },
                    )
                })
                .collect();
            products.sort_by(|a, b| {
                let cover = |r: &ReorderLine| r.advice.days_of_cover.unwrap_or(Decimal::MAX);
                cover(a)
                    .cmp(&cover(b))
                    .then(a.level.product_id.cmp(&b.level.product_id))
            });
            Ok(ReorderReport {
                window,
                cover_days: query.cover_days,
                products,
            })
        })
        .await
    }

    /// The detailed inventory: every product's stock, FIFO value, average cost, retail value
    /// and units sold in the 30 days ending today, with the totals.
    pub async fn detailed_inventory(&self) -> AppResult<DetailedInventory> {
        let window = Period::ending(self.today(), 30);
        self.read(async |tx| {
            let sold = net_sold(tx, window).await?;
            let products = tx
                .stock_levels(false)
                .await?
                .into_iter()
                .map(|l| {
                    let sold = sold.get(&l.product_id).copied().unwrap_or(Quantity::ZERO);
                    detailed_line(l, sold)
                })
                .collect::<AppResult<Vec<DetailedLine>>>()?;
            let sum = |of: &dyn Fn(&DetailedLine) -> Money, field: &'static str| {
                Money::wide_sum(products.iter().map(of))
                    .map_err(|_| ServiceError::out_of_range(field))
            };
            Ok(DetailedInventory {
                total_value: sum(&|p| p.level.value, "total_value")?,
                total_retail_value: products
                    .iter()
                    .try_fold(Decimal::ZERO, |total, p| total.checked_add(p.retail_value))
                    .ok_or_else(|| ServiceError::out_of_range("total_retail_value"))?,
                products,
            })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ProductStatus;
    use crate::ids::ProductId;
    use rust_decimal::dec;

    #[test]
    fn a_retail_value_past_any_document_amount_is_still_shown() {
        let level = StockLevel {
            product_id: ProductId::new(1),
            sku: "BIG".into(),
            name: "Big".into(),
            status: ProductStatus::Active,
            price: Money::new(dec!(99999999999.99)).unwrap(),
            reorder_level: Quantity::ZERO,
            on_hand: Quantity::new(dec!(999999999999.5)).unwrap(),
            value: Money::new(dec!(12.50)).unwrap(),
        };
        let line = detailed_line(level, Quantity::ZERO).unwrap();
        assert_eq!(
            line.retail_value,
            (dec!(99999999999.99) * dec!(999999999999.5)).round_dp(2)
        );
        assert_eq!(line.average_cost, Some(dec!(0.00)));
    }
}
