//! Values libzmq 4.3.5 would take and then abort on (an assertion, a C++
//! exception crossing into Rust, a descriptor closed twice) are refused
//! with an `Err` before libzmq sees them. Each test runs in a child
//! process (`common::isolated`): a regression aborts that process and
//! fails the one test, not the whole binary.

mod common;

use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::time::Duration;

use common::{TIMEOUT, isolated, socket};
use zmq::{Context, ErrorKind, SocketType, ctxopt, sockopt};

/// How long a child process may take.
const CHILD: Duration = Duration::from_secs(30);

/// Asserts `result` is an error whose message contains every one of
/// `words`, and returns it.
#[track_caller]
fn refused<T: std::fmt::Debug>(result: zmq::Result<T>, words: &[&str]) -> zmq::Error {
    let error = result.expect_err("refused");
    let text = error.to_string();
    for word in words {
        assert!(text.contains(word), "{word:?} not in {text:?}");
    }
    error
}

/// Gives up root, for the checks that depend on privilege (this
/// container runs tests as root). Only in child processes.
fn unprivileged() {
    // SAFETY: plain system calls; the child process runs this test alone.
    unsafe {
        if libc::geteuid() == 0 {
            assert_eq!(libc::setgid(65534), 0, "setgid");
            assert_eq!(libc::setuid(65534), 0, "setuid");
        }
    }
}

/// The first socket starts libzmq's threads: a pair that can talk proves
/// they run.
fn threads_run(ctx: &Context) {
    let a = socket(ctx, SocketType::Pair);
    a.bind("inproc://threads-run").unwrap();
    let b = socket(ctx, SocketType::Pair);
    b.connect("inproc://threads-run").unwrap();
    a.send("up").unwrap();
    assert_eq!(b.recv_string().unwrap(), "up");
}

#[test]
fn thread_and_socket_counts_beyond_libzmq_limits_are_refused() {
    isolated(CHILD, || {
        let ctx = Context::new().unwrap();
        // i32::MAX made the first socket throw a C++ exception.
        let error = refused(
            ctx.set(ctxopt::IoThreads, i32::MAX),
            &["ZMQ_IO_THREADS", "2147483647", "1024"],
        );
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        refused(ctx.set(ctxopt::IoThreads, -1), &["ZMQ_IO_THREADS"]);
        let limit = ctx.get(ctxopt::SocketLimit).unwrap();
        refused(
            ctx.set(ctxopt::MaxSockets, i32::MAX),
            &["ZMQ_MAX_SOCKETS", "2147483647", &limit.to_string()],
        );
        refused(ctx.set(ctxopt::MaxSockets, limit + 1), &["ZMQ_MAX_SOCKETS"]);
        refused(ctx.set(ctxopt::MaxSockets, 0), &["ZMQ_MAX_SOCKETS"]);
        // The bounds themselves are fine, and nothing refused was kept.
        ctx.set(ctxopt::MaxSockets, limit).unwrap();
        ctx.set(ctxopt::IoThreads, 2).unwrap();
        assert_eq!(ctx.get(ctxopt::IoThreads).unwrap(), 2);
        threads_run(&ctx);
    });
}

#[test]
fn io_threads_the_descriptors_cannot_hold_fail_the_first_socket_not_the_process() {
    isolated(CHILD, || {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: reads this process's descriptor limit into `limit`.
        let rc = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
        assert_eq!(rc, 0);
        // Leave about 100 descriptors free: open the rest.
        let open = std::fs::read_dir("/proc/self/fd").unwrap().count();
        let soft = usize::try_from(limit.rlim_cur).unwrap().min(1 << 20);
        let fillers: Vec<std::fs::File> = (open..soft.saturating_sub(100))
            .map(|_| std::fs::File::open("/dev/null").unwrap())
            .collect();
        let ctx = Context::new().unwrap();
        // Accepted as a count; two descriptors each do not fit.
        ctx.set(ctxopt::IoThreads, 100).unwrap();
        let error = refused(
            ctx.socket(SocketType::Pair),
            &["ZMQ_IO_THREADS 100", "RLIMIT_NOFILE"],
        );
        assert_eq!(error.kind(), ErrorKind::TooManyOpenFiles);
        // Fewer threads start.
        ctx.set(ctxopt::IoThreads, 4).unwrap();
        threads_run(&ctx);
        drop(fillers);
    });
}

