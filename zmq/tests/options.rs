//! Every row of the socket and context option tables: set and read back
//! where libzmq allows it, read-only rows read, write-only rows written, and
//! the rows this build of libzmq rejects reported as typed errors.

mod common;

use std::ffi::{CStr, c_char, c_int};
use std::time::Duration;

use zmq::{
    Capability, Context, ErrorKind, GssapiNameType, Mechanism, PollEvents, Socket, SocketType,
    ctxopt, sockopt,
};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// Sets each value and asserts that reading the option returns it.
macro_rules! round_trip {
    ($socket:expr, $option:expr, $($value:expr),+ $(,)?) => {{
        $(
            let value = $value;
            $socket
                .set($option, value)
                .unwrap_or_else(|e| panic!("setting {:?} to {:?}: {e}", $option, value));
            assert_eq!($socket.get($option).unwrap(), value, "{:?}", $option);
        )+
    }};
}

/// Asserts that setting the option fails with `InvalidInput` and names it.
macro_rules! rejected {
    ($socket:expr, $option:expr, $value:expr) => {{
        let error = $socket.set($option, $value).unwrap_err();
        assert_eq!(
            error.kind(),
            ErrorKind::InvalidInput,
            "{:?}: {error}",
            $option
        );
        assert!(
            error.to_string().contains("ZMQ_"),
            "error names the option: {error}"
        );
    }};
}

/// The raw `int` libzmq stores for an option, bypassing the typed table.
fn raw_int(socket: &Socket, option: c_int) -> c_int {
    let mut value: c_int = 0;
    let mut size = size_of::<c_int>();
    // SAFETY: the socket is live; value and size describe a writable int.
    let rc = unsafe {
        zmq::sys::zmq_getsockopt(
            socket.as_raw(),
            option,
            std::ptr::from_mut(&mut value).cast(),
            &mut size,
        )
    };
    assert_eq!(rc, 0);
    value
}

fn dealer() -> (Context, Socket) {
    let ctx = Context::new().unwrap();
    let socket = ctx.socket(SocketType::Dealer).unwrap();
    (ctx, socket)
}

#[test]
fn integer_options_read_back_what_was_set() {
    let (_ctx, s) = dealer();
    round_trip!(s, sockopt::Affinity, 0b101, 0);
    round_trip!(s, sockopt::Rate, 250, 100);
    round_trip!(s, sockopt::SndBuf, 65_536, -1);
    round_trip!(s, sockopt::RcvBuf, 131_072, -1);
    round_trip!(s, sockopt::Backlog, 50);
    round_trip!(s, sockopt::SndHwm, 5, 0, 1000);
    round_trip!(s, sockopt::RcvHwm, 7, 0, 1000);
    round_trip!(s, sockopt::MulticastHops, 3);
    round_trip!(s, sockopt::TcpKeepaliveCnt, 5, -1);
    round_trip!(s, sockopt::TcpKeepaliveIdle, 60, -1);
    round_trip!(s, sockopt::TcpKeepaliveIntvl, 10, -1);
    round_trip!(s, sockopt::Tos, 0x28, 0);
    round_trip!(s, sockopt::MulticastMaxTpdu, 1400);
    assert_eq!(s.get(sockopt::UseFd).unwrap(), None);
    round_trip!(s, sockopt::MaxMsgSize, Some(1 << 20), None);
}

#[test]
fn boolean_options_read_back_what_was_set() {
    let (_ctx, s) = dealer();
    round_trip!(s, sockopt::Immediate, true, false);
    round_trip!(s, sockopt::Ipv6, true, false);
    round_trip!(s, sockopt::Conflate, true, false);
    round_trip!(s, sockopt::InvertMatching, true, false);
    round_trip!(s, sockopt::TcpKeepalive, Some(true), Some(false), None);
    assert_eq!(raw_int(&s, zmq::sys::ZMQ_TCP_KEEPALIVE), -1);
}

