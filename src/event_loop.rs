//! The event loop of the async examples (feature `tokio`): what pyzmq's
//! `loop.run_until_complete(run())` is to the Python originals.

use std::future::Future;
use std::task::Poll;

use zmq::PollEvents;
use zmq::asyncio::AsyncSocket;

/// Runs `future` to completion on a tokio current-thread runtime with I/O
/// and timers, as asyncio runs a coroutine on one thread, and returns its
/// output.
///
/// # Exits
///
/// With status 1 and a message if the runtime cannot start.
pub fn run_until_complete<F: Future>(future: F) -> F::Output {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(future),
        Err(e) => {
            eprintln!("error: cannot start the tokio runtime: {e}");
            std::process::exit(1)
        }
    }
}

/// Waits until at least one of `sockets` is ready for one of `interest`,
/// and returns, for each socket in order, which of `interest` it is ready
/// for (empty for those that are not): pyzmq's `await Poller.poll()` with
/// every socket registered for the same events.
///
/// # Cancel safety
///
/// Cancel safe: it only looks.
pub async fn poll(
    sockets: &mut [&mut AsyncSocket],
    interest: PollEvents,
) -> zmq::Result<Vec<PollEvents>> {
    let mut waits: Vec<_> = sockets
        .iter_mut()
        .map(|socket| Box::pin(socket.ready(interest)))
        .collect();
    std::future::poll_fn(|cx| {
        let mut events = vec![PollEvents::empty(); waits.len()];
        let mut any = false;
        for (wait, ready) in waits.iter_mut().zip(&mut events) {
            if let Poll::Ready(result) = wait.as_mut().poll(cx) {
                *ready = result?;
                any = true;
            }
        }
        if any {
            Poll::Ready(Ok(events))
        } else {
            Poll::Pending
        }
    })
    .await
}
