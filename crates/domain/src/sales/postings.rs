//! How a sale and its cost reach the ledger.

use super::sale::NewSale;
use crate::ids::{AccountId, SaleId};
use crate::ledger::{BalancedEntry, EntryDraft, LedgerError, LineDraft, Party, Source, SourceKind};
use crate::money::Money;

/// The accounts a sale posts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaleAccounts {
    pub receivable: AccountId,
    pub revenue: AccountId,
    pub discounts: AccountId,
    pub tax: AccountId,
    pub cogs: AccountId,
    pub inventory: AccountId,
}

/// Dr each method's account for what it kept, Dr receivables (the customer) for the due, Dr
/// discounts given; Cr revenue (before discounts, without tax) and Cr tax payable.
///
/// Discounts are recorded at the amount taken off the price, so net sales (revenue less
/// discounts) is exactly what the lines were charged without tax. `None` for a free sale.
pub fn sale_entry(
    sale: &NewSale,
    a: SaleAccounts,
    sale_id: SaleId,
) -> Result<Option<BalancedEntry>, LedgerError> {
    let cart = &sale.cart;
    if cart.total == Money::ZERO && cart.discount == Money::ZERO {
        return Ok(None);
    }
    let range = |_| LedgerError::OutOfRange;
    // Revenue before discounts: what the lines were charged without tax, plus the discounts.
    let revenue = Money::checked_sum(cart.lines.iter().map(|l| l.net()))
        .and_then(|net| net.checked_add(cart.discount))
        .map_err(range)?;
    let mut lines: Vec<LineDraft> = sale
        .settlement
        .received
        .iter()
        .map(|(method, amount)| LineDraft::debit(method.account_id, *amount))
        .collect();
    if sale.settlement.due != Money::ZERO {
        lines.push(
            LineDraft::debit(a.receivable, sale.settlement.due)
                .with_party(sale.customer_id.map(Party::Customer)),
        );
    }
    if cart.discount != Money::ZERO {
        lines.push(LineDraft::debit(a.discounts, cart.discount));
    }
    if !revenue.is_zero() {
        lines.push(LineDraft::credit(a.revenue, revenue));
    }
    if cart.tax != Money::ZERO {
        lines.push(LineDraft::credit(a.tax, cart.tax));
    }
    BalancedEntry::new(EntryDraft {
        date: sale.date,
        memo: format!("Sale {}", sale.invoice_no),
        source: Source {
            kind: SourceKind::Sale,
            id: Some(sale_id.get()),
        },
        user_id: sale.user_id,
        lines,
    })
    .map(Some)
}

/// Dr cost of goods sold, Cr inventory, for the FIFO cost of what left. `None` when it cost
/// nothing.
pub fn cogs_entry(
    sale: &NewSale,
    a: SaleAccounts,
    sale_id: SaleId,
) -> Result<Option<BalancedEntry>, LedgerError> {
    let cost = Money::checked_sum(sale.takes.iter().flatten().map(|t| t.cost))
        .map_err(|_| LedgerError::OutOfRange)?;
    if cost.is_zero() {
        return Ok(None);
    }
    BalancedEntry::new(EntryDraft {
        date: sale.date,
        memo: format!("Cost of sale {}", sale.invoice_no),
        source: Source {
            kind: SourceKind::Sale,
            id: Some(sale_id.get()),
        },
        user_id: sale.user_id,
        lines: vec![
            LineDraft::debit(a.cogs, cost),
            LineDraft::credit(a.inventory, cost),
        ],
    })
    .map(Some)
}