#[test]
fn duration_options_read_back_what_was_set() {
    let (_ctx, s) = dealer();
    round_trip!(s, sockopt::RecoveryIvl, ms(5000), ms(0));
    round_trip!(s, sockopt::ReconnectIvlMax, ms(2000), ms(0));
    round_trip!(s, sockopt::HandshakeIvl, ms(3000), ms(0));
    round_trip!(s, sockopt::HeartbeatIvl, ms(1000), ms(0));
    round_trip!(s, sockopt::ConnectTimeout, ms(1500), ms(0));
    round_trip!(s, sockopt::TcpMaxRt, ms(4000), ms(0));
    // libzmq keeps the heartbeat TTL in deciseconds: a fraction of one
    // rounds up, so a short TTL does not turn into "no TTL".
    round_trip!(s, sockopt::HeartbeatTtl, ms(1200), ms(0));
    s.set(sockopt::HeartbeatTtl, ms(1201)).unwrap();
    assert_eq!(s.get(sockopt::HeartbeatTtl).unwrap(), ms(1300));
    s.set(sockopt::HeartbeatTtl, ms(1)).unwrap();
    assert_eq!(s.get(sockopt::HeartbeatTtl).unwrap(), ms(100));
    rejected!(s, sockopt::HeartbeatTtl, ms(6_553_600));
}

#[test]
fn heartbeat_timeout_reads_none_until_set() {
    let (_ctx, s) = dealer();
    // libzmq's default -1 means "the heartbeat interval", not zero.
    assert_eq!(raw_int(&s, zmq::sys::ZMQ_HEARTBEAT_TIMEOUT), -1);
    assert_eq!(s.get(sockopt::HeartbeatTimeout).unwrap(), None);
    s.set(sockopt::HeartbeatTimeout, ms(3000)).unwrap();
    assert_eq!(s.get(sockopt::HeartbeatTimeout).unwrap(), Some(ms(3000)));
    s.set(sockopt::HeartbeatTimeout, ms(0)).unwrap();
    assert_eq!(s.get(sockopt::HeartbeatTimeout).unwrap(), Some(ms(0)));
}

#[test]
fn time_options_read_their_libzmq_defaults_truthfully() {
    let (_ctx, s) = dealer();
    // Not libzmq's "forever": the crate's default (see DEFAULT_LINGER).
    assert_eq!(s.get(sockopt::Linger).unwrap(), Some(zmq::DEFAULT_LINGER));
    assert_eq!(raw_int(&s, zmq::sys::ZMQ_LINGER), 1000);
    assert_eq!(s.get(sockopt::RcvTimeo).unwrap(), None);
    assert_eq!(s.get(sockopt::SndTimeo).unwrap(), None);
    assert_eq!(s.get(sockopt::ReconnectIvl).unwrap(), Some(ms(100)));
    assert_eq!(s.get(sockopt::ReconnectIvlMax).unwrap(), ms(0));
    assert_eq!(s.get(sockopt::RecoveryIvl).unwrap(), ms(10_000));
    assert_eq!(s.get(sockopt::HandshakeIvl).unwrap(), ms(30_000));
    assert_eq!(s.get(sockopt::HeartbeatIvl).unwrap(), ms(0));
    assert_eq!(s.get(sockopt::HeartbeatTtl).unwrap(), ms(0));
    assert_eq!(s.get(sockopt::HeartbeatTimeout).unwrap(), None);
    assert_eq!(s.get(sockopt::ConnectTimeout).unwrap(), ms(0));
    assert_eq!(s.get(sockopt::TcpMaxRt).unwrap(), ms(0));
}

#[test]
fn optional_durations_map_none_to_minus_one() {
    let (_ctx, s) = dealer();
    round_trip!(
        s,
        sockopt::Linger,
        Some(ms(250)),
        Some(Duration::ZERO),
        None
    );
    assert_eq!(raw_int(&s, zmq::sys::ZMQ_LINGER), -1);
    round_trip!(
        s,
        sockopt::RcvTimeo,
        Some(ms(1500)),
        Some(Duration::ZERO),
        None
    );
    assert_eq!(raw_int(&s, zmq::sys::ZMQ_RCVTIMEO), -1);
    round_trip!(
        s,
        sockopt::SndTimeo,
        Some(ms(1500)),
        Some(Duration::ZERO),
        None
    );
    assert_eq!(raw_int(&s, zmq::sys::ZMQ_SNDTIMEO), -1);
    round_trip!(s, sockopt::ReconnectIvl, Some(ms(250)), None);
    assert_eq!(raw_int(&s, zmq::sys::ZMQ_RECONNECT_IVL), -1);
    // A fraction of a millisecond rounds up: truncating would change the
    // meaning of a short wait, 500 µs becoming 0, "do not wait at all".
    s.set(sockopt::Linger, Some(Duration::from_micros(2500)))
        .unwrap();
    assert_eq!(s.get(sockopt::Linger).unwrap(), Some(ms(3)));
}

