//! What a customer bought, summed by the database (see `documents`).

use crate::documents::{self, ProductSums};
use pos_domain::StoreError;
use pos_domain::ids::CustomerId;
use pos_domain::ports::{CustomerTotals, PurchasedProduct};
use pos_domain::sales::Sale;
use sea_orm::DatabaseTransaction;

pub(crate) async fn of_customer(
    conn: &DatabaseTransaction,
    customer: CustomerId,
) -> Result<CustomerTotals, StoreError> {
    let sums = documents::sums::<Sale>(conn, customer).await?;
    Ok(CustomerTotals {
        sales: sums.documents,
        total: sums.total,
        paid: sums.paid,
        credited: sums.credited,
        refunded: sums.refunded,
        due: sums.due,
    })
}

pub(crate) async fn purchased_products(
    conn: &DatabaseTransaction,
    customer: CustomerId,
) -> Result<Vec<PurchasedProduct>, StoreError> {
    let products = documents::products::<Sale>(conn, customer).await?;
    let purchased = |p: ProductSums| PurchasedProduct {
        product_id: p.product_id,
        quantity: p.quantity,
        returned: p.returned,
        total: p.total,
        sales: p.documents,
    };
    Ok(products.into_iter().map(purchased).collect())
}
