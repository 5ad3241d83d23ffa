//! One measurement: one implementation's tool, run once for one row of the
//! comparison, and the calibration that sizes the runs.

use std::ffi::OsString;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::thread;
use std::time::{Duration, Instant};

use zmq_guide::perf::{self, Latency, PerfError, Throughput};

use crate::peers::Implementation;

/// A run that takes longer than this is killed and reported as failed.
const RUN_TIMEOUT: Duration = Duration::from_secs(120);

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
    /// Messages per second of fresh buffers sent by copying them (inproc).
    CopySend,
    /// The same, the buffers handed over to libzmq without a copy.
    ZeroCopySend,
}

impl Metric {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Metric::Throughput => "throughput",
            Metric::Latency => "latency",
            Metric::CopySend => "copy",
            Metric::ZeroCopySend => "zero-copy",
        }
    }

    pub(crate) fn unit(self) -> &'static str {
        match self {
            Metric::Latency => "us",
            _ => "msg/s",
        }
    }

    /// Whether a higher value is better.
    pub(crate) fn higher_is_better(self) -> bool {
        self != Metric::Latency
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
    /// The tool that runs in-process, or the pair (local, remote) over tcp.
    fn tools(self) -> (&'static str, Option<&'static str>) {
        match (self.transport, self.metric) {
            (Transport::Tcp, Metric::Latency) => ("local_lat", Some("remote_lat")),
            (Transport::Tcp, _) => ("local_thr", Some("remote_thr")),
            (Transport::Inproc, Metric::Latency) => ("inproc_lat", None),
            (Transport::Inproc, Metric::Throughput) => ("inproc_thr", None),
            (Transport::Inproc, Metric::CopySend | Metric::ZeroCopySend) => ("zero_copy_thr", None),
        }
    }

    /// Whether `implementation` has the tools of this row.
    /// A tuned run (environment variables for its tools) only on tcp: the
    /// batch sizes are those of libzmq's tcp engine, which inproc has not.
    pub(crate) fn runs_on(self, implementation: &Implementation) -> bool {
        if !implementation.env.is_empty() && self.transport != Transport::Tcp {
            return false;
        }
        let (first, second) = self.tools();
        implementation.has(first) && second.is_none_or(|tool| implementation.has(tool))
    }

    /// Runs `implementation` once with `count` messages (or roundtrips) and
    /// returns what its tool reported: messages per second or microseconds.
    pub(crate) fn run(self, implementation: &Implementation, count: u64) -> Result<f64, PerfError> {
        let size = self.size.to_string();
        let count = count.to_string();
        let report = match self.tools() {
            (tool, None) => {
                let mode = match self.metric {
                    Metric::CopySend => Some("copy"),
                    Metric::ZeroCopySend => Some("owned"),
                    _ => None,
                };
                let args: Vec<&str> = mode.into_iter().chain([&size[..], &count[..]]).collect();
                run(implementation, tool, &args)?
            }
            (local, Some(remote)) => tcp_pair(implementation, local, remote, &size, &count)?,
        };
        match self.metric {
            Metric::Latency => Ok(Latency::parse(&report)?.average_latency_us),
            _ => Ok(Throughput::parse(&report)?.messages_per_second as f64),
        }
    }

    /// How many messages (or roundtrips) make a run of about `target` for
    /// `implementation` on this machine, from one pilot run (which also
    /// warms caches and the allocator up).
    pub(crate) fn calibrate(
        self,
        implementation: &Implementation,
        target: Duration,
    ) -> Result<u64, PerfError> {
        let pilot = match self.metric {
            // ~30 MB of payload, between 2 000 and 100 000 messages.
            Metric::Throughput => (30_000_000 / self.size.max(1) as u64).clamp(2_000, 100_000),
            Metric::CopySend | Metric::ZeroCopySend => {
                (30_000_000 / self.size.max(1) as u64).clamp(100, 100_000)
            }
            Metric::Latency => 2_000,
        };
        let value = self.run(implementation, pilot)?;
        let per_second = match self.metric {
            // Two one-way latencies per roundtrip.
            Metric::Latency => 1e6 / (2.0 * value.max(0.001)),
            _ => value,
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

/// Starts one of `implementation`'s tools.
fn spawn(
    implementation: &Implementation,
    tool: &str,
    args: &[&str],
) -> Result<perf::Running, PerfError> {
    let (program, mut all): (PathBuf, Vec<OsString>) = implementation.command(tool);
    all.extend(args.iter().map(OsString::from));
    perf::spawn_command_with_env(&program, &all, &implementation.env)
}

/// Runs one tool to completion and returns its stdout.
fn run(implementation: &Implementation, tool: &str, args: &[&str]) -> Result<String, PerfError> {
    perf::wait_for(spawn(implementation, tool, args)?, RUN_TIMEOUT)
}

/// Runs a tcp pair: the `local` tool binds a free port on 127.0.0.1, the
/// `remote` one connects once it listens. Returns the report of whichever
/// prints one (local_thr, remote_lat) after both have exited.
fn tcp_pair(
    implementation: &Implementation,
    local: &str,
    remote: &str,
    size: &str,
    count: &str,
) -> Result<String, PerfError> {
    let port = free_port().map_err(|e| PerfError::Spawn(PathBuf::from(local), e))?;
    let endpoint = format!("tcp://127.0.0.1:{port}");
    let local_run = spawn(implementation, local, &[&endpoint, size, count])?;
    // Connecting before the bind would cost a reconnect interval (100 ms),
    // which remote_lat's clock would count as latency.
    wait_until_listening(port);
    let remote_report = run(implementation, remote, &[&endpoint, size, count])?;
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

/// Waits (at most 10 s: a Python interpreter starts slowly on a busy
/// machine) until something accepts connections on `port`. The probe
/// connection closes without a ZMTP greeting, which libzmq drops.
fn wait_until_listening(port: u16) {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&address, Duration::from_millis(100)).is_ok() {
            return;
        }
        thread::sleep(Duration::from_millis(2));
    }
}
