//! Tax rates: a name, a percentage, and whether shelf prices include it.

use crate::app::{App, AppResult};
use crate::catalog::{TaxRate, TaxRateDraft, TaxRateSort};
use crate::ids::TaxRateId;
use crate::paging::{ListQuery, Page};
use crate::ports::catalog::NameSearch;
use crate::services::ServiceError;

/// Replace a tax rate's name, rate and mode.
#[derive(Debug, Clone)]
pub struct UpdateTaxRate {
    pub tax_rate: TaxRateId,
    pub draft: TaxRateDraft,
}

impl App {
    /// Tax rates whose name matches the search, sorted and paged.
    pub async fn tax_rates(
        &self,
        query: ListQuery<NameSearch, TaxRateSort>,
    ) -> AppResult<Page<TaxRate>> {
        self.read(async |tx| Ok(tx.list_tax_rates(&query).await?))
            .await
    }

    /// One tax rate. Refuses: 404 `tax rate`.
    pub async fn tax_rate(&self, id: TaxRateId) -> AppResult<TaxRate> {
        self.read(async |tx| {
            tx.find_tax_rate(id)
                .await?
                .ok_or(ServiceError::NotFound("tax rate"))
        })
        .await
    }

    /// Creates a tax rate. Refuses: a taken name (`Duplicate`).
    pub async fn create_tax_rate(&self, draft: TaxRateDraft) -> AppResult<TaxRate> {
        let now = self.now();
        self.write(async |tx| Ok(tx.insert_tax_rate(draft, now).await?))
            .await
    }

    /// Replaces a tax rate. Prices of products using it are unchanged; sales already made keep
    /// the tax they were charged. Refuses: 404 `tax rate`, a taken name.
    pub async fn update_tax_rate(&self, command: UpdateTaxRate) -> AppResult<TaxRate> {
        let now = self.now();
        self.write(async |tx| {
            tx.update_tax_rate(command.tax_rate, command.draft, now)
                .await
                .map_err(super::missing("tax rate"))
        })
        .await
    }

    /// Deletes a tax rate no product uses. Refuses: 404 `tax rate`, products still using it
    /// (`InUse`).
    pub async fn delete_tax_rate(&self, id: TaxRateId) -> AppResult<()> {
        self.write(async |tx| {
            tx.delete_tax_rate(id)
                .await
                .map_err(super::missing("tax rate"))
        })
        .await
    }
}
