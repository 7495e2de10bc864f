//! Customers: profiles, credit limits, what they bought and owe, and their payments.

use super::counterparty::{SetActive, Settle, Settlement};
use crate::app::{App, AppResult, Once, Reply};
use crate::customers::{
    Customer, CustomerDraft, CustomerFilter, CustomerSort, may_set_credit_limit,
};
use crate::ids::{CustomerId, ProductId, SaleId};
use crate::money::Money;
use crate::paging::{ListQuery, Order, Page, PageRequest};
use crate::ports::{CustomerTotals, PurchasedProduct};
use crate::sales::{Sale, SaleFilter};
use crate::services::ServiceError;
use crate::user::Role;

/// Add a customer. With a credit limit, only managers and admins may.
#[derive(Debug, Clone)]
pub struct NewCustomer {
    pub draft: CustomerDraft,
    /// The caller's role: giving credit needs a manager.
    pub role: Role,
}

/// Replace a customer's profile. Changing the credit limit needs a manager.
#[derive(Debug, Clone)]
pub struct UpdateCustomer {
    pub customer: CustomerId,
    pub draft: CustomerDraft,
    /// The caller's role: changing the credit limit needs a manager.
    pub role: Role,
}

/// A customer's sales, newest first.
#[derive(Debug, Clone, Copy)]
pub struct CustomerSales {
    pub customer: CustomerId,
    /// Only sales with something owed (the customer's dues).
    pub open_only: bool,
    /// Keep only the sales of the page with a line of this product.
    pub product: Option<ProductId>,
    pub page: PageRequest,
}

/// Take a customer's payment against their open sales.
pub type ReceiveCustomerPayment = Settle<CustomerId, SaleId>;

/// A customer with what they bought, paid and owe.
#[derive(Debug, Clone)]
pub struct CustomerDetails {
    pub customer: Customer,
    pub totals: CustomerTotals,
    /// What the credit limit still allows (never below zero); `None` without a limit.
    pub credit_available: Option<Money>,
}

/// What the credit limit still allows a customer who owes `due`.
/// What is due is a balance over many sales, so the difference is taken in 64 bits.
fn credit_available(
    limit: Option<Money>,
    due: Money,
) -> Result<Option<Money>, crate::money::OutOfRange> {
    limit
        .map(|l| Ok(l.wide_sub(due)?.max(Money::ZERO)))
        .transpose()
}

/// Setting or changing a credit limit is for managers and admins: `before` is `None` for a
/// new customer. 403 otherwise.
fn credit_limit_rule(
    role: Role,
    before: Option<Option<Money>>,
    after: Option<Money>,
) -> AppResult<()> {
    if may_set_credit_limit(role, before, after) {
        return Ok(());
    }
    Err(ServiceError::Forbidden(
        "Setting or changing a credit limit needs the manager role or higher; leave \
         `credit_limit` out (or unchanged)."
            .to_owned(),
    ))
}

impl App {
    /// Customers, searched (name, phones, email), filtered and sorted.
    pub async fn list_customers(
        &self,
        query: ListQuery<CustomerFilter, CustomerSort>,
    ) -> AppResult<Page<Customer>> {
        self.read(async |tx| Ok(tx.list_customers(&query).await?))
            .await
    }

    /// Adds a customer. Anyone may add one without credit; a credit limit is given by managers
    /// and admins only (403 otherwise, as for changing one).
    pub async fn create_customer(&self, command: NewCustomer) -> AppResult<Customer> {
        credit_limit_rule(command.role, None, command.draft.credit_limit)?;
        let now = self.now();
        self.write(async |tx| Ok(tx.insert_customer(command.draft, now).await?))
            .await
    }

    /// A customer with their totals and the credit still available. 404 when unknown.
    pub async fn customer_details(&self, id: CustomerId) -> AppResult<CustomerDetails> {
        self.of_party(id, async |tx, customer: Customer| {
            let totals = tx.customer_totals(id).await?;
            let credit_available = credit_available(customer.draft.credit_limit, totals.due)?;
            Ok(CustomerDetails {
                customer,
                totals,
                credit_available,
            })
        })
        .await
    }

    /// Replaces a customer's profile. 404 when unknown; 403 when the credit limit changes and
    /// the caller is below manager.
    pub async fn update_customer(&self, command: UpdateCustomer) -> AppResult<Customer> {
        let role = command.role;
        self.update_party(
            command.customer,
            command.draft,
            |current: &Customer, draft| {
                credit_limit_rule(role, Some(current.draft.credit_limit), draft.credit_limit)
            },
        )
        .await
    }

    /// Activates or deactivates a customer. 404 when unknown.
    pub async fn set_customer_active(&self, command: SetActive<CustomerId>) -> AppResult<Customer> {
        self.set_party_active(command).await
    }

    /// Every product a customer bought, with totals. 404 when unknown.
    pub async fn customer_products(&self, id: CustomerId) -> AppResult<Vec<PurchasedProduct>> {
        self.party_products(id).await
    }

    /// A customer's sales, newest first (`open_only`: their dues). The product filter keeps
    /// the sales of the page that have the product; the page's counts stay those of the
    /// unfiltered list. 404 when unknown.
    pub async fn customer_sales(&self, query: CustomerSales) -> AppResult<Page<Sale>> {
        self.of_party(query.customer, async |tx, _| {
            let list = ListQuery {
                filter: SaleFilter {
                    customer_id: Some(query.customer),
                    open_only: query.open_only,
                    ..Default::default()
                },
                sort: (),
                order: Order::Desc,
                page: query.page,
            };
            let mut sales = tx.list_sales(&list).await?;
            if let Some(product) = query.product {
                sales
                    .items
                    .retain(|s| s.lines.iter().any(|l| l.priced.product_id == product));
            }
            Ok(sales)
        })
        .await
    }

    /// Takes a payment against what a customer owes, at most once per key: the named sale,
    /// else the oldest open sales first. More than is owed is refused (409 `overpayment`):
    /// there is no store credit. The other refusals are those of settling open documents
    /// (`settle_open_documents`).
    pub async fn receive_customer_payment(
        &self,
        command: ReceiveCustomerPayment,
        once: Once<'_, Settlement<SaleId>>,
    ) -> Result<Reply, crate::services::settlement::SettlementError> {
        self.settle_open_documents(command, once).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_available_never_goes_below_zero() {
        let m = Money::from_minor_units;
        assert_eq!(credit_available(None, m(500)), Ok(None));
        assert_eq!(credit_available(Some(m(1_000)), m(300)), Ok(Some(m(700))));
        assert_eq!(credit_available(Some(m(1_000)), m(1_300)), Ok(Some(m(0))));
    }

    #[test]
    fn staff_may_not_give_credit() {
        let m = Money::from_minor_units;
        assert!(credit_limit_rule(Role::Staff, None, None).is_ok());
        assert!(matches!(
            credit_limit_rule(Role::Staff, None, Some(m(100))),
            Err(ServiceError::Forbidden(_))
        ));
        assert!(credit_limit_rule(Role::Staff, Some(Some(m(100))), Some(m(100))).is_ok());
        assert!(credit_limit_rule(Role::Manager, Some(None), Some(m(100))).is_ok());
    }
}
