//! After the load: the server's memory, and whether its books and stock still add up.

use super::{row, table_head};
use crate::http_client::Connection;
use crate::session::Session;
use anyhow::{Context, Result};
use serde_json::Value;

/// Prints the server's peak and current resident memory, read from `/proc/<pid>/status` (so
/// the server must run on this machine). A failure to read it is reported, not fatal.
pub fn memory(pid: u32) {
    println!("### Server memory\n");
    let path = format!("/proc/{pid}/status");
    let status = match std::fs::read_to_string(&path) {
        Ok(status) => status,
        Err(e) => {
            eprintln!("warning: cannot read {path}: {e}");
            println!("Could not read `{path}`: {e}.\n");
            return;
        }
    };
    println!("{}", table_head(&["measure", "MB"]));
    for (field, label) in [
        ("VmHWM", "peak resident (VmHWM)"),
        ("VmRSS", "resident now (VmRSS)"),
    ] {
        let megabytes = kilobytes(&status, field).map_or_else(
            || "unknown".to_owned(),
            |kb| format!("{:.1}", kb as f64 / 1024.0),
        );
        println!("{}", row(&[label, &megabytes]));
    }
    println!("\nVmHWM is the peak since the server process started, not only during this run.\n");
}

/// A `Name:   1234 kB` line of `/proc/<pid>/status`.
fn kilobytes(status: &str, field: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|number| number.parse().ok())
}

/// Runs the server's integrity check and prints what it found; true when nothing disagrees.
pub async fn integrity(session: &Session) -> Result<bool> {
    session.renew().await?;
    eprintln!("integrity check");
    let mut connection = Connection::new(session.target().clone());
    let report = session
        .get_json(&mut connection, "/api/admin/integrity")
        .await?;
    let ok = report
        .get("ok")
        .and_then(Value::as_bool)
        .with_context(|| format!("GET /api/admin/integrity: no \"ok\" in {report}"))?;
    let discrepancies = report
        .get("discrepancies")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    println!("### Integrity\n");
    if ok && discrepancies.is_empty() {
        println!(
            "`GET /api/admin/integrity`: no discrepancies. Every journal entry balances, stock \
             equals its lots and log, and inventory, receivables and payables agree.\n"
        );
        return Ok(true);
    }
    println!(
        "`GET /api/admin/integrity`: **{} discrepancies**.\n",
        discrepancies.len()
    );
    println!("{}", table_head(&["kind", "detail", "expected", "found"]));
    for d in discrepancies {
        let field = |name: &str| {
            d.get(name)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .replace('|', "\\|")
        };
        println!(
            "{}",
            row(&[
                field("kind"),
                field("detail"),
                field("expected"),
                field("found"),
            ])
        );
    }
    println!();
    Ok(false)
}
