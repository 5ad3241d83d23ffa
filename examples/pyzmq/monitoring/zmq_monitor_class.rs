//! pyzmq examples/monitoring: a reusable event printer
//!
//! Port of `monitoring/zmq_monitor_class.py`, a module whose
//! `event_monitor(socket)` starts a thread printing the socket's events.
//! Run as an example it does what the module's docstring shows: a SUB
//! socket, monitored, connects to tcp://127.0.0.1:7103 and receives
//! forever. With `--async` (feature `tokio`) it takes the docstring's other
//! road, `event_monitor_async`: the thread hands the printing loop to the
//! main thread's event loop (a tokio runtime, reading a
//! `zmq::asyncio::MonitorStream`), on which the SUB also receives.

#[path = "events.rs"]
mod events;

use std::thread::{self, JoinHandle};

use zmq::{Monitor, MonitorEvent, MonitorEvents, PollEvents, SocketEvent, SocketType};
use zmq_guide::endpoint;

/// What the monitor thread fails with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Prints the libzmq version and the event names, as both monitor threads
/// do first.
fn print_preamble() -> Result<(), BoxError> {
    let (major, minor, patch) = zmq::version();
    println!("libzmq-{major}.{minor}.{patch}");
    if major < 4 {
        return Err("monitoring in libzmq version < 4.0 is not supported".into());
    }
    events::print_event_names();
    println!();
    println!();
    Ok(())
}

/// A thread that prints events; a starting point for a monitor of your
/// own, without the prints.
///
/// `monitor`: from [`Monitor::new`] on the socket to watch.
pub fn event_monitor_thread(monitor: Monitor) -> Result<(), BoxError> {
    print_preamble()?;

    while !monitor.socket().poll(PollEvents::POLLIN, None)?.is_empty() {
        let evt = MonitorEvent::recv(monitor.socket())?;
        events::print_event(&evt);
        if evt.event == SocketEvent::MonitorStopped {
            break;
        }
    }
    drop(monitor);
    println!();
    println!("event monitor thread done!");
    Ok(())
}

/// Adds a printing event monitor to `socket`: a thread running
/// [`event_monitor_thread`].
pub fn event_monitor(socket: &zmq::Socket) -> zmq::Result<JoinHandle<Result<(), BoxError>>> {
    let monitor = Monitor::new(socket, MonitorEvents::ALL)?;
    Ok(thread::spawn(move || event_monitor_thread(monitor)))
}

/// The asyncio variant of [`event_monitor_thread`]: prints what it prints
/// first, then leaves the printing loop to a task on `runtime`, the event
/// loop of another thread, and returns.
#[cfg(feature = "tokio")]
pub fn event_monitor_thread_async(
    monitor: Monitor,
    runtime: tokio::runtime::Handle,
) -> Result<(), BoxError> {
    use std::future::poll_fn;
    use std::pin::Pin;

    use futures_core::Stream;
    use zmq::asyncio::MonitorStream;

    print_preamble()?;

    // The monitor socket joins `runtime`'s reactor, as the original sets
    // `loop` as this thread's event loop.
    let _in_runtime = runtime.enter();
    let mut stream = MonitorStream::from_monitor(monitor)?;
    runtime.spawn(async move {
        while let Some(evt) = poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await {
            match evt {
                Ok(evt) => {
                    events::print_event(&evt);
                    if evt.event == SocketEvent::MonitorStopped {
                        break;
                    }
                }
                Err(e) => {
                    eprintln!("event monitor: {e}");
                    break;
                }
            }
        }
        drop(stream);
        println!();
        println!("event monitor thread done!");
    });
    Ok(())
}

/// Adds a printing event monitor to `socket` whose loop runs on `runtime`:
/// a thread running [`event_monitor_thread_async`].
#[cfg(feature = "tokio")]
pub fn event_monitor_async(
    socket: &zmq::Socket,
    runtime: tokio::runtime::Handle,
) -> zmq::Result<JoinHandle<Result<(), BoxError>>> {
    let monitor = Monitor::new(socket, MonitorEvents::ALL)?;
    Ok(thread::spawn(move || {
        event_monitor_thread_async(monitor, runtime)
    }))
}

fn main() -> Result<(), BoxError> {
    let use_async = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--async") => true,
        Some(_) => return Err("usage: zmq_monitor_class [--async]".into()),
    };
    let context = zmq::Context::new()?;
    let socket = context.socket(SocketType::Sub)?;
    socket.subscribe(b"")?;

    if use_async {
        return run_async(socket);
    }
    let _monitor = event_monitor(&socket)?;

    socket.connect(&endpoint("tcp://127.0.0.1:7103"))?;

    loop {
        let _m = socket.recv()?;
    }
}

/// The docstring's commented-out road: the monitor's loop and the SUB's
/// receive loop share the main thread's event loop.
#[cfg(feature = "tokio")]
fn run_async(socket: zmq::Socket) -> Result<(), BoxError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let _monitor = event_monitor_async(&socket, runtime.handle().clone())?;

    socket.connect(&endpoint("tcp://127.0.0.1:7103"))?;

    runtime.block_on(receive_forever(socket))
}

/// `while True: socket.recv()` on the event loop.
#[cfg(feature = "tokio")]
async fn receive_forever(socket: zmq::Socket) -> Result<(), BoxError> {
    let mut socket = zmq::asyncio::AsyncSocket::new(socket)?;
    loop {
        let _m = socket.recv().await?;
    }
}

#[cfg(not(feature = "tokio"))]
fn run_async(_socket: zmq::Socket) -> Result<(), BoxError> {
    Err("--async needs the tokio feature: cargo run --features tokio --example zmq_monitor_class -- --async".into())
}
