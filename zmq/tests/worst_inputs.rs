//! Every public call and option given its worst inputs (empty, NUL bytes,
//! huge lengths, out-of-range numbers, the wrong socket type, a context
//! already shut down): each gives a typed `Err` whose message names the
//! problem, never a panic, an abort, a hang or undefined behaviour.
//!
//! The whole table runs in a child process (some of these inputs made
//! libzmq abort before this crate refused them), each case under
//! `catch_unwind` and printed before it runs, so a failure names its case.

mod common;

use std::os::fd::OwnedFd;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use common::isolated;
use zmq::cert::Certificate;
use zmq::{
    Context, CurveKeyPair, ErrorKind, Message, Monitor, MonitorEvent, MonitorEvents, PollEvents,
    PublicKey, RecvFlags, SecretKey, Security, SendFlags, Socket, SocketType, ctxopt, sockopt, z85,
};

/// One megabyte of text: an input nothing bounds on its way in.
fn huge() -> String {
    "x".repeat(1 << 20)
}

/// The sockets and contexts the cases call on.
struct Fixture {
    ctx: Context,
    pull: Socket,
    push: Socket,
    sub: Socket,
    req: Socket,
    dealer: Socket,
    /// A PAIR holding a message that is not UTF-8, and its peer.
    pair_in: Socket,
    _pair_out: Socket,
    /// A context shut down, and a socket made before.
    down: Context,
    down_socket: Socket,
}

impl Fixture {
    fn new() -> Self {
        let ctx = Context::new().unwrap();
        let socket = |kind| {
            let socket = ctx.socket(kind).unwrap();
            socket.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
            socket
                .set(sockopt::RcvTimeo, Some(Duration::from_millis(50)))
                .unwrap();
            socket
                .set(sockopt::SndTimeo, Some(Duration::from_millis(50)))
                .unwrap();
            socket
        };
        let pair_in = socket(SocketType::Pair);
        pair_in.bind("inproc://worst-pair").unwrap();
        let pair_out = socket(SocketType::Pair);
        pair_out.connect("inproc://worst-pair").unwrap();
        pair_out.send([0xffu8, 0xfe]).unwrap();
        let down = Context::new().unwrap();
        let down_socket = down.socket(SocketType::Pull).unwrap();
        down_socket
            .set(sockopt::Linger, Some(Duration::ZERO))
            .unwrap();
        down.shutdown().unwrap();
        Self {
            pull: socket(SocketType::Pull),
            push: socket(SocketType::Push),
            sub: socket(SocketType::Sub),
            req: socket(SocketType::Req),
            dealer: socket(SocketType::Dealer),
            pair_in,
            _pair_out: pair_out,
            ctx,
            down,
            down_socket,
        }
    }
}

type Call = Box<dyn Fn(&Fixture) -> zmq::Result<()>>;

/// A case: what it does, the kind of error it must give, and words its
/// message must contain.
struct Case {
    what: &'static str,
    kind: ErrorKind,
    words: &'static [&'static str],
    call: Call,
}

macro_rules! case {
    ($what:expr, $kind:ident, [$($word:expr),*], |$f:ident| $body:expr) => {
        Case {
            what: $what,
            kind: ErrorKind::$kind,
            words: &[$($word),*],
            call: Box::new(move |$f: &Fixture| {
                #[allow(unused_variables)]
                let $f = $f;
                $body.map(drop)
            }),
        }
    };
}

