//! The counterparty model: what customers and suppliers share, written once.

use crate::app::ledger::Posted;
use crate::app::lookups::{account_index, method_by_code};
use crate::app::{App, AppResult, Once, Reply};
use crate::customers::{Customer, CustomerDraft};
use crate::error::StoreError;
use crate::ids::{CustomerId, SupplierId, UserId};
use crate::ledger::money_events::Payment;
use crate::money::Money;
use crate::ports::Tx;
use crate::ports::purchasing::SuppliedProduct;
use crate::ports::sales::PurchasedProduct;
use crate::services::settlement::{OpenDocuments, Settled, SettlementError, settle};
use crate::services::{PaymentRequest, ServiceError};
use crate::suppliers::{Supplier, SupplierDraft};
use time::{Date, OffsetDateTime};

/// Activate or deactivate a customer or supplier. Neither is ever deleted: an inactive one
/// keeps its history.
#[derive(Debug, Clone, Copy)]
pub struct SetActive<P> {
    pub party: P,
    pub active: bool,
}

/// Settle a counterparty's open documents with one payment: `amount` by payment method
/// `method` (a code), against `document` if named, else the oldest open documents first.
#[derive(Debug, Clone)]
pub struct Settle<P, D> {
    pub party: P,
    pub amount: Money,
    /// A payment method code.
    pub method: String,
    /// The one document to pay, if named.
    pub document: Option<D>,
    pub date: Option<Date>,
    pub reference: Option<String>,
    pub note: Option<String>,
    pub user: UserId,
}

/// A payment that settled open documents: the payment, what it paid on each document, and
/// the entry it posted with the chart to render it.
#[derive(Debug, Clone)]
pub struct Settlement<D> {
    pub payment: Payment,
    pub allocations: Vec<(D, Money)>,
    pub posted: Posted,
}

/// A customer or a supplier, named by its id: how each one's profile, products and payments
/// are reached through the ports. The use cases over them are written once, below.
/// What a 404 names and the documents a payment settles come from [`Settled`], the party as
/// the settlement use case sees it.
pub(crate) trait Counterparty: Settled {
    type Profile;
    type Draft;
    /// One product as bought by the customer, or bought from the supplier.
    type Product;

    async fn find(tx: &mut dyn Tx, id: Self) -> Result<Option<Self::Profile>, StoreError>;
    /// `NotFound` when there is no such party.
    async fn update(
        tx: &mut dyn Tx,
        id: Self,
        draft: Self::Draft,
        at: OffsetDateTime,
    ) -> Result<Self::Profile, StoreError>;
    async fn set_active(
        tx: &mut dyn Tx,
        id: Self,
        active: bool,
        at: OffsetDateTime,
    ) -> Result<Self::Profile, StoreError>;
    async fn products(tx: &mut dyn Tx, id: Self) -> Result<Vec<Self::Product>, StoreError>;
}

impl Counterparty for CustomerId {
    type Profile = Customer;
    type Draft = CustomerDraft;
    type Product = PurchasedProduct;

    async fn find(tx: &mut dyn Tx, id: Self) -> Result<Option<Customer>, StoreError> {
        tx.find_customer(id).await
    }

    async fn update(
        tx: &mut dyn Tx,
        id: Self,
        draft: CustomerDraft,
        at: OffsetDateTime,
    ) -> Result<Customer, StoreError> {
        tx.update_customer(id, draft, at).await
    }

    async fn set_active(
        tx: &mut dyn Tx,
        id: Self,
        active: bool,
        at: OffsetDateTime,
    ) -> Result<Customer, StoreError> {
        tx.set_customer_active(id, active, at).await
    }

    async fn products(tx: &mut dyn Tx, id: Self) -> Result<Vec<PurchasedProduct>, StoreError> {
        tx.purchased_products(id).await
    }
}

impl Counterparty for SupplierId {
    type Profile = Supplier;
    type Draft = SupplierDraft;
    type Product = SuppliedProduct;

    async fn find(tx: &mut dyn Tx, id: Self) -> Result<Option<Supplier>, StoreError> {
        tx.find_supplier(id).await
    }

