//! Every settable socket option of the `sockopt` table, fed arbitrary
//! values. The first byte picks the option, the second the socket type;
//! the rest becomes the option's typed value (`Socket::set`: bytes, text,
//! numbers and durations of any size) and, separately, the raw bytes of a
//! `zmq_setsockopt` call of any length, which libzmq must refuse cleanly
//! when the length does not fit the option. Readable options are then read
//! back with `Socket::get`, which must not fail after a successful set.
//!
//! What the crate must refuse before libzmq sees it is refused, with an
//! `InvalidInput` error naming the option: text holding a NUL byte,
//! subscription prefixes over `SUBSCRIPTION_MAX`, CURVE keys that are not
//! 32 bytes or 40 valid Z85 characters (an accepted key reads back as the
//! 32 bytes it stands for), and `UseFd` descriptors that are not listening
//! stream sockets (the refused descriptor is closed; an accepted one reads
//! back, and a `tcp://` bind takes an IP listener and refuses a Unix one).
//!
//! `scripts/fuzz.sh` checks that every settable row of the table is named
//! in the lists below.

#![no_main]

use std::fs::File;
use std::net::{TcpListener, UdpSocket};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use zmq::sockopt::{self, GetOption, SUBSCRIPTION_MAX, SetOption, SocketOption};
use zmq::{ErrorKind, GssapiNameType, Socket, SocketType};
use zmq_fuzz::{byte, take};

/// A typed option value made of fuzzer bytes.
trait FromFuzz<'a>: Sized {
    fn from_fuzz(data: &'a [u8]) -> Self;

    /// Why the crate must refuse this value for any option, if it must.
    fn must_refuse(&self) -> Option<&'static str> {
        None
    }
}

impl<'a> FromFuzz<'a> for &'a [u8] {
    fn from_fuzz(data: &'a [u8]) -> Self {
        data
    }
}

impl<'a> FromFuzz<'a> for &'a str {
    fn from_fuzz(data: &'a [u8]) -> Self {
        // Text options take UTF-8; the valid prefix keeps the fuzzer's
        // choice of length and content (NUL bytes included).
        match std::str::from_utf8(data) {
            Ok(text) => text,
            Err(error) => std::str::from_utf8(&data[..error.valid_up_to()]).unwrap_or_default(),
        }
    }

    fn must_refuse(&self) -> Option<&'static str> {
        // libzmq reads text as a C string: a NUL would cut it short.
        self.contains('\0').then_some("holds a NUL byte")
    }
}

impl FromFuzz<'_> for i32 {
    fn from_fuzz(mut data: &[u8]) -> Self {
        i32::from_le_bytes(take(&mut data))
    }
}

impl FromFuzz<'_> for i64 {
    fn from_fuzz(mut data: &[u8]) -> Self {
        i64::from_le_bytes(take(&mut data))
    }
}

impl FromFuzz<'_> for u64 {
    fn from_fuzz(mut data: &[u8]) -> Self {
        u64::from_le_bytes(take(&mut data))
    }
}

impl FromFuzz<'_> for bool {
    fn from_fuzz(data: &[u8]) -> Self {
        data.first().is_some_and(|b| b & 1 == 1)
    }
}

impl FromFuzz<'_> for Duration {
    fn from_fuzz(mut data: &[u8]) -> Self {
        // Any duration Rust can hold, up to u64::MAX seconds.
        let secs = u64::from_le_bytes(take(&mut data));
        let nanos = u32::from_le_bytes(take(&mut data)) % 1_000_000_000;
        Duration::new(secs >> (byte(&mut data) % 64), nanos)
    }
}

impl<'a, T: FromFuzz<'a>> FromFuzz<'a> for Option<T> {
    fn from_fuzz(data: &'a [u8]) -> Self {
        match data.split_first() {
            Some((&flag, rest)) if flag & 1 == 1 => Some(T::from_fuzz(rest)),
            _ => None,
        }
    }
}