#[test]
fn unknown_scheduling_policies_are_refused() {
    isolated(CHILD, || {
        let ctx = Context::new().unwrap();
        for policy in [4, 6, 7, 1000] {
            let error = refused(
                ctx.set(ctxopt::ThreadSchedPolicy, policy),
                &[
                    "ZMQ_THREAD_SCHED_POLICY",
                    &policy.to_string(),
                    "SCHED_FIFO (1)",
                ],
            );
            assert_eq!(error.kind(), ErrorKind::InvalidInput);
        }
        refused(
            ctx.set(ctxopt::ThreadPriority, 100),
            &["ZMQ_THREAD_PRIORITY 100", "99"],
        );
        // Batch and idle need no privilege.
        ctx.set(ctxopt::ThreadSchedPolicy, libc::SCHED_BATCH)
            .unwrap();
        threads_run(&ctx);
    });
}

#[test]
fn sched_fifo_without_a_priority_in_its_range_fails_the_first_socket() {
    isolated(CHILD, || {
        let ctx = Context::new().unwrap();
        ctx.set(ctxopt::ThreadSchedPolicy, libc::SCHED_FIFO)
            .unwrap();
        // Without a priority, libzmq asks for FIFO at priority 0 and
        // asserts on the EINVAL.
        refused(
            ctx.socket(SocketType::Pair),
            &["SCHED_FIFO", "pthread_setschedparam", "libzmq would abort"],
        );
        refused(
            ctx.set(ctxopt::ThreadPriority, 0),
            &["ZMQ_THREAD_PRIORITY 0", "SCHED_FIFO", "1 and 99"],
        );
        ctx.set(ctxopt::ThreadPriority, 10).unwrap();
        // SAFETY: reads this process's effective user id.
        if unsafe { libc::geteuid() } == 0 {
            threads_run(&ctx);
        } else {
            refused(ctx.socket(SocketType::Pair), &["CAP_SYS_NICE"]);
        }
    });
}

#[test]
fn realtime_policies_without_privilege_fail_the_first_socket() {
    isolated(CHILD, || {
        unprivileged();
        for policy in [libc::SCHED_FIFO, libc::SCHED_RR] {
            let ctx = Context::new().unwrap();
            ctx.set(ctxopt::ThreadSchedPolicy, policy).unwrap();
            ctx.set(ctxopt::ThreadPriority, 10).unwrap();
            let error = refused(
                ctx.socket(SocketType::Pair),
                &[
                    "ZMQ_THREAD_PRIORITY 10",
                    "CAP_SYS_NICE",
                    "libzmq would abort",
                ],
            );
            assert_eq!(error.errno(), libc::EPERM);
        }
    });
}

#[test]
fn a_raised_priority_without_privilege_fails_the_first_socket() {
    isolated(CHILD, || {
        unprivileged();
        let ctx = Context::new().unwrap();
        // As non-root this made libzmq's I/O thread assert on nice(-20).
        ctx.set(ctxopt::ThreadPriority, 10).unwrap();
        refused(
            ctx.socket(SocketType::Pair),
            &["ZMQ_THREAD_PRIORITY 10", "nice(-20)", "RLIMIT_NICE"],
        );
        // A priority of 0 asks for nothing.
        ctx.set(ctxopt::ThreadPriority, 0).unwrap();
        threads_run(&ctx);
    });
}

#[test]
fn cpus_this_process_cannot_run_on_are_refused() {
    isolated(CHILD, || {
        let ctx = Context::new().unwrap();
        for cpu in [100_000, 1 << 20, usize::MAX] {
            let error = refused(ctx.set(ctxopt::ThreadAffinityCpuAdd, cpu), &["CPU"]);
            assert_eq!(error.kind(), ErrorKind::InvalidInput);
        }
        refused(
            ctx.set(ctxopt::ThreadAffinityCpuAdd, 100_000),
            &["ZMQ_THREAD_AFFINITY_CPU_ADD 100000", "may run on"],
        );
        // The CPU this thread runs on is one the process may use.
        // SAFETY: sched_getcpu only reads.
        let here = usize::try_from(unsafe { libc::sched_getcpu() }).unwrap();
        ctx.set(ctxopt::ThreadAffinityCpuAdd, here).unwrap();
        threads_run(&ctx);
    });
}

