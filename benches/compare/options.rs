//! The command line of the comparison. A module of its own, without the
//! benchmark's other modules, so that `tests/compare_options.rs` can test
//! its parsing: the benchmark itself runs without a test harness.

use std::path::{Path, PathBuf};
use std::time::Duration;

pub(crate) const USAGE: &str =
    "usage: cargo bench --bench compare -- [--quick] [--rounds N] [--out DIR]
        [--peers] [--peer KEY]... [--tools NAME=DIR]... [--skip KEY]... [--only TEXT]...
        [--batch-size SIZE]...
  --peers          also run every peer (rust-zmq, pyzmq; built with --features tokio
                   also tmq, zmq.rs); --peer KEY for one of them
  --tools NAME=DIR also run the C++ perf tools in DIR (scripts/libzmq_builds.sh makes them)
  --skip KEY       leave an implementation out (zmq, zmq-async, or a peer's key)
  --only TEXT      only the rows whose label contains TEXT (\"tcp throughput\", \"1 B\")
  --batch-size SIZE  also run this crate's blocking and async ports with ZMQ_IN_BATCH_SIZE
                   and ZMQ_OUT_BATCH_SIZE set to SIZE bytes (65536, 64KiB, 1MiB) on both
                   sides, as rows labelled \"batch SIZE\" (keys zmq@SIZE, zmq-async@SIZE)
                   beside the untuned ones; draft options: needs --features draft";

/// What to run and how long.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) quick: bool,
    pub(crate) rounds: usize,
    pub(crate) run_time: Duration,
    pub(crate) out: PathBuf,
    pub(crate) peers: Vec<String>,
    pub(crate) tools: Vec<(String, PathBuf)>,
    pub(crate) skip: Vec<String>,
    pub(crate) only: Vec<String>,
    /// `--batch-size`: the batch sizes (bytes) of the tuned runs of this
    /// crate's ports, in the order given, without repeats.
    pub(crate) batch_sizes: Vec<u32>,
}

impl Options {
    pub(crate) fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
        let mut quick = false;
        let mut rounds = None;
        let mut out = None;
        let (mut peers, mut tools, mut skip, mut only) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut batch_sizes = Vec::new();
        let mut args = args.peekable();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
            match arg.as_str() {
                "--quick" => quick = true,
                // --pairs: the name from when there were two sides.
                "--rounds" | "--pairs" => {
                    let n = value(&arg)?;
                    let n: usize = n.parse().map_err(|_| format!("{arg} {n}: not a number"))?;
                    if n == 0 {
                        return Err(format!("{arg} must be at least 1"));
                    }
                    rounds = Some(n);
                }
                "--out" => out = Some(PathBuf::from(value("--out")?)),
                "--peers" => peers.push("all".to_owned()),
                "--peer" => peers.push(value("--peer")?),
                "--tools" => {
                    let spec = value("--tools")?;
                    let (name, dir) = spec
                        .split_once('=')
                        .ok_or(format!("--tools {spec}: expected NAME=DIR"))?;
                    tools.push((name.to_owned(), PathBuf::from(dir)));
                }
                "--skip" => skip.push(value("--skip")?),
                "--only" => only.push(value("--only")?),
                "--batch-size" => {
                    let size = parse_batch_size(&value("--batch-size")?)?;
                    if !cfg!(feature = "draft") {
                        return Err("--batch-size sets draft options of libzmq: build the \
                                    benchmark with --features draft (or tokio,draft)"
                            .to_owned());
                    }
                    if !batch_sizes.contains(&size) {
                        batch_sizes.push(size);
                    }
                }
                // cargo bench passes --bench to every benchmark binary.
                "--bench" => {}
                "-h" | "--help" => return Err(String::new()),
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        Ok(Options {
            quick,
            rounds: rounds.unwrap_or(if quick { 6 } else { 25 }),
            run_time: Duration::from_millis(if quick { 150 } else { 600 }),
            out: out.unwrap_or_else(|| target_dir().join("zmq-compare")),
            peers,
            tools,
            skip,
            only,
            batch_sizes,
        })
    }
}

/// A batch size in bytes: a number, optionally followed by `K`/`KiB`
/// (x1024) or `M`/`MiB` (x1024x1024), between 1 byte and 1 GiB (libzmq
/// allocates a buffer of that size per connection and direction).
pub(crate) fn parse_batch_size(text: &str) -> Result<u32, String> {
    let trimmed = text.trim();
    let digits = trimmed.len()
        - trimmed
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    let (number, unit) = trimmed.split_at(digits);
    let not_bytes = || format!("--batch-size {text}: expected bytes, such as 65536, 64KiB or 1MiB");
    let scale: u64 = match unit.trim() {
        "" | "B" => 1,
        "K" | "k" | "KiB" => 1 << 10,
        "M" | "MiB" => 1 << 20,
        _ => return Err(not_bytes()),
    };
    let number: u64 = number.parse().map_err(|_| not_bytes())?;
    match number.checked_mul(scale) {
        Some(bytes) if (1..=1 << 30).contains(&bytes) => Ok(bytes as u32),
        _ => Err(format!(
            "--batch-size {text}: must be between 1 B and 1 GiB"
        )),
    }
}

/// The target directory: cargo builds benchmarks (and integration tests)
/// with CARGO_TARGET_TMPDIR = `<target dir>/tmp`.
pub(crate) fn target_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).to_owned()
}
