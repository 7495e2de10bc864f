//! What moves on a stored purchase: paid and credited cents, returned units, each by an
//! increment (see `increments`); the CHECKs on the tables refuse an overpayment or an
//! over-return even when a use case forgot to lock first (reported as `Backend`: a bug).

use crate::entities::{purchase_lines, purchases};
use crate::increments::increment;
use pos_domain::ids::{PurchaseId, PurchaseLineId};
use pos_domain::quantity::Quantity;
use pos_domain::{Money, StoreError};
use sea_orm::DatabaseTransaction;

pub(crate) async fn add_payment(
    conn: &DatabaseTransaction,
    purchase: PurchaseId,
    amount: Money,
) -> Result<(), StoreError> {
    increment::<purchases::Entity>(
        conn,
        purchases::Column::Id,
        purchase.get(),
        purchases::Column::PaidCents,
        amount.minor_units(),
    )
    .await
}

pub(crate) async fn add_credit(
    conn: &DatabaseTransaction,
    purchase: PurchaseId,
    amount: Money,
) -> Result<(), StoreError> {
    increment::<purchases::Entity>(
        conn,
        purchases::Column::Id,
        purchase.get(),
        purchases::Column::CreditedCents,
        amount.minor_units(),
    )
    .await
}

pub(crate) async fn add_returned(
    conn: &DatabaseTransaction,
    line: PurchaseLineId,
    quantity: Quantity,
) -> Result<(), StoreError> {
    increment::<purchase_lines::Entity>(
        conn,
        purchase_lines::Column::Id,
        line.get(),
        purchase_lines::Column::ReturnedE3,
        quantity.thousandths(),
    )
    .await
}
