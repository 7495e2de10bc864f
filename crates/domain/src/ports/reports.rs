use crate::error::StoreError;
use crate::ids::{CustomerId, PaymentMethodId, ProductId, UserId};
use crate::inventory::MovementKind;
use crate::money::Money;
use crate::quantity::Quantity;
use crate::reports::{
    GroupKey, Grouping, Period, ReturnFigures, SalesFigures, SalesScope, StockLevel,
};
use async_trait::async_trait;
use time::Date;

/// What the counter took by one payment method at the time of sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodTakings {
    pub method_id: PaymentMethodId,
    /// Sales with a payment by this method.
    pub sales: u64,
    pub amount: Money,
}

/// The aggregates reports are built from. Each is one grouped query over an index range: no
/// method returns a row per sale.
#[async_trait]
pub trait ReportRepo: Send {
    /// Sale lines dated in `period` within `scope`, summed per group. Groups without sales are
    /// absent.
    async fn sales_by(
        &mut self,
        period: Period,
        scope: &SalesScope,
        by: Grouping,
    ) -> Result<Vec<(GroupKey, SalesFigures)>, StoreError>;
    /// Return lines dated in `period` within `scope` (the returned sale's seller and customer),
    /// summed per group.
    async fn returns_by(
        &mut self,
        period: Period,
        scope: &SalesScope,
        by: Grouping,
    ) -> Result<Vec<(GroupKey, ReturnFigures)>, StoreError>;
    /// Payments taken at the counter with sales dated in `period`, per method.
    async fn counter_takings(&mut self, period: Period) -> Result<Vec<MethodTakings>, StoreError>;
    /// Net stock change per product and kind on days in `period`: sales from the sale lines
    /// (the units they took, negative), every other kind from the inventory log. The two agree
    /// because every sale logs what its lines took; reading lines lets adapters answer from
    /// their sales sums.
    async fn stock_changes(
        &mut self,
        period: Period,
    ) -> Result<Vec<(ProductId, MovementKind, Quantity)>, StoreError>;
    /// Net stock change per product on days after `day`, counted as [`Self::stock_changes`].
    async fn stock_changes_after(
        &mut self,
        day: Date,
    ) -> Result<Vec<(ProductId, Quantity)>, StoreError>;
    /// Every product's stock, reorder level and FIFO value, by id; only those at or below their
    /// reorder level when `low_only`.
    async fn stock_levels(&mut self, low_only: bool) -> Result<Vec<StockLevel>, StoreError>;
    /// SKU and name of the given products.
    async fn product_labels(
        &mut self,
        ids: &[ProductId],
    ) -> Result<Vec<(ProductId, String, String)>, StoreError>;
    /// Names of the given customers.
    async fn customer_names(
        &mut self,
        ids: &[CustomerId],
    ) -> Result<Vec<(CustomerId, String)>, StoreError>;
    /// Username and name of the given users.
    async fn user_labels(
        &mut self,
        ids: &[UserId],
    ) -> Result<Vec<(UserId, String, String)>, StoreError>;
    /// Customers who bought for the first time in `period` (their first sale is in it).
    async fn first_time_customers(&mut self, period: Period) -> Result<u64, StoreError>;
}
