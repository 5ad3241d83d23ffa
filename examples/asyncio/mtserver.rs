//! Multitasking Hello World server, on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/mtserver.py`: a
//! ROUTER for clients on tcp://*:5555 and a DEALER on inproc://workers in
//! front of five REP worker tasks; the server's own loop polls both and
//! passes `[client, "", message]` between them, printing every step.
//! Each worker answers "X" with "b'X' world, from worker N" after a second
//! (`ZGUIDE_WORK_MS` shortens it, for tests).
//!
//! One deliberate difference: the original awaits its first worker
//! coroutine inline, which never returns, so it never serves anyone (the
//! commented-out `call_soon` beside it shows the intent). Here the five
//! workers are tasks, started where the original starts them.

use std::time::Duration;

use zmq::asyncio::AsyncSocket;
use zmq::{PollEvents, SocketType};
use zmq_guide::event_loop::{poll, run_until_complete};
use zmq_guide::{endpoint, pyfmt};

const URL_WORKER: &str = "inproc://workers";
const URL_CLIENT: &str = "tcp://*:5555";

/// The original's switch for its `printdbg` lines.
const DEBUG: bool = true;

macro_rules! printdbg {
    ($($arg:tt)*) => {
        if DEBUG {
            println!($($arg)*);
        }
    };
}

async fn worker_routine(ctx: zmq::Context, ident: String) -> zmq::Result<()> {
    // The socket that talks to the dispatcher.
    let mut socket = AsyncSocket::with_type(&ctx, SocketType::Rep)?;
    socket.connect(URL_WORKER)?;
    printdbg!("(worker_routine) {ident} started");
    let work = Duration::from_millis(zmq_guide::setting("ZGUIDE_WORK_MS", 1000));
    loop {
        printdbg!("(worker_routine) waiting for request");
        let message = socket.recv_bytes().await?;
        // The original mixes `%s` with `.format`, so these two print the
        // placeholder itself.
        printdbg!("(worker_routine) Received message parts: %s");
        printdbg!("(worker_routine) Received message: %s");
        // The "work".
        tokio::time::sleep(work).await;
        // The reply names the request as Python prints bytes.
        let reply = format!("{} world, from {ident}", pyfmt::bytes(&message));
        socket.send(reply.as_str()).await?;
        printdbg!(
            "(worker_routine) sent message: {}",
            pyfmt::bytes(reply.as_bytes())
        );
    }
}

async fn run(ctx: zmq::Context) -> zmq::Result<()> {
    // Clients come in on the ROUTER, workers are behind the DEALER.
    let mut clients = AsyncSocket::with_type(&ctx, SocketType::Router)?;
    clients.bind(&endpoint(URL_CLIENT))?;
    let mut workers = AsyncSocket::with_type(&ctx, SocketType::Dealer)?;
    workers.bind(URL_WORKER)?;
    for idx in 0..5 {
        let ident = format!("worker {idx}");
        tokio::spawn(worker_routine(ctx.clone(), ident));
    }
    println!("(run) started worker routines");
    println!("mtserver ready for requests");
    loop {
        let events = poll(&mut [&mut clients, &mut workers], PollEvents::POLLIN).await?;
        if !events[0].is_empty() {
            let message = clients.recv_multipart().await?;
            printdbg!(
                "(run) received from client message_parts: {}",
                pyfmt::bytes_list(&message)
            );
            let [client, _empty, message] = first_three(message)?;
            printdbg!(
                "(run) received from client message: {}",
                pyfmt::bytes(&message)
            );
            printdbg!(
                "(run) sending message to workers: {}",
                pyfmt::bytes(&message)
            );
            workers
                .send_multipart([client, Vec::new(), message])
                .await?;
        } else if !events[1].is_empty() {
            let message = workers.recv_multipart().await?;
            printdbg!(
                "(run) received from worker message_parts: {}",
                pyfmt::bytes_list(&message)
            );
            let [client, _empty, message] = first_three(message)?;
            printdbg!(
                "(run) received from worker message: {}",
                pyfmt::bytes(&message)
            );
            let sent = pyfmt::bytes(&message);
            clients
                .send_multipart([client, Vec::new(), message])
                .await?;
            printdbg!("(run) sent message to clients: {sent}");
        }
    }
}

/// The first three frames of `frames`, as Python's `a, b, c = frames[:3]`;
/// fewer than three is a protocol error.
fn first_three(mut frames: Vec<Vec<u8>>) -> zmq::Result<[Vec<u8>; 3]> {
    frames.truncate(3);
    <[Vec<u8>; 3]>::try_from(frames).map_err(|_| zmq::Error::from_errno(libc::EPROTO))
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_mtserver");
        std::process::exit(1);
    }
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx))
}
