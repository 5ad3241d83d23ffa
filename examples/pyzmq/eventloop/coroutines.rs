//! pyzmq examples/eventloop: zmq in coroutines
//!
//! Port of `eventloop/coroutines.py` (feature `tokio`) on the crate's
//! async layer, `zmq::asyncio`, with tokio where the original has asyncio.
//! Three tasks share one thread: `ping` prints a dot every 250 ms to show
//! the loop is idle, not blocked; `sender` PUSHes the seconds since it
//! started once a second on tcp://127.0.0.1:5555; `receiver` waits up to
//! 500 ms for its PULL to become readable (pyzmq's `Poller.poll(timeout)`)
//! and prints what arrived, or that nothing did.

use std::time::{Duration, Instant};

use zmq::asyncio::AsyncSocket;
use zmq::{PollEvents, SocketType};
use zmq_guide::{endpoint, pyfmt};

/// Prints dots to show idleness.
async fn ping() {
    loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        println!(".");
    }
}

/// Receives messages, polling with a timeout.
async fn receiver(ctx: &zmq::Context, url: &str) -> zmq::Result<()> {
    let mut pull = AsyncSocket::with_type(ctx, SocketType::Pull)?;
    pull.connect(url)?;
    loop {
        let ready =
            tokio::time::timeout(Duration::from_millis(500), pull.ready(PollEvents::POLLIN)).await;
        // A timeout is an empty poll result.
        let events = ready.unwrap_or(Ok(PollEvents::empty()))?;
        if events.contains(PollEvents::POLLIN) {
            // pyzmq prints its poll result: [(socket, event)].
            println!("recving [(<Socket PULL>, <PollEvent.POLLIN: 1>)]");
            let msg = pull.recv_multipart().await?;
            let frames: Vec<String> = msg.iter().map(|f| pyfmt::bytes(f)).collect();
            println!("recvd [{}]", frames.join(", "));
        } else {
            println!("nothing to recv");
        }
    }
}

/// Sends a message every second.
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
    runtime.block_on(async {
        let ((), received, sent) = tokio::join!(ping(), receiver(&ctx, &url), sender(&ctx, &url));
        received.and(sent)
    })?;
    Ok(())
}
