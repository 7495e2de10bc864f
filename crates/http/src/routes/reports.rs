//! Reports and dashboards. Every figure is computed by the store (`GROUP BY` over an index
//! range) and combined by the domain's definitions (`pos_domain::reports`): net sales, COGS and
//! profit here are the books' own, to the cent.
//!
//! Periods are the shop's calendar days (`POS_UTC_OFFSET`), `from` and `to` both included,
//! defaulting to the 30 days ending today. List reports answer `Accept: text/csv` with their
//! rows as CSV.

use crate::problem::{ApiError, FieldErrors};
use crate::state::AppState;
use pos_api::reports::*;
use pos_domain::reports::Period;

/// The period a report query asks for, on the shop's calendar (today comes from the app).
pub trait ShopPeriod {
    /// The days asked for, defaulting to the 30 days ending today on the shop's calendar.
    fn period(&self, state: &AppState) -> Result<Period, ApiError>;
    /// Like [`Self::period`], recording an invalid range against `from` in `errors`.
    fn checked(&self, state: &AppState, errors: &mut FieldErrors) -> Option<Period>;
}

impl ShopPeriod for PeriodQuery {
    fn period(&self, state: &AppState) -> Result<Period, ApiError> {
        self.resolve(state.app.today())
            .map_err(|e| ApiError::validation("from", e))
    }

    fn checked(&self, state: &AppState, errors: &mut FieldErrors) -> Option<Period> {
        errors.check("from", self.resolve(state.app.today()))
    }
}

pub mod dashboard;
pub mod sales;
pub mod stock;
