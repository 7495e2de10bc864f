//! The journal: read it, reverse an entry, post the opening balances.

use crate::auth::Caller;
use crate::dto::{Body, Paged, SortOrder};
use crate::idempotency::{Idempotency, created, reply};
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_api::ledger::journal::*;
use pos_domain::app::ledger::{OpeningBalances, OpeningLine, Reversal};
use pos_domain::ids::{AccountId, CustomerId, EntryId, SupplierId};
use pos_domain::ledger::{JournalFilter, Party, Side, SourceKind};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, PageRequest};

/// The journal, filterable by dates, account, source and party.
#[utoipa::path(
    get, path = "/api/journal", tag = "ledger",
    params(JournalParams),
    responses((status = 200, body = Paged<EntryView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn list_journal(
    state: web::Data<AppState>,
    _auth: Caller,
    params: web::Query<JournalParams>,
) -> Result<web::Json<Paged<EntryView>>, ApiError> {
    params.validate()?;
    let p = params.into_inner();
    let source_kind = match p.source.as_deref() {
        None => None,
        Some(s) => Some(SourceKind::parse(s).ok_or_else(|| ApiError::validation("source", "is not a kind of source: opening, expense, payment, reversal, purchase, sale, refund, adjustment or supplier_return"))?),
    };
    let party = match (p.party_kind, p.party_id) {
        (Some(PartyKindDto::Customer), Some(id)) => Some(Party::Customer(CustomerId::new(id))),
        (Some(PartyKindDto::Supplier), Some(id)) => Some(Party::Supplier(SupplierId::new(id))),
        (None, None) => None,
        _ => {
            return Err(ApiError::validation(
                "party_id",
                "party_kind and party_id go together",
            ));
        }
    };
    let query = ListQuery {
        filter: JournalFilter {
            from: p.from,
            to: p.to,
            account_id: p.account_id.map(AccountId::new),
            source_kind,
            party,
        },
        sort: (),
        order: p.order.unwrap_or(SortOrder::Desc).into(),
        page: PageRequest::new(p.page, p.per_page),
    };
    let (page, accounts) = state.app.journal(query).await?;
    let data = page
        .items
        .into_iter()
        .map(|e| entry_view(e, &accounts))
        .collect::<Result<_, _>>()?;
    Ok(web::Json(Paged {
        data,
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    }))
}

/// One journal entry.
#[utoipa::path(
    get, path = "/api/journal/{id}", tag = "ledger",
    params(("id" = i64, Path)),
    responses((status = 200, body = EntryView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = ["manager"]))
)]
pub async fn get_entry(
    state: web::Data<AppState>,
    _auth: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<EntryView>, ApiError> {
    let posted = state.app.journal_entry(EntryId::new(*id)).await?;
    Ok(web::Json(posted_view(&posted)?))
}

/// Reverse a manual entry: post its mirror and link the two. An entry is reversed at most once.
/// Managers and admins; opening balances admins only. Honours `Idempotency-Key`.
///
/// Only manual entries are reversed here: opening balances and payments with no customer or
/// supplier. An entry that a document posted (a sale, a return, a purchase, a supplier return,
/// an adjustment or count, an expense, a customer or supplier payment) is refused with 409
/// `posted_by_document`, whose detail names the operation that undoes the document.
#[utoipa::path(
    post, path = "/api/journal/{id}/reverse", tag = "ledger",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: 1 to 128 printable ASCII characters without spaces, such as a UUID", pattern = "^[!-~]{1,128}$")),
    request_body = ReverseInput,
    responses(
        (status = 201, description = "The reversal", body = EntryView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Already reversed, a reversal itself (`not_reversible`), or posted by a document (`posted_by_document`)", body = Problem),
    ),
    security(("bearer" = ["manager"]))
)]
pub async fn reverse_entry(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    id: web::Path<i64>,
    body: Body<ReverseInput>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let command = Reversal {
        entry: EntryId::new(*id),
        date: body.date,
        memo: body.memo.clone(),
        user: auth.principal().user_id,
        role: auth.principal().role,
    };
    let render = created(posted_view);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.reverse_entry(command, once).await?))
}

/// Post opening balances. Admins. Honours `Idempotency-Key`.
///
/// Opening balances go on cash, wallets, equity and the shop's own balance-sheet accounts.
/// Control accounts are refused with 422 (`posted_by_*`): opening stock is bought in with a
/// purchase (which creates the lots), and what customers and suppliers owe at the start is not
/// taken here, so that the books and the subledgers agree from the first entry.
#[utoipa::path(
    post, path = "/api/journal/opening", tag = "ledger",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: 1 to 128 printable ASCII characters without spaces, such as a UUID", pattern = "^[!-~]{1,128}$")),
    request_body = OpeningInput,
    responses(
        (status = 201, body = EntryView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, description = "Unbalanced, or an invalid line", body = Problem),
    ),
    security(("bearer" = ["admin"]))
)]
pub async fn post_opening(
    state: web::Data<AppState>,
    auth: Caller,
    idempotency: Idempotency,
    body: Body<OpeningInput>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::validated(&*body);
    let mut lines = Vec::new();
    for (i, line) in body.lines.iter().enumerate() {
        let side_amount = match (line.debit, line.credit) {
            (Some(d), None) => Ok((Side::Debit, d)),
            (None, Some(c)) => Ok((Side::Credit, c)),
            _ => Err("give exactly one of debit and credit"),
        };
        let checked =
            errors
                .check(&format!("lines[{i}]"), side_amount)
                .and_then(|(side, amount)| {
                    errors
                        .check(&format!("lines[{i}].amount"), Money::non_negative(amount))
                        .map(|amount| OpeningLine {
                            account_code: line.account_code.clone(),
                            side,
                            amount,
                        })
                });
        lines.extend(checked);
    }
    errors.finish()?;
    let command = OpeningBalances {
        date: body.date,
        memo: body.memo.clone(),
        lines,
        user: auth.principal().user_id,
    };
    let render = created(posted_view);
    let once = idempotency.once(command.user, body.canonical(), &render);
    Ok(reply(state.app.post_opening(command, once).await?))
}

// The operations of this module, in mount order (see `routes.rs`).
crate::routes::table::module_operations! {
    list_journal, post_opening, get_entry, reverse_entry,
}
