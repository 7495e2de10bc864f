//! Report latency: one client, each endpoint in turn, requests one after another.

use super::{Dates, row, table_head};
use crate::http_client::{Connection, Response};
use crate::session::Session;
use crate::stats::{Summary, ms, verdict};
use anyhow::{Result, bail};
use std::time::{Duration, Instant};

/// A report endpoint to time. `path` may use the `{TODAY}`, `{M30}` and `{Y}` placeholders.
pub struct Endpoint {
    pub name: &'static str,
    pub path: &'static str,
    /// An `Accept` header to send, for endpoints that answer in other formats than JSON.
    pub accept: Option<&'static str>,
}

const fn json(name: &'static str, path: &'static str) -> Endpoint {
    Endpoint {
        name,
        path,
        accept: None,
    }
}

/// The endpoints measured, in the order they are printed. Edit freely.
pub const ENDPOINTS: &[Endpoint] = &[
    json("dashboard", "/api/dashboard"),
    json(
        "all transactions (30 days, page of 50)",
        "/api/sales?from={M30}&to={TODAY}&per_page=50",
    ),
    json(
        "financial summary (30 days)",
        "/api/reports/financial-summary?from={M30}&to={TODAY}",
    ),
    json(
        "financial summary (year)",
        "/api/reports/financial-summary?from={Y}&to={TODAY}",
    ),
    json(
        "daily trends (year)",
        "/api/reports/daily?from={Y}&to={TODAY}",
    ),
    json(
        "top products (30 days)",
        "/api/reports/top-products?from={M30}&to={TODAY}",
    ),
    json(
        "top products (year)",
        "/api/reports/top-products?from={Y}&to={TODAY}",
    ),
    json(
        "product analysis (30 days)",
        "/api/reports/products?from={M30}&to={TODAY}",
    ),
    json(
        "customers (30 days)",
        "/api/reports/customers?from={M30}&to={TODAY}",
    ),
    json(
        "customer overview (30 days)",
        "/api/reports/customers/overview?from={M30}&to={TODAY}",
    ),
    json(
        "staff (30 days)",
        "/api/reports/staff?from={M30}&to={TODAY}",
    ),
    json(
        "own performance (30 days)",
        "/api/users/me/performance?from={M30}&to={TODAY}",
    ),
    json(
        "payment methods (30 days)",
        "/api/reports/payment-methods?from={M30}&to={TODAY}",
    ),
    json("tax (30 days)", "/api/reports/tax?from={M30}&to={TODAY}"),
    json(
        "product analysis (year)",
        "/api/reports/products?from={Y}&to={TODAY}",
    ),
    json(
        "customers (year)",
        "/api/reports/customers?from={Y}&to={TODAY}",
    ),
    json("staff (year)", "/api/reports/staff?from={Y}&to={TODAY}"),
    json(
        "payment methods (year)",
        "/api/reports/payment-methods?from={Y}&to={TODAY}",
    ),
    json("tax (year)", "/api/reports/tax?from={Y}&to={TODAY}"),
    json(
        "financial analysis (year)",
        "/api/reports/financial-analysis?from={Y}&to={TODAY}",
    ),
    json(
        "profit and loss (year)",
        "/api/ledger/profit-and-loss?from={Y}&to={TODAY}",
    ),
    json("inventory alerts", "/api/reports/inventory/alerts"),
    json(
        "stock movement (30 days)",
        "/api/reports/inventory/movement?from={M30}&to={TODAY}",
    ),
    json("reorder recommendations", "/api/reports/inventory/reorder"),
    json("inventory valuation", "/api/inventory"),
    // Per store: demo-data makes the default store (1) and a second one (3) with a warehouse (2).
    json("dashboard (second store)", "/api/dashboard?location_ids=3"),
    json(
        "financial summary (year, second store)",
        "/api/reports/financial-summary?from={Y}&to={TODAY}&location_ids=3",
    ),
    json(
        "daily trends (year, both stores)",
        "/api/reports/daily?from={Y}&to={TODAY}&location_ids=1,3",
    ),
    json(
        "profit and loss (year, second store)",
        "/api/ledger/profit-and-loss?from={Y}&to={TODAY}&location_ids=3",
    ),
    json(
        "inventory valuation (warehouse)",
        "/api/inventory?location_ids=2",
    ),
    json(
        "inventory alerts (second store)",
        "/api/reports/inventory/alerts?location_id=3",
    ),
    json("detailed inventory", "/api/reports/inventory/detailed"),
    json(
        "financial analysis (30 days)",
        "/api/reports/financial-analysis?from={M30}&to={TODAY}",
    ),
    Endpoint {
        name: "sales CSV (30 days)",
        path: "/api/sales?from={M30}&to={TODAY}",
        accept: Some("text/csv"),
    },
];

