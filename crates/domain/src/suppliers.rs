//! Suppliers: who the shop buys from.

pub use crate::contact::{Address, Phone};
use crate::ids::SupplierId;
use crate::text::{Email, Name};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplierDraft {
    pub name: Name,
    pub phone: Option<Phone>,
    pub alt_phone: Option<Phone>,
    pub email: Option<Email>,
    pub address: Address,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supplier {
    pub id: SupplierId,
    pub draft: SupplierDraft,
    /// Inactive suppliers keep their history but take no new purchases.
    pub active: bool,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Default)]
pub struct SupplierFilter {
    /// Matches name, phones or email.
    pub q: Option<String>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SupplierSort {
    #[default]
    Name,
    CreatedAt,
}
