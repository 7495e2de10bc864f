//! What was bought from a supplier, summed by the database (see `documents`).

use crate::documents::{self, ProductSums};
use pos_domain::StoreError;
use pos_domain::ids::SupplierId;
use pos_domain::ports::{SuppliedProduct, SupplierTotals};
use pos_domain::purchasing::Purchase;
use sea_orm::DatabaseTransaction;

pub(crate) async fn of_supplier(
    conn: &DatabaseTransaction,
    supplier: SupplierId,
) -> Result<SupplierTotals, StoreError> {
    let sums = documents::sums::<Purchase>(conn, supplier).await?;
    Ok(SupplierTotals {
        purchases: sums.documents,
        purchased: sums.total,
        paid: sums.paid,
        credited: sums.credited,
        due: sums.due,
    })
}

pub(crate) async fn supplied_products(
    conn: &DatabaseTransaction,
    supplier: SupplierId,
) -> Result<Vec<SuppliedProduct>, StoreError> {
    let products = documents::products::<Purchase>(conn, supplier).await?;
    let supplied = |p: ProductSums| SuppliedProduct {
        product_id: p.product_id,
        quantity: p.quantity,
        returned: p.returned,
        total: p.total,
        purchases: p.documents,
    };
    Ok(products.into_iter().map(supplied).collect())
}
