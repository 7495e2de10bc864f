//! The phases of a run, in the order main runs them, and what they share.

pub mod checkout;
pub mod discover;
pub mod limit;
pub mod login_storm;
pub mod product_list;
pub mod registers;
pub mod reports;
pub mod server;

use anyhow::{Context, Result};
use std::time::Duration;
use time::Date;
use time::macros::format_description;

/// The report periods, relative to today's UTC date. Report paths name them as `{TODAY}`,
/// `{M30}` (the last 30 days, today included) and `{Y}` (the last 365 days).
pub struct Dates {
    pub today: String,
    pub m30: String,
    pub y: String,
}

impl Dates {
    pub fn new(today: Date) -> Result<Self> {
        let format = format_description!("[year]-[month]-[day]");
        Ok(Self {
            today: today.format(&format)?,
            m30: (today - time::Duration::days(29)).format(&format)?,
            y: (today - time::Duration::days(364)).format(&format)?,
        })
    }

    /// The path with its date placeholders filled in.
    pub fn expand(&self, path: &str) -> String {
        path.replace("{TODAY}", &self.today)
            .replace("{M30}", &self.m30)
            .replace("{Y}", &self.y)
    }
}

/// One Markdown table row.
pub fn row<S: AsRef<str>>(cells: &[S]) -> String {
    let cells: Vec<&str> = cells.iter().map(AsRef::as_ref).collect();
    format!("| {} |", cells.join(" | "))
}

/// A Markdown table's header and separator lines.
pub fn table_head(columns: &[&str]) -> String {
    let separator: Vec<&str> = columns.iter().map(|_| "---").collect();
    format!("{}\n{}", row(columns), row(&separator))
}

/// What concurrent clients observed, merged across them.
#[derive(Default)]
pub struct Tally {
    /// Latencies of the successful requests only.
    pub latencies: Vec<Duration>,
    pub ok: usize,
    /// Requests the server rightly declined (checkout: insufficient stock).
    pub refused: usize,
    pub errors: usize,
    /// The first error, to show what went wrong.
    pub first_error: Option<String>,
}

impl Tally {
    pub fn error(&mut self, message: String) {
        self.errors += 1;
        self.first_error.get_or_insert(message);
    }

    pub fn merge(&mut self, other: Tally) {
        self.latencies.extend(other.latencies);
        self.ok += other.ok;
        self.refused += other.refused;
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }
}

/// Waits for every client task and merges what they saw.
pub async fn join_all(tasks: Vec<tokio::task::JoinHandle<Result<Tally>>>) -> Result<Tally> {
    let mut total = Tally::default();
    for task in tasks {
        total.merge(task.await.context("a client task panicked")??);
    }
    Ok(total)
}
