//! What the comparison found: per-row statistics, the table printed at the
//! end, and the JSON written beside it.

use serde_json::{Value, json};

use crate::measure::{Metric, Row};
use zmq_guide::perf::stats::{median, median_interval};

/// The goal of the comparison: the Rust port keeps at least this share of
/// libzmq's throughput ...
pub(crate) const MIN_THROUGHPUT_RATIO: f64 = 0.98;
/// ... and adds at most this factor to its latency.
pub(crate) const MAX_LATENCY_RATIO: f64 = 1.02;

/// Median and spread of repeated runs.
#[derive(Debug, Clone)]
pub(crate) struct Stats {
    pub(crate) median: f64,
    pub(crate) min: f64,
    pub(crate) max: f64,
    pub(crate) runs: Vec<f64>,
}

impl Stats {
    /// The statistics of `runs` (at least one).
    pub(crate) fn of(runs: Vec<f64>) -> Stats {
        let mut sorted = runs.clone();
        sorted.sort_by(f64::total_cmp);
        Stats {
            median: median(&sorted),
            min: sorted.first().copied().unwrap_or(f64::NAN),
            max: sorted.last().copied().unwrap_or(f64::NAN),
            runs,
        }
    }

    fn to_json(&self) -> Value {
        json!({ "median": self.median, "min": self.min, "max": self.max, "runs": self.runs })
    }
}

/// A row's standing against the goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The median pair ratio meets the goal.
    Met,
    /// It does not, but its confidence interval reaches the goal.
    Noise,
    /// The whole confidence interval misses the goal.
    Missed,
}

impl Verdict {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Verdict::Met => "ok",
            Verdict::Noise => "noise",
            Verdict::Missed => "MISSED",
        }
    }
}

/// libzmq's tool and the Rust port, run alternately on one row.
#[derive(Debug, Clone)]
pub(crate) struct RowResult {
    pub(crate) row: Row,
    /// Messages (or roundtrips) per run.
    pub(crate) count: u64,
    pub(crate) raw: Stats,
    pub(crate) rust: Stats,
}

impl RowResult {
    /// Rust's median over libzmq's median.
    pub(crate) fn ratio(&self) -> f64 {
        self.rust.median / self.raw.median
    }

    /// The ratios of the runs made back to back (raw run i, Rust run i),
    /// sorted.
    fn pair_ratios(&self) -> Vec<f64> {
        let mut ratios: Vec<f64> = (self.raw.runs.iter().zip(&self.rust.runs))
            .map(|(raw, rust)| rust / raw)
            .collect();
        ratios.sort_by(f64::total_cmp);
        ratios
    }

    /// The median of the pair ratios: less sensitive to the machine slowing
    /// down or speeding up between pairs than the ratio of medians.
    pub(crate) fn paired_ratio(&self) -> f64 {
        median(&self.pair_ratios())
    }

    /// A confidence interval for the median pair ratio, and its level.
    pub(crate) fn paired_interval(&self) -> (f64, f64, f64) {
        median_interval(&self.pair_ratios())
    }

    /// The goal this row is held to, as text.
    pub(crate) fn goal(&self) -> String {
        match self.row.metric {
            Metric::Throughput => format!(">= {MIN_THROUGHPUT_RATIO}"),
            Metric::Latency => format!("<= {MAX_LATENCY_RATIO}"),
        }
    }

    /// True if `ratio` is on the good side of the goal.
    fn within_goal(&self, ratio: f64) -> bool {
        match self.row.metric {
            Metric::Throughput => ratio >= MIN_THROUGHPUT_RATIO,
            Metric::Latency => ratio <= MAX_LATENCY_RATIO,
        }
    }

    /// How the row fares against the goal. The median pair ratio decides;
    /// when it falls short but its confidence interval still reaches the
    /// goal, the runs cannot tell the two sides apart and the row is
    /// noise, not a miss.
    pub(crate) fn verdict(&self) -> Verdict {
        let (low, high, _) = self.paired_interval();
        if self.within_goal(self.paired_ratio()) {
            Verdict::Met
        } else if self.within_goal(low) || self.within_goal(high) {
            Verdict::Noise
        } else {
            Verdict::Missed
        }
    }

    fn label(&self) -> String {
        format!(
            "{} {} {}",
            self.row.transport.name(),
            self.row.metric.name(),
            size_label(self.row.size)
        )
    }

    fn to_json(&self) -> Value {
        let (low, high, confidence) = self.paired_interval();
        json!({
            "transport": self.row.transport.name(),
            "metric": self.row.metric.name(),
            "unit": self.row.metric.unit(),
            "size": self.row.size,
            "count": self.count,
            "raw": self.raw.to_json(),
            "rust": self.rust.to_json(),
            "ratio": self.ratio(),
            "paired_ratio": self.paired_ratio(),
            "paired_interval": { "low": low, "high": high, "confidence": confidence },
            "goal": self.goal(),
            "verdict": self.verdict().as_str(),
        })
    }
}

/// Copying and zero-copy sends of owned vectors, run alternately.
#[derive(Debug, Clone)]
pub(crate) struct ZeroCopyResult {
    pub(crate) size: usize,
    pub(crate) count: u64,
    pub(crate) copy: Stats,
    pub(crate) owned: Stats,
}

