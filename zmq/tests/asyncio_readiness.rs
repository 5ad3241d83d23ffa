//! The readiness rules of `zmq::asyncio`, one test per failure other
//! bindings have had, each on tokio's current-thread and multi-thread
//! runtimes.

#![cfg(all(feature = "tokio", unix))]

mod asyncio_common;
mod common;

use std::sync::atomic::Ordering;
use std::task::Poll;
use std::time::Duration;

use asyncio_common::{CountPolls, Flavor, LIMIT, bind_to, bound, run_on, socket};
use zmq::asyncio::AsyncSocket;
use zmq::{Context, Message, PollEvents, SocketType, sockopt};

/// Long enough for libzmq to deliver what is in flight and for a task that
/// would spin to spin many times; never an assertion of speed.
const SETTLE: Duration = Duration::from_millis(200);

/// Queues of one message, and small kernel buffers over TCP, so a sender
/// blocks early.
fn small_queues(socket: AsyncSocket, tcp: bool) -> AsyncSocket {
    socket.set(sockopt::SndHwm, 1).unwrap();
    socket.set(sockopt::RcvHwm, 1).unwrap();
    if tcp {
        socket.set(sockopt::SndBuf, 64 * 1024).unwrap();
        socket.set(sockopt::RcvBuf, 64 * 1024).unwrap();
    }
    socket
}

/// libzmq issue 3641: a PUSH blocked at its high water mark must go on
/// once the peer starts reading, though the fd's edge came while nobody
/// looked.
async fn push_at_hwm_unblocks(tcp: bool, name: &str) {
    let ctx = Context::new().unwrap();
    let mut pull = small_queues(socket(&ctx, SocketType::Pull), tcp);
    let endpoint = bind_to(&pull, tcp, name);
    let mut push = small_queues(socket(&ctx, SocketType::Push), tcp);
    push.connect(&endpoint).unwrap();

    // Over TCP the kernel's buffers hold messages too: large ones fill them.
    const COUNT: u32 = 1_000;
    let size = if tcp { 64 * 1024 } else { 4 };
    let sender = tokio::spawn(async move {
        for i in 0..COUNT {
            let mut msg = vec![0; size];
            msg[..4].copy_from_slice(&i.to_be_bytes());
            push.send(msg).await.unwrap();
        }
        push
    });
    // Let the sender fill both queues and block.
    tokio::time::sleep(SETTLE).await;
    assert!(
        !sender.is_finished(),
        "the high water mark should block the sender"
    );
    for i in 0..COUNT {
        let msg = pull.recv().await.unwrap();
        assert_eq!((msg.len(), &msg[..4]), (size, &i.to_be_bytes()[..]));
    }
    sender.await.unwrap();
}

on_both_runtimes! {
    async fn push_blocked_at_hwm_unblocks_when_the_peer_starts_reading_tcp() {
        push_at_hwm_unblocks(true, "").await;
    }
}

on_both_runtimes! {
    async fn push_blocked_at_hwm_unblocks_when_the_peer_starts_reading_inproc() {
        push_at_hwm_unblocks(false, "hwm").await;
    }
}

/// tmq's PR 5 and 20: a client that sends and then awaits the reply must
/// get it, though its send processed the command that announced it.
async fn send_then_await_reply(kind: SocketType, tcp: bool, name: &str) {
    let ctx = Context::new().unwrap();
    let server_kind = if kind == SocketType::Req {
        SocketType::Rep
    } else {
        SocketType::Router
    };
    let (mut server, endpoint) = bound(&ctx, server_kind, tcp, name);
    let mut client = socket(&ctx, kind);
    client.connect(&endpoint).unwrap();

    const ROUNDS: u32 = 2_000;
    let echo = tokio::spawn(async move {
        for _ in 0..ROUNDS {
            let frames = server.recv_multipart_messages().await.unwrap();
            server.send_multipart(frames).await.unwrap();
        }
    });
    for i in 0..ROUNDS {
        let request = format!("request {i}");
        if kind == SocketType::Dealer {
            client.send_multipart(["", request.as_str()]).await.unwrap();
            let reply = client.recv_multipart().await.unwrap();
            assert_eq!(reply, [b"".to_vec(), request.into_bytes()]);
        } else {
            client.send(request.as_str()).await.unwrap();
            assert_eq!(client.recv_string().await.unwrap(), request);
        }
    }
    echo.await.unwrap();
}