#[test]
fn sub_millisecond_timeout_reads_back_as_one_millisecond() {
    let (_ctx, s) = dealer();
    s.set(sockopt::RcvTimeo, Some(Duration::from_micros(500)))
        .unwrap();
    assert_eq!(s.get(sockopt::RcvTimeo).unwrap(), Some(ms(1)));
    assert_eq!(raw_int(&s, zmq::sys::ZMQ_RCVTIMEO), 1);
    s.set(sockopt::HeartbeatIvl, Duration::from_nanos(1))
        .unwrap();
    assert_eq!(s.get(sockopt::HeartbeatIvl).unwrap(), ms(1));
    // Zero stays zero.
    round_trip!(s, sockopt::RcvTimeo, Some(Duration::ZERO));
    // The largest i32 millisecond count is accepted; past it is refused.
    let largest = ms(i32::MAX as u64);
    round_trip!(s, sockopt::SndTimeo, Some(largest));
    rejected!(
        s,
        sockopt::SndTimeo,
        Some(largest + Duration::from_nanos(1))
    );
    rejected!(s, sockopt::HandshakeIvl, Duration::MAX);
}

#[test]
fn byte_and_text_options_read_back_what_was_set() {
    let (_ctx, s) = dealer();
    round_trip!(
        s,
        sockopt::RoutingId,
        &b"worker-1"[..],
        &[0u8, 1, 2, 255][..]
    );
    let longest = [b'x'; 255];
    round_trip!(s, sockopt::RoutingId, &longest[..]);
    round_trip!(s, sockopt::ZapDomain, "global");
    // libzmq refuses an empty ZAP domain (but not an empty SOCKS proxy).
    rejected!(s, sockopt::ZapDomain, "");
    // Empty strings clear these options.
    round_trip!(s, sockopt::SocksProxy, "127.0.0.1:1080", "");
    round_trip!(s, sockopt::BindToDevice, "lo", "");
    round_trip!(s, sockopt::PlainUsername, "admin");
    round_trip!(s, sockopt::PlainPassword, "secret");
    assert_eq!(s.get(sockopt::Mechanism).unwrap(), Mechanism::Plain);
    // An empty user name turns PLAIN off again (libzmq keeps the old name).
    s.set(sockopt::PlainUsername, "").unwrap();
    assert_eq!(s.get(sockopt::Mechanism).unwrap(), Mechanism::Null);
}

#[test]
fn long_text_options_read_back_in_full() {
    let (_ctx, s) = dealer();
    let proxy = format!("{}.example:1080", "h".repeat(3000));
    round_trip!(s, sockopt::SocksProxy, proxy.as_str());
}

#[test]
fn byte_options_of_invalid_length_are_rejected() {
    let (_ctx, s) = dealer();
    rejected!(s, sockopt::RoutingId, &[][..]);
    rejected!(s, sockopt::RoutingId, &[b'x'; 256][..]);
    rejected!(s, sockopt::BindToDevice, "an-interface-name-too-long");
    rejected!(s, sockopt::ZapDomain, "nul\0inside");
}

#[test]
fn security_mechanism_follows_the_options() {
    let (_ctx, s) = dealer();
    assert_eq!(s.get(sockopt::Mechanism).unwrap(), Mechanism::Null);
    round_trip!(s, sockopt::PlainServer, true);
    assert_eq!(s.get(sockopt::Mechanism).unwrap(), Mechanism::Plain);
    round_trip!(s, sockopt::PlainServer, false);
    round_trip!(s, sockopt::CurveServer, true);
    assert_eq!(s.get(sockopt::Mechanism).unwrap(), Mechanism::Curve);
    round_trip!(s, sockopt::CurveServer, false);
}