impl FromFuzz<'_> for GssapiNameType {
    fn from_fuzz(data: &[u8]) -> Self {
        match data.first().map_or(0, |b| b % 3) {
            0 => GssapiNameType::HostBased,
            1 => GssapiNameType::UserName,
            _ => GssapiNameType::Krb5Principal,
        }
    }
}

#[cfg(feature = "draft")]
impl FromFuzz<'_> for zmq::RouterNotifyFlags {
    fn from_fuzz(data: &[u8]) -> Self {
        Self::from_bits_retain(i32::from_fuzz(data))
    }
}

#[cfg(feature = "draft")]
impl FromFuzz<'_> for zmq::ReconnectStopFlags {
    fn from_fuzz(data: &[u8]) -> Self {
        Self::from_bits_retain(i32::from_fuzz(data))
    }
}

#[cfg(feature = "draft")]
impl FromFuzz<'_> for zmq::NormMode {
    fn from_fuzz(data: &[u8]) -> Self {
        match data.first().map_or(0, |b| b % 5) {
            0 => zmq::NormMode::Fixed,
            1 => zmq::NormMode::Cc,
            2 => zmq::NormMode::Ccl,
            3 => zmq::NormMode::Cce,
            _ => zmq::NormMode::CceEcnOnly,
        }
    }
}

/// The raw call with the fuzzer's bytes and length: libzmq checks the
/// length against the option's type itself. Its verdict is not compared
/// with the typed setter's: the typed value is built differently.
fn set_raw<O: SetOption>(socket: &Socket, data: &[u8]) {
    let Some((&cut, value)) = data.split_first() else {
        return;
    };
    let len = usize::from(cut).min(value.len());
    // SAFETY: the socket is live; `value` holds at least `len` readable
    // bytes, which outlive the call.
    let _ = unsafe { zmq::sys::zmq_setsockopt(socket.as_raw(), O::ID, value.as_ptr().cast(), len) };
}

/// A typed set; an error must be one of the crate's documented kinds, and
/// a value the crate must refuse is refused.
fn set_typed<O>(socket: &Socket, option: O, data: &[u8]) -> bool
where
    O: SetOption,
    for<'a> O::Input<'a>: FromFuzz<'a>,
{
    let value = <O::Input<'_>>::from_fuzz(data);
    let refuse = value.must_refuse();
    let result = socket.set(option, value);
    if let Some(why) = refuse {
        refused(O::NAME, why, &result);
    }
    match result {
        Ok(()) => true,
        Err(error) => {
            let _ = error.to_string();
            false
        }
    }
}

/// Asserts that `result` is the crate's refusal of `option`'s value: an
/// `InvalidInput` error whose message names the option.
fn refused(option: &str, why: &str, result: &zmq::Result<()>) {
    match result {
        Ok(()) => panic!("{option} accepted a value that {why}"),
        Err(error) => {
            assert_eq!(
                error.kind(),
                ErrorKind::InvalidInput,
                "{option}, value that {why}: {error}"
            );
            assert!(
                error.to_string().contains(option),
                "the refusal of {option} does not name it: {error}"
            );
        }
    }
}

/// `Subscribe` and `Unsubscribe`: prefixes longer than `SUBSCRIPTION_MAX`
/// are refused (libzmq's trie would recurse once per byte).
fn subscription<O>(socket: &Socket, option: O, data: &[u8])
where
    O: for<'a> SetOption<Input<'a> = &'a [u8]>,
{
    let result = socket.set(option, data);
    if data.len() > SUBSCRIPTION_MAX {
        refused(O::NAME, "is longer than SUBSCRIPTION_MAX", &result);
    }
    set_raw::<O>(socket, data);
}

