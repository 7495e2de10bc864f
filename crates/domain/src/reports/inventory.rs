//! Stock reports: levels against reorder points, and what to reorder from how fast it sells.

use crate::catalog::ProductStatus;
use crate::ids::ProductId;
use crate::money::Money;
use crate::quantity::Quantity;
use rust_decimal::Decimal;

/// One product's stock as the catalog and its lots hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockLevel {
    pub product_id: ProductId,
    pub sku: String,
    pub name: String,
    pub status: ProductStatus,
    pub price: Money,
    pub reorder_level: Quantity,
    pub on_hand: Quantity,
    /// FIFO value of the open lots.
    pub value: Money,
}

impl StockLevel {
    pub fn out_of_stock(&self) -> bool {
        self.on_hand.thousandths() <= 0
    }

    pub fn at_or_below_reorder_level(&self) -> bool {
        self.on_hand <= self.reorder_level
    }
}

/// What to order of one product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReorderAdvice {
    /// Units sold (less returned) per day over the window, to three places.
    pub daily_rate: Decimal,
    /// Days the stock on hand lasts at that rate; `None` when nothing sold.
    pub days_of_cover: Option<Decimal>,
    /// Whole units that bring stock to `cover_days` of sales, and at least to the reorder level.
    pub suggested: Quantity,
}

/// Advice for a product that sold `sold` (net) over `window_days`, to cover `cover_days`.
/// `None` when it needs nothing: stock above its reorder level and lasting the cover.
pub fn reorder_advice(
    level: &StockLevel,
    sold: Quantity,
    window_days: u16,
    cover_days: u16,
) -> Option<ReorderAdvice> {
    let window = Decimal::from(window_days.max(1));
    let rate = (sold.value().max(Decimal::ZERO) / window).round_dp(3);
    let on_hand = level.on_hand.value();
    let days_of_cover =
        (rate > Decimal::ZERO).then(|| (on_hand.max(Decimal::ZERO) / rate).round_dp(1));
    let short = days_of_cover.is_some_and(|d| d < Decimal::from(cover_days));
    if !short && !level.at_or_below_reorder_level() {
        return None;
    }
    let target = (rate * Decimal::from(cover_days)).max(level.reorder_level.value());
    let missing = (target - on_hand).max(Decimal::ZERO).ceil();
    // Stock at its reorder level that no longer sells still gets one unit, so the alert clears.
    let suggested = if missing.is_zero() {
        Decimal::ONE
    } else {
        missing
    };
    Some(ReorderAdvice {
        daily_rate: rate,
        days_of_cover,
        suggested: Quantity::new(suggested).unwrap_or(Quantity::ZERO),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(n: i64) -> Quantity {
        Quantity::from_thousandths(n * 1000)
    }

    fn level(on_hand: i64, reorder: i64) -> StockLevel {
        StockLevel {
            product_id: ProductId::new(1),
            sku: "A".into(),
            name: "A".into(),
            status: ProductStatus::Active,
            price: Money::from_minor_units(100),
            reorder_level: units(reorder),
            on_hand: units(on_hand),
            value: Money::ZERO,
        }
    }

    #[test]
    fn fast_sellers_are_topped_up_to_the_cover() {
        // 60 sold in 30 days = 2 a day; 10 on hand lasts 5 days; 14 days need 28.
        let advice = reorder_advice(&level(10, 5), units(60), 30, 14).unwrap();
        assert_eq!(advice.daily_rate, Decimal::from(2));
        assert_eq!(advice.days_of_cover, Some(Decimal::from(5)));
        assert_eq!(advice.suggested, units(18));
    }

    #[test]
    fn stock_that_lasts_needs_nothing_and_dead_stock_at_the_level_gets_one() {
        assert_eq!(reorder_advice(&level(100, 5), units(30), 30, 14), None);
        let idle = reorder_advice(&level(5, 5), Quantity::ZERO, 30, 14).unwrap();
        assert_eq!((idle.days_of_cover, idle.suggested), (None, units(1)));
        let empty = reorder_advice(&level(0, 4), Quantity::ZERO, 30, 14).unwrap();
        assert_eq!(empty.suggested, units(4));
    }
}
