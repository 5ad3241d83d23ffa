//! Every settable socket option of the `sockopt` table, fed arbitrary
//! values. The first byte picks the option, the second the socket type;
//! the rest becomes the option's typed value (`Socket::set`: bytes, text,
//! numbers and durations of any size) and, separately, the raw bytes of a
//! `zmq_setsockopt` call of any length, which libzmq must refuse cleanly
//! when the length does not fit the option. Readable options are then read
//! back with `Socket::get`, which must not fail after a successful set.
//!
//! `scripts/fuzz.sh` checks that every settable row of the table is named
//! in the lists below.

#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use zmq::sockopt::{self, GetOption, SetOption};
use zmq::{GssapiNameType, Socket, SocketType};
use zmq_fuzz::{byte, take};

/// A typed option value made of fuzzer bytes.
trait FromFuzz<'a>: Sized {
    fn from_fuzz(data: &'a [u8]) -> Self;
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

/// A typed set; an error must be one of the crate's documented kinds.
fn set_typed<O>(socket: &Socket, option: O, data: &[u8]) -> bool
where
    O: SetOption,
    for<'a> O::Input<'a>: FromFuzz<'a>,
{
    match socket.set(option, <O::Input<'_>>::from_fuzz(data)) {
        Ok(()) => true,
        Err(error) => {
            let _ = error.to_string();
            false
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

/// One entry per settable option: `rw` ones are read back too.
macro_rules! options {
    ($($access:ident $name:ident,)*) => {
        &[$(|socket: &Socket, data: &[u8]| $access(socket, sockopt::$name, data),)*]
    };
}

type Setter = fn(&Socket, &[u8]);

const STABLE: &[Setter] = options![
    read_write Affinity,
    read_write RoutingId,
    write_only Subscribe,
    write_only Unsubscribe,
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
    read_write CurvePublicKey,
    read_write CurveSecretKey,
    read_write CurveServerKey,
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
    read_write UseFd,
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