fn endpoint_cases() -> Vec<Case> {
    vec![
        case!("bind empty", InvalidEndpoint, ["bind"], |f| f.pull.bind("")),
        case!("bind NUL", InvalidEndpoint, ["NUL"], |f| f
            .pull
            .bind("tcp://a\0b")),
        case!("bind 1 MB", InvalidEndpoint, ["bind", "bytes)"], |f| f
            .pull
            .bind(&huge())),
        case!("bind no transport", InvalidEndpoint, ["bind"], |f| f
            .pull
            .bind("nowhere")),
        case!(
            "bind unknown transport",
            ProtocolNotSupported,
            ["bind"],
            |f| f.pull.bind("nope://x")
        ),
        // libzmq read these ports with atoi into 16 bits: 99999 bound
        // port 34463, -1 port 65535.
        case!(
            "bind port out of range",
            InvalidEndpoint,
            ["99999", "65535"],
            |f| f.pull.bind("tcp://127.0.0.1:99999")
        ),
        case!("connect port negative", InvalidEndpoint, ["\"-1\""], |f| f
            .push
            .connect("tcp://127.0.0.1:-1")),
        case!(
            "connect port not a number",
            InvalidEndpoint,
            ["\"80x\""],
            |f| f.push.connect("tcp://127.0.0.1:80x")
        ),
        case!("connect NUL", InvalidEndpoint, ["NUL"], |f| f
            .push
            .connect("\0")),
        case!(
            "connect 1 MB",
            InvalidEndpoint,
            ["connect", "bytes)"],
            |f| f.push.connect(&format!("tcp://{}", huge()))
        ),
        case!("unbind never bound", NotFound, ["unbind"], |f| f
            .pull
            .unbind("tcp://127.0.0.1:1")),
        case!(
            "disconnect never connected",
            NotFound,
            ["disconnect"],
            |f| f.push.disconnect("inproc://never")
        ),
        case!(
            "bind ZAP endpoint with PULL",
            InvalidEndpoint,
            ["ZAP endpoint"],
            |f| f.pull.bind(zmq::auth::ZAP_ENDPOINT)
        ),
        case!("monitor over tcp", ProtocolNotSupported, ["monitor"], |f| f
            .pull
            .monitor("tcp://127.0.0.1:1", MonitorEvents::ALL)),
        case!("monitor NUL", InvalidEndpoint, ["NUL"], |f| f
            .pull
            .monitor("inproc://a\0", MonitorEvents::ALL)),
        case!("Monitor over tcp", ProtocolNotSupported, ["monitor"], |f| {
            Monitor::with_endpoint(&f.pull, "tcp://127.0.0.1:1", MonitorEvents::ALL)
        }),
    ]
}

