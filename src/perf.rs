//! libzmq's own perf tools (`local_thr`, `remote_thr`, `local_lat`,
//! `remote_lat`, `inproc_thr`, `inproc_lat`), which this package's build
//! script compiles from the libzmq source tree and links against the same
//! libzmq that zmq-sys built: where to find them, how to run them with a time
//! limit, and how to read their reports.
//!
//! The tools exist only in a vendored build; [`perf_dir`] is `None` when
//! zmq-sys linked a system libzmq (the build script then also leaves the cfg
//! `zmq_perf_tools` unset).
//!
//! ```
//! use zmq_guide::perf::Latency;
//!
//! let report = "message size: 1 [B]\nroundtrip count: 1000\naverage latency: 12.345 [us]\n";
//! let latency = Latency::parse(report).unwrap();
//! assert_eq!(latency.roundtrip_count, 1000);
//! assert_eq!(latency.average_latency_us, 12.345);
//! ```

pub mod port;
pub mod stats;

use std::ffi::OsStr;
use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The names of the tools the build script compiles, as in libzmq's `perf/`.
pub const TOOLS: [&str; 6] = [
    "local_thr",
    "remote_thr",
    "local_lat",
    "remote_lat",
    "inproc_thr",
    "inproc_lat",
];

/// The directory holding the compiled tools, if the build compiled them.
pub fn perf_dir() -> Option<&'static Path> {
    option_env!("ZMQ_PERF_DIR").map(Path::new)
}

/// The path of one tool's executable, if the build compiled it.
pub fn tool_path(tool: &str) -> Result<PathBuf, PerfError> {
    if !TOOLS.contains(&tool) {
        return Err(PerfError::UnknownTool(tool.to_owned()));
    }
    perf_dir()
        .map(|dir| dir.join(tool))
        .ok_or(PerfError::NotBuilt)
}

/// Starts a tool with piped output, for callers that run several at once
/// (a `local_*` beside its `remote_*`); finish it with [`wait_for`].
pub fn spawn(tool: &str, args: &[&str]) -> Result<Running, PerfError> {
    spawn_path(&tool_path(tool)?, args)
}

/// Starts any executable the way [`spawn`] starts a tool, such as the Rust
/// ports of the tools (`src/bin/local_thr.rs`, ...) or a peer's script under
/// its interpreter; finish it with [`wait_for`].
pub fn spawn_path(path: &Path, args: &[&str]) -> Result<Running, PerfError> {
    spawn_command(path, args)
}

/// [`spawn_path`] with arguments of any kind (paths, `OsString`s), such as a
/// script and its arguments for an interpreter.
pub fn spawn_command<S: AsRef<OsStr>>(path: &Path, args: &[S]) -> Result<Running, PerfError> {
    spawn_command_with_env(path, args, &[])
}

/// [`spawn_command`] with environment variables added to the tool's, such
/// as `ZMQ_PERF_BATCH_SIZE` for a tuned run of the Rust ports
/// ([`port::tune`]).
pub fn spawn_command_with_env<S: AsRef<OsStr>>(
    path: &Path,
    args: &[S],
    env: &[(String, String)],
) -> Result<Running, PerfError> {
    let child = Command::new(path)
        .args(args)
        .envs(env.iter().map(|(name, value)| (name, value)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| PerfError::Spawn(path.to_owned(), e))?;
    let tool = path.file_name().unwrap_or(path.as_os_str());
    Ok(Running {
        tool: tool.to_string_lossy().into_owned(),
        child,
    })
}

/// Runs a tool to completion and returns what it printed on stdout; kills it
/// and fails if it runs longer than `timeout`.
pub fn run(tool: &str, args: &[&str], timeout: Duration) -> Result<String, PerfError> {
    wait_for(spawn(tool, args)?, timeout)
}

/// A tool started by [`spawn`].
#[derive(Debug)]
pub struct Running {
    tool: String,
    child: Child,
}

/// Waits for a tool started by [`spawn`], at most `timeout`, and returns its
/// stdout when it exits successfully.
pub fn wait_for(mut running: Running, timeout: Duration) -> Result<String, PerfError> {
    // Read both pipes on their own threads, so a chatty tool never blocks on
    // a full pipe while this thread waits for it to exit.
    let stdout = drain(running.child.stdout.take());
    let stderr = drain(running.child.stderr.take());
    let deadline = Instant::now() + timeout;
    let status = loop {
        match running.child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                // The tool may have exited since try_wait: both are fine.
                let _ = running.child.kill();
                let _ = running.child.wait();
                break None;
            }
            Err(e) => {
                let _ = running.child.kill();
                let _ = running.child.wait();
                return Err(PerfError::Spawn(PathBuf::from(&running.tool), e));
            }
        }
    };
    let output = Output {
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    };
    match status {
        None => Err(PerfError::TimedOut {
            tool: running.tool,
            timeout,
            output,
        }),
        Some(status) if !status.success() => Err(PerfError::Failed {
            tool: running.tool,
            status,
            output,
        }),
        Some(_) => Ok(output.stdout),
    }
}

fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            // A read error only shortens what we can show; keep what arrived.
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// What a tool printed, kept for error messages.
#[derive(Debug, Clone, Default)]
pub struct Output {
    /// Standard output (the tools print their errors here too).
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// The report of `inproc_lat` and `remote_lat`.
#[derive(Debug, Clone, PartialEq)]
pub struct Latency {
    /// `message size: N [B]`.
    pub message_size: usize,
    /// `roundtrip count: N`.
    pub roundtrip_count: u64,
    /// `average latency: X [us]`: half a roundtrip, in microseconds.
    pub average_latency_us: f64,
}

impl Latency {
    /// Reads the three lines of a latency report.
    pub fn parse(report: &str) -> Result<Self, PerfError> {
        Ok(Latency {
            message_size: field(report, "message size:", "[B]")?,
            roundtrip_count: field(report, "roundtrip count:", "")?,
            average_latency_us: field(report, "average latency:", "[us]")?,
        })
    }
}

/// The report of `inproc_thr` and `local_thr`.
#[derive(Debug, Clone, PartialEq)]
pub struct Throughput {
    /// `message size: N [B]`.
    pub message_size: usize,
    /// `message count: N`.
    pub message_count: u64,
    /// `mean throughput: N [msg/s]`.
    pub messages_per_second: u64,
    /// `mean throughput: X [Mb/s]`: messages per second times bits per message.
    pub megabits_per_second: f64,
}

impl Throughput {
    /// Reads the four lines of a throughput report.
    pub fn parse(report: &str) -> Result<Self, PerfError> {
        Ok(Throughput {
            message_size: field(report, "message size:", "[B]")?,
            message_count: field(report, "message count:", "")?,
            messages_per_second: field(report, "mean throughput:", "[msg/s]")?,
            megabits_per_second: field(report, "mean throughput:", "[Mb/s]")?,
        })
    }
}

/// Finds the line `<label> <value> <unit>` and parses its value.
fn field<T: std::str::FromStr>(report: &str, label: &str, unit: &str) -> Result<T, PerfError> {
    report
        .lines()
        .filter_map(|line| line.trim().strip_prefix(label))
        .filter_map(|rest| rest.trim().strip_suffix(unit))
        .find_map(|value| value.trim().parse().ok())
        .ok_or_else(|| PerfError::Parse {
            field: format!("{label} <value> {unit}").trim_end().to_owned(),
            report: report.to_owned(),
        })
}

/// Why a perf tool could not be run or read.
#[derive(Debug)]
#[non_exhaustive]
pub enum PerfError {
    /// The build did not compile the tools (zmq-sys links a system libzmq).
    NotBuilt,
    /// The name is not one of [`TOOLS`].
    UnknownTool(String),
    /// The executable could not be started or waited for.
    Spawn(PathBuf, io::Error),
    /// The tool ran past its time limit and was killed.
    TimedOut {
        /// The tool's name.
        tool: String,
        /// The limit it exceeded.
        timeout: Duration,
        /// What it printed before being killed.
        output: Output,
    },
    /// The tool exited unsuccessfully.
    Failed {
        /// The tool's name.
        tool: String,
        /// How it exited.
        status: ExitStatus,
        /// What it printed.
        output: Output,
    },
    /// A report lacks a line, or its value does not parse.
    Parse {
        /// The line that was looked for.
        field: String,
        /// The whole report.
        report: String,
    },
}

impl fmt::Display for PerfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PerfError::NotBuilt => {
                f.write_str("libzmq's perf tools were not built (zmq-sys links a system libzmq)")
            }
            PerfError::UnknownTool(tool) => write!(f, "{tool} is not one of libzmq's perf tools"),
            PerfError::Spawn(path, e) => write!(f, "cannot run {}: {e}", path.display()),
            PerfError::TimedOut {
                tool,
                timeout,
                output,
            } => write!(
                f,
                "{tool} did not finish within {timeout:?}; it printed:\n{}{}",
                output.stdout, output.stderr
            ),
            PerfError::Failed {
                tool,
                status,
                output,
            } => write!(
                f,
                "{tool} failed ({status}); it printed:\n{}{}",
                output.stdout, output.stderr
            ),
            PerfError::Parse { field, report } => {
                write!(f, "no `{field}` line in the report:\n{report}")
            }
        }
    }
}

impl std::error::Error for PerfError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PerfError::Spawn(_, e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throughput_report_parses_both_throughput_lines() {
        let report = "message size: 1 [B]\nmessage count: 10000\n\
                      mean throughput: 5000000 [msg/s]\nmean throughput: 40.000 [Mb/s]\n";
        let thr = Throughput::parse(report).unwrap();
        assert_eq!(
            thr,
            Throughput {
                message_size: 1,
                message_count: 10000,
                messages_per_second: 5_000_000,
                megabits_per_second: 40.0,
            }
        );
    }

    #[test]
    fn report_missing_a_line_is_a_parse_error_naming_it() {
        let err = Latency::parse("message size: 1 [B]\nroundtrip count: 10\n").unwrap_err();
        assert!(
            matches!(&err, PerfError::Parse { field, .. } if field == "average latency: <value> [us]"),
            "{err}"
        );
    }

    #[test]
    fn tool_error_output_is_not_a_report() {
        let err = Throughput::parse("error in zmq_bind: Address already in use\n").unwrap_err();
        assert!(matches!(err, PerfError::Parse { .. }));
    }

    #[test]
    fn unknown_tool_is_refused_before_running_anything() {
        let err = run("proxy_thr", &[], Duration::from_secs(1)).unwrap_err();
        assert!(matches!(err, PerfError::UnknownTool(name) if name == "proxy_thr"));
    }
}
