//! Reports and dashboards. Every figure is computed by the store (`GROUP BY` over an index
//! range) and combined by the domain's definitions (`pos_domain::reports`): net sales, COGS and
//! profit here are the books' own, to the cent.
//!
//! Periods are the shop's calendar days (`POS_UTC_OFFSET`), `from` and `to` both included,
//! defaulting to the 30 days ending today. List reports answer `Accept: text/csv` with their
//! rows as CSV.

use crate::date::iso_date;
use pos_domain::reports::{Performance, Period, PeriodError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// First day, inclusive (default: 29 days before `to`). Not after `to`; a report covers
    /// at most 1098 days (422 otherwise).
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<Date>,
    /// Last day, inclusive (default: today in the shop's time zone).
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<Date>,
}

impl PeriodQuery {
    /// The days asked for, given today on the shop's calendar: by default the 30 days ending
    /// today.
    pub fn resolve(&self, today: Date) -> Result<Period, PeriodError> {
        let to = self.to.unwrap_or(today);
        let from = self.from.unwrap_or_else(|| Period::ending(to, 30).from());
        Period::new(from, to)
    }
}

/// The days a report covers.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodView {
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub to: Date,
}

impl From<Period> for PeriodView {
    fn from(p: Period) -> Self {
        Self {
            from: p.from(),
            to: p.to(),
        }
    }
}

/// Sales less returns for one group of a report. Money is a decimal string.
///
/// - `transactions`: sales made; `items`: units sold less units returned;
/// - `gross_sales`: charged before discounts, without tax; `discounts`: taken off;
/// - `returns`: refunded without tax (counted on the return's date);
/// - `net_sales` = gross_sales - discounts - returns; `tax`: charged less refunded;
/// - `cost_of_goods_sold`: FIFO cost of units sold less units returned;
/// - `gross_profit` = net_sales - cost_of_goods_sold; `margin`: gross_profit / net_sales in %;
/// - `average_basket`: charged per sale, tax included.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct Figures {
    pub transactions: u64,
    pub returns_processed: u64,
    #[schema(value_type = String)]
    pub items: Decimal,
    #[schema(value_type = String)]
    pub gross_sales: Decimal,
    #[schema(value_type = String)]
    pub discounts: Decimal,
    #[schema(value_type = String)]
    pub returns: Decimal,
    #[schema(value_type = String)]
    pub net_sales: Decimal,
    #[schema(value_type = String)]
    pub tax: Decimal,
    #[schema(value_type = String)]
    pub cost_of_goods_sold: Decimal,
    #[schema(value_type = String)]
    pub gross_profit: Decimal,
    #[schema(value_type = Option<String>)]
    pub margin: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub average_basket: Option<Decimal>,
}

impl From<&Performance> for Figures {
    fn from(p: &Performance) -> Self {
        Self {
            transactions: p.sold.sales,
            returns_processed: p.returned.returns,
            items: p.net_quantity().value(),
            gross_sales: p.gross_sales().amount(),
            discounts: p.discounts().amount(),
            returns: p.returns().amount(),
            net_sales: p.net_sales().amount(),
            tax: p.tax().amount(),
            cost_of_goods_sold: p.cost_of_goods_sold().amount(),
            gross_profit: p.gross_profit().amount(),
            margin: p.margin(),
            average_basket: p.average_basket().map(|m| m.amount()),
        }
    }
}

pub mod dashboard;
pub mod sales;
pub mod stock;
