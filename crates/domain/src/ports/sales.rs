use crate::customers::{Customer, CustomerDraft, CustomerFilter, CustomerSort};
use crate::error::StoreError;
use crate::ids::{CustomerId, HeldSaleId, ProductId, SaleId, UserId};
use crate::money::Money;
use crate::paging::{ListQuery, Page};
use crate::quantity::Quantity;
use crate::sales::held::{HeldSale, NewHeldSale};
use crate::sales::returns::NewSaleReturn;
use crate::sales::{NewSale, Sale, SaleFilter};
use async_trait::async_trait;
use time::OffsetDateTime;

/// Totals of what a customer bought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerTotals {
    pub sales: u64,
    pub total: Money,
    pub paid: Money,
    pub credited: Money,
    pub refunded: Money,
    pub due: Money,
}

/// One product as bought by one customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchasedProduct {
    pub product_id: ProductId,
    pub quantity: Quantity,
    pub returned: Quantity,
    pub total: Money,
    pub sales: u64,
}

/// Customers.
#[async_trait]
pub trait CustomerRepo: Send {
    async fn insert_customer(
        &mut self,
        draft: CustomerDraft,
        at: OffsetDateTime,
    ) -> Result<Customer, StoreError>;
    async fn find_customer(&mut self, id: CustomerId) -> Result<Option<Customer>, StoreError>;
    /// `NotFound` when there is no such customer.
    async fn update_customer(
        &mut self,
        id: CustomerId,
        draft: CustomerDraft,
        at: OffsetDateTime,
    ) -> Result<Customer, StoreError>;
    async fn set_customer_active(
        &mut self,
        id: CustomerId,
        active: bool,
        at: OffsetDateTime,
    ) -> Result<Customer, StoreError>;
    /// `q` matches name, phones and email, case-insensitively.
    async fn list_customers(
        &mut self,
        query: &ListQuery<CustomerFilter, CustomerSort>,
    ) -> Result<Page<Customer>, StoreError>;
    /// Locks the customer's row (`FOR UPDATE` on MySQL) so that two credit sales or payments
    /// for one customer are checked against each other, and returns it.
    async fn lock_customer(&mut self, id: CustomerId) -> Result<Option<Customer>, StoreError>;
}

/// Sales and held sales.
#[async_trait]
pub trait SalesRepo: Send {
    /// Stores the sale, its lines with their lot takes, and its payments; status `completed`,
    /// `paid` = what the settlement kept, `credited` = `refunded` = 0.
    async fn insert_sale(&mut self, sale: &NewSale) -> Result<Sale, StoreError>;
    async fn find_sale(&mut self, id: SaleId) -> Result<Option<Sale>, StoreError>;
    /// Sales by date then id in the query's order.
    async fn list_sales(
        &mut self,
        query: &ListQuery<SaleFilter, ()>,
    ) -> Result<Page<Sale>, StoreError>;
    /// The customer's sales with something owed, oldest (date, id) first.
    async fn open_sales(&mut self, customer: CustomerId) -> Result<Vec<Sale>, StoreError>;
    /// Adds a later payment to a sale.
    async fn add_sale_payment(&mut self, sale: SaleId, amount: Money) -> Result<(), StoreError>;
    /// Records a return: stores it with its lines, adds to each sale line's returned units, to
    /// the sale's `credited` (taken off the due) and `refunded` (paid back), and sets its status.
    async fn record_sale_return(&mut self, r: &NewSaleReturn) -> Result<(), StoreError>;
    async fn customer_totals(&mut self, customer: CustomerId)
    -> Result<CustomerTotals, StoreError>;
    /// Every product the customer bought, with totals, by product id.
    async fn purchased_products(
        &mut self,
        customer: CustomerId,
    ) -> Result<Vec<PurchasedProduct>, StoreError>;

    async fn insert_held_sale(&mut self, held: NewHeldSale) -> Result<HeldSale, StoreError>;
    async fn find_held_sale(&mut self, id: HeldSaleId) -> Result<Option<HeldSale>, StoreError>;
    /// Held sales, newest first; only `user`'s when given.
    async fn list_held_sales(&mut self, user: Option<UserId>) -> Result<Vec<HeldSale>, StoreError>;
    /// Removes a held sale (completed or cancelled); returns whether it existed. A compare and
    /// delete: two tills completing one held sale cannot both succeed.
    async fn delete_held_sale(&mut self, id: HeldSaleId) -> Result<bool, StoreError>;
}
