//! Helpers of the async tests: each test body runs on tokio's
//! current-thread and multi-thread runtimes, under a watchdog, and a
//! future wrapper counts how often a future is polled.

#![allow(dead_code, unreachable_pub)]

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use zmq::asyncio::AsyncSocket;
use zmq::{SocketType, sockopt};

pub use crate::common::watchdog;

/// How long one async test may run before the watchdog fails it.
pub const LIMIT: Duration = Duration::from_secs(60);

/// The two runtimes every async test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    CurrentThread,
    MultiThread,
}

/// A runtime of `flavor` with I/O and timers.
pub fn runtime(flavor: Flavor) -> tokio::runtime::Runtime {
    let mut builder = match flavor {
        Flavor::CurrentThread => tokio::runtime::Builder::new_current_thread(),
        Flavor::MultiThread => {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            builder.worker_threads(2);
            builder
        }
    };
    builder.enable_all().build().expect("tokio runtime")
}

/// Runs `test()` to completion on a fresh runtime of `flavor`, failing
/// after `limit`.
pub fn run_on<F, Fut>(flavor: Flavor, name: &str, limit: Duration, test: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    watchdog(limit, &format!("{name} on {flavor:?}"), move || {
        runtime(flavor).block_on(test());
    });
}

/// Declares `mod $name { fn current_thread(); fn multi_thread(); }`, each
/// running the async body on that runtime under the watchdog.
#[macro_export]
macro_rules! on_both_runtimes {
    ($(#[$meta:meta])* async fn $name:ident() $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body() $body

            #[test]
            fn current_thread() {
                $crate::asyncio_common::run_on(
                    $crate::asyncio_common::Flavor::CurrentThread,
                    stringify!($name),
                    $crate::asyncio_common::LIMIT,
                    body,
                );
            }

            #[test]
            fn multi_thread() {
                $crate::asyncio_common::run_on(
                    $crate::asyncio_common::Flavor::MultiThread,
                    stringify!($name),
                    $crate::asyncio_common::LIMIT,
                    body,
                );
            }
        }
    };
}

/// An async socket of `kind` whose close never waits for undelivered
/// messages.
pub fn socket(ctx: &zmq::Context, kind: SocketType) -> AsyncSocket {
    let socket = AsyncSocket::with_type(ctx, kind).expect("async socket");
    socket
        .set(sockopt::Linger, Some(Duration::ZERO))
        .expect("LINGER");
    socket
}

/// A bound socket and the endpoint to connect to: `tcp` picks a port,
/// otherwise `inproc://{name}`.
pub fn bound(ctx: &zmq::Context, kind: SocketType, tcp: bool, name: &str) -> (AsyncSocket, String) {
    let socket = socket(ctx, kind);
    let endpoint = bind_to(&socket, tcp, name);
    (socket, endpoint)
}

/// Binds `socket` (options set before count: inproc takes the bound
/// side's options at bind time) and returns the endpoint to connect to.
pub fn bind_to(socket: &AsyncSocket, tcp: bool, name: &str) -> String {
    if tcp {
        socket.bind("tcp://127.0.0.1:*").expect("bind tcp");
    } else {
        socket
            .bind(&format!("inproc://{name}"))
            .expect("bind inproc");
    }
    socket.last_endpoint().expect("last endpoint")
}

/// Counts the polls of the future it wraps.
pub struct CountPolls<F> {
    inner: Pin<Box<F>>,
    polls: Arc<AtomicUsize>,
}

impl<F: Future> CountPolls<F> {
    pub fn new(inner: F) -> (Self, Arc<AtomicUsize>) {
        let polls = Arc::new(AtomicUsize::new(0));
        (
            Self {
                inner: Box::pin(inner),
                polls: Arc::clone(&polls),
            },
            polls,
        )
    }
}

impl<F: Future> Future for CountPolls<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.polls.fetch_add(1, Ordering::Relaxed);
        self.inner.as_mut().poll(cx)
    }
}

/// A small deterministic generator (xorshift64*) for random cancellation.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// True with probability 1 in `n`.
    pub fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }
}
