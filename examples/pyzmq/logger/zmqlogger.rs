//! pyzmq examples/logger: log records over PUB/SUB
//!
//! Port of `logger/zmqlogger.py` (feature `tracing`). It starts `n` worker
//! processes (2), each publishing a `tracing` event at a random level once
//! a second through the crate's `zmq::log::PubLayer` (pyzmq's `PUBHandler`)
//! on a PUB connected to tcp://127.0.0.1:<port> (5558), filtered at a
//! level of its own. The main process binds a SUB there and logs every
//! record it receives (`zmq::log::LogWatcher`, the reading side) to
//! stderr, as Python's root logger does (`LEVEL:root:message`), until
//! Ctrl-C, which also terminates the workers.
//!
//! Usage: `zmqlogger [n [port]]`. A worker is this program run as
//! `zmqlogger --worker <port> <level>` (what `multiprocessing.Process`
//! forks in the original); by hand, it publishes to any watcher, such as
//! the original's main process. `zmqlogger 0` is a watcher alone, for the
//! original's workers (pyzmq's `PUBHandler`) to publish to. Python's CRITICAL has no `tracing` level:
//! the workers use the other four. `ZGUIDE_INTERVAL_MS` sets the interval
//! (1000).

use std::process::{Child, Command};
use std::thread;
use std::time::Duration;

use rand::seq::IndexedRandom;
use tracing::Level;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;
use zmq::log::{LogWatcher, PubLayer};
use zmq::{ErrorKind, SocketType, interrupt};
use zmq_guide::{endpoint, setting};

/// The levels a record and a worker's filter are drawn from, with Python's
/// number for each.
const LOG_LEVELS: [(Level, u32); 4] = [
    (Level::DEBUG, 10),
    (Level::INFO, 20),
    (Level::WARN, 30),
    (Level::ERROR, 40),
];

fn sub_logger(port: u16) -> zmq::Result<()> {
    let ctx = zmq::Context::new()?;
    let sub = ctx.socket(SocketType::Sub)?;
    sub.bind(&endpoint(&format!("tcp://127.0.0.1:{port}")))?;
    let watcher = LogWatcher::new(sub)?;
    watcher.subscribe("")?;

    loop {
        let Some(record) = watcher.next(None)? else {
            continue;
        };
        // `logging.<level>(message)` on the root logger, under Python's
        // level name: the topic's level part.
        let level_name = record
            .level
            .map_or_else(|| record.topic.to_uppercase(), |l| l.as_str().to_owned());
        // `message()` trims the trailing newline, which the log line adds
        // again.
        eprintln!("{level_name}:root:{}", record.message());
    }
}

fn log_worker(port: u16, interval: Duration, level: u32) -> zmq::Result<()> {
    let ctx = zmq::Context::new()?;
    let publisher = ctx.socket(SocketType::Pub)?;
    publisher.connect(&endpoint(&format!("tcp://127.0.0.1:{port}")))?;

    let filter = LOG_LEVELS
        .iter()
        .find(|(_, number)| *number == level)
        .map_or(LevelFilter::DEBUG, |(level, _)| {
            LevelFilter::from_level(*level)
        });
    let handler = PubLayer::new(publisher)?;
    let logger = tracing_subscriber::registry().with(handler).with(filter);
    let _guard = tracing::subscriber::set_default(logger);
    let pid = std::process::id();
    println!("starting logger at {pid} with level={level}");

    let mut rng = rand::rng();
    loop {
        let (level, _) = LOG_LEVELS
            .choose(&mut rng)
            .copied()
            .unwrap_or(LOG_LEVELS[0]);
        match level {
            Level::DEBUG => tracing::debug!("Hello from {pid}!"),
            Level::INFO => tracing::info!("Hello from {pid}!"),
            Level::WARN => tracing::warn!("Hello from {pid}!"),
            _ => tracing::error!("Hello from {pid}!"),
        }
        thread::sleep(interval);
    }
}

/// The number at position `index` of the command line, or `default`.
fn arg<T: std::str::FromStr>(args: &[String], index: usize, default: T) -> T {
    match args.get(index) {
        None => default,
        Some(text) => text.parse().unwrap_or_else(|_| {
            eprintln!("zmqlogger: invalid number: {text:?}");
            std::process::exit(2)
        }),
    }
}

/// `Process.terminate()`: SIGTERM, then reap it.
fn terminate(mut worker: Child) {
    if let Ok(pid) = libc::pid_t::try_from(worker.id()) {
        // SAFETY: kill(2) takes plain integers; the child is ours and not
        // yet reaped, so its pid still names it.
        unsafe { libc::kill(pid, libc::SIGTERM) };
    }
    let _ = worker.wait();
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let interval = Duration::from_millis(setting("ZGUIDE_INTERVAL_MS", 1000));
    if args.get(1).map(String::as_str) == Some("--worker") {
        log_worker(arg(&args, 2, 5558), interval, arg(&args, 3, 10))?;
        return Ok(());
    }
    let n: usize = arg(&args, 1, 2);
    let port: u16 = arg(&args, 2, 5558);

    interrupt::catch_signals()?;
    // start the log generators
    let exe = std::env::current_exe()?;
    let mut rng = rand::rng();
    let mut workers = Vec::with_capacity(n);
    for _ in 0..n {
        let (_, level) = LOG_LEVELS
            .choose(&mut rng)
            .copied()
            .unwrap_or(LOG_LEVELS[0]);
        workers.push(
            Command::new(&exe)
                .args(["--worker", &port.to_string(), &level.to_string()])
                .spawn()?,
        );
    }

    // start the log watcher
    let result = match sub_logger(port) {
        Err(e) if e.kind() == ErrorKind::Interrupted => Ok(()),
        other => other,
    };
    for w in workers {
        terminate(w);
    }
    Ok(result?)
}
