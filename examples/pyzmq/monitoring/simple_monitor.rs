//! pyzmq examples/monitoring: watching a socket's events
//!
//! Port of `monitoring/simple_monitor.py`. A thread prints every event of
//! a REQ socket while the main thread binds it to tcp://127.0.0.1:6666 and
//! :6667, connects a REP to both, disconnects and closes it, then disables
//! the monitor (the thread ends on MONITOR_STOPPED) and repeats a connect
//! and disconnect that no one reports any more.

#[path = "events.rs"]
mod events;

use std::thread;
use std::time::Duration;

use zmq::{Monitor, MonitorEvent, MonitorEvents, PollEvents, SocketEvent, SocketType};
use zmq_guide::endpoint;

fn line() {
    println!("{}", "-".repeat(40));
}

fn event_monitor(monitor: Monitor) -> zmq::Result<()> {
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

fn sleep(seconds: f64) {
    thread::sleep(Duration::from_secs_f64(seconds));
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (major, minor, patch) = zmq::version();
    println!("libzmq-{major}.{minor}.{patch}");
    if major < 4 {
        return Err("monitoring in libzmq version < 4.0 is not supported".into());
    }
    events::print_event_names();

    let ep6666 = endpoint("tcp://127.0.0.1:6666");
    let ep6667 = endpoint("tcp://127.0.0.1:6667");
    let ctx = zmq::Context::new()?;
    let rep = ctx.socket(SocketType::Rep)?;
    let req = ctx.socket(SocketType::Req)?;

    let monitor = Monitor::new(&req, MonitorEvents::ALL)?;

    let t = thread::spawn(move || event_monitor(monitor));

    line();
    println!("bind req");
    req.bind(&ep6666)?;
    req.bind(&ep6667)?;
    sleep(1.0);

    line();
    println!("connect rep");
    rep.connect(&ep6667)?;
    sleep(0.2);
    rep.connect(&ep6666)?;
    sleep(1.0);

    line();
    println!("disconnect rep");
    rep.disconnect(&ep6667)?;
    sleep(1.0);
    rep.disconnect(&ep6666)?;
    sleep(1.0);

    line();
    println!("close rep");
    rep.close()?;
    sleep(1.0);

    line();
    println!("disabling event monitor");
    req.disable_monitor()?;

    line();
    println!("event monitor thread should now terminate");

    let rep = ctx.socket(SocketType::Rep)?;

    line();
    println!("connect rep");
    rep.connect(&ep6667)?;
    sleep(0.2);

    line();
    println!("disconnect rep");
    rep.disconnect(&ep6667)?;
    sleep(0.2);

    line();
    println!("close rep");
    rep.close()?;

    line();
    println!("close req");
    req.close()?;

    println!("END");
    t.join().map_err(|_| "the monitor thread panicked")??;
    Ok(())
}
