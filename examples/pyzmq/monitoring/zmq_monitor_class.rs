//! pyzmq examples/monitoring: a reusable event printer
//!
//! Port of `monitoring/zmq_monitor_class.py`, a module whose
//! `event_monitor(socket)` starts a thread printing the socket's events.
//! Run as an example it does what the module's docstring shows: a SUB
//! socket, monitored, connects to tcp://127.0.0.1:7103 and receives
//! forever. The module's asyncio variant (`event_monitor_async`) is not
//! ported.

#[path = "events.rs"]
mod events;

use std::thread::{self, JoinHandle};

use zmq::{Monitor, MonitorEvent, MonitorEvents, PollEvents, SocketEvent, SocketType};
use zmq_guide::endpoint;

/// What the monitor thread fails with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A thread that prints events; a starting point for a monitor of your
/// own, without the prints.
///
/// `monitor`: from [`Monitor::new`] on the socket to watch.
pub fn event_monitor_thread(monitor: Monitor) -> Result<(), BoxError> {
    let (major, minor, patch) = zmq::version();
    println!("libzmq-{major}.{minor}.{patch}");
    if major < 4 {
        return Err("monitoring in libzmq version < 4.0 is not supported".into());
    }
    events::print_event_names();
    println!();
    println!();

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

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let socket = context.socket(SocketType::Sub)?;
    socket.subscribe(b"")?;

    let _monitor = event_monitor(&socket)?;

    socket.connect(&endpoint("tcp://127.0.0.1:7103"))?;

    loop {
        let _m = socket.recv()?;
    }
}
