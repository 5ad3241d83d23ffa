//! Inputs whose size has no natural limit get one before libzmq or the
//! disk sees them: subscription prefixes, certificate files, and the text
//! quoted in error messages.

mod common;

use std::time::Duration;

use common::{TIMEOUT, isolated, socket};
use zmq::sockopt::{self, SUBSCRIPTION_MAX};
use zmq::{Context, ErrorKind, SocketType};

/// Longer than libzmq 4.3.5 survives (its subscription trie recursed past
/// the stack from about 170 KB on its reaper thread).
const HUGE: usize = 200 * 1024;

#[test]
fn a_subscription_over_the_bound_is_refused_and_closing_the_socket_survives() {
    isolated(TIMEOUT * 4, || {
        let ctx = Context::new().unwrap();
        let sub = socket(&ctx, SocketType::Sub);
        let error = sub.subscribe(vec![b'a'; HUGE]).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        let text = error.to_string();
        assert!(
            text.contains(&HUGE.to_string()) && text.contains("1024"),
            "{text}"
        );
        assert!(sub.unsubscribe(vec![b'a'; HUGE]).is_err());
        assert!(
            sub.set(sockopt::Subscribe, &[b'a'; SUBSCRIPTION_MAX + 1][..])
                .is_err()
        );
        // The bound itself is fine, on any thread's stack.
        sub.subscribe(vec![b'a'; SUBSCRIPTION_MAX]).unwrap();
        sub.unsubscribe(vec![b'a'; SUBSCRIPTION_MAX]).unwrap();
        sub.subscribe(vec![b'b'; SUBSCRIPTION_MAX]).unwrap();
        drop(sub);
        drop(ctx);
    });
}

#[test]
fn an_xsub_subscription_frame_over_the_bound_is_refused_but_other_frames_pass() {
    isolated(TIMEOUT * 4, || {
        let ctx = Context::new().unwrap();
        let xpub = socket(&ctx, SocketType::Xpub);
        xpub.bind("inproc://xsub-bound").unwrap();
        let xsub = socket(&ctx, SocketType::Xsub);
        xsub.connect("inproc://xsub-bound").unwrap();
        for first in [0u8, 1] {
            let mut frame = vec![b'a'; HUGE + 1];
            frame[0] = first;
            let error = xsub.send(&frame).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
            let error = xsub.send(frame).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
        }
        // Not a subscription: any size goes upstream.
        let mut other = vec![b'a'; HUGE];
        other[0] = 2;
        xsub.send(other).unwrap();
        let mut subscription = vec![b'a'; SUBSCRIPTION_MAX + 1];
        subscription[0] = 1;
        xsub.send(&subscription).unwrap();
        // XPUB hands both upstream, in order.
        assert_eq!(xpub.recv().unwrap().len(), HUGE);
        assert_eq!(xpub.recv().unwrap().len(), SUBSCRIPTION_MAX + 1);
        drop((xsub, xpub));
        drop(ctx);
    });
}

#[test]
fn publishers_drop_a_peer_whose_subscription_exceeds_the_bound() {
    let ctx = Context::new().unwrap();
    for kind in [SocketType::Pub, SocketType::Xpub] {
        let publisher = ctx.socket(kind).unwrap();
        assert_eq!(
            publisher.get(sockopt::MaxMsgSize).unwrap(),
            Some(SUBSCRIPTION_MAX as u64 + 1)
        );
    }
    let xpub = socket(&ctx, SocketType::Xpub);
    xpub.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = xpub.last_endpoint().unwrap();
    // A peer this crate does not guard (another program, say) subscribes
    // with 4 KiB: libzmq's own option call takes it.
    let rogue = socket(&ctx, SocketType::Sub);
    let long = [b'r'; 4 * SUBSCRIPTION_MAX];
    // SAFETY: a live socket and a readable buffer of the given length.
    let rc = unsafe {
        zmq::sys::zmq_setsockopt(
            rogue.as_raw(),
            zmq::sys::ZMQ_SUBSCRIBE,
            long.as_ptr().cast(),
            long.len(),
        )
    };
    assert_eq!(rc, 0);
    rogue.connect(&endpoint).unwrap();
    let fine = socket(&ctx, SocketType::Sub);
    fine.subscribe("news").unwrap();
    fine.connect(&endpoint).unwrap();
    xpub.set(
        sockopt::RcvTimeo,
        Some(common::scaled(Duration::from_secs(2))),
    )
    .unwrap();
    // Only the subscription within the bound arrives.
    assert_eq!(xpub.recv_bytes().unwrap(), b"\x01news");
    let error = xpub.recv().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Again);
}
