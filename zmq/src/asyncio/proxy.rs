//! `zmq_proxy` as a future.

use std::future::poll_fn;
use std::task::{Context, Poll};

use super::AsyncSocket;
use crate::error::Result;
use crate::message::Message;

/// One direction of the proxy: the message received and not yet passed on.
fn relay(
    from: &mut AsyncSocket,
    to: &mut AsyncSocket,
    held: &mut Vec<Message>,
    cx: &mut Context<'_>,
) -> Poll<Result<()>> {
    loop {
        if held.is_empty() {
            match from.poll_recv_multipart(cx) {
                Poll::Ready(Ok(frames)) => *held = frames,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        match to.poll_send_multipart(cx, held) {
            Poll::Ready(Ok(())) => {}
            other => return other,
        }
    }
}

/// Relays multipart messages between `frontend` and `backend`, both ways,
/// as [`zmq::proxy`](crate::proxy()) does on a thread: each message goes out
/// whole, and a side that cannot take more (high water mark) holds up only
/// its own direction. It never completes with `Ok`: it ends with the first
/// error, [`Terminated`](crate::ErrorKind::Terminated) when the context is
/// shut down.
///
/// ```
/// use zmq::SocketType;
/// use zmq::asyncio::{AsyncSocket, proxy};
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let ctx = zmq::Context::new()?;
/// let mut frontend = AsyncSocket::with_type(&ctx, SocketType::Router)?;
/// frontend.bind("inproc://doc-proxy-front")?;
/// let mut backend = AsyncSocket::with_type(&ctx, SocketType::Dealer)?;
/// backend.bind("inproc://doc-proxy-back")?;
/// let mut worker = AsyncSocket::with_type(&ctx, SocketType::Rep)?;
/// worker.connect("inproc://doc-proxy-back")?;
/// let mut client = AsyncSocket::with_type(&ctx, SocketType::Req)?;
/// client.connect("inproc://doc-proxy-front")?;
///
/// let broker = tokio::spawn(async move { proxy(&mut frontend, &mut backend).await });
/// client.send("question").await?;
/// assert_eq!(worker.recv_string().await?, "question");
/// worker.send("answer").await?;
/// assert_eq!(client.recv_string().await?, "answer");
/// broker.abort();
/// # Ok::<(), zmq::Error>(())
/// # }).unwrap();
/// ```
///
/// # Cancel safety
///
/// Dropping the future stops the proxy. A message it received but could
/// not yet pass on (the other side at its high water mark) is dropped with
/// it; every other message stays queued in its socket.
#[doc(alias = "zmq_proxy")]
pub async fn proxy(frontend: &mut AsyncSocket, backend: &mut AsyncSocket) -> Result<()> {
    let mut to_backend = Vec::new();
    let mut to_frontend = Vec::new();
    poll_fn(|cx| {
        let forward = relay(frontend, backend, &mut to_backend, cx);
        if let Poll::Ready(Err(e)) = forward {
            return Poll::Ready(Err(e));
        }
        relay(backend, frontend, &mut to_frontend, cx)
    })
    .await
}
