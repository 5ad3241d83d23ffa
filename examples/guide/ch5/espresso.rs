//! Espresso: watching a pub-sub flow through a proxy
//!
//! Port of the zguide's `examples/Python/espresso.py`: a publisher thread
//! sends a random `X-NNNNN` (X from A to K) every 100 ms on tcp://*:6000;
//! the main thread proxies it from an XSUB to an XPUB on tcp://*:6001,
//! copying every message it passes to a listener thread, which prints it
//! (as a Python list: the prefix `pub` for data, `sub` for subscriptions,
//! then the frames); a subscriber thread takes five messages starting with
//! A or B, prints how many it got and ends. Ctrl-C stops it all.
//!
//! pyzmq's `monitored_queue` is written out here as a poll loop: the crate
//! has `proxy_with_capture`, but it does not prefix the copies.

use std::thread;
use std::time::Duration;

use rand::Rng;
use zmq::{ErrorKind, PollEvents, PollItem, Socket, SocketType, interrupt};
use zmq_guide::zhelpers::zpipe;
use zmq_guide::{endpoint, pyfmt};

/// Subscribes to A and B and counts what arrives, up to five messages.
fn subscriber_thread(ctx: &zmq::Context) -> zmq::Result<()> {
    let subscriber = ctx.socket(SocketType::Sub)?;
    subscriber.connect(&endpoint("tcp://localhost:6001"))?;
    subscriber.subscribe(b"A")?;
    subscriber.subscribe(b"B")?;

    let mut count = 0;
    while count < 5 {
        match subscriber.recv_multipart() {
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::Terminated => break, // shutting down
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        count += 1;
    }
    println!("Subscriber received {count} messages");
    Ok(())
}

/// Publishes a random `X-NNNNN` every tenth of a second.
fn publisher_thread(ctx: &zmq::Context) -> zmq::Result<()> {
    let publisher = ctx.socket(SocketType::Pub)?;
    publisher.bind(&endpoint("tcp://*:6000"))?;

    let mut rng = rand::rng();
    loop {
        let letter = char::from(b'A' + rng.random_range(0..=10u8));
        let string = format!("{letter}-{:05}", rng.random_range(0..=100_000));
        match publisher.send(string) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::Terminated => return Ok(()), // shutting down
            Err(e) => return Err(e),
        }
        thread::sleep(Duration::from_millis(100));
    }
}

/// Prints every message that comes through the pipe.
fn listener_thread(pipe: &Socket) {
    loop {
        match pipe.recv_multipart() {
            Ok(msg) => {
                let frames: Vec<String> = msg.iter().map(|frame| pyfmt::bytes(frame)).collect();
                println!("[{}]", frames.join(", "));
            }
            Err(e) if e.kind() == ErrorKind::Terminated => break, // shutting down
            Err(_) => {}
        }
    }
}

/// Passes messages both ways between `frontend` and `backend`, sending a
/// copy of each to `capture` after `frontend_prefix` (what came in at the
/// frontend) or `backend_prefix` (what came in at the backend): pyzmq's
/// `monitored_queue`. Returns on the first error (e.g. Interrupted).
fn monitored_queue(
    frontend: &Socket,
    backend: &Socket,
    capture: &Socket,
    frontend_prefix: &[u8],
    backend_prefix: &[u8],
) -> zmq::Result<()> {
    loop {
        let mut items = [
            PollItem::from_socket(frontend, PollEvents::POLLIN),
            PollItem::from_socket(backend, PollEvents::POLLIN),
        ];
        zmq::poll(&mut items, None)?;
        let ready = [items[0].is_readable(), items[1].is_readable()];
        for ((from, to, prefix), ready) in [
            (frontend, backend, frontend_prefix),
            (backend, frontend, backend_prefix),
        ]
        .into_iter()
        .zip(ready)
        {
            if ready {
                let msg = from.recv_multipart()?;
                to.send_multipart(&msg)?;
                capture
                    .send_multipart(std::iter::once(prefix).chain(msg.iter().map(Vec::as_slice)))?;
            }
        }
    }
}

fn main() -> zmq::Result<()> {
    // Ctrl-C makes the proxy's poll fail instead of killing the process.
    interrupt::catch_signals()?;

    // The publisher and the subscriber, in the background.
    let ctx = zmq::Context::new()?;
    let p_ctx = ctx.clone();
    let p_thread = thread::spawn(move || publisher_thread(&p_ctx));
    let s_ctx = ctx.clone();
    let s_thread = thread::spawn(move || subscriber_thread(&s_ctx));

    let (pipe0, pipe1) = zpipe(&ctx)?;

    let subscriber = ctx.socket(SocketType::Xsub)?;
    subscriber.connect(&endpoint("tcp://localhost:6000"))?;

    let publisher = ctx.socket(SocketType::Xpub)?;
    publisher.bind(&endpoint("tcp://*:6001"))?;

    let l_thread = thread::spawn(move || listener_thread(&pipe1));

    match monitored_queue(&subscriber, &publisher, &pipe0, b"pub", b"sub") {
        Err(e) if e.kind() == ErrorKind::Interrupted => println!("Interrupted"),
        Err(e) => return Err(e),
        Ok(()) => {}
    }

    // Close ours, then end the threads: their calls fail with Terminated.
    drop((subscriber, publisher, pipe0));
    ctx.shutdown()?;
    for result in [p_thread.join(), s_thread.join()] {
        if let Ok(Err(e)) = result {
            eprintln!("{e}");
        }
    }
    let _ = l_thread.join();
    Ok(())
}