on_both_runtimes! {
    async fn req_that_sends_then_awaits_the_reply_gets_it() {
        send_then_await_reply(SocketType::Req, true, "").await;
        send_then_await_reply(SocketType::Req, false, "req-reply").await;
    }
}

on_both_runtimes! {
    async fn dealer_that_sends_then_awaits_the_reply_gets_it() {
        send_then_await_reply(SocketType::Dealer, true, "").await;
        send_then_await_reply(SocketType::Dealer, false, "dealer-reply").await;
    }
}

on_both_runtimes! {
    async fn inproc_pair_ping_pong_between_two_tasks() {
        let ctx = Context::new().unwrap();
        let (mut left, endpoint) = bound(&ctx, SocketType::Pair, false, "pair-ping-pong");
        let mut right = socket(&ctx, SocketType::Pair);
        right.connect(&endpoint).unwrap();
        let ponger = tokio::spawn(async move {
            loop {
                let msg = right.recv_string().await.unwrap();
                if msg == "end" {
                    break;
                }
                right.send(format!("pong {msg}")).await.unwrap();
            }
        });
        for i in 0..5_000 {
            left.send(i.to_string()).await.unwrap();
            assert_eq!(left.recv_string().await.unwrap(), format!("pong {i}"));
        }
        left.send("end").await.unwrap();
        ponger.await.unwrap();
    }
}

on_both_runtimes! {
    async fn socket_polled_before_its_first_operation_gets_what_was_queued() {
        let ctx = Context::new().unwrap();
        // A blocking PULL receives while nobody watches its fd: the
        // messages arrive, the fd's edge passes, then the socket goes async.
        let pull = ctx.socket(SocketType::Pull).unwrap();
        pull.bind("tcp://127.0.0.1:*").unwrap();
        let push = ctx.socket(SocketType::Push).unwrap();
        push.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
        push.connect(&pull.last_endpoint().unwrap()).unwrap();
        for i in 0..3 {
            push.send(format!("early {i}").as_str()).unwrap();
        }
        std::thread::sleep(SETTLE);
        let mut pull = AsyncSocket::new(pull).unwrap();
        for i in 0..3 {
            assert_eq!(pull.recv_string().await.unwrap(), format!("early {i}"));
        }
    }
}

on_both_runtimes! {
    async fn socket_awaited_before_anything_is_sent_wakes_when_it_arrives() {
        let ctx = Context::new().unwrap();
        let (mut pull, endpoint) = bound(&ctx, SocketType::Pull, true, "");
        let receiver = tokio::spawn(async move { pull.recv_string().await.unwrap() });
        tokio::time::sleep(SETTLE).await;
        let mut push = socket(&ctx, SocketType::Push);
        push.connect(&endpoint).unwrap();
        push.send("late").await.unwrap();
        assert_eq!(receiver.await.unwrap(), "late");
    }
}

