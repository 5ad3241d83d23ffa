//! What the comparison found: per-row statistics, the tables printed at the
//! end, and the JSON and Markdown written beside them.

use std::fmt::Write;

use serde_json::{Value, json};

use crate::measure::{Metric, Row};
use zmq_guide::perf::stats::{median, median_interval};

/// The goal of the comparison: the Rust ports over this crate keep at least
/// this share of libzmq's throughput ...
pub(crate) const MIN_THROUGHPUT_RATIO: f64 = 0.98;
/// ... and add at most this factor to its latency.
pub(crate) const MAX_LATENCY_RATIO: f64 = 1.02;

/// The key of the implementation every ratio is taken to.
pub(crate) const BASELINE: &str = "libzmq";
/// The key of the implementation held to the goal.
pub(crate) const OURS: &str = "zmq";

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

/// One implementation's runs on one row.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) key: String,
    pub(crate) label: String,
    /// Messages (or roundtrips) per run, calibrated for this implementation.
    pub(crate) count: u64,
    pub(crate) stats: Stats,
}

/// A paired ratio: the median of the per-round ratios and its confidence
/// interval.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paired {
    pub(crate) ratio: f64,
    pub(crate) low: f64,
    pub(crate) high: f64,
    pub(crate) confidence: f64,
}

/// Every implementation's runs on one row, made in rounds (each round runs
/// each implementation once).
#[derive(Debug, Clone)]
pub(crate) struct RowResult {
    pub(crate) row: Row,
    pub(crate) entries: Vec<Entry>,
}

impl RowResult {
    pub(crate) fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// `entry` against libzmq's tools, round by round: the median of the
    /// ratios of runs made in the same round is less sensitive to the
    /// machine slowing down or speeding up between rounds than the ratio of
    /// medians.
    pub(crate) fn paired(&self, entry: &Entry) -> Option<Paired> {
        let baseline = self.entry(BASELINE)?;
        if entry.key == BASELINE {
            return None;
        }
        let mut ratios: Vec<f64> = (entry.stats.runs.iter().zip(&baseline.stats.runs))
            .map(|(value, base)| value / base)
            .collect();
        ratios.sort_by(f64::total_cmp);
        let (low, high, confidence) = median_interval(&ratios);
        Some(Paired {
            ratio: median(&ratios),
            low,
            high,
            confidence,
        })
    }

    /// The goal this row holds the crate's ports to, as text.
    pub(crate) fn goal(&self) -> String {
        if self.row.metric.higher_is_better() {
            format!(">= {MIN_THROUGHPUT_RATIO}")
        } else {
            format!("<= {MAX_LATENCY_RATIO}")
        }
    }

    fn within_goal(&self, ratio: f64) -> bool {
        if self.row.metric.higher_is_better() {
            ratio >= MIN_THROUGHPUT_RATIO
        } else {
            ratio <= MAX_LATENCY_RATIO
        }
    }

    /// How the crate's ports fare against the goal. The median pair ratio
    /// decides; when it falls short but its confidence interval still
    /// reaches the goal, the runs cannot tell the two sides apart and the
    /// row is noise, not a miss.
    pub(crate) fn verdict(&self) -> Option<Verdict> {
        let paired = self.paired(self.entry(OURS)?)?;
        Some(if self.within_goal(paired.ratio) {
            Verdict::Met
        } else if self.within_goal(paired.low) || self.within_goal(paired.high) {
            Verdict::Noise
        } else {
            Verdict::Missed
        })
    }

    pub(crate) fn label(&self) -> String {
        format!(
            "{} {} {}",
            self.row.transport.name(),
            self.row.metric.name(),
            size_label(self.row.size)
        )
    }

    fn to_json(&self) -> Value {
        let entries: Vec<Value> = self
            .entries
            .iter()
            .map(|entry| {
                let mut value = json!({
                    "implementation": entry.key,
                    "label": entry.label,
                    "count": entry.count,
                    "stats": entry.stats.to_json(),
                });
                if let Some(p) = self.paired(entry) {
                    value["paired_ratio_to_libzmq"] = json!({
                        "ratio": p.ratio, "low": p.low, "high": p.high, "confidence": p.confidence,
                    });
                }
                value
            })
            .collect();
        json!({
            "transport": self.row.transport.name(),
            "metric": self.row.metric.name(),
            "unit": self.row.metric.unit(),
            "size": self.row.size,
            "implementations": entries,
            "goal": self.goal(),
            "verdict": self.verdict().map(Verdict::as_str),
        })
    }
}

