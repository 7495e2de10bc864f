//! The journal: read it, reverse an entry, post the opening balances.

use super::AccountRef;
use crate::date::iso_date;
use crate::problem::Unrenderable;
use crate::{SortOrder, decimal};
use garde::Validate;
use pos_domain::app::ledger::Posted;
use pos_domain::ids::{AccountId, EntryId};
use pos_domain::ledger::{Account, JournalEntry, Party, Side};
use pos_domain::money::Money;
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
    /// The store or warehouse the line belongs to.
    pub location_id: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SourceView {
    /// `opening`, `expense`, `payment`, `reversal`, `purchase`, `sale`, `refund`, `adjustment`,
    /// `supplier_return`, `cash_movement`, `session_close`, `transfer`.
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
    #[garde(length(chars, max = 16))]
    #[param(
        max_length = 16,
        pattern = "^(opening|expense|payment|reversal|purchase|sale|refund|adjustment|supplier_return)$"
    )]
    pub source: Option<String>,
    /// With `party_id`: entries with a line for this customer or supplier.
    #[garde(skip)]
    pub party_kind: Option<PartyKindDto>,
    #[garde(skip)]
    pub party_id: Option<i64>,
    /// By date then id; default newest first.
    #[garde(skip)]
    pub order: Option<SortOrder>,
    #[garde(range(min = 1, max = 2147483647))]
    #[param(minimum = 1, maximum = 2147483647)]
    pub page: Option<u32>,
    #[garde(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
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
    #[garde(length(chars, max = 500))]
    #[schema(max_length = 500)]
    pub memo: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningLineInput {
    /// A balance-sheet account (asset, liability or equity), by code.
    #[garde(length(chars, min = 1, max = 16))]
    #[schema(
        min_length = 1,
        max_length = 16,
        pattern = "^\\s*[A-Za-z0-9.-]{1,16}\\s*$"
    )]
    #[schema(example = "1000")]
    pub account_code: String,
    /// Give exactly one of `debit` and `credit`.
    #[serde(default, deserialize_with = "decimal::option_from_str")]
    #[schema(value_type = Option<String>, example = "500.00", pattern = "^(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
    #[garde(skip)]
    pub debit: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal::option_from_str")]
    #[schema(value_type = Option<String>, pattern = "^(0|[1-9][0-9]{0,10})(\\.[0-9]{1,2}0{0,14})?$")]
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
    #[garde(length(chars, max = 500))]
    #[schema(max_length = 500)]
    pub memo: Option<String>,
    #[garde(length(min = 2, max = 100), dive)]
    #[schema(min_items = 2, max_items = 100)]
    pub lines: Vec<OpeningLineInput>,
}

pub fn entry_view(
    entry: JournalEntry,
    accounts: &HashMap<AccountId, Account>,
) -> Result<EntryView, Unrenderable> {
    let zero = Money::ZERO.amount();
    let mut total = Money::ZERO;
    let mut lines = Vec::with_capacity(entry.lines.len());
    for line in entry.lines {
        let account = accounts
            .get(&line.account_id)
            .ok_or_else(|| Unrenderable::broken("line on an unknown account"))?;
        let (debit, credit) = match line.side {
            Side::Debit => {
                // One side of an entry may pass one amount's range: summed in 64 bits.
                total = total
                    .wide_add(line.amount)
                    .map_err(|_| Unrenderable::out_of_range("total"))?;
                (line.amount.amount(), zero)
            }
            Side::Credit => (zero, line.amount.amount()),
        };
        lines.push(LineView {
            account: account.into(),
            debit,
            credit,
            party: line.party.map(PartyView::from),
            location_id: line.location_id.get(),
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
pub fn posted_view(posted: &Posted) -> Result<EntryView, Unrenderable> {
    entry_view(posted.entry.clone(), &posted.accounts)
}