    async fn update(
        tx: &mut dyn Tx,
        id: Self,
        draft: SupplierDraft,
        at: OffsetDateTime,
    ) -> Result<Supplier, StoreError> {
        tx.update_supplier(id, draft, at).await
    }

    async fn set_active(
        tx: &mut dyn Tx,
        id: Self,
        active: bool,
        at: OffsetDateTime,
    ) -> Result<Supplier, StoreError> {
        tx.set_supplier_active(id, active, at).await
    }

    async fn products(tx: &mut dyn Tx, id: Self) -> Result<Vec<SuppliedProduct>, StoreError> {
        tx.supplied_products(id).await
    }
}

/// The party's profile, or 404 naming its kind.
pub(crate) async fn profile<P: Counterparty>(tx: &mut dyn Tx, id: P) -> AppResult<P::Profile> {
    P::find(tx, id)
        .await?
        .ok_or(ServiceError::NotFound(P::WHAT))
}

/// A store's `NotFound` as the 404 of the party's kind.
fn not_found<P: Counterparty>(err: StoreError) -> ServiceError {
    match err {
        StoreError::NotFound => ServiceError::NotFound(P::WHAT),
        other => other.into(),
    }
}

impl App {
    /// Runs `query` in one read-only transaction after checking that the party exists (404
    /// naming its kind otherwise): every "what about this customer / supplier" read.
    pub(crate) async fn of_party<P: Counterparty, T>(
        &self,
        id: P,
        query: impl AsyncFnOnce(&mut dyn Tx, P::Profile) -> AppResult<T>,
    ) -> AppResult<T> {
        self.read(async |tx| {
            let found = profile(tx, id).await?;
            query(tx, found).await
        })
        .await
    }

    /// Replaces a party's profile after `allow` accepted the change from the current one.
    /// 404 when there is no such party.
    pub(crate) async fn update_party<P: Counterparty>(
        &self,
        id: P,
        draft: P::Draft,
        allow: impl FnOnce(&P::Profile, &P::Draft) -> AppResult<()>,
    ) -> AppResult<P::Profile> {
        let now = self.now();
        self.write(async |tx| {
            let current = profile(tx, id).await?;
            allow(&current, &draft)?;
            P::update(tx, id, draft, now).await.map_err(not_found::<P>)
        })
        .await
    }

    /// Activates or deactivates a party. 404 when there is no such party.
    pub(crate) async fn set_party_active<P: Counterparty>(
        &self,
        command: SetActive<P>,
    ) -> AppResult<P::Profile> {
        let now = self.now();
        self.write(async |tx| {
            P::set_active(tx, command.party, command.active, now)
                .await
                .map_err(not_found::<P>)
        })
        .await
    }

    /// Every product the party bought (a customer) or the shop bought from it (a supplier),
    /// with totals, by product id. 404 when there is no such party.
    pub(crate) async fn party_products<P: Counterparty>(
        &self,
        id: P,
    ) -> AppResult<Vec<P::Product>> {
        self.of_party(id, async |tx, _| Ok(P::products(tx, id).await?))
            .await
    }

    /// Settles a party's open documents with one payment, at most once per key: the named
    /// document, else the oldest open ones first. Refuses a date out of range (422 `date`), a
    /// method that is no active payment method (422 `method`), an unknown party (404), a
    /// named document that is not open (422), and more than is owed (409 `overpayment`).
    pub(crate) async fn settle_open_documents<P: Counterparty>(
        &self,
        command: Settle<P, P::Document>,
        once: Once<'_, Settlement<P::Document>>,
    ) -> Result<Reply, SettlementError>
    where
        for<'a> dyn Tx + 'a: OpenDocuments<P>,
    {
        let date = self.document_date(command.date)?;
        self.once(once, async |tx, now| {
            let method = method_by_code(tx, "method", &command.method).await?;
            let request = PaymentRequest {
                party: command.party,
                method,
                amount: command.amount,
                document: command.document,
                reference: command.reference.clone(),
                note: command.note.clone(),
                date,
                user_id: command.user,
                at: now,
            };
            let paid = settle(tx, request).await?;
            let accounts = account_index(tx).await?;
            Ok(Settlement {
                payment: paid.payment,
                allocations: paid.allocations,
                posted: Posted {
                    entry: paid.entry,
                    accounts,
                },
            })
        })
        .await
    }
}
