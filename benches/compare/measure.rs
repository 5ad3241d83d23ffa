//! One measurement: libzmq's perf tool or its Rust port, run once for one
//! row of the comparison, and the calibration that sizes the runs.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use zmq_guide::perf::{self, Latency, PerfError, Throughput};

/// A run that takes longer than this is killed and reported as failed.
const RUN_TIMEOUT: Duration = Duration::from_secs(120);

/// Which implementation of a perf tool runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// libzmq's C++ tool, compiled by the root build.rs.
    Raw,
    /// Its Rust port in `src/bin/`, over the `zmq` crate.
    Rust,
}

impl Side {
    /// The executable of `tool` for this side.
    fn program(self, tool: &str) -> Result<PathBuf, PerfError> {
        match self {
            Side::Raw => perf::tool_path(tool),
            Side::Rust => rust_port(tool).map(PathBuf::from),
        }
    }
}

/// The Rust port of `tool`, built by cargo beside this benchmark.
fn rust_port(tool: &str) -> Result<&'static str, PerfError> {
    Ok(match tool {
        "local_thr" => env!("CARGO_BIN_EXE_local_thr"),
        "remote_thr" => env!("CARGO_BIN_EXE_remote_thr"),
        "local_lat" => env!("CARGO_BIN_EXE_local_lat"),
        "remote_lat" => env!("CARGO_BIN_EXE_remote_lat"),
        "inproc_thr" => env!("CARGO_BIN_EXE_inproc_thr"),
        "inproc_lat" => env!("CARGO_BIN_EXE_inproc_lat"),
        _ => return Err(PerfError::UnknownTool(tool.to_owned())),
    })
}

/// The transport a row measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transport {
    /// `tcp://127.0.0.1:<free port>`, two processes.
    Tcp,
    /// `inproc://`, two threads of one process.
    Inproc,
}

impl Transport {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Transport::Tcp => "tcp",
            Transport::Inproc => "inproc",
        }
    }
}

/// What a row measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Metric {
    /// Messages per second through a PUSH/PULL pair (higher is better).
    Throughput,
    /// Half a REQ/REP roundtrip in microseconds (lower is better).
    Latency,
}

impl Metric {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Metric::Throughput => "throughput",
            Metric::Latency => "latency",
        }
    }

    pub(crate) fn unit(self) -> &'static str {
        match self {
            Metric::Throughput => "msg/s",
            Metric::Latency => "us",
        }
    }
}

/// One row of the comparison: a transport, a metric and a message size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Row {
    pub(crate) transport: Transport,
    pub(crate) metric: Metric,
    pub(crate) size: usize,
}

impl Row {
    /// Runs one side once with `count` messages (or roundtrips) and returns
    /// what the tool reported: messages per second or microseconds.
    pub(crate) fn run(self, side: Side, count: u64) -> Result<f64, PerfError> {
        let size = self.size.to_string();
        let count = count.to_string();
        match (self.transport, self.metric) {
            (Transport::Inproc, Metric::Throughput) => {
                let report = run(&side.program("inproc_thr")?, &[&size, &count])?;
                Ok(Throughput::parse(&report)?.messages_per_second as f64)
            }
            (Transport::Inproc, Metric::Latency) => {
                let report = run(&side.program("inproc_lat")?, &[&size, &count])?;
                Ok(Latency::parse(&report)?.average_latency_us)
            }
            (Transport::Tcp, Metric::Throughput) => {
                let report = tcp_pair(side, "local_thr", "remote_thr", &size, &count)?;
                Ok(Throughput::parse(&report)?.messages_per_second as f64)
            }
            (Transport::Tcp, Metric::Latency) => {
                let report = tcp_pair(side, "local_lat", "remote_lat", &size, &count)?;
                Ok(Latency::parse(&report)?.average_latency_us)
            }
        }
    }

    /// How many messages (or roundtrips) make a run of about `target` on
    /// this machine, from one pilot run of libzmq's own tool (which also
    /// warms caches and the allocator up).
    pub(crate) fn calibrate(self, target: Duration) -> Result<u64, PerfError> {
        let pilot = match self.metric {
            // ~30 MB of payload, between 2 000 and 100 000 messages.
            Metric::Throughput => (30_000_000 / self.size.max(1) as u64).clamp(2_000, 100_000),
            Metric::Latency => 2_000,
        };
        let value = self.run(Side::Raw, pilot)?;
        let per_second = match self.metric {
            Metric::Throughput => value,
            // Two one-way latencies per roundtrip.
            Metric::Latency => 1e6 / (2.0 * value.max(0.001)),
        };
        let wanted = per_second * target.as_secs_f64();
        Ok(round_to_two_digits(wanted.max(pilot as f64 / 4.0)))
    }
}

/// `n` rounded to two significant digits, so counts read well in reports.
fn round_to_two_digits(n: f64) -> u64 {
    let n = n.max(1.0);
    let scale = 10f64.powi(n.log10().floor() as i32 - 1).max(1.0);
    ((n / scale).round() * scale) as u64
}

/// Runs one executable to completion and returns its stdout.
fn run(program: &Path, args: &[&str]) -> Result<String, PerfError> {
    perf::wait_for(perf::spawn_path(program, args)?, RUN_TIMEOUT)
}

/// Runs a tcp pair: the `local` tool binds a free port on 127.0.0.1, the
/// `remote` one connects once it listens. Returns the report of whichever
/// prints one (local_thr, remote_lat) after both have exited.
fn tcp_pair(
    side: Side,
    local: &str,
    remote: &str,
    size: &str,
    count: &str,
) -> Result<String, PerfError> {
    let port = free_port().map_err(|e| PerfError::Spawn(PathBuf::from(local), e))?;
    let endpoint = format!("tcp://127.0.0.1:{port}");
    let local_run = perf::spawn_path(&side.program(local)?, &[&endpoint, size, count])?;
    // Connecting before the bind would cost a reconnect interval (100 ms),
    // which remote_lat's clock would count as latency.
    wait_until_listening(port);
    let remote_report = run(&side.program(remote)?, &[&endpoint, size, count])?;
    let local_report = perf::wait_for(local_run, RUN_TIMEOUT)?;
    Ok(if remote_report.trim().is_empty() {
        local_report
    } else {
        remote_report
    })
}

/// A port on 127.0.0.1 that was free a moment ago.
fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

/// Waits (at most 5 s) until something accepts connections on `port`. The
/// probe connection closes without a ZMTP greeting, which libzmq drops.
fn wait_until_listening(port: u16) {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&address, Duration::from_millis(100)).is_ok() {
            return;
        }
        thread::sleep(Duration::from_millis(2));
    }
}