/// Where and when the comparison ran, and how busy the machine was.
#[derive(Debug, Clone)]
pub(crate) struct Machine {
    pub(crate) date: String,
    pub(crate) cpu: String,
    pub(crate) cores: usize,
    pub(crate) kernel: String,
    /// The 1-minute load average at the start and at the end.
    pub(crate) load: (f64, f64),
}

/// Everything one invocation measured.
#[derive(Debug, Clone)]
pub(crate) struct Report {
    pub(crate) mode: &'static str,
    pub(crate) rounds: usize,
    /// (key, label) of each implementation, in the order they run.
    pub(crate) implementations: Vec<(String, String)>,
    pub(crate) rows: Vec<RowResult>,
    pub(crate) elapsed_seconds: f64,
    pub(crate) machine: Machine,
}

impl Report {
    fn heading(&self) -> String {
        let names: Vec<&str> = self.implementations.iter().map(|(_, l)| &l[..]).collect();
        let tuned = if self
            .implementations
            .iter()
            .any(|(key, _)| key.contains('@'))
        {
            "; \"batch SIZE\": this crate's ports with ZMQ_IN_BATCH_SIZE and ZMQ_OUT_BATCH_SIZE \
             set to SIZE on both sides (libzmq's default: 8 KiB), tcp only; all others at \
             their defaults"
        } else {
            ""
        };
        format!(
            "libzmq {} perf-tool protocol: {}{tuned}; {} rounds per row ({} mode, {:.0} s); \
             {}, {} cores {}, load average {:.1} at the start and {:.1} at the end",
            version(),
            names.join(", "),
            self.rounds,
            self.mode,
            self.elapsed_seconds,
            self.machine.date,
            self.machine.cores,
            self.machine.cpu,
            self.machine.load.0,
            self.machine.load.1,
        )
    }

    /// The table: for each row, each implementation's median and spread and
    /// its paired ratio to libzmq's tools with the interval.
    pub(crate) fn table(&self) -> String {
        let mut out = self.heading() + "\n\n";
        let width = (self.implementations.iter())
            .map(|(_, label)| label.len())
            .fold(18, usize::max);
        let _ = writeln!(
            out,
            "{:<26} {:<width$} {:>7}  {:<34} {:>8}  {:<22} goal (zmq)",
            "row",
            "implementation",
            "count",
            "median [min - max]",
            "/libzmq",
            format!("paired {} CI", confidence_heading(&self.rows)),
        );
        for result in &self.rows {
            let unit = result.row.metric.unit();
            let baseline = result.entry(BASELINE).map(|e| e.stats.median);
            for (i, entry) in result.entries.iter().enumerate() {
                let label = if i == 0 {
                    result.label()
                } else {
                    String::new()
                };
                let ratio =
                    baseline.map_or(String::new(), |b| format!("{:.3}", entry.stats.median / b));
                let paired = result.paired(entry).map_or(String::new(), |p| {
                    format!("{:.3} [{:.3} - {:.3}]", p.ratio, p.low, p.high)
                });
                let goal = if entry.key == OURS {
                    result.verdict().map_or(String::new(), |v| {
                        format!("{} {}", result.goal(), v.as_str())
                    })
                } else {
                    String::new()
                };
                let _ = writeln!(
                    out,
                    "{:<26} {:<width$} {:>7}  {:<34} {:>8}  {:<22} {}",
                    label,
                    entry.label,
                    human(entry.count as f64),
                    spread(&entry.stats, result.row.metric, unit),
                    ratio,
                    paired,
                    goal
                );
            }
        }
        let speedups = self.speedups();
        if !speedups.is_empty() {
            let _ = writeln!(
                out,
                "\nzero-copy speedup (median zero-copy / median copy msg/s, inproc):"
            );
            for (label, line) in speedups {
                let _ = writeln!(out, "  {label:<18} {line}");
            }
        }
        out
    }

