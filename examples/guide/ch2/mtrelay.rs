//! Multithreaded relay
//!
//! Port of the zguide's `examples/Python/mtrelay.py`: three steps, each in
//! its own thread, signal one another in turn over inproc PAIR sockets.

use std::thread;

use zmq::{Context, SocketType};

/// The first step: signals step 2 and ends.
fn step1(context: Option<Context>) -> zmq::Result<()> {
    let context = match context {
        Some(context) => context,
        None => Context::instance()?,
    };

    // Tell step 2 to go on.
    let sender = context.socket(SocketType::Pair)?;
    sender.connect("inproc://step2")?;
    sender.send(b"")?;
    Ok(())
}

/// The second step: starts step 1, waits for it, then signals step 3.
fn step2(context: Option<Context>) -> zmq::Result<()> {
    let context = match context {
        Some(context) => context,
        None => Context::instance()?,
    };

    // Bind before starting the thread that connects.
    let receiver = context.socket(SocketType::Pair)?;
    receiver.bind("inproc://step2")?;
    let thread = thread::spawn(|| step1(None));

    // Wait for step 1.
    let _msg = receiver.recv()?;

    // Tell step 3 to go on.
    let sender = context.socket(SocketType::Pair)?;
    sender.connect("inproc://step3")?;
    sender.send(b"")?;

    // Python waits for its threads at exit; here each step joins the one it
    // started, passing on its result.
    thread.join().expect("step 1 panicked")
}

fn main() -> zmq::Result<()> {
    // The shared context, as Context.instance() in Python.
    let context = Context::instance()?;

    // Bind before starting the thread that connects.
    let receiver = context.socket(SocketType::Pair)?;
    receiver.bind("inproc://step3")?;
    let thread = thread::spawn(|| step2(None));

    // Wait for step 2.
    let _string = receiver.recv()?;
    println!("Test successful!");

    receiver.close()?;
    drop(context);
    thread.join().expect("step 2 panicked")
}
