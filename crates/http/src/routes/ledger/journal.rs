//! The journal: read it, reverse an entry, post the opening balances.

use super::AccountRef;
use crate::auth::Caller;
use crate::dto::date::iso_date;
use crate::dto::{Body, Paged, SortOrder, decimal};
use crate::idempotency::{Idempotency, created, reply};
use crate::problem::{ApiError, FieldErrors, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use garde::Validate;
use pos_domain::app::ledger::{OpeningBalances, OpeningLine, Posted, Reversal};
use pos_domain::ids::{AccountId, CustomerId, EntryId, SupplierId};
use pos_domain::ledger::{Account, JournalEntry, JournalFilter, Party, Side, SourceKind};
use pos_domain::money::Money;
use pos_domain::paging::{ListQuery, PageRequest};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

/// Who a line concerns.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PartyKindDto {
    Customer,
    Supplier,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartyView {
    pub kind: PartyKindDto,
    pub id: i64,
}

impl From<Party> for PartyView {
    fn from(p: Party) -> Self {
        match p {
            Party::Customer(id) => PartyView {
                kind: PartyKindDto::Customer,
                id: id.get(),
            },
            Party::Supplier(id) => PartyView {
                kind: PartyKindDto::Supplier,
                id: id.get(),
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LineView {
    pub account: AccountRef,
    /// Amount on the debit side, or "0.00".
    #[schema(value_type = String, example = "100.00")]
    pub debit: Decimal,
    /// Amount on the credit side, or "0.00".
    #[schema(value_type = String, example = "0.00")]
    pub credit: Decimal,
    pub party: Option<PartyView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SourceView {
    /// `opening`, `expense`, `payment`, `reversal`, `purchase`, `sale`, `refund`, `adjustment`.
    pub kind: String,
    /// The id of the expense, payment... that made the entry.
    pub id: Option<i64>,
}

/// A journal entry: balanced and immutable.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryView {
    pub id: i64,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    pub memo: String,
    pub source: SourceView,
    pub user_id: i64,
    pub lines: Vec<LineView>,
    /// The sum of the debits, equal to the sum of the credits.
    #[schema(value_type = String)]
    pub total: Decimal,
    /// The entry this one reverses.
    pub reverses: Option<i64>,
    /// The entry that reversed this one.
    pub reversed_by: Option<i64>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

pub fn entry_view(
    entry: JournalEntry,
    accounts: &HashMap<AccountId, Account>,
) -> Result<EntryView, ApiError> {
    let zero = Money::ZERO.amount();
    let mut total = Money::ZERO;
    let mut lines = Vec::with_capacity(entry.lines.len());
    for line in entry.lines {
        let account = accounts
            .get(&line.account_id)
            .ok_or_else(|| ApiError::internal("line on an unknown account"))?;
        let (debit, credit) = match line.side {
            Side::Debit => {
                // One side of an entry may pass one amount's range: summed in 64 bits.
                total = total
                    .wide_add(line.amount)
                    .map_err(|_| ApiError::out_of_range("total"))?;
                (line.amount.amount(), zero)
            }
            Side::Credit => (zero, line.amount.amount()),
        };
        lines.push(LineView {
            account: account.into(),
            debit,
            credit,
            party: line.party.map(PartyView::from),
        });
    }
    Ok(EntryView {
        id: entry.id.get(),
        date: entry.date,
        memo: entry.memo,
        source: SourceView {
            kind: entry.source.kind.as_str().to_owned(),
            id: entry.source.id,
        },
        user_id: entry.user_id.get(),
        lines,
        total: total.amount(),
        reverses: entry.reverses.map(EntryId::get),
        reversed_by: entry.reversed_by.map(EntryId::get),
        created_at: entry.created_at,
    })
}

/// Renders an entry the application posted, with its chart.
pub fn posted_view(posted: &Posted) -> Result<EntryView, ApiError> {
    entry_view(posted.entry.clone(), &posted.accounts)
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JournalParams {
    /// First date, inclusive (YYYY-MM-DD).
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub from: Option<Date>,
    /// Last date, inclusive.
    #[serde(default, with = "iso_date::option")]
    #[param(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub to: Option<Date>,
    /// Entries with a line on this account.
    #[garde(skip)]
    pub account_id: Option<i64>,
    /// Entries made by this kind of source (`expense`, `payment`...).
    #[garde(length(max = 16))]
    pub source: Option<String>,
    /// With `party_id`: entries with a line for this customer or supplier.
    #[garde(skip)]
    pub party_kind: Option<PartyKindDto>,
    #[garde(skip)]
    pub party_id: Option<i64>,
    /// By date then id; default newest first.
    #[garde(skip)]
    pub order: Option<SortOrder>,
    #[garde(range(min = 1))]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
    pub per_page: Option<u32>,
}

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
        Some(s) => Some(SourceKind::parse(s).ok_or_else(|| ApiError::validation("source", "is not a kind of source: opening, expense, payment, reversal, purchase, sale, refund or adjustment"))?),
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

#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReverseInput {
    /// The reversal's date (default today).
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub date: Option<Date>,
    /// Why it is reversed.
    #[garde(length(max = 500))]
    pub memo: Option<String>,
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
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
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

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningLineInput {
    /// A balance-sheet account (asset, liability or equity), by code.
    #[garde(length(min = 1, max = 16))]
    #[schema(example = "1000")]
    pub account_code: String,
    /// Give exactly one of `debit` and `credit`.
    #[serde(default, deserialize_with = "decimal::option_from_str")]
    #[schema(value_type = Option<String>, example = "500.00", pattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")]
    #[garde(skip)]
    pub debit: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal::option_from_str")]
    #[schema(value_type = Option<String>, pattern = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$")]
    #[garde(skip)]
    pub credit: Option<Decimal>,
}

/// Opening balances: what the shop holds and owes when it starts using the books, e.g. cash
/// in hand against owner's equity. The lines must balance.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningInput {
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    #[garde(skip)]
    pub date: Option<Date>,
    #[garde(length(max = 500))]
    pub memo: Option<String>,
    #[garde(length(min = 2, max = 100), dive)]
    pub lines: Vec<OpeningLineInput>,
}

/// Post opening balances. Admins. Honours `Idempotency-Key`.
///
/// Opening balances go on cash, wallets, equity and the shop's own balance-sheet accounts.
/// Control accounts are refused with 422 (`posted_by_*`): opening stock is bought in with a
/// purchase (which creates the lots), and what customers and suppliers owe at the start is not
/// taken here, so that the books and the subledgers agree from the first entry.
#[utoipa::path(
    post, path = "/api/journal/opening", tag = "ledger",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
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
