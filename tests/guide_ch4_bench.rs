//! Majordomo in Rust against its Python original: requests per second
//! through `mdbroker` (Rust, then `mdbroker.py`) with 1, 10 and 50 clients
//! and as many echo workers, the clients and workers all Rust (`mdclient`,
//! `mdworker`) or all Python (the guide's `mdcliapi.py` driven by
//! `scripts/mdp_bench_client.py`, and `mdworker.py`), on loopback. Prints a
//! table; asserts only that every request came back.
//!
//! Ignored by default (it needs pyzmq and the guide's Python examples, and
//! takes a few minutes). Run it with
//!
//! ```text
//! cargo build --release --examples
//! ZGUIDE_PYTHON_EXAMPLES=/path/to/zguide/examples/Python ZGUIDE_PYTHON=python3 \
//! cargo test --release --test guide_ch4_bench -- --ignored --nocapture
//! ```
//!
//! Timing: a Rust client starts working as soon as it is spawned (its
//! start-up takes a millisecond or two), so its batch is timed from the
//! first spawn to the last exit. A Python interpreter needs a tenth of a
//! second or more to load pyzmq, so the Python clients wait for a common
//! start time, chosen late enough for all of them to be ready, and their
//! batch is timed from it. The workers register before any client starts.
//!
//! The machine may be shared, so beside the wall-clock rate the table shows
//! the CPU time the broker itself spent per request (user plus system, from
//! `/proc/<pid>/stat`), which other processes' load changes far less.

mod common;

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::{Running, Scenario};

/// Per batch: only a hang trips it.
const TIMEOUT: Duration = Duration::from_secs(300);

#[derive(Clone, Copy, PartialEq)]
enum Lang {
    Rust,
    Python,
}

impl Lang {
    fn name(self) -> &'static str {
        match self {
            Lang::Rust => "Rust",
            Lang::Python => "Python",
        }
    }
}

/// One measured batch: how many requests in how long, and the broker's
/// CPU time over the batch.
struct Batch {
    requests: u64,
    elapsed: Duration,
    broker_cpu: Duration,
}

/// The CPU time (user + system) process `pid` has used so far.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("the broker's stat");
    // The fields after the command name (which may hold spaces), from the
    // third on: utime and stime are the 14th and 15th.
    let after_name = &stat[stat.rfind(')').expect("a command name") + 2..];
    let fields: Vec<&str> = after_name.split(' ').collect();
    let ticks: u64 =
        fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
    // SAFETY: sysconf only reads a configuration value.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    Duration::from_secs_f64(ticks as f64 / per_second as f64)
}

fn python_examples() -> String {
    std::env::var("ZGUIDE_PYTHON_EXAMPLES")
        .expect("set ZGUIDE_PYTHON_EXAMPLES to the guide's examples/Python folder")
}

/// Waits for every client to exit successfully and say it made its
/// `per_client` round trips; returns when the last one exited.
fn wait_all(clients: Vec<Running>, per_client: u64) -> Instant {
    let deadline = Instant::now() + TIMEOUT;
    let mut pending = clients;
    let mut last_exit = Instant::now();
    while !pending.is_empty() {
        assert!(Instant::now() < deadline, "clients still running");
        let mut still = Vec::new();
        for mut client in pending {
            if client.is_running() {
                still.push(client);
            } else {
                last_exit = Instant::now();
                let done = client.wait(Duration::from_secs(5)).success();
                assert_eq!(
                    done.lines(),
                    [format!("{per_client} requests/replies processed")],
                    "{}",
                    done.stderr
                );
            }
        }
        pending = still;
        thread::sleep(Duration::from_millis(2));
    }
    last_exit
}

fn run_batch(broker: Lang, peers: Lang, n: u64, total: u64) -> Batch {
    let scenario = Scenario::unshifted();
    let mut broker = match broker {
        Lang::Rust => scenario.spawn("mdbroker", &[]),
        Lang::Python => scenario.spawn_python("mdbroker", &[]),
    };
    // Bound, or the clients would find whatever else holds port 5555.
    broker.wait_for_stderr("I: MDP broker/0.1.1 is active at", TIMEOUT);
    let _workers: Vec<Running> = (0..n)
        .map(|_| match peers {
            Lang::Rust => scenario.spawn("mdworker", &[]),
            Lang::Python => scenario.spawn_python("mdworker", &[]),
        })
        .collect();
    // Time for every worker to load and say READY.
    thread::sleep(match peers {
        Lang::Rust => Duration::from_millis(500 + 10 * n),
        Lang::Python => Duration::from_millis(1000 + 100 * n),
    });

    let per_client = total / n;
    let requests = per_client * n;
    let cpu_before = cpu_time(broker.id());
    let elapsed = match peers {
        Lang::Rust => {
            let started = Instant::now();
            let clients: Vec<Running> = (0..n)
                .map(|_| {
                    scenario.spawn_with_env(
                        "mdclient",
                        &[],
                        &[("ZGUIDE_REQUESTS", &per_client.to_string())],
                    )
                })
                .collect();
            wait_all(clients, per_client) - started
        }
        Lang::Python => {
            let settle = Duration::from_millis(1000 + 100 * n);
            let start_at = SystemTime::now() + settle;
            let start_unix = start_at
                .duration_since(UNIX_EPOCH)
                .expect("after 1970")
                .as_secs_f64();
            let start_instant = Instant::now() + settle;
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/mdp_bench_client.py");
            let examples = python_examples();
            let clients: Vec<Running> = (0..n)
                .map(|_| {
                    scenario.spawn_python_script(
                        &script,
                        &[
                            &examples,
                            &per_client.to_string(),
                            &format!("{start_unix:.3}"),
                        ],
                    )
                })
                .collect();
            wait_all(clients, per_client) - start_instant
        }
    };
    assert!(broker.is_running(), "the broker died");
    let broker_cpu = cpu_time(broker.id()) - cpu_before;
    Batch {
        requests,
        elapsed,
        broker_cpu,
    }
}

#[test]
#[ignore = "a benchmark: needs pyzmq and ZGUIDE_PYTHON_EXAMPLES, takes minutes"]
fn majordomo_requests_per_second_rust_against_python() {
    println!();
    println!(
        "| broker | clients and workers | clients = workers | requests | seconds | requests/s \
         | broker CPU µs/request |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|");
    for broker in [Lang::Rust, Lang::Python] {
        for peers in [Lang::Rust, Lang::Python] {
            for n in [1, 10, 50] {
                // Enough work for a few seconds at each combination's pace.
                let total = match (broker, peers) {
                    (Lang::Rust, Lang::Rust) => 50_000,
                    _ => 10_000,
                };
                let batch = run_batch(broker, peers, n, total);
                let seconds = batch.elapsed.as_secs_f64();
                println!(
                    "| {} | {} | {n} | {} | {seconds:.2} | {:.0} | {:.1} |",
                    broker.name(),
                    peers.name(),
                    batch.requests,
                    batch.requests as f64 / seconds,
                    batch.broker_cpu.as_secs_f64() * 1e6 / batch.requests as f64
                );
            }
        }
    }
}