/// One socket split in two tasks: a DEALER sending requests from one task
/// and receiving the echoes in another, against a ROUTER echo.
async fn split_halves(tcp: bool, name: &str) {
    let ctx = Context::new().unwrap();
    // A ROUTER drops what a full peer cannot take, unless it is mandatory:
    // then it waits (EAGAIN), which the echo must ride out.
    let mut router = socket(&ctx, SocketType::Router);
    router.set(sockopt::RouterMandatory, true).unwrap();
    let endpoint = bind_to(&router, tcp, name);
    let dealer = socket(&ctx, SocketType::Dealer);
    dealer.set(sockopt::SndHwm, 10).unwrap();
    dealer.set(sockopt::RcvHwm, 10).unwrap();
    dealer.connect(&endpoint).unwrap();
    let (tx, rx) = dealer.split();

    const COUNT: u32 = 20_000;
    let echo = tokio::spawn(async move {
        // One more for the reunited socket.
        for _ in 0..=COUNT {
            let frames = router.recv_multipart_messages().await.unwrap();
            router.send_multipart(frames).await.unwrap();
        }
    });
    let sender = tokio::spawn(async move {
        for i in 0..COUNT {
            tx.send(i.to_be_bytes().to_vec()).await.unwrap();
        }
        tx
    });
    let receiver = tokio::spawn(async move {
        for i in 0..COUNT {
            assert_eq!(&rx.recv().await.unwrap()[..], i.to_be_bytes());
        }
        rx
    });
    let tx = sender.await.unwrap();
    let rx = receiver.await.unwrap();
    // Reunited, the socket waits as one task's socket again.
    let mut socket = tx.reunite(rx).unwrap();
    assert_eq!(socket.get(sockopt::Type).unwrap(), SocketType::Dealer);
    socket.send("again").await.unwrap();
    assert_eq!(socket.recv_string().await.unwrap(), "again");
    echo.await.unwrap();
}

on_both_runtimes! {
    async fn split_halves_send_and_receive_from_two_tasks() {
        split_halves(true, "").await;
        split_halves(false, "split-halves").await;
    }
}

/// One task sends and receives on one socket in the same poll (a
/// hand-written future over the `poll_` methods), against an echo, with
/// queues of one message: each direction waits while the other's call may
/// take the edge it waits for, and the task must still be woken for both.
async fn one_task_both_directions(tcp: bool, name: &str) {
    let ctx = Context::new().unwrap();
    let mut echo = small_queues(socket(&ctx, SocketType::Pair), tcp);
    let endpoint = bind_to(&echo, tcp, name);
    let mut local = small_queues(socket(&ctx, SocketType::Pair), tcp);
    local.connect(&endpoint).unwrap();

    const COUNT: u32 = 5_000;
    let echoer = tokio::spawn(async move {
        for _ in 0..COUNT {
            let msg = echo.recv().await.unwrap();
            echo.send(msg).await.unwrap();
        }
    });
    let (mut sent, mut received) = (0u32, 0u32);
    let mut outgoing = Vec::new();
    let mut incoming = Message::new();
    std::future::poll_fn(|cx| {
        loop {
            let mut progress = false;
            while received < COUNT {
                match local.poll_recv_msg(cx, &mut incoming) {
                    Poll::Ready(result) => {
                        result.unwrap();
                        assert_eq!(&incoming[..], received.to_be_bytes());
                        received += 1;
                        progress = true;
                    }
                    Poll::Pending => break,
                }
            }
            if sent < COUNT {
                if outgoing.is_empty() {
                    outgoing.push(Message::from(sent.to_be_bytes().to_vec()));
                }
                if let Poll::Ready(result) = local.poll_send_multipart(cx, &mut outgoing) {
                    result.unwrap();
                    sent += 1;
                    progress = true;
                }
            }
            if sent == COUNT && received == COUNT {
                return Poll::Ready(());
            }
            if !progress {
                return Poll::Pending;
            }
        }
    })
    .await;
    echoer.await.unwrap();
}

on_both_runtimes! {
    async fn one_task_sending_and_receiving_at_once_is_woken_for_both() {
        one_task_both_directions(true, "").await;
        one_task_both_directions(false, "both-directions").await;
    }
}