impl ZeroCopyResult {
    /// How many times faster handing the vector over is than copying it.
    pub(crate) fn speedup(&self) -> f64 {
        self.owned.median / self.copy.median
    }

    fn to_json(&self) -> Value {
        json!({
            "transport": "inproc",
            "size": self.size,
            "count": self.count,
            "unit": "msg/s",
            "copy": self.copy.to_json(),
            "zero_copy": self.owned.to_json(),
            "speedup": self.speedup(),
        })
    }
}

/// Everything one invocation measured.
#[derive(Debug, Clone)]
pub(crate) struct Report {
    pub(crate) mode: &'static str,
    pub(crate) pairs: usize,
    pub(crate) rows: Vec<RowResult>,
    pub(crate) zero_copy: Vec<ZeroCopyResult>,
    pub(crate) elapsed_seconds: f64,
}

impl Report {
    /// The table of medians, spreads and ratios.
    pub(crate) fn table(&self) -> String {
        let mut out = format!(
            "libzmq {} perf tools (C++) vs their Rust ports, {} alternating pairs per row ({} mode, {:.0} s)\n\n",
            version(),
            self.pairs,
            self.mode,
            self.elapsed_seconds,
        );
        out += &format!(
            "{:<24} {:>7}  {:<34} {:<34} {:>8} {:>7}  {:<15}  {}\n",
            "row",
            "count",
            "libzmq: median [min - max]",
            "Rust: median [min - max]",
            "rust/raw",
            "paired",
            interval_heading(&self.rows),
            "goal"
        );
        for result in &self.rows {
            let unit = result.row.metric.unit();
            let (low, high, _) = result.paired_interval();
            out += &format!(
                "{:<24} {:>7}  {:<34} {:<34} {:>8.3} {:>7.3}  {:<15}  {} {}\n",
                result.label(),
                human(result.count as f64),
                spread(&result.raw, result.row.metric, unit),
                spread(&result.rust, result.row.metric, unit),
                result.ratio(),
                result.paired_ratio(),
                format!("[{low:.3} - {high:.3}]"),
                result.goal(),
                result.verdict().as_str(),
            );
        }
        if !self.zero_copy.is_empty() {
            out += &format!(
                "\n{:<24} {:>7}  {:<34} {:<34} {:>8}\n",
                "owned Vec<u8>, inproc",
                "count",
                "send(&[u8]): median [min - max]",
                "send(Vec<u8>): median [min - max]",
                "speedup"
            );
            for result in &self.zero_copy {
                out += &format!(
                    "{:<24} {:>7}  {:<34} {:<34} {:>7.2}x\n",
                    format!("zero-copy {}", size_label(result.size)),
                    human(result.count as f64),
                    spread(&result.copy, Metric::Throughput, "msg/s"),
                    spread(&result.owned, Metric::Throughput, "msg/s"),
                    result.speedup(),
                );
            }
        }
        out
    }

    /// The whole report as JSON.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "libzmq": version(),
            "mode": self.mode,
            "pairs": self.pairs,
            "elapsed_seconds": self.elapsed_seconds,
            "goal": {
                "throughput_ratio_at_least": MIN_THROUGHPUT_RATIO,
                "latency_ratio_at_most": MAX_LATENCY_RATIO,
            },
            "rows": self.rows.iter().map(RowResult::to_json).collect::<Vec<_>>(),
            "zero_copy": self.zero_copy.iter().map(ZeroCopyResult::to_json).collect::<Vec<_>>(),
        })
    }
}

pub(crate) fn version() -> String {
    let (major, minor, patch) = zmq::version();
    format!("{major}.{minor}.{patch}")
}

/// The heading of the interval column: `paired 95% CI`, or the level the
/// runs allow when there are too few of them for 95%.
fn interval_heading(rows: &[RowResult]) -> String {
    let confidence = rows
        .iter()
        .map(|row| row.paired_interval().2)
        .fold(f64::NAN, f64::min);
    format!("paired {:.0}% CI", (confidence * 100.0).floor())
}

/// `1 B`, `64 B`, `1 KiB`, `64 KiB`, `1 MiB`.
pub(crate) fn size_label(size: usize) -> String {
    match size {
        s if s >= 1 << 20 && s % (1 << 20) == 0 => format!("{} MiB", s >> 20),
        s if s >= 1 << 10 && s % (1 << 10) == 0 => format!("{} KiB", s >> 10),
        s => format!("{s} B"),
    }
}

/// `median [min - max] unit`, in a form that reads at a glance.
fn spread(stats: &Stats, metric: Metric, unit: &str) -> String {
    let show = |v: f64| match metric {
        Metric::Throughput => human(v),
        Metric::Latency => format!("{v:.2}"),
    };
    format!(
        "{} [{} - {}] {unit}",
        show(stats.median),
        show(stats.min),
        show(stats.max)
    )
}

/// 3.52M, 871.2k, 950.
pub(crate) fn human(value: f64) -> String {
    if value >= 1e6 {
        format!("{:.2}M", value / 1e6)
    } else if value >= 1e4 {
        format!("{:.1}k", value / 1e3)
    } else {
        format!("{value:.0}")
    }
}