fn option_cases() -> Vec<Case> {
    vec![
        case!("SNDHWM negative", InvalidInput, ["ZMQ_SNDHWM"], |f| f
            .push
            .set(sockopt::SndHwm, i32::MIN)),
        case!(
            "LINGER Duration::MAX",
            InvalidInput,
            ["ZMQ_LINGER", "i32::MAX"],
            |f| f.push.set(sockopt::Linger, Some(Duration::MAX))
        ),
        case!(
            "RCVTIMEO Duration::MAX",
            InvalidInput,
            ["ZMQ_RCVTIMEO"],
            |f| f.pull.set(sockopt::RcvTimeo, Some(Duration::MAX))
        ),
        case!(
            "HEARTBEAT_TTL too long",
            InvalidInput,
            ["ZMQ_HEARTBEAT_TTL"],
            |f| f.push.set(sockopt::HeartbeatTtl, Duration::from_secs(7000))
        ),
        case!(
            "MAXMSGSIZE u64::MAX",
            InvalidInput,
            ["ZMQ_MAXMSGSIZE"],
            |f| f.pull.set(sockopt::MaxMsgSize, Some(u64::MAX))
        ),
        case!("ROUTING_ID empty", InvalidInput, ["ZMQ_ROUTING_ID"], |f| f
            .dealer
            .set(sockopt::RoutingId, b"")),
        case!("ROUTING_ID 1 MB", InvalidInput, ["ZMQ_ROUTING_ID"], |f| f
            .dealer
            .set(sockopt::RoutingId, huge().as_bytes())),
        case!(
            "PLAIN_USERNAME NUL",
            InvalidInput,
            ["ZMQ_PLAIN_USERNAME", "NUL"],
            |f| f.push.set(sockopt::PlainUsername, "a\0b")
        ),
        case!(
            "SOCKS_PROXY NUL",
            InvalidInput,
            ["ZMQ_SOCKS_PROXY", "NUL"],
            |f| f.push.set(sockopt::SocksProxy, "\0")
        ),
        case!(
            "CURVE key short",
            InvalidInput,
            ["ZMQ_CURVE_SERVERKEY", "not 3"],
            |f| f.push.set(sockopt::CurveServerKey, b"abc")
        ),
        case!(
            "CURVE key with NUL",
            InvalidInput,
            ["ZMQ_CURVE_SERVERKEY", "Z85"],
            |f| {
                let mut key = *b"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
                key[20] = 0;
                f.push.set(sockopt::CurveServerKey, &key)
            }
        ),
        case!(
            "SUBSCRIBE 1 MB",
            InvalidInput,
            ["ZMQ_SUBSCRIBE", "1024"],
            |f| f.sub.subscribe(huge())
        ),
        case!("SUBSCRIBE on PUSH", InvalidInput, ["ZMQ_SUBSCRIBE"], |f| f
            .push
            .set(sockopt::Subscribe, b"x")),
        case!(
            "ROUTER_MANDATORY on DEALER",
            InvalidInput,
            ["ZMQ_ROUTER_MANDATORY"],
            |f| f.dealer.set(sockopt::RouterMandatory, true)
        ),
        case!(
            "XPUB_WELCOME_MSG on SUB",
            InvalidInput,
            ["ZMQ_XPUB_WELCOME_MSG"],
            |f| f.sub.set(sockopt::XpubWelcomeMsg, b"hi")
        ),
        case!(
            "USE_FD a file",
            InvalidInput,
            ["ZMQ_USE_FD", "not a socket"],
            |f| {
                let file: OwnedFd = std::fs::File::open("/dev/null").unwrap().into();
                f.pull.set(sockopt::UseFd, file)
            }
        ),
        case!(
            "context IO_THREADS i32::MAX",
            InvalidInput,
            ["ZMQ_IO_THREADS"],
            |f| f.ctx.set(ctxopt::IoThreads, i32::MAX)
        ),
        case!(
            "context MAX_SOCKETS i32::MAX",
            InvalidInput,
            ["ZMQ_MAX_SOCKETS"],
            |f| f.ctx.set(ctxopt::MaxSockets, i32::MAX)
        ),
        case!(
            "context SCHED_POLICY unknown",
            InvalidInput,
            ["ZMQ_THREAD_SCHED_POLICY"],
            |f| f.ctx.set(ctxopt::ThreadSchedPolicy, 99)
        ),
        case!(
            "context PRIORITY negative",
            InvalidInput,
            ["ZMQ_THREAD_PRIORITY"],
            |f| f.ctx.set(ctxopt::ThreadPriority, -5)
        ),
        case!(
            "context CPU beyond",
            InvalidInput,
            ["ZMQ_THREAD_AFFINITY_CPU_ADD"],
            |f| f.ctx.set(ctxopt::ThreadAffinityCpuAdd, 100_000)
        ),
        case!("context CPU usize::MAX", InvalidInput, ["CPU"], |f| f
            .ctx
            .set(ctxopt::ThreadAffinityCpuAdd, usize::MAX)),
        case!(
            "context linger too long",
            InvalidInput,
            ["ZMQ_LINGER"],
            |f| f.ctx.set(ctxopt::Linger, Some(Duration::MAX))
        ),
        case!(
            "context MAX_MSGSZ negative",
            InvalidInput,
            ["ZMQ_MAX_MSGSZ"],
            |f| f.ctx.set(ctxopt::MaxMsgSize, -1)
        ),
    ]
}

