//! Latency percentiles and their formatting.

use std::time::Duration;

/// Percentiles of a set of latencies, by the nearest-rank method: the p-th percentile is the
/// smallest sample such that at least p % of the samples are at or below it. It is always an
/// observed value, never an interpolation.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Summary {
    /// `None` when there are no samples.
    pub fn of(mut samples: Vec<Duration>) -> Option<Self> {
        samples.sort_unstable();
        Some(Self {
            p50: nearest_rank(&samples, 50)?,
            p95: nearest_rank(&samples, 95)?,
            p99: nearest_rank(&samples, 99)?,
            max: *samples.last()?,
        })
    }
}

/// The `percent`-th percentile of sorted samples: the sample at rank ⌈percent/100 × n⌉
/// (counting from 1).
fn nearest_rank(sorted: &[Duration], percent: usize) -> Option<Duration> {
    let rank = (percent * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// Milliseconds with one decimal, as the tables show them.
pub fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// "met" when `d` is within `target_ms`, else "missed".
pub fn verdict(d: Duration, target_ms: u64) -> &'static str {
    if d <= Duration::from_millis(target_ms) {
        "met"
    } else {
        "missed"
    }
}

/// Events per second over a wall-clock span, with one decimal.
pub fn per_second(count: usize, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    if secs > 0.0 {
        format!("{:.1}", count as f64 / secs)
    } else {
        "–".to_owned()
    }
}