/// A listening TCP socket on a free loopback port.
fn tcp_listener() -> (std::net::TcpListener, String) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("tcp://{}", listener.local_addr().unwrap());
    (listener, endpoint)
}

/// Whether `fd` is an open descriptor of this process.
fn is_open(fd: i32) -> bool {
    // SAFETY: F_GETFD only reads the descriptor table.
    unsafe { libc::fcntl(fd, libc::F_GETFD) != -1 }
}

#[test]
fn use_fd_refuses_descriptors_libzmq_would_abort_on() {
    isolated(CHILD, || {
        let ctx = Context::new().unwrap();
        let pull = socket(&ctx, SocketType::Pull);
        // A regular file, a pipe, a connected stream, a datagram socket:
        // libzmq asserted in epoll or accept on each.
        let file: OwnedFd = std::fs::File::open("/dev/null").unwrap().into();
        refused(
            pull.set(sockopt::UseFd, file),
            &["ZMQ_USE_FD", "not a socket"],
        );
        let (reader, _writer) = std::io::pipe().unwrap();
        refused(pull.set(sockopt::UseFd, reader.into()), &["not a socket"]);
        let (listener, _) = tcp_listener();
        let stream = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        refused(pull.set(sockopt::UseFd, stream.into()), &["not listening"]);
        let udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        refused(
            pull.set(sockopt::UseFd, udp.into()),
            &["not a stream socket"],
        );
        assert_eq!(pull.get(sockopt::UseFd).unwrap(), None);
        // Nothing was handed over: binds make their own listeners.
        pull.bind("tcp://127.0.0.1:*").unwrap();
    });
}

#[test]
fn a_listener_handed_over_is_bound_once_and_closed_by_its_socket() {
    isolated(CHILD, || {
        let ctx = Context::new().unwrap();
        let pull = socket(&ctx, SocketType::Pull);
        let (listener, endpoint) = tcp_listener();
        let fd = listener.as_raw_fd();
        pull.set(sockopt::UseFd, OwnedFd::from(listener)).unwrap();
        assert_eq!(pull.get(sockopt::UseFd).unwrap(), Some(fd));
        // A bind of another family would not take it.
        refused(
            pull.bind("ipc:///tmp/zmq-rs-use-fd-wrong"),
            &["ZMQ_USE_FD", "family"],
        );
        pull.bind("tcp://127.0.0.1:*").unwrap();
        // Taken by that bind: the next one makes a listener of its own
        // (before, it took the same descriptor, and both closed it).
        assert_eq!(pull.get(sockopt::UseFd).unwrap(), None);
        pull.bind("tcp://127.0.0.1:*").unwrap();
        let push = socket(&ctx, SocketType::Push);
        push.connect(&endpoint).unwrap();
        push.send("through the listener handed over").unwrap();
        assert_eq!(
            pull.recv_string().unwrap(),
            "through the listener handed over"
        );
        drop(push);
        drop(pull);
        drop(ctx);
        assert!(!is_open(fd), "the socket closed its listener");
        // Descriptors opened now are left alone (std aborted on "IO Safety
        // violation" when libzmq closed one of them).
        let files: Vec<std::fs::File> = (0..8)
            .map(|_| std::fs::File::open("/dev/null").unwrap())
            .collect();
        drop(files);
    });
}