    /// Per implementation, `64 KiB 1.23x, 1 MiB 4.56x`.
    fn speedups(&self) -> Vec<(String, String)> {
        let mut lines = Vec::new();
        for (key, label) in &self.implementations {
            let mut parts = Vec::new();
            for copy in self
                .rows
                .iter()
                .filter(|r| r.row.metric == Metric::CopySend)
            {
                let owned = self.rows.iter().find(|r| {
                    r.row.metric == Metric::ZeroCopySend
                        && r.row.size == copy.row.size
                        && r.row.transport == copy.row.transport
                });
                if let (Some(c), Some(o)) = (copy.entry(key), owned.and_then(|o| o.entry(key))) {
                    parts.push(format!(
                        "{} {:.2}x",
                        size_label(copy.row.size),
                        o.stats.median / c.stats.median
                    ));
                }
            }
            if !parts.is_empty() {
                lines.push((label.clone(), parts.join(", ")));
            }
        }
        lines
    }

    /// A Markdown table, one column per implementation: its median and,
    /// beside libzmq's, the paired ratio to it with the interval.
    pub(crate) fn markdown(&self) -> String {
        let mut out = format!("{}\n\n| row |", self.heading());
        for (_, label) in &self.implementations {
            let _ = write!(out, " {label} |");
        }
        out += "\n|---|";
        for _ in &self.implementations {
            out += "---|";
        }
        out += "\n";
        for result in &self.rows {
            let _ = write!(out, "| {} |", result.label());
            for (key, _) in &self.implementations {
                let cell = match result.entry(key) {
                    None => "-".to_owned(),
                    Some(entry) => {
                        let value = show(entry.stats.median, result.row.metric);
                        let unit = result.row.metric.unit();
                        match result.paired(entry) {
                            Some(p) => format!(
                                "{value} {unit} ({:.2} [{:.2}-{:.2}])",
                                p.ratio, p.low, p.high
                            ),
                            None => format!("{value} {unit}"),
                        }
                    }
                };
                let _ = write!(out, " {cell} |");
            }
            out += "\n";
        }
        out
    }

    /// The whole report as JSON.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "libzmq": version(),
            "mode": self.mode,
            "rounds": self.rounds,
            "elapsed_seconds": self.elapsed_seconds,
            "machine": {
                "date": self.machine.date,
                "cpu": self.machine.cpu,
                "cores": self.machine.cores,
                "kernel": self.machine.kernel,
                "load_average_start": self.machine.load.0,
                "load_average_end": self.machine.load.1,
            },
            "implementations": self.implementations.iter()
                .map(|(key, label)| json!({ "key": key, "label": label }))
                .collect::<Vec<_>>(),
            "goal": {
                "implementation": OURS,
                "throughput_ratio_at_least": MIN_THROUGHPUT_RATIO,
                "latency_ratio_at_most": MAX_LATENCY_RATIO,
            },
            "rows": self.rows.iter().map(RowResult::to_json).collect::<Vec<_>>(),
        })
    }
}

pub(crate) fn version() -> String {
    let (major, minor, patch) = zmq::version();
    format!("{major}.{minor}.{patch}")
}

/// `95%`, or the lowest level the rounds allow when there are too few of
/// them for 95%.
fn confidence_heading(rows: &[RowResult]) -> String {
    let confidence = rows
        .iter()
        .flat_map(|row| row.entries.iter().filter_map(|e| row.paired(e)))
        .map(|p| p.confidence)
        .fold(f64::NAN, f64::min);
    format!("{:.0}%", (confidence * 100.0).floor())
}

/// `1 B`, `64 B`, `1 KiB`, `64 KiB`, `1 MiB`.
pub(crate) fn size_label(size: usize) -> String {
    match size {
        s if s >= 1 << 20 && s % (1 << 20) == 0 => format!("{} MiB", s >> 20),
        s if s >= 1 << 10 && s % (1 << 10) == 0 => format!("{} KiB", s >> 10),
        s => format!("{s} B"),
    }
}

fn show(value: f64, metric: Metric) -> String {
    match metric {
        Metric::Latency => format!("{value:.2}"),
        _ => human(value),
    }
}

/// `median [min - max] unit`, in a form that reads at a glance.
fn spread(stats: &Stats, metric: Metric, unit: &str) -> String {
    format!(
        "{} [{} - {}] {unit}",
        show(stats.median, metric),
        show(stats.min, metric),
        show(stats.max, metric)
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