/// A fresh CURVE key pair in Z85, from libzmq.
fn curve_keypair() -> (String, String) {
    let mut public = [0 as c_char; 41];
    let mut secret = [0 as c_char; 41];
    // SAFETY: both buffers hold the 41 bytes zmq_curve_keypair writes.
    let rc = unsafe { zmq::sys::zmq_curve_keypair(public.as_mut_ptr(), secret.as_mut_ptr()) };
    assert_eq!(rc, 0, "this build has CURVE");
    let text = |key: &[c_char; 41]| {
        // SAFETY: zmq_curve_keypair NUL-terminates both keys.
        unsafe { CStr::from_ptr(key.as_ptr()) }
            .to_str()
            .unwrap()
            .to_owned()
    };
    (text(&public), text(&secret))
}

/// Z85 text to the 32 bytes it encodes, with libzmq's decoder.
fn z85_decode(text: &str) -> [u8; 32] {
    let text = std::ffi::CString::new(text).unwrap();
    let mut key = [0u8; 32];
    // SAFETY: a 40-character Z85 string decodes to exactly 32 bytes.
    let out = unsafe { zmq::sys::zmq_z85_decode(key.as_mut_ptr(), text.as_ptr()) };
    assert!(!out.is_null());
    key
}

#[test]
fn curve_keys_accept_z85_or_binary_and_read_back_binary() {
    assert!(zmq::has(Capability::Curve));
    let (public, secret) = curve_keypair();
    let (public_bin, secret_bin) = (z85_decode(&public), z85_decode(&secret));
    let (_ctx, s) = dealer();

    s.set(sockopt::CurvePublicKey, public.as_bytes()).unwrap();
    assert_eq!(s.get(sockopt::CurvePublicKey).unwrap(), public_bin);
    s.set(sockopt::CurveSecretKey, secret.as_bytes()).unwrap();
    assert_eq!(s.get(sockopt::CurveSecretKey).unwrap(), secret_bin);
    s.set(sockopt::CurveServerKey, &public_bin[..]).unwrap();
    assert_eq!(s.get(sockopt::CurveServerKey).unwrap(), public_bin);
    round_trip!(s, sockopt::CurvePublicKey, &secret_bin[..]);
    assert_eq!(s.get(sockopt::Mechanism).unwrap(), Mechanism::Curve);

    for bad in [&public.as_bytes()[..39], &[7u8; 33][..], &[][..]] {
        rejected!(s, sockopt::CurveServerKey, bad);
    }
    // Right length, but not Z85: libzmq refuses it.
    rejected!(s, sockopt::CurveServerKey, &[b'~'; 40][..]);
}

#[test]
fn out_of_range_values_are_invalid_input() {
    let (_ctx, s) = dealer();
    rejected!(s, sockopt::SndHwm, -5);
    rejected!(s, sockopt::Rate, 0);
    rejected!(s, sockopt::MulticastHops, 0);
    rejected!(s, sockopt::Backlog, -2);
    rejected!(s, sockopt::Linger, Some(Duration::from_secs(u64::MAX)));
    rejected!(s, sockopt::RcvTimeo, Some(ms(u64::from(u32::MAX))));
    rejected!(s, sockopt::MaxMsgSize, Some(u64::MAX));
    // Values that failed left the previous ones in place.
    assert_eq!(s.get(sockopt::SndHwm).unwrap(), 1000);
    assert_eq!(s.get(sockopt::Linger).unwrap(), Some(zmq::DEFAULT_LINGER));
}

