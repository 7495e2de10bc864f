//! Sales and held sales ([`SalesRepo`]).
//!
//! A sale is written once, whole: its header, its lines (each with the FIFO takes of its
//! units) and the payments taken at the counter. Afterwards only its settlement moves: paid,
//! credited and refunded cents and each line's returned units, by increments in the database
//! that CHECK constraints keep within the totals. Sale numbers come from the register's counter,
//! updated inside the sale's transaction (see `registers`).

mod held;
mod reading;
mod settlement;
mod totals;
mod writing;

use crate::tx::SeaTx;
use async_trait::async_trait;
use pos_domain::ids::{CustomerId, HeldSaleId, SaleId, UserId};
use pos_domain::paging::{ListQuery, Page};
use pos_domain::ports::{CustomerTotals, PurchasedProduct, SalesRepo};
use pos_domain::sales::held::{HeldSale, NewHeldSale};
use pos_domain::sales::returns::NewSaleReturn;
use pos_domain::sales::{NewSale, Sale, SaleFilter};
use pos_domain::{Money, StoreError};

#[async_trait]
impl SalesRepo for SeaTx {
    async fn insert_sale(&mut self, sale: &NewSale) -> Result<Sale, StoreError> {
        writing::insert(self.conn(), sale, self.returning()).await
    }

    async fn find_sale(&mut self, id: SaleId) -> Result<Option<Sale>, StoreError> {
        reading::find(self.conn(), id).await
    }

    async fn list_sales(
        &mut self,
        query: &ListQuery<SaleFilter, ()>,
    ) -> Result<Page<Sale>, StoreError> {
        reading::list(self.conn(), query).await
    }

    async fn open_sales(&mut self, customer: CustomerId) -> Result<Vec<Sale>, StoreError> {
        reading::open_of_customer(self.conn(), customer).await
    }

    async fn add_sale_payment(&mut self, sale: SaleId, amount: Money) -> Result<(), StoreError> {
        settlement::add_payment(self.conn(), sale, amount).await
    }

    async fn record_sale_return(&mut self, r: &NewSaleReturn) -> Result<(), StoreError> {
        settlement::record_return(self.conn(), r).await
    }

    async fn customer_totals(
        &mut self,
        customer: CustomerId,
    ) -> Result<CustomerTotals, StoreError> {
        totals::of_customer(self.conn(), customer).await
    }

    async fn purchased_products(
        &mut self,
        customer: CustomerId,
    ) -> Result<Vec<PurchasedProduct>, StoreError> {
        totals::purchased_products(self.conn(), customer).await
    }

    async fn insert_held_sale(&mut self, held: NewHeldSale) -> Result<HeldSale, StoreError> {
        held::insert(self.conn(), held).await
    }

    async fn find_held_sale(&mut self, id: HeldSaleId) -> Result<Option<HeldSale>, StoreError> {
        held::find(self.conn(), id).await
    }

    async fn list_held_sales(&mut self, user: Option<UserId>) -> Result<Vec<HeldSale>, StoreError> {
        held::list(self.conn(), user).await
    }

    async fn delete_held_sale(&mut self, id: HeldSaleId) -> Result<bool, StoreError> {
        held::delete(self.conn(), id).await
    }
}