/// CURVE keys: 32 bytes, or 40 characters of Z85 that decode to 32 bytes
/// (libzmq would read a NUL inside as the end of the text); what is
/// accepted reads back as those 32 bytes.
fn curve_key<O>(socket: &Socket, option: O, data: &[u8])
where
    O: for<'a> SetOption<Input<'a> = &'a [u8]> + GetOption<Value = [u8; 32]>,
{
    let expected: Option<Vec<u8>> = match data.len() {
        32 => Some(data.to_vec()),
        40 => zmq::z85::decode(data).ok(),
        _ => None,
    };
    let result = socket.set(option, data);
    match expected {
        None => refused(
            O::NAME,
            "is not 32 bytes nor 40 valid Z85 characters",
            &result,
        ),
        Some(key) => {
            if result.is_ok() {
                let value = socket.get(option).expect("a CURVE key that was set");
                assert_eq!(&value[..], &key[..], "{} reads back another key", O::NAME);
            }
        }
    }
    set_raw::<O>(socket, data);
}

/// The descriptors `UseFd` is given: only the listening stream sockets
/// are accepted.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Descriptor {
    TcpListener,
    UnixListener,
    TcpUnconnected,
    UnixConnected,
    Udp,
    File,
    Pipe,
}

impl Descriptor {
    fn pick(byte: u8) -> Self {
        use Descriptor::*;
        [
            TcpListener,
            UnixListener,
            TcpUnconnected,
            UnixConnected,
            Udp,
            File,
            Pipe,
        ][usize::from(byte) % 7]
    }

    fn open(self) -> OwnedFd {
        match self {
            Self::TcpListener => TcpListener::bind("127.0.0.1:0")
                .expect("tcp listener")
                .into(),
            // Bound with the family alone: Linux picks an abstract address.
            Self::UnixListener => {
                let fd = raw_socket(libc::AF_UNIX);
                // SAFETY: a zeroed sockaddr_un is valid; bind reads only
                // its family, listen has no memory arguments.
                let rc = unsafe {
                    let mut address: libc::sockaddr_un = std::mem::zeroed();
                    address.sun_family = libc::AF_UNIX as libc::sa_family_t;
                    let len = size_of::<libc::sa_family_t>() as libc::socklen_t;
                    let rc = libc::bind(fd.as_raw_fd(), std::ptr::from_ref(&address).cast(), len);
                    if rc == 0 {
                        libc::listen(fd.as_raw_fd(), 1)
                    } else {
                        rc
                    }
                };
                assert_eq!(
                    rc,
                    0,
                    "bind and listen: {}",
                    std::io::Error::last_os_error()
                );
                fd
            }
            Self::TcpUnconnected => raw_socket(libc::AF_INET),
            Self::UnixConnected => UnixStream::pair().expect("socket pair").0.into(),
            Self::Udp => UdpSocket::bind("127.0.0.1:0").expect("udp socket").into(),
            Self::File => File::open("/dev/null").expect("/dev/null").into(),
            Self::Pipe => {
                let mut ends = [0; 2];
                // SAFETY: `ends` has room for the two descriptors.
                let rc = unsafe { libc::pipe(ends.as_mut_ptr()) };
                assert_eq!(rc, 0, "pipe: {}", std::io::Error::last_os_error());
                // SAFETY: pipe() opened both; each is owned once.
                let (read, _write) =
                    unsafe { (OwnedFd::from_raw_fd(ends[0]), OwnedFd::from_raw_fd(ends[1])) };
                read
            }
        }
    }

    fn is_listener(self) -> bool {
        matches!(self, Self::TcpListener | Self::UnixListener)
    }
}

/// A new stream socket of `family`, neither bound nor listening.
fn raw_socket(family: libc::c_int) -> OwnedFd {
    // SAFETY: socket() has no memory arguments.
    let fd = unsafe { libc::socket(family, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0) };
    assert!(fd >= 0, "socket: {}", std::io::Error::last_os_error());
    // SAFETY: the descriptor was just opened and is owned once.
    unsafe { OwnedFd::from_raw_fd(fd) }
}

