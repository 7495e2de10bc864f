//! The cash session a document at a register belongs to.

use super::sales::NoOpenSession;
use crate::StoreError;
use crate::cash::{Opening, Till};
use crate::error::Unique;
use crate::ids::{CashSessionId, UserId};
use crate::money::Money;
use crate::paging::{ListQuery, Order, PageRequest};
use crate::ports::CashRepo;
use crate::ports::cash::SessionFilter;
use crate::register::Register;
use time::OffsetDateTime;

/// Why a document finds no session to belong to.
#[derive(Debug)]
pub enum SessionRefusal {
    /// Not the default register, and nothing open there.
    None(NoOpenSession),
    Store(StoreError),
}

impl From<StoreError> for SessionRefusal {
    fn from(e: StoreError) -> Self {
        SessionRefusal::Store(e)
    }
}

/// Where a document at `register` is posted: the register and its open session, with the
/// register's row locked until the transaction ends, so no close can slip in between. The
/// default register opens a session with no float for its first document (a client that never
/// cared about tills keeps working, and its cash is still accounted for session by session);
/// any other register must have one opened with its float.
pub async fn till_for_document<T: CashRepo + ?Sized>(
    tx: &mut T,
    register: &Register,
    user: UserId,
    at: OffsetDateTime,
) -> Result<Till, SessionRefusal> {
    let open = tx.lock_open_session(register.id).await?;
    till_of(tx, open, register, user, at).await
}

/// As [`till_for_document`], for a sale, whose invoice number holds the register's row
/// already: one statement fewer.
pub async fn till_for_sale<T: CashRepo + ?Sized>(
    tx: &mut T,
    register: &Register,
    user: UserId,
    at: OffsetDateTime,
) -> Result<Till, SessionRefusal> {
    let open = tx.open_session(register.id).await?;
    till_of(tx, open, register, user, at).await
}

async fn till_of<T: CashRepo + ?Sized>(
    tx: &mut T,
    open: Option<crate::cash::CashSession>,
    register: &Register,
    user: UserId,
    at: OffsetDateTime,
) -> Result<Till, SessionRefusal> {
    let session = match open {
        Some(open) => open.id,
        None if register.is_default() => open_automatically(tx, register, user, at).await?,
        None => {
            return Err(SessionRefusal::None(NoOpenSession {
                register: register.code.to_string(),
                id: register.id.get(),
            }));
        }
    };
    Ok(Till {
        register: register.id,
        session: Some(session),
        location: register.location_id,
    })
}

async fn open_automatically<T: CashRepo + ?Sized>(
    tx: &mut T,
    register: &Register,
    user: UserId,
    at: OffsetDateTime,
) -> Result<CashSessionId, StoreError> {
    let opening = Opening {
        register_id: register.id,
        user_id: user,
        float: Money::ZERO,
        float_count: None,
        blind: false,
        automatic: true,
        at,
    };
    match tx.insert_cash_session(opening).await {
        Ok(session) => Ok(session.id),
        // Another transaction opened one first: this one's lock on the register makes that
        // impossible, but an adapter without row locks may still race; retried as contention.
        Err(StoreError::Duplicate(Unique::OpenSession)) => Err(StoreError::Contention(
            "another request opened the register's session".to_owned(),
        )),
        Err(e) => Err(e),
    }
}

/// Every session the filter matches, newest first, read a page at a time.
pub async fn all_sessions<T: CashRepo + ?Sized>(
    tx: &mut T,
    filter: SessionFilter,
) -> Result<Vec<crate::cash::CashSession>, StoreError> {
    let mut found = Vec::new();
    let mut page = 1;
    loop {
        let query = ListQuery {
            filter: filter.clone(),
            sort: (),
            order: Order::Desc,
            page: PageRequest::new(Some(page), Some(PageRequest::MAX_PER_PAGE)),
        };
        let got = tx.list_cash_sessions(query).await?;
        let done = u64::from(page) * u64::from(PageRequest::MAX_PER_PAGE) >= got.total;
        found.extend(got.items);
        if done {
            return Ok(found);
        }
        page += 1;
    }
}
