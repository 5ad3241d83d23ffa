//! pyzmq examples/asyncio: zmq in coroutines
//!
//! Port of `asyncio/coroutines.py` (feature `tokio`), the asyncio edition
//! of `eventloop/coroutines.py` (ported as `coroutines`). Three tasks share
//! one thread: `ping` prints a dot every half second, to show the loop is
//! idle and not blocked; `sender` PUSHes the seconds since it started once
//! a second on tcp://127.0.0.1:5555; `receiver` waits, with no timeout,
//! until its PULL is readable (pyzmq's async `Poller.poll()`), prints the
//! poll result and then the message.
//!
//! Unlike the eventloop edition, nothing here ever prints "nothing to
//! recv": a poll without a timeout only returns with something to read.

use std::time::{Duration, Instant};

use zmq::asyncio::AsyncSocket;
use zmq::{PollEvents, SocketType};
use zmq_guide::{endpoint, pyfmt};

/// Prints a dot every half second while the loop is free.
async fn ping() {
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        println!(".");
    }
}

/// Waits for the PULL to become readable, then reads what came.
async fn receiver(ctx: &zmq::Context, url: &str) -> zmq::Result<()> {
    let mut pull = AsyncSocket::with_type(ctx, SocketType::Pull)?;
    pull.connect(url)?;
    loop {
        let events = pull.ready(PollEvents::POLLIN).await?;
        if events.contains(PollEvents::POLLIN) {
            // pyzmq prints the poll result as [(socket, event)]; the
            // socket's repr holds an address, a fixed name stands for it.
            println!("recving [(<Socket PULL>, <PollEvent.POLLIN: 1>)]");
            let msg = pull.recv_multipart().await?;
            println!("recvd {}", pyfmt::bytes_list(&msg));
        }
    }
}

/// Sends the time since it started, once a second.
async fn sender(ctx: &zmq::Context, url: &str) -> zmq::Result<()> {
    let tic = Instant::now();
    let mut push = AsyncSocket::with_type(ctx, SocketType::Push)?;
    push.bind(url)?;
    loop {
        println!("sending");
        push.send_multipart([pyfmt::float(tic.elapsed().as_secs_f64())])
            .await?;
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = endpoint("tcp://127.0.0.1:5555");
    let ctx = zmq::Context::new()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // asyncio.wait on the three: they run until one fails.
    runtime.block_on(async {
        tokio::select! {
            () = ping() => Ok(()),
            received = receiver(&ctx, &url) => received,
            sent = sender(&ctx, &url) => sent,
        }
    })?;
    Ok(())
}