/// futures' `StreamExt::split` shares one socket between two tasks through
/// a lock, so each half's task polls the same socket: a send from one task
/// that processes the command of a message arriving for the other must wake
/// that other task, though it consumed the fd's edge. (Handing tokio only
/// the polling task's waker would wake the sender instead, and the receiver
/// would wait forever.)
async fn lock_split_halves(tcp: bool, name: &str) {
    use futures_util::{SinkExt, StreamExt};

    let ctx = Context::new().unwrap();
    let (mut peer, endpoint) = bound(&ctx, SocketType::Pair, tcp, name);
    let local = socket(&ctx, SocketType::Pair);
    local.connect(&endpoint).unwrap();
    // Connected both ways before the case below.
    peer.send("hello").await.unwrap();
    let (mut sink, mut stream) = StreamExt::split(local);
    let hello = stream.next().await.unwrap().unwrap();
    assert_eq!(hello.len(), 1);
    assert_eq!(&hello[0][..], b"hello");

    let receiver = tokio::spawn(async move { stream.next().await.unwrap().unwrap() });
    // The receiver finds nothing and waits on the fd.
    tokio::time::sleep(SETTLE).await;
    // A message for it arrives; blocking this task (and, on the
    // current-thread runtime, the receiver's) until libzmq has delivered
    // it, so that the send below is what processes its command.
    peer.get_ref().send("for the waiting half").unwrap();
    std::thread::sleep(SETTLE);
    sink.send(vec![Message::from("from the other half")])
        .await
        .unwrap();

    let frames = tokio::time::timeout(common::TIMEOUT, receiver)
        .await
        .expect("the half waiting to receive was never woken")
        .unwrap();
    assert_eq!(frames.len(), 1);
    assert_eq!(&frames[0][..], b"for the waiting half");
    assert_eq!(peer.recv_string().await.unwrap(), "from the other half");
}

on_both_runtimes! {
    async fn halves_of_futures_split_are_each_woken() {
        lock_split_halves(true, "").await;
        lock_split_halves(false, "lock-split").await;
    }
}

on_both_runtimes! {
    async fn idle_receive_is_not_polled_again_without_cause() {
        let ctx = Context::new().unwrap();
        let (mut pull, endpoint) = bound(&ctx, SocketType::Pull, true, "");
        let mut push = socket(&ctx, SocketType::Push);
        push.connect(&endpoint).unwrap();
        // Connected and handshaken, then silence.
        push.send("first").await.unwrap();
        assert_eq!(pull.recv_string().await.unwrap(), "first");

        let (recv, polls) = CountPolls::new(pull.recv());
        tokio::select! {
            _ = recv => panic!("nothing was sent"),
            _ = tokio::time::sleep(SETTLE) => {}
        }
        let idle_polls = polls.load(Ordering::Relaxed);
        assert!(idle_polls <= 2, "an idle receive was polled {idle_polls} times");
    }
}

on_both_runtimes! {
    async fn send_blocked_at_hwm_is_not_polled_again_without_cause() {
        let ctx = Context::new().unwrap();
        let pull = small_queues(socket(&ctx, SocketType::Pull), true);
        let endpoint = bind_to(&pull, true, "");
        let mut push = small_queues(socket(&ctx, SocketType::Push), true);
        push.connect(&endpoint).unwrap();
        let fill = vec![0u8; 64 * 1024];
        // Fill the queues until a send waits.
        let mut sent = 0u32;
        loop {
            let (send, polls) = CountPolls::new(push.send(fill.clone()));
            let blocked = tokio::select! {
                result = send => { result.unwrap(); false }
                _ = tokio::time::sleep(SETTLE) => true,
            };
            if blocked {
                let idle_polls = polls.load(Ordering::Relaxed);
                assert!(idle_polls <= 2, "a blocked send was polled {idle_polls} times");
                break;
            }
            sent += 1;
            assert!(sent < 2_000, "the high water mark never blocked");
        }
        drop(pull);
    }
}

/// Runs `calls` calls of `call` in this task; returns whether a task
/// spawned just before had run by the end of them.
async fn other_task_runs_during<F: AsyncFnMut()>(calls: u32, mut call: F) -> bool {
    let ran = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = std::sync::Arc::clone(&ran);
    let other = tokio::spawn(async move { flag.store(true, Ordering::Release) });
    for _ in 0..calls {
        call().await;
    }
    let seen = ran.load(Ordering::Acquire);
    other.await.unwrap();
    seen
}

