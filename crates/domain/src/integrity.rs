//! The integrity check: the books and the stock agree with themselves. Every invariant the rest
//! of the system maintains is verified from the stored data, and each discrepancy is reported
//! with its figures.

use crate::StoreError;
use crate::ids::{EntryId, ProductId};
use crate::ledger::DateRange;
use crate::ledger::chart::codes;
use crate::money::Money;
use crate::ports::Tx;
use crate::quantity::Quantity;

/// One product's stock as cached, as the sum of its lots, and as the sum of its log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockAudit {
    pub product_id: ProductId,
    pub on_hand: Quantity,
    pub in_lots: Quantity,
    /// Sum of every logged change (after - before), in thousandths; may be negative in a
    /// broken store, hence not a `Quantity`.
    pub logged_thousandths: i64,
}

impl StockAudit {
    pub fn agrees(&self) -> bool {
        self.on_hand == self.in_lots && self.on_hand.thousandths() == self.logged_thousandths
    }
}

/// What does not add up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discrepancy {
    /// A journal entry whose debits and credits differ.
    UnbalancedEntry {
        entry_id: EntryId,
        debit: Money,
        credit: Money,
    },
    /// A product whose cached stock, lots and log disagree.
    Stock(StockAudit),
    /// The inventory account and the lots' remaining value differ.
    InventoryValue { ledger: Money, lots: Money },
    /// Accounts receivable and the customers' open dues differ.
    Receivables { ledger: Money, open_dues: Money },
    /// Accounts payable and the open supplier dues differ.
    Payables { ledger: Money, open_dues: Money },
    /// A day whose stored per-account sums (kept beside the journal for speed) differ from its
    /// journal lines: the day's debits both ways.
    LedgerSums {
        day: time::Date,
        journal: Money,
        daily_sums: Money,
    },
    /// A day whose report sums (kept beside the sales for speed) differ from its sale lines.
    ReportSums {
        day: time::Date,
        sale_lines: Money,
        report_sums: Money,
    },
}

/// Runs every check. An empty list means everything agrees.
pub async fn check(tx: &mut dyn Tx) -> Result<Vec<Discrepancy>, StoreError> {
    let mut found = Vec::new();
    for (entry_id, debit, credit) in tx.unbalanced_entries().await? {
        found.push(Discrepancy::UnbalancedEntry {
            entry_id,
            debit,
            credit,
        });
    }
    for audit in tx.stock_audit().await? {
        if !audit.agrees() {
            found.push(Discrepancy::Stock(audit));
        }
    }
    let totals = tx.account_totals(DateRange::default()).await?;
    let balance = |code: &str| {
        totals
            .iter()
            .find(|t| t.account.code.as_str() == code)
            .map_or(Ok(Money::ZERO), |t| t.balance())
            .map_err(|_| StoreError::OutOfRange("a balance"))
    };
    let lots = Money::wide_sum(tx.stock_values(None).await?.iter().map(|v| v.value))
        .map_err(|_| StoreError::OutOfRange("the stock's value"))?;
    if balance(codes::INVENTORY)? != lots {
        found.push(Discrepancy::InventoryValue {
            ledger: balance(codes::INVENTORY)?,
            lots,
        });
    }
    let (customers, suppliers) = tx.open_dues().await?;
    if balance(codes::ACCOUNTS_RECEIVABLE)? != customers {
        found.push(Discrepancy::Receivables {
            ledger: balance(codes::ACCOUNTS_RECEIVABLE)?,
            open_dues: customers,
        });
    }
    if balance(codes::ACCOUNTS_PAYABLE)? != suppliers {
        found.push(Discrepancy::Payables {
            ledger: balance(codes::ACCOUNTS_PAYABLE)?,
            open_dues: suppliers,
        });
    }
    for (day, journal, daily_sums) in tx.ledger_sums_drift().await? {
        found.push(Discrepancy::LedgerSums {
            day,
            journal,
            daily_sums,
        });
    }
    for (day, sale_lines, report_sums) in tx.report_sums_drift().await? {
        found.push(Discrepancy::ReportSums {
            day,
            sale_lines,
            report_sums,
        });
    }
    Ok(found)
}