#[test]
fn gssapi_options_work_exactly_when_the_build_has_gssapi() {
    let (_ctx, s) = dealer();
    if zmq::has(Capability::Gssapi) {
        // libzmq's defaults, then every row set and read back. Setting a
        // principal needs no Kerberos server: it is only used at handshake.
        assert!(!s.get(sockopt::GssapiServer).unwrap());
        assert!(!s.get(sockopt::GssapiPlaintext).unwrap());
        assert_eq!(
            s.get(sockopt::GssapiPrincipalNametype).unwrap(),
            GssapiNameType::HostBased
        );
        assert_eq!(
            s.get(sockopt::GssapiServicePrincipalNametype).unwrap(),
            GssapiNameType::HostBased
        );
        round_trip!(s, sockopt::GssapiPlaintext, true, false);
        round_trip!(s, sockopt::GssapiPrincipal, "client@EXAMPLE.ORG");
        round_trip!(
            s,
            sockopt::GssapiServicePrincipal,
            "zmq/server.example.org@EXAMPLE.ORG"
        );
        assert_eq!(s.get(sockopt::Mechanism).unwrap(), Mechanism::Gssapi);
        for name_type in [
            GssapiNameType::UserName,
            GssapiNameType::Krb5Principal,
            GssapiNameType::HostBased,
        ] {
            round_trip!(s, sockopt::GssapiPrincipalNametype, name_type);
            round_trip!(s, sockopt::GssapiServicePrincipalNametype, name_type);
        }
        // Setting a service principal makes the socket a client, so the
        // server flag comes after it.
        round_trip!(s, sockopt::GssapiServer, true, false);
        rejected!(s, sockopt::GssapiPrincipal, "");
        rejected!(s, sockopt::GssapiPrincipal, "p".repeat(256).as_str());
    } else {
        rejected!(s, sockopt::GssapiServer, true);
        rejected!(s, sockopt::GssapiPlaintext, true);
        rejected!(s, sockopt::GssapiPrincipal, "principal");
        rejected!(s, sockopt::GssapiServicePrincipal, "service");
        rejected!(
            s,
            sockopt::GssapiPrincipalNametype,
            GssapiNameType::HostBased
        );
        rejected!(
            s,
            sockopt::GssapiServicePrincipalNametype,
            GssapiNameType::UserName
        );
        for error in [
            s.get(sockopt::GssapiServer).unwrap_err(),
            s.get(sockopt::GssapiPlaintext).unwrap_err(),
            s.get(sockopt::GssapiPrincipal).unwrap_err(),
            s.get(sockopt::GssapiServicePrincipal).unwrap_err(),
            s.get(sockopt::GssapiPrincipalNametype).unwrap_err(),
            s.get(sockopt::GssapiServicePrincipalNametype).unwrap_err(),
        ] {
            assert_eq!(error.kind(), ErrorKind::InvalidInput);
        }
        assert_eq!(s.get(sockopt::Mechanism).unwrap(), Mechanism::Null);
    }
}

#[test]
fn vmci_options_work_exactly_when_the_build_has_vmci() {
    let (_ctx, s) = dealer();
    if zmq::has(Capability::Vmci) {
        s.set(sockopt::VmciBufferSize, 65_536).unwrap();
        s.set(sockopt::VmciBufferMinSize, 4096).unwrap();
        s.set(sockopt::VmciBufferMaxSize, 262_144).unwrap();
        s.set(sockopt::VmciConnectTimeout, Some(ms(100))).unwrap();
        s.set(sockopt::VmciConnectTimeout, None).unwrap();
    } else {
        rejected!(s, sockopt::VmciBufferSize, 4096);
        rejected!(s, sockopt::VmciBufferMinSize, 4096);
        rejected!(s, sockopt::VmciBufferMaxSize, 4096);
        rejected!(s, sockopt::VmciConnectTimeout, Some(ms(100)));
    }
}

#[test]
fn read_only_options_describe_the_socket() {
    let ctx = Context::new().unwrap();
    for kind in [
        SocketType::Pair,
        SocketType::Pub,
        SocketType::Sub,
        SocketType::Req,
        SocketType::Rep,
        SocketType::Dealer,
        SocketType::Router,
        SocketType::Pull,
        SocketType::Push,
        SocketType::Xpub,
        SocketType::Xsub,
        SocketType::Stream,
    ] {
        let s = ctx.socket(kind).unwrap();
        assert_eq!(s.get(sockopt::Type).unwrap(), kind);
        assert!(!s.get(sockopt::ThreadSafe).unwrap());
        assert!(!s.get(sockopt::RcvMore).unwrap());
        assert!(s.get(sockopt::Fd).unwrap() >= 0);
        assert!(!s.get(sockopt::Events).unwrap().contains(PollEvents::POLLIN));
        assert_eq!(s.get(sockopt::Mechanism).unwrap(), Mechanism::Null);
        assert_eq!(s.get(sockopt::LastEndpoint).unwrap(), "");
    }
    let s = ctx.socket(SocketType::Pair).unwrap();
    s.bind("inproc://read-only-options").unwrap();
    assert_eq!(
        s.get(sockopt::LastEndpoint).unwrap(),
        "inproc://read-only-options"
    );
}