/// Rule 6 on the current-thread runtime, where a spawned task runs only
/// when the task that spawned it yields. (On the multi-thread runtime it
/// runs on another worker whenever the OS schedules one, which proves
/// nothing and depends on the machine's load.)
#[test]
fn socket_that_never_waits_still_lets_other_tasks_run() {
    run_on(Flavor::CurrentThread, "never_waits", LIMIT, async || {
        // Unbounded queues: every send finds room, then every receive
        // finds its message, so neither ever waits for the fd. They still
        // take tokio's budget (one unit every 8 calls, 128 units a turn),
        // so a task spawned beside them runs long before the end.
        const CALLS: u32 = 20_000;
        let ctx = Context::new().unwrap();
        let pull = socket(&ctx, SocketType::Pull);
        pull.set(sockopt::RcvHwm, 0).unwrap();
        let endpoint = bind_to(&pull, false, "never-waits");
        let push = socket(&ctx, SocketType::Push);
        push.set(sockopt::SndHwm, 0).unwrap();
        push.connect(&endpoint).unwrap();
        let (mut push, mut pull) = (push, pull);

        let seen = other_task_runs_during(CALLS, async || {
            push.send(&b"x"[..]).await.unwrap();
        })
        .await;
        assert!(
            seen,
            "{CALLS} sends that found room never let another task run"
        );

        let mut msg = Message::new();
        let seen = other_task_runs_during(CALLS, async || {
            pull.recv_msg(&mut msg).await.unwrap();
        })
        .await;
        assert!(
            seen,
            "{CALLS} receives that found a message never let another task run"
        );
    });
}

on_both_runtimes! {
    async fn ready_reports_pollin_once_a_message_waits() {
        let ctx = Context::new().unwrap();
        let (mut pull, endpoint) = bound(&ctx, SocketType::Pull, false, "ready");
        let mut push = socket(&ctx, SocketType::Push);
        push.connect(&endpoint).unwrap();
        assert_eq!(push.ready(PollEvents::POLLOUT).await.unwrap(), PollEvents::POLLOUT);
        let waiter = tokio::spawn(async move {
            let events = pull.ready(PollEvents::POLLIN).await.unwrap();
            (events, pull)
        });
        tokio::time::sleep(SETTLE).await;
        push.send("now").await.unwrap();
        let (events, mut pull) = waiter.await.unwrap();
        assert_eq!(events, PollEvents::POLLIN);
        assert_eq!(pull.recv_string().await.unwrap(), "now");
        let error = pull.ready(PollEvents::empty()).await.unwrap_err();
        assert_eq!(error.kind(), zmq::ErrorKind::InvalidInput);
    }
}

#[test]
fn creating_an_async_socket_outside_a_runtime_is_an_error() {
    let ctx = Context::new().unwrap();
    let error = AsyncSocket::new(ctx.socket(SocketType::Pair).unwrap()).unwrap_err();
    assert_eq!(error.kind(), zmq::ErrorKind::InvalidInput);
}

on_both_runtimes! {
    async fn into_inner_gives_back_a_working_blocking_socket() {
        let ctx = Context::new().unwrap();
        let (pull, endpoint) = bound(&ctx, SocketType::Pull, false, "into-inner");
        let mut push = socket(&ctx, SocketType::Push);
        push.connect(&endpoint).unwrap();
        push.send("one").await.unwrap();
        let pull = pull.into_inner();
        pull.set(sockopt::RcvTimeo, Some(Duration::from_secs(5))).unwrap();
        assert_eq!(pull.recv_string().unwrap(), "one");
        // And async again.
        let mut pull = AsyncSocket::try_from(pull).unwrap();
        push.send("two").await.unwrap();
        assert_eq!(pull.recv_string().await.unwrap(), "two");
    }
}
