//! Administration: the integrity check.

use pos_domain::integrity::Discrepancy;
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

/// One thing that does not add up, with its figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiscrepancyView {
    /// `unbalanced_entry`, `stock`, `inventory_value`, `location_inventory`,
    /// `in_transit_value`, `in_transit_units`, `receivables`, `payables`, `ledger_sums`,
    /// `report_sums`, `session_expected`, `session_counted` or `session_entry`.
    pub kind: &'static str,
    /// What disagrees, in words.
    pub detail: String,
    /// The journal entry, product, cash session or location concerned.
    pub id: Option<i64>,
    /// The two figures that should be equal.
    #[schema(value_type = String)]
    pub expected: Decimal,
    #[schema(value_type = String)]
    pub found: Decimal,
}

pub fn view(d: Discrepancy) -> DiscrepancyView {
    match d {
        Discrepancy::UnbalancedEntry {
            entry_id,
            debit,
            credit,
        } => DiscrepancyView {
            kind: "unbalanced_entry",
            detail: format!("entry {entry_id}: debits {debit} but credits {credit}"),
            id: Some(entry_id.get()),
            expected: debit.amount(),
            found: credit.amount(),
        },
        Discrepancy::Stock(a) => DiscrepancyView {
            kind: "stock",
            detail: format!(
                "product {}: {} on hand, {} in lots, {} by the log",
                a.product_id,
                a.on_hand,
                a.in_lots,
                Decimal::new(a.logged_thousandths, 3).normalize()
            ),
            id: Some(a.product_id.get()),
            expected: a.in_lots.value(),
            found: a.on_hand.value(),
        },
        Discrepancy::InventoryValue { ledger, lots } => DiscrepancyView {
            kind: "inventory_value",
            detail: format!("the inventory account is {ledger} but the lots are worth {lots}"),
            id: None,
            expected: lots.amount(),
            found: ledger.amount(),
        },
        Discrepancy::LocationInventory {
            location,
            ledger,
            lots,
        } => DiscrepancyView {
            kind: "location_inventory",
            detail: format!(
                "location {location}: its inventory lines come to {ledger} but its lots are \
                 worth {lots}"
            ),
            id: Some(location.get()),
            expected: lots.amount(),
            found: ledger.amount(),
        },
        Discrepancy::InTransitValue {
            location,
            ledger,
            transit,
        } => DiscrepancyView {
            kind: "in_transit_value",
            detail: format!(
                "to location {location}: the in-transit lines come to {ledger} but the units on \
                 their way are worth {transit}"
            ),
            id: Some(location.get()),
            expected: transit.amount(),
            found: ledger.amount(),
        },
        Discrepancy::InTransitUnits {
            location,
            transfers,
            transit,
        } => DiscrepancyView {
            kind: "in_transit_units",
            detail: format!(
                "to location {location}: the transfers have {transfers} on the way but their \
                 transit lots hold {transit}"
            ),
            id: Some(location.get()),
            expected: transfers.value(),
            found: transit.value(),
        },
        Discrepancy::Receivables { ledger, open_dues } => DiscrepancyView {
            kind: "receivables",
            detail: format!(
                "receivables are {ledger} but customers owe {open_dues} on their sales"
            ),
            id: None,
            expected: open_dues.amount(),
            found: ledger.amount(),
        },
        Discrepancy::Payables { ledger, open_dues } => DiscrepancyView {
            kind: "payables",
            detail: format!("payables are {ledger} but {open_dues} is owed on purchases"),
            id: None,
            expected: open_dues.amount(),
            found: ledger.amount(),
        },
        Discrepancy::LedgerSums {
            day,
            journal,
            daily_sums,
        } => DiscrepancyView {
            kind: "ledger_sums",
            detail: format!(
                "{day}: the journal's lines debit {journal} but the daily sums say {daily_sums}"
            ),
            id: None,
            expected: journal.amount(),
            found: daily_sums.amount(),
        },
        Discrepancy::ReportSums {
            day,
            sale_lines,
            report_sums,
        } => DiscrepancyView {
            kind: "report_sums",
            detail: format!(
                "{day}: the sale lines total {sale_lines} but the report sums say {report_sums}"
            ),
            id: None,
            expected: sale_lines.amount(),
            found: report_sums.amount(),
        },
        Discrepancy::SessionExpected {
            session,
            z_report,
            ledger,
        } => DiscrepancyView {
            kind: "session_expected",
            detail: format!(
                "cash session {session}: its Z report expected {z_report} but the float and \
                 its cash lines in the ledger come to {ledger}"
            ),
            id: Some(session.get()),
            expected: ledger.amount(),
            found: z_report.amount(),
        },
        Discrepancy::SessionCounted {
            session,
            counted,
            ledger,
        } => DiscrepancyView {
            kind: "session_counted",
            detail: format!(
                "cash session {session}: {counted} was counted but the ledger's cash lines with \
                 the close's come to {ledger}"
            ),
            id: Some(session.get()),
            expected: counted.amount(),
            found: ledger.amount(),
        },
        Discrepancy::SessionEntry { entry_id, session } => DiscrepancyView {
            kind: "session_entry",
            detail: format!(
                "entry {entry_id} is tagged with cash session {session}, which it cannot belong \
                 to (no such session, another register's, or not open when it was posted)"
            ),
            id: Some(entry_id.get()),
            expected: rust_decimal::Decimal::ZERO,
            found: rust_decimal::Decimal::ZERO,
        },
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IntegrityReport {
    /// True when nothing disagrees.
    pub ok: bool,
    pub discrepancies: Vec<DiscrepancyView>,
}

/// The report as text lines, for the `pos-app check` command.
pub fn describe(found: Vec<Discrepancy>) -> Vec<String> {
    found.into_iter().map(|d| view(d).detail).collect()
}