#[test]
fn write_only_options_are_accepted_by_their_socket_types() {
    let ctx = Context::new().unwrap();
    let sub = ctx.socket(SocketType::Sub).unwrap();
    sub.set(sockopt::Subscribe, b"topic").unwrap();
    sub.set(sockopt::Unsubscribe, b"topic").unwrap();

    let router = ctx.socket(SocketType::Router).unwrap();
    router.set(sockopt::RouterMandatory, true).unwrap();
    router.set(sockopt::RouterHandover, true).unwrap();
    router.set(sockopt::ProbeRouter, true).unwrap();
    router.set(sockopt::ConnectRoutingId, b"peer").unwrap();
    router.set(sockopt::RouterRaw, false).unwrap();

    let req = ctx.socket(SocketType::Req).unwrap();
    req.set(sockopt::ReqCorrelate, true).unwrap();
    req.set(sockopt::ReqRelaxed, true).unwrap();
    req.set(sockopt::ProbeRouter, true).unwrap();

    let dealer = ctx.socket(SocketType::Dealer).unwrap();
    dealer.set(sockopt::ProbeRouter, true).unwrap();

    let xpub = ctx.socket(SocketType::Xpub).unwrap();
    xpub.set(sockopt::XpubVerbose, true).unwrap();
    xpub.set(sockopt::XpubVerboser, true).unwrap();
    xpub.set(sockopt::XpubNodrop, true).unwrap();
    xpub.set(sockopt::XpubManual, true).unwrap();
    xpub.set(sockopt::XpubWelcomeMsg, b"welcome").unwrap();

    let stream = ctx.socket(SocketType::Stream).unwrap();
    stream.set(sockopt::StreamNotify, false).unwrap();
    stream.set(sockopt::ConnectRoutingId, b"raw-peer").unwrap();
}

#[test]
fn write_only_options_on_the_wrong_socket_type_are_invalid_input() {
    let ctx = Context::new().unwrap();
    let pair = ctx.socket(SocketType::Pair).unwrap();
    rejected!(pair, sockopt::Subscribe, &b"topic"[..]);
    rejected!(pair, sockopt::RouterMandatory, true);
    rejected!(pair, sockopt::ReqRelaxed, true);
    rejected!(pair, sockopt::XpubVerbose, true);
    rejected!(pair, sockopt::StreamNotify, true);
    rejected!(pair, sockopt::ConnectRoutingId, &b"peer"[..]);
}