/// `UseFd` takes the descriptor over: a listening stream socket is held
/// (and read back), anything else is refused and closed; a `tcp://` bind
/// uses an IP listener (then the option is clear) and refuses a Unix one.
/// No raw call: a fuzzed integer handed to libzmq would be closed as if
/// the socket owned it.
fn use_fd(socket: &Socket, data: &[u8]) {
    let mut data = data;
    let kind = Descriptor::pick(byte(&mut data));
    let fd = kind.open();
    let raw = fd.as_raw_fd();
    let result = socket.set(sockopt::UseFd, fd);
    if !kind.is_listener() {
        refused(
            sockopt::UseFd::NAME,
            &format!("is a {kind:?} descriptor"),
            &result,
        );
        // SAFETY: F_GETFD on a number: no memory is touched.
        let open = unsafe { libc::fcntl(raw, libc::F_GETFD) } != -1;
        assert!(
            !open,
            "UseFd refused a {kind:?} descriptor but left it open"
        );
        return;
    }
    result.expect("UseFd refused a listening socket");
    assert_eq!(socket.get(sockopt::UseFd).expect("UseFd"), Some(raw));
    if byte(&mut data) & 1 == 1 {
        let bound = socket.bind("tcp://127.0.0.1:*");
        if kind == Descriptor::UnixListener {
            assert!(bound.is_err(), "a tcp:// bind took a Unix listener");
            assert_eq!(socket.get(sockopt::UseFd).expect("UseFd"), Some(raw));
        } else {
            bound.expect("a tcp:// bind with an IP listener");
            assert_eq!(socket.get(sockopt::UseFd).expect("UseFd"), None);
        }
    }
}

fn write_only<O>(socket: &Socket, option: O, data: &[u8])
where
    O: SetOption,
    for<'a> O::Input<'a>: FromFuzz<'a>,
{
    set_typed(socket, option, data);
    set_raw::<O>(socket, data);
}

fn read_write<O>(socket: &Socket, option: O, data: &[u8])
where
    O: SetOption + GetOption,
    for<'a> O::Input<'a>: FromFuzz<'a>,
    O::Value: std::fmt::Debug,
{
    if set_typed(socket, option, data) {
        let value = socket.get(option);
        assert!(
            value.is_ok(),
            "{} was set but cannot be read: {value:?}",
            O::NAME
        );
    }
    set_raw::<O>(socket, data);
    let _ = socket.get(option);
}

/// One entry per settable option: `read_write` ones are read back too;
/// the others check what the crate must refuse.
macro_rules! options {
    ($($access:ident $name:ident,)*) => {
        &[$(|socket: &Socket, data: &[u8]| options!(@call $access $name socket data),)*]
    };
    (@call use_fd $name:ident $socket:ident $data:ident) => { use_fd($socket, $data) };
    (@call $access:ident $name:ident $socket:ident $data:ident) => {
        $access($socket, sockopt::$name, $data)
    };
}

type Setter = fn(&Socket, &[u8]);

