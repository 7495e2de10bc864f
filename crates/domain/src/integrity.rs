//! The integrity check: the books and the stock agree with themselves. Every invariant the rest
//! of the system maintains is verified from the stored data, and each discrepancy is reported
//! with its figures.

use crate::StoreError;
use crate::ids::{CashSessionId, EntryId, ProductId};
use crate::ledger::chart::codes;
use crate::ledger::{DateRange, SourceKind};
use crate::money::Money;
use crate::ports::Tx;
use crate::ports::cash::SessionFilter;
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
    /// At one location, the inventory account's lines and the value of the lots there differ.
    LocationInventory {
        location: crate::ids::LocationId,
        ledger: Money,
        lots: Money,
    },
    /// For one destination, the in-transit account's lines and the value of the units on their
    /// way there differ.
    InTransitValue {
        location: crate::ids::LocationId,
        ledger: Money,
        transit: Money,
    },
    /// For one destination, the units the transfers say are on their way (shipped less
    /// received less short) and the units their transit lots hold differ.
    InTransitUnits {
        location: crate::ids::LocationId,
        transfers: Quantity,
        transit: Quantity,
    },
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
    /// A closed cash session whose Z report's expected cash is not its float plus the cash
    /// lines the ledger holds for it (the close's own aside): a posting changed after the close,
    /// or the Z report was altered.
    SessionExpected {
        session: CashSessionId,
        z_report: Money,
        ledger: Money,
    },
    /// A closed cash session whose counted cash is not what the ledger's cash lines come to
    /// with the close's over/short posting: the difference was not posted as counted.
    SessionCounted {
        session: CashSessionId,
        counted: Money,
        ledger: Money,
    },
    /// An entry tagged with a cash session it cannot belong to: no such session, another
    /// register's, or one not open when the entry was posted.
    SessionEntry {
        entry_id: EntryId,
        session: CashSessionId,
    },
}

/// Checks every session: each entry tagged with one was posted at its register while it was
/// open, and each closed one's Z figures agree with the ledger. An open session keeps no figure
/// that could drift: its expected cash is read from the ledger whenever it is asked for.
async fn sessions(tx: &mut dyn Tx, found: &mut Vec<Discrepancy>) -> Result<(), StoreError> {
    for (entry_id, session) in tx.misplaced_session_entries().await? {
        found.push(Discrepancy::SessionEntry { entry_id, session });
    }
    let Some(cash) = tx
        .static_data(true)
        .await?
        .account_by_code(codes::CASH)
        .map(|a| a.id)
    else {
        return Ok(());
    };
    let range = || StoreError::OutOfRange("a session's cash");
    let closed = SessionFilter {
        open: Some(false),
        ..SessionFilter::default()
    };
    for session in crate::services::cash::all_sessions(tx, closed).await? {
        let Some(closing) = &session.closing else {
            continue;
        };
        let (mut before, mut after) = (session.opening.float, session.opening.float);
        for row in tx.session_postings(session.id).await? {
            if row.account_id != cash {
                continue;
            }
            let net = row.debit.wide_sub(row.credit).map_err(|_| range())?;
            after = after.wide_add(net).map_err(|_| range())?;
            if row.kind != SourceKind::SessionClose {
                before = before.wide_add(net).map_err(|_| range())?;
            }
        }
        if before != closing.expected {
            found.push(Discrepancy::SessionExpected {
                session: session.id,
                z_report: closing.expected,
                ledger: before,
            });
        }
        if after != closing.counted {
            found.push(Discrepancy::SessionCounted {
                session: session.id,
                counted: closing.counted,
                ledger: after,
            });
        }
    }
    Ok(())
}

/// Per location: the inventory account's lines equal the lots there; per destination: the
/// in-transit account's lines equal the value in transit, and the transfers' outstanding units
/// equal what their transit lots hold.
async fn locations(tx: &mut dyn Tx, found: &mut Vec<Discrepancy>) -> Result<(), StoreError> {
    use std::collections::BTreeMap;
    let range = |_| StoreError::OutOfRange("a balance");
    let transit = tx.in_transit().await?;
    let mut outstanding: BTreeMap<crate::ids::LocationId, i64> = BTreeMap::new();
    for status in [
        crate::transfer::TransferStatus::Shipped,
        crate::transfer::TransferStatus::PartiallyReceived,
    ] {
        let mut page = 1;
        loop {
            let query = crate::paging::ListQuery {
                filter: crate::transfer::TransferFilter {
                    status: Some(status),
                    location: None,
                },
                sort: (),
                order: crate::paging::Order::Asc,
                page: crate::paging::PageRequest::new(
                    Some(page),
                    Some(crate::paging::PageRequest::MAX_PER_PAGE),
                ),
            };
            let found_page = tx.list_transfers(&query).await?;
            for t in &found_page.items {
                *outstanding.entry(t.to).or_default() += t
                    .lines
                    .iter()
                    .map(|l| l.outstanding().thousandths())
                    .sum::<i64>();
            }
            if u64::from(page) * u64::from(found_page.per_page) >= found_page.total {
                break;
            }
            page += 1;
        }
    }
    for location in tx.list_locations().await? {
        let at = [location.id];
        let totals = tx.account_totals_at(DateRange::default(), &at).await?;
        let balance = |code: &str| {
            totals
                .iter()
                .find(|t| t.account.code.as_str() == code)
                .map_or(Ok(Money::ZERO), |t| t.balance())
                .map_err(range)
        };
        let lots = Money::wide_sum(tx.stock_values_at(None, &at).await?.iter().map(|v| v.value))
            .map_err(range)?;
        let ledger = balance(codes::INVENTORY)?;
        if ledger != lots {
            found.push(Discrepancy::LocationInventory {
                location: location.id,
                ledger,
                lots,
            });
        }
        let (units, value) = transit
            .iter()
            .find(|(l, _, _)| *l == location.id)
            .map_or((Quantity::ZERO, Money::ZERO), |(_, q, v)| (*q, *v));
        let ledger = balance(codes::INVENTORY_IN_TRANSIT)?;
        if ledger != value {
            found.push(Discrepancy::InTransitValue {
                location: location.id,
                ledger,
                transit: value,
            });
        }
        let expected = outstanding.get(&location.id).copied().unwrap_or(0);
        if expected != units.thousandths() {
            found.push(Discrepancy::InTransitUnits {
                location: location.id,
                transfers: Quantity::from_thousandths(expected),
                transit: units,
            });
        }
    }
    Ok(())
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
    locations(tx, &mut found).await?;
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
    sessions(tx, &mut found).await?;
    Ok(found)
}
