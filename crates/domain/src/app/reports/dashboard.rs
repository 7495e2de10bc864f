//! The main dashboard: today and this month at a glance.

use super::stock::{StockAlerts, alerts};
use crate::app::{App, AppResult};
use crate::money::Money;
use crate::reports::{Performance, Period, SalesScope};
use crate::services::reports::{dues, performance};

/// One stretch of days and its figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stretch {
    pub period: Period,
    pub figures: Performance,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    /// Today, on the shop's calendar.
    pub today: Stretch,
    /// From the first of this month to today.
    pub month: Stretch,
    /// What customers owe and what the shop owes suppliers, now.
    pub customer_dues: Money,
    pub supplier_dues: Money,
    /// The stock alerts' counts, and the ten most urgent of them.
    pub alerts: StockAlerts,
    /// The open cash sessions, and over and short of today's closes.
    pub cash: crate::app::cash::CashToday,
}

/// How many stock alerts the dashboard shows.
const ALERTS_SHOWN: usize = 10;

impl App {
    /// The main dashboard: today's and this month's figures (as in the reports) at `locations`
    /// (empty: every store), dues now, the stock alerts, the open cash sessions and over and
    /// short of today's closes.
    pub async fn dashboard(&self, locations: &[crate::ids::LocationId]) -> AppResult<Dashboard> {
        let day = self.today();
        let cash = self.cash_today().await?;
        let scope = SalesScope {
            locations: locations.to_vec(),
            ..SalesScope::default()
        };
        self.read(async |tx| {
            let mut stretch = async |period: Period| -> AppResult<Stretch> {
                let figures = performance(tx, period, &scope).await?;
                Ok(Stretch { period, figures })
            };
            let today = stretch(Period::day(day)).await?;
            let month = stretch(Period::month_to(day)).await?;
            let (customer_dues, supplier_dues) = dues(tx).await?;
            let mut alerts = alerts(tx).await?;
            alerts.products.truncate(ALERTS_SHOWN);
            Ok(Dashboard {
                today,
                month,
                customer_dues,
                supplier_dues,
                alerts,
                cash,
            })
        })
        .await
    }
}