fn messaging_cases() -> Vec<Case> {
    vec![
        case!("send on SUB", NotSupported, [], |f| f.sub.send("x")),
        case!("recv on PUSH", NotSupported, [], |f| f.push.recv()),
        case!("REQ recv before send", InvalidState, [], |f| f.req.recv()),
        case!(
            "send_multipart of nothing",
            InvalidInput,
            ["at least one frame"],
            |f| f.push.send_multipart(Vec::<&[u8]>::new())
        ),
        case!(
            "send_multipart with SNDMORE",
            InvalidInput,
            ["SNDMORE"],
            |f| f.push.send_multipart_with(["a"], SendFlags::SNDMORE)
        ),
        case!("recv_string of non-UTF-8", InvalidUtf8, [], |f| f
            .pair_in
            .recv_string()),
        case!("recv timing out", Again, [], |f| f.pull.recv()),
        case!("recv DONTWAIT empty", Again, [], |f| f
            .pull
            .recv_with(RecvFlags::DONTWAIT)),
        case!("message of usize::MAX bytes", OutOfMemory, [], |_f| {
            Message::with_size(usize::MAX)
        }),
        case!(
            "poll nothing forever",
            InvalidInput,
            ["never return"],
            |_f| zmq::poll(&mut [], None)
        ),
        case!("poll Duration::MAX", InvalidInput, ["too long"], |f| f
            .pull
            .poll(PollEvents::POLLIN, Some(Duration::MAX))),
        // Past a C long of milliseconds, zmq_timers_timeout said "due now"
        // for a timer that never ran: a caller's poll loop spun.
        case!(
            "timer interval past a C long",
            InvalidInput,
            ["zmq_timers_timeout"],
            |_f| { zmq::Timers::new()?.add(Duration::from_millis(u64::MAX - 1000), |_| {}) }
        ),
        case!("timer interval zero", InvalidInput, ["zero"], |_f| {
            zmq::Timers::new()?.add(Duration::ZERO, |_| {})
        }),
    ]
}

fn after_shutdown_cases() -> Vec<Case> {
    vec![
        case!("socket after shutdown", Terminated, [], |f| f
            .down
            .socket(SocketType::Push)),
        case!("bind after shutdown", Terminated, ["bind"], |f| f
            .down_socket
            .bind("inproc://after")),
        case!("recv after shutdown", Terminated, [], |f| f
            .down_socket
            .recv()),
        case!("set after shutdown", Terminated, ["ZMQ_RCVHWM"], |f| f
            .down_socket
            .set(sockopt::RcvHwm, 5)),
        case!("authenticator after shutdown", Terminated, [], |f| {
            zmq::auth::Authenticator::start(&f.down)
        }),
    ]
}

fn security_cases() -> Vec<Case> {
    vec![
        case!(
            "PLAIN user empty",
            InvalidInput,
            ["user name", "empty"],
            |f| f.push.set_security(&Security::PlainClient {
                username: "",
                password: "p",
            })
        ),
        case!(
            "PLAIN password 1 MB",
            InvalidInput,
            ["password", "255"],
            |f| f.push.set_security(&Security::PlainClient {
                username: "u",
                password: &huge(),
            })
        ),
        case!("PLAIN user NUL", InvalidInput, ["NUL"], |f| f
            .push
            .set_security(&Security::PlainClient {
                username: "a\0",
                password: "p",
            })),
        case!("ZAP domain NUL", InvalidInput, ["ZAP domain", "NUL"], |f| f
            .pull
            .set_security(&Security::Null {
                zap_domain: Some("d\0"),
            })),
        case!(
            "Z85 encode odd length",
            InvalidInput,
            ["multiple of 4", "not 3"],
            |_f| z85::encode(b"abc")
        ),
        case!(
            "Z85 decode NUL",
            InvalidInput,
            ["invalid character"],
            |_f| z85::decode("Hell\0")
        ),
        case!("public key 1 MB", InvalidInput, ["40 characters"], |_f| {
            PublicKey::from_z85(huge())
        }),
        case!(
            "secret key with NUL",
            InvalidInput,
            ["invalid character"],
            |_f| { SecretKey::from_z85([0u8; 40]) }
        ),
        case!(
            "certificate text empty",
            InvalidInput,
            ["public-key"],
            |_f| { Certificate::parse("") }
        ),
        case!(
            "certificate from /dev/zero",
            InvalidInput,
            ["not a regular file"],
            |_f| { Certificate::load("/dev/zero") }
        ),
        case!(
            "certificate path missing",
            NotFound,
            ["reading certificate"],
            |_f| { Certificate::load("/nonexistent/zmq-rs.key") }
        ),
        case!(
            "certificate metadata name 1 MB",
            InvalidInput,
            ["metadata name", "bytes)"],
            |_f| {
                let mut cert = Certificate::from_public(PublicKey::from_bytes([1; 32]));
                cert.set_meta(&format!("{} {}", huge(), "x"), "v")
            }
        ),
        case!(
            "monitor message garbage",
            InvalidInput,
            ["monitor message"],
            |_f| { MonitorEvent::decode(&[b"x".as_slice()]) }
        ),
        case!("curve pair from bad secret", InvalidInput, [], |_f| {
            SecretKey::from_z85("~".repeat(40)).and_then(CurveKeyPair::from_secret)
        }),
    ]
}

