//! `cargo bench --bench compare -- [--quick] [--peers] [--out DIR] ...`:
//! libzmq's own perf tools (C++, compiled by the root build.rs) beside their
//! Rust ports over this crate (`src/bin/*.rs`), both linked against the same
//! libzmq.a (built with `--features tokio`, also beside their async versions
//! over `zmq::asyncio`), and with `--peers` beside the same tools written for rust-zmq
//! 0.10 (`benches/peers/rust-zmq`, its own libzmq build) and pyzmq
//! (`benches/peers/pyzmq/perf.py`, in a virtual environment this command
//! creates). Each row runs in rounds: every implementation once per round,
//! in an order that rotates from round to round, so that the machine's
//! drift hits all of them alike.
//!
//! Rows: tcp and inproc throughput at 1 B, 64 B, 1 KiB and 64 KiB, tcp and
//! inproc latency at 1 B and 1 KiB, and inproc sends of fresh 64 KiB and
//! 1 MiB buffers, copied or handed over without a copy. Prints a table of
//! medians with their min-max spread, each implementation's ratio to
//! libzmq's tools (of the medians, and the median of the per-round ratios
//! with its 95% confidence interval), and a verdict for this crate's ports
//! (ok, noise when the interval still reaches the goal, MISSED when it does
//! not); writes `compare.json`, `compare.md` (one column per
//! implementation), `compare.svg` and `compare.png` to
//! `target/zmq-compare/` or `--out DIR`.
//!
//! `--batch-size SIZE` (built with `--features draft`, or `tokio,draft`)
//! adds tuned runs of this crate's blocking and async ports on the tcp rows:
//! the same tools with libzmq's draft options `ZMQ_IN_BATCH_SIZE` and
//! `ZMQ_OUT_BATCH_SIZE` set to SIZE on both sides (through the variable
//! `ZMQ_PERF_BATCH_SIZE` that `zmq_guide::perf::port::tune` reads), keyed
//! `zmq@SIZE` and `zmq-async@SIZE` and labelled `batch SIZE`, beside the
//! untuned ones; libzmq's tools and every peer keep their defaults, and the
//! goal's verdict stays the untuned port's.
//!
//! `--quick` (CI) runs 6 rounds of ~0.15 s per run, about a minute and a half
//! without peers; the full mode 25 rounds of ~0.6 s. Six rounds are the
//! fewest whose range is a 95% confidence interval for the median ratio.

mod measure;
mod options;
mod peers;
mod plot;
mod report;

use std::process::ExitCode;
use std::time::Instant;

use measure::{Metric, Row, Transport};
use options::{Options, USAGE, target_dir};
use peers::Implementation;
use report::{Entry, Machine, Report, RowResult, Stats};

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
    for size in [64 << 10, 1 << 20] {
        for metric in [Metric::CopySend, Metric::ZeroCopySend] {
            rows.push(Row {
                transport: Transport::Inproc,
                metric,
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
    match compare(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("compare: {e}");
            ExitCode::FAILURE
        }
    }
}

/// libzmq's tools first (the baseline), then this crate's ports, the
/// `--tools` sets and the peers, less the skipped ones.
fn implementations(options: &Options) -> Result<Vec<Implementation>, Box<dyn std::error::Error>> {
    let mut all = vec![Implementation::libzmq()?, Implementation::ours()];
    #[cfg(feature = "tokio")]
    all.push(Implementation::ours_async());
    for &bytes in &options.batch_sizes {
        all.push(Implementation::with_batch_size(
            Implementation::ours(),
            bytes,
        ));
        #[cfg(feature = "tokio")]
        all.push(Implementation::with_batch_size(
            Implementation::ours_async(),
            bytes,
        ));
    }
    for (name, dir) in &options.tools {
        all.push(Implementation::tools_in(name, dir)?);
    }
    if !options.peers.is_empty() {
        let list = if options.peers.iter().any(|p| p == "all") {
            "all".to_owned()
        } else {
            options.peers.join(",")
        };
        all.extend(peers::build_peers(&list, &target_dir())?);
    }
    all.retain(|i| !options.skip.contains(&i.key));
    Ok(all)
}

fn compare(options: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let implementations = implementations(options)?;
    let started = Instant::now();
    let load_start = load_average();
    let mut rows = Vec::new();
    let plan: Vec<Row> = plan()
        .into_iter()
        .filter(|row| {
            let label = RowResult {
                row: *row,
                entries: Vec::new(),
            }
            .label();
            options.only.is_empty()
                || options
                    .only
                    .iter()
                    .any(|text| label.contains(text.as_str()))
        })
        .collect();
    for row in plan {
        let running: Vec<&Implementation> =
            implementations.iter().filter(|i| row.runs_on(i)).collect();
        let mut counts = Vec::new();
        for implementation in &running {
            counts.push(row.calibrate(implementation, options.run_time)?);
        }
        let mut runs = vec![Vec::new(); running.len()];
        for round in 0..options.rounds {
            for k in 0..running.len() {
                let i = (round + k) % running.len();
                runs[i].push(row.run(running[i], counts[i])?);
            }
        }
        let result = RowResult {
            row,
            entries: (running.iter().zip(counts).zip(runs))
                .map(|((implementation, count), runs)| Entry {
                    key: implementation.key.clone(),
                    label: implementation.label.clone(),
                    count,
                    stats: Stats::of(runs),
                })
                .collect(),
        };
        let ratios: Vec<String> = result
            .entries
            .iter()
            .filter_map(|e| {
                result
                    .paired(e)
                    .map(|p| format!("{} {:.3}", e.key, p.ratio))
            })
            .collect();
        eprintln!(
            "{} ({} rounds): /libzmq {}",
            result.label(),
            options.rounds,
            ratios.join(", ")
        );
        rows.push(result);
    }

    let report = Report {
        mode: if options.quick { "quick" } else { "full" },
        rounds: options.rounds,
        implementations: implementations
            .iter()
            .map(|i| (i.key.clone(), i.label.clone()))
            .collect(),
        rows,
        elapsed_seconds: started.elapsed().as_secs_f64(),
        machine: machine(load_start),
    };
    println!("{}", report.table());

    std::fs::create_dir_all(&options.out)?;
    let json_path = options.out.join("compare.json");
    std::fs::write(&json_path, serde_json::to_string_pretty(&report.to_json())?)?;
    let md_path = options.out.join("compare.md");
    std::fs::write(&md_path, report.markdown())?;
    let svg = plot::svg(&report);
    let svg_path = options.out.join("compare.svg");
    std::fs::write(&svg_path, &svg)?;
    let png_path = options.out.join("compare.png");
    plot::write_png(&svg, &png_path)?;
    println!(
        "wrote {}, {}, {} and {}",
        json_path.display(),
        md_path.display(),
        svg_path.display(),
        png_path.display()
    );
    Ok(())
}

/// The 1-minute load average, or NaN where /proc/loadavg is missing.
fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}

/// The date, processor, core count and kernel, as far as this system says.
fn machine(load_start: f64) -> Machine {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("model name")?.split_once(':'))
                .map(|(_, name)| name.trim().to_owned())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_owned());
    let date = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_default();
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|text| text.trim().to_owned())
        .unwrap_or_default();
    Machine {
        date,
        cpu,
        cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
        kernel,
        load: (load_start, load_average()),
    }
}
