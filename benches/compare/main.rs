//! `cargo bench --bench compare -- [--quick] [--out DIR]`: libzmq's own perf
//! tools (C++, compiled by the root build.rs) against their Rust ports
//! (`src/bin/*.rs`, over the `zmq` crate), both linked against the same
//! libzmq.a, run alternately (raw, Rust, raw, Rust, ...) so that the
//! machine's drift hits both alike.
//!
//! Rows: tcp and inproc throughput at 1 B, 64 B, 1 KiB and 64 KiB, and tcp
//! and inproc latency at 1 B and 1 KiB; then copying versus zero-copy sends
//! of owned vectors of 64 KiB and 1 MiB. Prints a table of medians with
//! their min-max spread, the ratio Rust/raw, the median ratio of the pairs
//! with its 95% confidence interval, and a verdict per row (ok, noise when
//! the interval still reaches the goal, MISSED when it does not); writes
//! `compare.json` and `compare.svg` (throughput against message size) to
//! `target/zmq-compare/` or `--out DIR`.
//!
//! `--quick` (CI) runs 6 pairs of ~0.15 s per row, about a minute in all; the
//! full mode 25 pairs of ~0.6 s, about ten minutes. Six pairs are the fewest
//! whose range is a 95% confidence interval for the median pair ratio.

mod measure;
mod plot;
mod report;
mod zero_copy;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use measure::{Metric, Row, Side, Transport};
use report::{Report, RowResult, Stats, ZeroCopyResult, size_label};
use zero_copy::Handover;

const USAGE: &str = "usage: cargo bench --bench compare -- [--quick] [--pairs N] [--out DIR]";

/// How long and how often each row runs.
#[derive(Debug, Clone)]
struct Options {
    quick: bool,
    pairs: usize,
    run_time: Duration,
    out: PathBuf,
}

impl Options {
    fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
        let mut quick = false;
        let mut pairs = None;
        let mut out = None;
        let mut args = args.peekable();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--quick" => quick = true,
                "--pairs" => {
                    let n = args.next().ok_or("--pairs needs a number")?;
                    let n: usize = n
                        .parse()
                        .map_err(|_| format!("--pairs {n}: not a number"))?;
                    if n == 0 {
                        return Err("--pairs must be at least 1".into());
                    }
                    pairs = Some(n);
                }
                "--out" => out = Some(PathBuf::from(args.next().ok_or("--out needs a directory")?)),
                // cargo bench passes --bench to every benchmark binary.
                "--bench" => {}
                "-h" | "--help" => return Err(String::new()),
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        Ok(Options {
            quick,
            pairs: pairs.unwrap_or(if quick { 6 } else { 25 }),
            run_time: Duration::from_millis(if quick { 150 } else { 600 }),
            out: out.unwrap_or_else(default_out_dir),
        })
    }
}

/// `<target dir>/zmq-compare`: cargo builds benchmarks with
/// CARGO_TARGET_TMPDIR = `<target dir>/tmp`.
fn default_out_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("zmq-compare")
}

/// The rows, in the order they run and print.
fn plan() -> Vec<Row> {
    let mut rows = Vec::new();
    for transport in [Transport::Tcp, Transport::Inproc] {
        for size in [1, 64, 1024, 65536] {
            rows.push(Row {
                transport,
                metric: Metric::Throughput,
                size,
            });
        }
        for size in [1, 1024] {
            rows.push(Row {
                transport,
                metric: Metric::Latency,
                size,
            });
        }
    }
    rows
}

fn main() -> ExitCode {
    let options = match Options::parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("compare: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    if zmq_guide::perf::perf_dir().is_none() {
        eprintln!(
            "compare: libzmq's perf tools were not built (zmq-sys links a system libzmq); \
             build with the default `vendored` feature"
        );
        return ExitCode::from(2);
    }
    match compare(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("compare: {e}");
            ExitCode::FAILURE
        }
    }
}

fn compare(options: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let mut rows = Vec::new();
    for row in plan() {
        let count = row.calibrate(options.run_time)?;
        let (mut raw, mut rust) = (Vec::new(), Vec::new());
        for _ in 0..options.pairs {
            raw.push(row.run(Side::Raw, count)?);
            rust.push(row.run(Side::Rust, count)?);
        }
        let result = RowResult {
            row,
            count,
            raw: Stats::of(raw),
            rust: Stats::of(rust),
        };
        eprintln!(
            "{} {} {}: {count} x {}, rust/raw {:.3}",
            row.transport.name(),
            row.metric.name(),
            size_label(row.size),
            options.pairs,
            result.ratio()
        );
        rows.push(result);
    }

    let mut zero_copy = Vec::new();
    for size in [64 << 10, 1 << 20] {
        let pilot = if size > 64 << 10 { 200 } else { 2_000 };
        let rate = zero_copy::run(Handover::Copy, size, pilot)?;
        let count = ((rate * options.run_time.as_secs_f64()) as u64).max(pilot / 4);
        let (mut copy, mut owned) = (Vec::new(), Vec::new());
        for _ in 0..options.pairs {
            copy.push(zero_copy::run(Handover::Copy, size, count)?);
            owned.push(zero_copy::run(Handover::Owned, size, count)?);
        }
        let result = ZeroCopyResult {
            size,
            count,
            copy: Stats::of(copy),
            owned: Stats::of(owned),
        };
        eprintln!(
            "inproc {} vs {} {}: {count} x {}, speedup {:.2}x",
            Handover::Owned.name(),
            Handover::Copy.name(),
            size_label(size),
            options.pairs,
            result.speedup()
        );
        zero_copy.push(result);
    }

    let report = Report {
        mode: if options.quick { "quick" } else { "full" },
        pairs: options.pairs,
        rows,
        zero_copy,
        elapsed_seconds: started.elapsed().as_secs_f64(),
    };
    println!("{}", report.table());

    std::fs::create_dir_all(&options.out)?;
    let json_path = options.out.join("compare.json");
    std::fs::write(&json_path, serde_json::to_string_pretty(&report.to_json())?)?;
    let svg_path = options.out.join("compare.svg");
    std::fs::write(&svg_path, plot::throughput_svg(&report))?;
    println!("wrote {} and {}", json_path.display(), svg_path.display());
    Ok(())
}