/// The draft API's calls: thread-safe sockets, groups, datagrams, and
/// the option combination libzmq asserts on.
#[cfg(feature = "draft")]
fn draft_cases() -> Vec<Case> {
    use zmq::ThreadSafeType;
    vec![
        case!("thread-safe bind NUL", InvalidEndpoint, ["NUL"], |f| f
            .ctx
            .thread_safe_socket(ThreadSafeType::Server)?
            .bind("inproc://\0")),
        case!("join a 1 MB group", InvalidInput, ["group", "255"], |f| f
            .ctx
            .thread_safe_socket(ThreadSafeType::Dish)?
            .join(&huge())),
        case!("group with NUL", InvalidInput, ["NUL"], |_f| Message::new()
            .set_group("a\0")),
        case!("thread-safe SNDMORE", InvalidInput, ["SNDMORE"], |f| f
            .ctx
            .thread_safe_socket(ThreadSafeType::Client)?
            .send_with("x", SendFlags::SNDMORE)),
        case!(
            "PLAIN server enforcing no domain",
            InvalidInput,
            ["ZMQ_ZAP_DOMAIN"],
            |f| {
                f.pull.set(sockopt::ZapEnforceDomain, true)?;
                f.pull.set(sockopt::PlainServer, true)
            }
        ),
        case!("DGRAM datagram of 1 MB", MessageTooLarge, ["udp"], |f| {
            let dgram = f.ctx.socket(SocketType::Dgram)?;
            dgram.send_multipart(["127.0.0.1:5555".as_bytes(), huge().as_bytes()])
        }),
    ]
}

#[test]
fn every_worst_input_gives_a_typed_error_naming_the_problem() {
    isolated(Duration::from_secs(60), || {
        let fixture = Fixture::new();
        #[cfg_attr(not(feature = "draft"), allow(unused_mut))]
        let mut cases: Vec<Case> = [
            endpoint_cases(),
            option_cases(),
            messaging_cases(),
            after_shutdown_cases(),
            security_cases(),
        ]
        .into_iter()
        .flatten()
        .collect();
        #[cfg(feature = "draft")]
        cases.extend(draft_cases());
        let mut failures = Vec::new();
        for case in &cases {
            // Printed first: if the process dies, the output names the case.
            println!("case: {}", case.what);
            let outcome = catch_unwind(AssertUnwindSafe(|| (case.call)(&fixture)));
            let problem = match outcome {
                Err(_) => Some("panicked".to_owned()),
                Ok(Ok(())) => Some("returned Ok".to_owned()),
                Ok(Err(error)) => {
                    let text = error.to_string();
                    let missing: Vec<_> = case
                        .words
                        .iter()
                        .filter(|word| !text.contains(*word))
                        .collect();
                    if error.kind() != case.kind {
                        Some(format!(
                            "kind {:?}, not {:?}: {text}",
                            error.kind(),
                            case.kind
                        ))
                    } else if !missing.is_empty() {
                        Some(format!("message {text:?} lacks {missing:?}"))
                    } else if text.len() > 4096 {
                        Some(format!("message of {} bytes", text.len()))
                    } else {
                        None
                    }
                }
            };
            if let Some(problem) = problem {
                failures.push(format!("{}: {problem}", case.what));
            }
        }
        assert!(cases.len() > 60, "{} cases", cases.len());
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    });
}