#[test]
fn a_listener_never_bound_or_replaced_is_closed_not_leaked() {
    isolated(CHILD, || {
        let ctx = Context::new().unwrap();
        let pull = socket(&ctx, SocketType::Pull);
        let (first, _) = tcp_listener();
        let (second, _) = tcp_listener();
        let (first_fd, second_fd) = (first.as_raw_fd(), second.as_raw_fd());
        pull.set(sockopt::UseFd, first.into()).unwrap();
        pull.set(sockopt::UseFd, second.into()).unwrap();
        assert!(!is_open(first_fd), "the replaced listener is closed");
        assert!(is_open(second_fd));
        drop(pull);
        assert!(
            !is_open(second_fd),
            "the unused listener closes with its socket"
        );
        // A Unix listener goes to ipc://, not to tcp://.
        let path = std::env::temp_dir().join(format!("zmq-rs-use-fd-{}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let unix = std::os::unix::net::UnixListener::bind(&path).unwrap();
        let pull = socket(&ctx, SocketType::Pull);
        pull.set(sockopt::UseFd, unix.into()).unwrap();
        refused(pull.bind("tcp://127.0.0.1:*"), &["family"]);
        pull.bind(&format!("ipc://{}", path.display())).unwrap();
        assert_eq!(pull.get(sockopt::UseFd).unwrap(), None);
        drop(pull);
        let _ = std::fs::remove_file(&path);
    });
}

#[test]
fn only_rep_or_router_can_bind_the_zap_endpoint() {
    isolated(CHILD, || {
        let ctx = Context::new().unwrap();
        for kind in [
            SocketType::Pub,
            SocketType::Pull,
            SocketType::Dealer,
            SocketType::Pair,
        ] {
            let wrong = socket(&ctx, kind);
            let error = refused(wrong.bind(zmq::auth::ZAP_ENDPOINT), &["ZAP endpoint"]);
            assert_eq!(error.kind(), ErrorKind::InvalidEndpoint);
        }
        let handler = socket(&ctx, SocketType::Router);
        handler.bind(zmq::auth::ZAP_ENDPOINT).unwrap();
    });
}

#[test]
fn borrowed_descriptors_are_polled_while_they_live() {
    // The type system keeps the descriptor open (see the compile-fail
    // case poll_item_outlives_fd); here it is polled as borrowed.
    let (reader, mut writer) = std::io::pipe().unwrap();
    std::io::Write::write_all(&mut writer, b"!").unwrap();
    let mut items = [zmq::PollItem::from_fd(
        reader.as_fd(),
        zmq::PollEvents::POLLIN,
    )];
    assert_eq!(zmq::poll(&mut items, Some(TIMEOUT)).unwrap(), 1);
    assert!(items[0].is_fd(reader.as_fd()));
}

#[cfg(feature = "draft")]
#[test]
fn a_plain_server_enforcing_an_empty_zap_domain_is_refused() {
    isolated(CHILD, || {
        let ctx = Context::new().unwrap();
        let words = ["ZMQ_ZAP_ENFORCE_DOMAIN", "ZMQ_ZAP_DOMAIN", "PLAIN"];
        // In every order libzmq's assertion could be set up.
        let server = socket(&ctx, SocketType::Pull);
        server.set(sockopt::ZapEnforceDomain, true).unwrap();
        refused(server.set(sockopt::PlainServer, true), &words);
        let server = socket(&ctx, SocketType::Pull);
        server.set(sockopt::PlainServer, true).unwrap();
        refused(server.set(sockopt::ZapEnforceDomain, true), &words);
        let server = socket(&ctx, SocketType::Pull);
        server.set(sockopt::ZapDomain, "global").unwrap();
        server.set(sockopt::PlainServer, true).unwrap();
        server.set(sockopt::ZapEnforceDomain, true).unwrap();
        refused(server.set(sockopt::ZapDomain, ""), &words);
        assert_eq!(server.get(sockopt::ZapDomain).unwrap(), "global");
        // The configuration that is refused was never in place: a client
        // connects to the server that enforces "global" and the process
        // lives on (refused by the ZAP service, as no authenticator runs).
        server.bind("tcp://127.0.0.1:*").unwrap();
        let client = socket(&ctx, SocketType::Push);
        client
            .set_security(&zmq::Security::PlainClient {
                username: "u",
                password: "p",
            })
            .unwrap();
        client.connect(&server.last_endpoint().unwrap()).unwrap();
        // Queued, or refused at once if the refusal has already reached
        // the client and torn its connection's pipe down (the handshake
        // runs on libzmq's I/O thread, and may be over by now).
        if let Err(e) = client.send_with("x", zmq::SendFlags::DONTWAIT) {
            assert!(e.is_again(), "send failed: {e}");
        }
        server
            .set(sockopt::RcvTimeo, Some(Duration::from_millis(300)))
            .unwrap();
        assert!(server.recv().is_err());
    });
}
