//! Settling a counterparty's open documents with a payment: a customer paying down their
//! sales (receivable, money in) or the shop paying down a supplier's purchases (payable, money
//! out). One algorithm for both: the oldest open document first unless one is named, never
//! more than is owed, one payment, its allocations and one balanced entry.

mod error;

pub use error::SettlementError;

use super::error::Refusal;
use super::stock::account;
use crate::allocation::{AllocationError, allocate_payment};
use crate::error::StoreError;
use crate::ids::{CustomerId, PurchaseId, SaleId, SupplierId};
use crate::ledger::chart::codes;
use crate::ledger::money_events::{Direction, Payment, PaymentDraft};
use crate::ledger::{
    BalancedEntry, EntryDraft, JournalEntry, LineDraft, Party, Source, SourceKind,
};
use crate::money::Money;
use crate::ports::{CustomerRepo, LedgerRepo, PurchasingRepo, RegisterRepo, SalesRepo};
use async_trait::async_trait;
use std::fmt::Display;

/// A party whose open documents a payment settles, and the side of the books it is on.
pub trait Settled: Copy + Display + Send + Sync {
    /// The documents it owes or is owed on (sales, purchases).
    type Document: Copy + PartialEq + Display + Send + Sync;
    /// The control account of its documents (receivables, payables).
    const ACCOUNT: &'static str;
    /// Which way the money goes.
    const DIRECTION: Direction;
    /// What the 404 names, and the request field naming one document.
    const WHAT: &'static str;
    const DOCUMENT_FIELD: &'static str;
    fn party(self) -> Party;
    fn memo(self) -> String;
}

impl Settled for CustomerId {
    type Document = SaleId;
    const ACCOUNT: &'static str = codes::ACCOUNTS_RECEIVABLE;
    const DIRECTION: Direction = Direction::In;
    const WHAT: &'static str = "customer";
    const DOCUMENT_FIELD: &'static str = "sale_id";
    fn party(self) -> Party {
        Party::Customer(self)
    }
    fn memo(self) -> String {
        format!("Payment from customer {self}")
    }
}

impl Settled for SupplierId {
    type Document = PurchaseId;
    const ACCOUNT: &'static str = codes::ACCOUNTS_PAYABLE;
    const DIRECTION: Direction = Direction::Out;
    const WHAT: &'static str = "supplier";
    const DOCUMENT_FIELD: &'static str = "purchase_id";
    fn party(self) -> Party {
        Party::Supplier(self)
    }
    fn memo(self) -> String {
        format!("Payment to supplier {self}")
    }
}

/// The storage a settlement of `P`'s documents needs.
#[async_trait]
pub trait OpenDocuments<P: Settled>: Send {
    /// Whether the party exists; a customer is locked (their credit is at stake).
    async fn hold_party(&mut self, party: P) -> Result<bool, StoreError>;
    /// Each open document and what is still due on it, oldest first.
    async fn open_documents(&mut self, party: P) -> Result<Vec<(P::Document, Money)>, StoreError>;
    async fn add_document_payment(
        &mut self,
        document: P::Document,
        amount: Money,
    ) -> Result<(), StoreError>;
}

#[async_trait]
impl<T: CustomerRepo + SalesRepo + ?Sized> OpenDocuments<CustomerId> for T {
    async fn hold_party(&mut self, party: CustomerId) -> Result<bool, StoreError> {
        Ok(self.lock_customer(party).await?.is_some())
    }
    async fn open_documents(
        &mut self,
        party: CustomerId,
    ) -> Result<Vec<(SaleId, Money)>, StoreError> {
        let open = self.open_sales(party).await?;
        Ok(open.iter().map(|s| (s.id, s.due())).collect())
    }
    async fn add_document_payment(
        &mut self,
        sale: SaleId,
        amount: Money,
    ) -> Result<(), StoreError> {
        self.add_sale_payment(sale, amount).await
    }
}

#[async_trait]
impl<T: PurchasingRepo + ?Sized> OpenDocuments<SupplierId> for T {
    async fn hold_party(&mut self, party: SupplierId) -> Result<bool, StoreError> {
        Ok(self.find_supplier(party).await?.is_some())
    }
    async fn open_documents(
        &mut self,
        party: SupplierId,
    ) -> Result<Vec<(PurchaseId, Money)>, StoreError> {
        let open = self.open_purchases(party).await?;
        Ok(open.iter().map(|p| (p.id, p.due())).collect())
    }
    async fn add_document_payment(
        &mut self,
        purchase: PurchaseId,
        amount: Money,
    ) -> Result<(), StoreError> {
        self.add_purchase_payment(purchase, amount).await
    }
}

/// A payment that settled open documents: the payment, what it paid on each, and its entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement<D> {
    pub payment: Payment,
    pub allocations: Vec<(D, Money)>,
    pub entry: JournalEntry,
}

/// Pays down `P`'s open documents: the oldest first, or the one named. Paying more than is
/// owed is refused (409 `overpayment`); a named document that is not open is invalid.
pub async fn settle<P, T>(
    tx: &mut T,
    request: super::PaymentRequest<P, P::Document>,
) -> Result<Settlement<P::Document>, SettlementError>
where
    P: Settled,
    T: OpenDocuments<P> + LedgerRepo + RegisterRepo + ?Sized,
{
    let super::PaymentRequest {
        party,
        method,
        amount,
        document,
        reference,
        note,
        date,
        user_id,
        at,
    } = request;
    if !tx.hold_party(party).await? {
        return Err(SettlementError::NotFound(P::WHAT));
    }
    let dues = tx.open_documents(party).await?;
    let allocations = allocate_payment(&dues, amount, document).map_err(|e| match e {
        AllocationError::Overpaid { .. } => SettlementError::Overpayment(e),
        AllocationError::NotOpen(_) => Refusal::invalid(P::DOCUMENT_FIELD, e).into(),
    })?;
    let control = account(tx, P::ACCOUNT).await?;
    let method_account = method.account_id;
    let draft = PaymentDraft {
        direction: P::DIRECTION,
        method,
        amount,
        party: Some(party.party()),
        counter_account_id: control,
        reference,
        note,
        date,
        user_id,
    };
    let payment = tx.insert_payment(&draft, at).await?;
    for (document, part) in &allocations {
        tx.add_document_payment(*document, *part).await?;
    }
    // Money in: Dr the method, Cr the control account (the party's line). Out: the mirror.
    let party_line = |line: LineDraft| line.with_party(Some(party.party()));
    let lines = match P::DIRECTION {
        Direction::In => vec![
            LineDraft::debit(method_account, amount),
            party_line(LineDraft::credit(control, amount)),
        ],
        Direction::Out => vec![
            party_line(LineDraft::debit(control, amount)),
            LineDraft::credit(method_account, amount),
        ],
    };
    let entry = BalancedEntry::new(EntryDraft {
        date,
        memo: party.memo(),
        source: Source {
            kind: SourceKind::Payment,
            id: Some(payment.id.get()),
        },
        user_id,
        lines,
    })?;
    let entry = tx.post_entry(entry, at).await?;
    Ok(Settlement {
        payment,
        allocations,
        entry,
    })
}