/// Requests sent before measuring, so caches and connection set-up are not in the figures.
const WARM_UP: usize = 5;
/// The target for every report: p95 within this many milliseconds.
const TARGET_P95_MS: u64 = 100;

pub async fn run(session: &Session, dates: &Dates, requests: usize) -> Result<()> {
    session.renew().await?;
    println!("### Reports\n");
    println!(
        "{requests} sequential requests per endpoint from one client on one keep-alive \
         connection, after {WARM_UP} warm-up requests. `bytes` is the response body size.\n"
    );
    println!(
        "{}",
        table_head(&[
            "report",
            "path",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "bytes",
            &format!("target p95 ≤ {TARGET_P95_MS} ms"),
        ])
    );
    let mut connection = Connection::new(session.target().clone());
    let mut notes = Vec::new();
    for endpoint in ENDPOINTS {
        eprintln!("report: {}", endpoint.name);
        let path = dates.expand(endpoint.path);
        let shown = format!("`{}`", endpoint.path);
        let Some(measured) = measure(session, &mut connection, endpoint, &path, requests).await?
        else {
            println!(
                "{}",
                row(&[endpoint.name, &shown, "not available", "", "", "", "", ""])
            );
            continue;
        };
        notes.extend(measured.note);
        let Some(summary) = Summary::of(measured.latencies) else {
            continue;
        };
        println!(
            "{}",
            row(&[
                endpoint.name,
                &shown,
                &ms(summary.p50),
                &ms(summary.p95),
                &ms(summary.p99),
                &ms(summary.max),
                &measured.bytes.to_string(),
                verdict(summary.p95, TARGET_P95_MS),
            ])
        );
    }
    println!();
    for note in notes {
        println!("Note: {note}\n");
    }
    Ok(())
}

struct Measured {
    latencies: Vec<Duration>,
    /// The body size of the last response.
    bytes: usize,
    /// Something the reader of the table should know about this endpoint's figures.
    note: Option<String>,
}

/// Times `requests` requests after the warm-up; `None` if the endpoint does not exist (404),
/// so that the harness stays usable while reports are being built. Any other non-2xx fails.
async fn measure(
    session: &Session,
    connection: &mut Connection,
    endpoint: &Endpoint,
    path: &str,
    requests: usize,
) -> Result<Option<Measured>> {
    let mut latencies = Vec::with_capacity(requests);
    let mut bytes = 0;
    let mut note = None;
    for i in 0..WARM_UP + requests {
        let (response, latency) = fetch(session, connection, endpoint, path).await?;
        if i == 0 && response.status == 404 {
            return Ok(None);
        }
        if !response.is_success() {
            bail!(
                "report {:?}: GET {path} failed: {}",
                endpoint.name,
                response.describe()
            );
        }
        if i == 0 {
            note = content_type_note(endpoint, &response);
        }
        if i >= WARM_UP {
            latencies.push(latency);
            bytes = response.body.len();
        }
    }
    Ok(Some(Measured {
        latencies,
        bytes,
        note,
    }))
}

/// One timed GET. The token is fetched before the clock starts: a renewal is not the report's
/// time.
async fn fetch(
    session: &Session,
    connection: &mut Connection,
    endpoint: &Endpoint,
    path: &str,
) -> Result<(Response, Duration)> {
    let authorization = session.authorization().await?;
    let mut headers = vec![("Authorization", authorization.as_str())];
    if let Some(accept) = endpoint.accept {
        headers.push(("Accept", accept));
    }
    let started = Instant::now();
    let response = connection.send("GET", path, &headers, None).await?;
    Ok((response, started.elapsed()))
}

/// A note (and a warning on stderr) when an endpoint asked for another format than JSON answers
/// in something else, e.g. the sales list before CSV export exists: its row then times JSON.
fn content_type_note(endpoint: &Endpoint, response: &Response) -> Option<String> {
    let accept = endpoint.accept?;
    let got = response.header("Content-Type").unwrap_or("none");
    if got.starts_with(accept) {
        return None;
    }
    let note = format!(
        "{:?} asked for `{accept}` but was answered with `{got}`.",
        endpoint.name
    );
    eprintln!("warning: {note}");
    Some(note)
}
