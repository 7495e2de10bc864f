//! Customers and suppliers in memory: two maps of one shape, served by one generic
//! implementation.

use crate::state::ordered;
use pos_domain::customers::{Customer, CustomerDraft, CustomerFilter, CustomerSort};
use pos_domain::error::StoreError;
use pos_domain::ids::{CustomerId, SupplierId};
use pos_domain::paging::{ListQuery, Page, matches_search};
use pos_domain::suppliers::{Supplier, SupplierDraft, SupplierFilter, SupplierSort};
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// A customer or a supplier, as the generic functions below read and change it.
pub(crate) trait Party: Clone {
    type Draft;
    type Filter;
    type Sort: Copy;
    fn new(id: i64, draft: Self::Draft, at: OffsetDateTime) -> Self;
    fn key(&self) -> i64;
    fn set_draft(&mut self, draft: Self::Draft);
    fn set_active(&mut self, active: bool);
    fn stamp(&mut self, at: OffsetDateTime);
    /// Whether it passes the filter: its search text in the name, a phone or the email.
    fn passes(&self, filter: &Self::Filter) -> bool;
    /// The list's sort key: the name case-folded, or the creation.
    fn sort_key(&self, sort: Self::Sort) -> (String, Option<OffsetDateTime>);
}

macro_rules! party {
    ($party:ident($draft:ident, $id:ident, $filter:ident, $sort:ident)) => {
        impl Party for $party {
            type Draft = $draft;
            type Filter = $filter;
            type Sort = $sort;

            fn new(id: i64, draft: $draft, at: OffsetDateTime) -> Self {
                $party {
                    id: $id::new(id),
                    draft,
                    active: true,
                    created_at: at,
                    updated_at: at,
                }
            }

            fn key(&self) -> i64 {
                self.id.get()
            }

            fn set_draft(&mut self, draft: $draft) {
                self.draft = draft;
            }

            fn set_active(&mut self, active: bool) {
                self.active = active;
            }

            fn stamp(&mut self, at: OffsetDateTime) {
                self.updated_at = at;
            }

            fn passes(&self, f: &$filter) -> bool {
                let d = &self.draft;
                let texts = [
                    d.name.as_str(),
                    d.phone.as_ref().map_or("", |p| p.as_str()),
                    d.alt_phone.as_ref().map_or("", |p| p.as_str()),
                    d.email.as_ref().map_or("", |e| e.as_str()),
                ];
                f.q.as_deref().is_none_or(|q| matches_search(q, &texts))
                    && f.active.is_none_or(|a| self.active == a)
            }

            fn sort_key(&self, sort: $sort) -> (String, Option<OffsetDateTime>) {
                match sort {
                    $sort::Name => (self.draft.name.as_str().to_lowercase(), None),
                    $sort::CreatedAt => (String::new(), Some(self.created_at)),
                }
            }
        }
    };
}

party!(Customer(
    CustomerDraft,
    CustomerId,
    CustomerFilter,
    CustomerSort
));
party!(Supplier(
    SupplierDraft,
    SupplierId,
    SupplierFilter,
    SupplierSort
));

pub(crate) fn insert<P: Party>(
    parties: &mut BTreeMap<i64, P>,
    id: i64,
    draft: P::Draft,
    at: OffsetDateTime,
) -> P {
    let party = P::new(id, draft, at);
    parties.insert(id, party.clone());
    party
}

/// Applies `change` to the stored party and stamps `updated_at`; `NotFound` if missing.
pub(crate) fn change<P: Party>(
    parties: &mut BTreeMap<i64, P>,
    id: i64,
    change: impl FnOnce(&mut P),
    at: OffsetDateTime,
) -> Result<P, StoreError> {
    let party = parties.get_mut(&id).ok_or(StoreError::NotFound)?;
    change(party);
    party.stamp(at);
    Ok(party.clone())
}

pub(crate) fn list<P: Party>(
    parties: &BTreeMap<i64, P>,
    query: &ListQuery<P::Filter, P::Sort>,
) -> Page<P> {
    let mut rows: Vec<P> = parties
        .values()
        .filter(|p| p.passes(&query.filter))
        .cloned()
        .collect();
    rows.sort_by(|a, b| {
        let key = |p: &P| (p.sort_key(query.sort), p.key());
        ordered(query.order, key(a), key(b))
    });
    Page::slice(rows, query.page)
}