const STABLE: &[Setter] = options![
    read_write Affinity,
    read_write RoutingId,
    subscription Subscribe,
    subscription Unsubscribe,
    read_write Rate,
    read_write RecoveryIvl,
    read_write SndBuf,
    read_write RcvBuf,
    read_write Linger,
    read_write ReconnectIvl,
    read_write Backlog,
    read_write ReconnectIvlMax,
    read_write MaxMsgSize,
    read_write SndHwm,
    read_write RcvHwm,
    read_write MulticastHops,
    read_write RcvTimeo,
    read_write SndTimeo,
    write_only RouterMandatory,
    read_write TcpKeepalive,
    read_write TcpKeepaliveCnt,
    read_write TcpKeepaliveIdle,
    read_write TcpKeepaliveIntvl,
    read_write Immediate,
    write_only XpubVerbose,
    write_only RouterRaw,
    read_write Ipv6,
    read_write PlainServer,
    read_write PlainUsername,
    read_write PlainPassword,
    read_write CurveServer,
    curve_key CurvePublicKey,
    curve_key CurveSecretKey,
    curve_key CurveServerKey,
    write_only ProbeRouter,
    write_only ReqCorrelate,
    write_only ReqRelaxed,
    read_write Conflate,
    read_write ZapDomain,
    write_only RouterHandover,
    read_write Tos,
    write_only ConnectRoutingId,
    read_write GssapiServer,
    read_write GssapiPrincipal,
    read_write GssapiServicePrincipal,
    read_write GssapiPlaintext,
    read_write HandshakeIvl,
    read_write SocksProxy,
    write_only XpubNodrop,
    write_only XpubManual,
    write_only XpubWelcomeMsg,
    write_only StreamNotify,
    read_write InvertMatching,
    read_write HeartbeatIvl,
    read_write HeartbeatTtl,
    read_write HeartbeatTimeout,
    write_only XpubVerboser,
    read_write ConnectTimeout,
    read_write TcpMaxRt,
    read_write MulticastMaxTpdu,
    write_only VmciBufferSize,
    write_only VmciBufferMinSize,
    write_only VmciBufferMaxSize,
    write_only VmciConnectTimeout,
    use_fd UseFd,
    read_write GssapiPrincipalNametype,
    read_write GssapiServicePrincipalNametype,
    read_write BindToDevice,
];

#[cfg(feature = "draft")]
const DRAFT: &[Setter] = options![
    read_write ZapEnforceDomain,
    read_write LoopbackFastpath,
    write_only Metadata,
    read_write MulticastLoop,
    read_write RouterNotify,
    write_only XpubManualLastValue,
    read_write SocksUsername,
    read_write SocksPassword,
    read_write InBatchSize,
    read_write OutBatchSize,
    write_only WssKeyPem,
    write_only WssCertPem,
    write_only WssTrustPem,
    write_only WssHostname,
    write_only WssTrustSystem,
    write_only OnlyFirstSubscribe,
    read_write ReconnectStop,
    write_only HelloMsg,
    write_only DisconnectMsg,
    read_write Priority,
    read_write BusyPoll,
    write_only HiccupMsg,
    write_only XsubVerboseUnsubscribe,
    read_write NormMode,
    read_write NormUnicastNack,
    read_write NormBufferSize,
    read_write NormSegmentSize,
    read_write NormBlockSize,
    read_write NormNumParity,
    read_write NormNumAutoparity,
    read_write NormPush,
];
#[cfg(not(feature = "draft"))]
const DRAFT: &[Setter] = &[];

/// The read-only options, read after the fuzzed set.
fn read_only(socket: &Socket) {
    let _ = socket.get(sockopt::RcvMore);
    let _ = socket.get(sockopt::Fd);
    let _ = socket.get(sockopt::Events);
    let _ = socket.get(sockopt::Type);
    let _ = socket.get(sockopt::LastEndpoint);
    let _ = socket.get(sockopt::Mechanism);
    let _ = socket.get(sockopt::ThreadSafe);
    #[cfg(feature = "draft")]
    let _ = socket.get(sockopt::TopicsCount);
}

/// The socket types, by `ZMQ_*` number.
fn socket_type(pick: u8) -> SocketType {
    let raw = i32::from(pick % if cfg!(feature = "draft") { 13 } else { 12 });
    // 12 stands for ZMQ_DGRAM (18), the draft classic socket type.
    SocketType::from_raw(if raw == 12 { 18 } else { raw }).expect("a socket type")
}

fuzz_target!(|data: &[u8]| {
    let mut data = data;
    let options = STABLE.len() + DRAFT.len();
    let pick = usize::from(byte(&mut data)) % options;
    let setter = STABLE
        .get(pick)
        .unwrap_or_else(|| &DRAFT[pick - STABLE.len()]);
    let socket = zmq_fuzz::new_socket(socket_type(byte(&mut data)));
    setter(&socket, data);
    read_only(&socket);
    // Never wait for anything on close, whatever the fuzzer set.
    socket
        .set(sockopt::Linger, Some(Duration::ZERO))
        .expect("LINGER");
});