#[test]
fn subscribe_helpers_match_the_options() {
    let ctx = Context::new().unwrap();
    let sub = ctx.socket(SocketType::Sub).unwrap();
    sub.subscribe("text").unwrap();
    sub.subscribe(b"bytes").unwrap();
    sub.subscribe(vec![0u8, 1]).unwrap();
    sub.unsubscribe("text").unwrap();
    let req = ctx.socket(SocketType::Req).unwrap();
    assert_eq!(
        req.subscribe("x").unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}

#[test]
fn context_options_read_back_what_was_set() {
    let ctx = Context::new().unwrap();
    assert_eq!(ctx.get(ctxopt::IoThreads).unwrap(), 1);
    ctx.set(ctxopt::IoThreads, 2).unwrap();
    assert_eq!(ctx.get(ctxopt::IoThreads).unwrap(), 2);
    ctx.set(ctxopt::MaxSockets, 64).unwrap();
    assert_eq!(ctx.get(ctxopt::MaxSockets).unwrap(), 64);
    assert!(ctx.get(ctxopt::SocketLimit).unwrap() >= 1024);
    assert_eq!(
        usize::try_from(ctx.get(ctxopt::MsgTSize).unwrap()).unwrap(),
        size_of::<zmq::sys::zmq_msg_t>()
    );
    ctx.set(ctxopt::Ipv6, true).unwrap();
    assert!(ctx.get(ctxopt::Ipv6).unwrap());
    assert!(ctx.get(ctxopt::Blocky).unwrap());
    ctx.set(ctxopt::Blocky, false).unwrap();
    assert!(!ctx.get(ctxopt::Blocky).unwrap());
    ctx.set(ctxopt::MaxMsgSize, 4096).unwrap();
    assert_eq!(ctx.get(ctxopt::MaxMsgSize).unwrap(), 4096);
    ctx.set(ctxopt::ThreadNamePrefix, 42).unwrap();
    assert_eq!(ctx.get(ctxopt::ThreadNamePrefix).unwrap(), 42);
    // libzmq's default scheduling policy is -1 ("leave it alone").
    assert_eq!(ctx.get(ctxopt::ThreadSchedPolicy).unwrap(), -1);
    ctx.set(ctxopt::ThreadSchedPolicy, 0).unwrap();
    assert_eq!(ctx.get(ctxopt::ThreadSchedPolicy).unwrap(), 0);
    ctx.set(ctxopt::ThreadPriority, 0).unwrap();
    ctx.set(ctxopt::ThreadAffinityCpuAdd, 0).unwrap();
    ctx.set(ctxopt::ThreadAffinityCpuRemove, 0).unwrap();
    // The I/O threads start with the first socket and use these settings.
    let socket = ctx.socket(SocketType::Pair).unwrap();
    socket.bind("tcp://127.0.0.1:*").unwrap();
}

#[test]
fn invalid_context_option_values_are_invalid_input() {
    let ctx = Context::new().unwrap();
    for error in [
        ctx.set(ctxopt::MaxSockets, 0).unwrap_err(),
        ctx.set(ctxopt::IoThreads, -1).unwrap_err(),
        ctx.set(ctxopt::ThreadAffinityCpuRemove, 3).unwrap_err(),
        ctx.set(ctxopt::ThreadAffinityCpuAdd, usize::MAX)
            .unwrap_err(),
    ] {
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
    }
    assert_eq!(ctx.get(ctxopt::MaxSockets).unwrap(), 1023);
}

#[cfg(feature = "draft")]
mod draft {
    use super::*;
    use zmq::{NormMode, ReconnectStopFlags, RouterNotifyFlags};

    #[test]
    fn draft_options_read_back_what_was_set() {
        let (_ctx, s) = dealer();
        round_trip!(s, sockopt::ZapEnforceDomain, true, false);
        round_trip!(s, sockopt::LoopbackFastpath, true, false);
        round_trip!(s, sockopt::MulticastLoop, false, true);
        round_trip!(s, sockopt::SocksUsername, "user");
        round_trip!(s, sockopt::SocksPassword, "password");
        round_trip!(s, sockopt::InBatchSize, 4096);
        round_trip!(s, sockopt::OutBatchSize, 4096);
        assert_eq!(
            s.get(sockopt::ReconnectStop).unwrap(),
            ReconnectStopFlags::empty()
        );
        round_trip!(
            s,
            sockopt::ReconnectStop,
            ReconnectStopFlags::CONN_REFUSED,
            ReconnectStopFlags::HANDSHAKE_FAILED | ReconnectStopFlags::AFTER_DISCONNECT,
            ReconnectStopFlags::CONN_REFUSED
                | ReconnectStopFlags::HANDSHAKE_FAILED
                | ReconnectStopFlags::AFTER_DISCONNECT,
            ReconnectStopFlags::empty()
        );
        assert_eq!(raw_int(&s, zmq::sys::ZMQ_RECONNECT_STOP), 0);
        round_trip!(s, sockopt::Priority, 3, 0);
        // libzmq 4.3.5 stores ZMQ_BUSY_POLL, but its getsockopt case lacks
        // a `return 0` and always fails with EINVAL.
        s.set(sockopt::BusyPoll, true).unwrap();
        assert_eq!(
            s.get(sockopt::BusyPoll).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        s.set(sockopt::Metadata, "X-Color:blue").unwrap();
        s.set(sockopt::HelloMsg, b"hello").unwrap();
        s.set(sockopt::DisconnectMsg, b"bye").unwrap();
        s.set(sockopt::HiccupMsg, b"hiccup").unwrap();
        rejected!(s, sockopt::Metadata, "no-colon");
        rejected!(s, sockopt::Metadata, "Color:not-an-x-key");
        rejected!(s, sockopt::InBatchSize, 0);

        let ctx = Context::new().unwrap();
        let router = ctx.socket(SocketType::Router).unwrap();
        assert_eq!(
            router.get(sockopt::RouterNotify).unwrap(),
            RouterNotifyFlags::empty()
        );
        round_trip!(
            router,
            sockopt::RouterNotify,
            RouterNotifyFlags::CONNECT,
            RouterNotifyFlags::DISCONNECT,
            RouterNotifyFlags::CONNECT | RouterNotifyFlags::DISCONNECT,
            RouterNotifyFlags::empty()
        );
        router
            .set(sockopt::RouterNotify, RouterNotifyFlags::CONNECT)
            .unwrap();
        assert_eq!(
            raw_int(&router, zmq::sys::ZMQ_ROUTER_NOTIFY),
            zmq::sys::ZMQ_NOTIFY_CONNECT
        );
        // libzmq refuses bits it does not know.
        rejected!(
            router,
            sockopt::RouterNotify,
            RouterNotifyFlags::from_bits_retain(4)
        );
        // Only ROUTER takes it.
        rejected!(s, sockopt::RouterNotify, RouterNotifyFlags::CONNECT);
        let xpub = ctx.socket(SocketType::Xpub).unwrap();
        xpub.set(sockopt::XpubManualLastValue, true).unwrap();
        xpub.set(sockopt::OnlyFirstSubscribe, true).unwrap();
        let xsub = ctx.socket(SocketType::Xsub).unwrap();
        xsub.set(sockopt::XsubVerboseUnsubscribe, true).unwrap();
        xsub.set(sockopt::OnlyFirstSubscribe, true).unwrap();
        let sub = ctx.socket(SocketType::Sub).unwrap();
        assert_eq!(sub.get(sockopt::TopicsCount).unwrap(), 0);
        sub.subscribe("a").unwrap();
        sub.subscribe("b").unwrap();
        assert_eq!(sub.get(sockopt::TopicsCount).unwrap(), 2);
    }

    #[test]
    fn draft_options_work_or_are_typed_errors_as_the_build_has_them() {
        let (_ctx, s) = dealer();
        if !zmq::has(Capability::SecureWebSocket) {
            rejected!(s, sockopt::WssKeyPem, "key");
            rejected!(s, sockopt::WssCertPem, "cert");
            rejected!(s, sockopt::WssTrustPem, "trust");
            rejected!(s, sockopt::WssHostname, "example.org");
            rejected!(s, sockopt::WssTrustSystem, true);
        }
        if zmq::has(Capability::Norm) {
            assert_eq!(s.get(sockopt::NormMode).unwrap(), NormMode::Cc);
            round_trip!(
                s,
                sockopt::NormMode,
                NormMode::Fixed,
                NormMode::Ccl,
                NormMode::Cce,
                NormMode::CceEcnOnly,
                NormMode::Cc
            );
        } else {
            rejected!(s, sockopt::NormMode, NormMode::Fixed);
            rejected!(s, sockopt::NormUnicastNack, true);
            rejected!(s, sockopt::NormBufferSize, 2048);
            rejected!(s, sockopt::NormSegmentSize, 1400);
            rejected!(s, sockopt::NormBlockSize, 16);
            rejected!(s, sockopt::NormNumParity, 0);
            rejected!(s, sockopt::NormNumAutoparity, 0);
            rejected!(s, sockopt::NormPush, true);
            assert!(s.get(sockopt::NormMode).is_err());
            assert!(s.get(sockopt::NormUnicastNack).is_err());
            assert!(s.get(sockopt::NormBufferSize).is_err());
            assert!(s.get(sockopt::NormSegmentSize).is_err());
            assert!(s.get(sockopt::NormBlockSize).is_err());
            assert!(s.get(sockopt::NormNumParity).is_err());
            assert!(s.get(sockopt::NormNumAutoparity).is_err());
            assert!(s.get(sockopt::NormPush).is_err());
        }
    }

    #[test]
    fn zero_copy_recv_context_option_reads_back() {
        let ctx = Context::new().unwrap();
        ctx.set(ctxopt::ZeroCopyRecv, false).unwrap();
        assert!(!ctx.get(ctxopt::ZeroCopyRecv).unwrap());
        ctx.set(ctxopt::ZeroCopyRecv, true).unwrap();
        assert!(ctx.get(ctxopt::ZeroCopyRecv).unwrap());
    }
}
