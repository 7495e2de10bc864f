//! Logging: human-readable by default, JSON lines with `POS_LOG_FORMAT=json`; `RUST_LOG` filters.

use crate::config::LogFormat;
use tracing_subscriber::EnvFilter;

/// sqlx logs every statement at INFO; keep it to warnings unless asked.
const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn";

pub fn init(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    // Colour codes only on a terminal: a log file or a pipe gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi);
    // A second init (tests) is harmless: the first subscriber stays.
    let _ = match format {
        LogFormat::Human => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}
