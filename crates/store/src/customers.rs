//! Customers ([`CustomerRepo`]): who the shop sells to, on account up to a credit limit. Stored
//! like suppliers (see `parties`).

use crate::parties;
use crate::tx::SeaTx;
use async_trait::async_trait;
use pos_domain::StoreError;
use pos_domain::customers::{Customer, CustomerDraft, CustomerFilter, CustomerSort};
use pos_domain::ids::CustomerId;
use pos_domain::paging::{ListQuery, Page};
use pos_domain::ports::CustomerRepo;
use time::OffsetDateTime;

#[async_trait]
impl CustomerRepo for SeaTx {
    async fn insert_customer(
        &mut self,
        draft: CustomerDraft,
        at: OffsetDateTime,
    ) -> Result<Customer, StoreError> {
        parties::insert(self.conn(), draft, at).await
    }

    async fn find_customer(&mut self, id: CustomerId) -> Result<Option<Customer>, StoreError> {
        parties::find(self.conn(), id).await
    }

    async fn update_customer(
        &mut self,
        id: CustomerId,
        draft: CustomerDraft,
        at: OffsetDateTime,
    ) -> Result<Customer, StoreError> {
        parties::update(self.conn(), id, draft, at).await
    }

    async fn set_customer_active(
        &mut self,
        id: CustomerId,
        active: bool,
        at: OffsetDateTime,
    ) -> Result<Customer, StoreError> {
        parties::set_active(self.conn(), id, active, at).await
    }

    async fn list_customers(
        &mut self,
        query: &ListQuery<CustomerFilter, CustomerSort>,
    ) -> Result<Page<Customer>, StoreError> {
        parties::list(self.conn(), query).await
    }

    async fn lock_customer(&mut self, id: CustomerId) -> Result<Option<Customer>, StoreError> {
        parties::lock(self.conn(), id).await
    }
}
