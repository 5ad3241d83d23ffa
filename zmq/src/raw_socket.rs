//! The libzmq calls on a raw socket handle that every socket wrapper shares:
//! endpoints, options, and sending and receiving messages.
//!
//! [`Socket`](crate::Socket) and, under `draft`, the thread-safe socket type
//! both call these with their live `void *`, so each call is written (and
//! its safety argued) once.

use std::ffi::{CString, c_char, c_int, c_void};

use crate::error::{Error, ErrorKind, Result, check, quote};
use crate::flags::{RecvFlags, SendFlags};
use crate::message::Message;
use crate::sockopt::{GetOption, RawKind, RawValue, SetOption};

/// The datagram buffer of libzmq 4.3.5's UDP engine (`MAX_UDP_MSG` in
/// `udp_engine.hpp`). The engine copies each outgoing RADIO or DGRAM frame
/// into it without checking the size, so larger frames would overflow it:
/// the socket wrappers refuse them first.
#[cfg(feature = "draft")]
pub(crate) const UDP_DATAGRAM_MAX: usize = 8192;

/// `Err` (`EMSGSIZE`) for a datagram of `size` bytes that does not fit
/// libzmq's UDP buffer.
#[cfg(feature = "draft")]
pub(crate) fn check_udp_datagram_size(size: usize) -> Result<()> {
    if size > UDP_DATAGRAM_MAX {
        return Err(Error::from_errno(libc::EMSGSIZE).context(format!(
            "a udp:// datagram holds at most {UDP_DATAGRAM_MAX} bytes, this one needs {size}"
        )));
    }
    Ok(())
}

/// A libzmq function taking a socket and an endpoint (`zmq_bind`, ...).
pub(crate) type EndpointFn = unsafe extern "C" fn(*mut c_void, *const c_char) -> c_int;

/// Rejects endpoints libzmq could not be handed as C strings.
pub(crate) fn endpoint_cstring(endpoint: &str) -> Result<CString> {
    CString::new(endpoint).map_err(|_| {
        Error::invalid_input(format!("endpoint {} contains a NUL byte", quote(endpoint)))
            .with_kind(ErrorKind::InvalidEndpoint)
    })
}

/// Refuses a port libzmq 4.3.5 would silently change: it reads the port of
/// `tcp://`, `ws://`, `wss://` and `udp://` addresses with `atoi` into a
/// 16-bit number, so `99999` became 34463, `-1` 65535 and `80x` 80. Each
/// address of the endpoint (a connect may give `source;destination`) must
/// end in `:*` or a port of at most 65535 digits only.
fn check_ports(endpoint: &str) -> Result<()> {
    let Some((transport, address)) = endpoint.split_once("://") else {
        return Ok(());
    };
    let address = match transport {
        "tcp" | "udp" => address,
        // The path follows the port.
        "ws" | "wss" => address.split('/').next().unwrap_or(address),
        _ => return Ok(()),
    };
    for part in address.split(';') {
        let Some((_, port)) = part.rsplit_once(':') else {
            continue;
        };
        let valid = port == "*"
            || (!port.is_empty()
                && port.bytes().all(|b| b.is_ascii_digit())
                && port.parse::<u32>().is_ok_and(|port| port <= 65535));
        if !valid {
            return Err(Error::invalid_input(format!(
                "port {} is not a number from 0 to 65535 or *",
                quote(port)
            ))
            .with_kind(ErrorKind::InvalidEndpoint));
        }
    }
    Ok(())
}

/// Calls `call` (`zmq_bind`, `zmq_connect`, ...) with `endpoint`; an
/// `EINVAL` becomes [`ErrorKind::InvalidEndpoint`] and the error names the
/// endpoint.
///
/// # Safety
///
/// `socket` must be a live libzmq socket.
pub(crate) unsafe fn endpoint_call(
    socket: *mut c_void,
    endpoint: &str,
    what: &'static str,
    call: EndpointFn,
) -> Result<()> {
    let c_endpoint = endpoint_cstring(endpoint)?;
    check_ports(endpoint).map_err(|e| e.context(format!("{what} {}", quote(endpoint))))?;
    // SAFETY: the socket is live (our contract); the endpoint is NUL-terminated
    // and outlives the call.
    match check(unsafe { call(socket, c_endpoint.as_ptr()) }) {
        Ok(_) => Ok(()),
        Err(e) => {
            let e = if e.kind() == ErrorKind::InvalidInput {
                e.with_kind(ErrorKind::InvalidEndpoint)
            } else {
                e
            };
            Err(e.context(format!("{what} {}", quote(endpoint))))
        }
    }
}

/// The socket types libzmq 4.3.5 accepts as a ZAP handler: it asserts on
/// any other bound at the ZAP endpoint once a handshake needs it.
const ZAP_HANDLER_TYPES: &[c_int] = &[
    zmq_sys::ZMQ_REP,
    zmq_sys::ZMQ_ROUTER,
    #[cfg(feature = "draft")]
    zmq_sys::ZMQ_SERVER,
];

/// Binds `endpoint` (`zmq_bind`), after the checks libzmq would assert on
/// later: a ZAP endpoint bound by a socket of another type, and a
/// descriptor held for the bind (`ZMQ_USE_FD`) of the wrong family.
///
/// # Safety
///
/// `socket` must be a live libzmq socket whose `ZMQ_USE_FD`, if set, came
/// through [`set_option`].
pub(crate) unsafe fn bind(socket: *mut c_void, endpoint: &str) -> Result<()> {
    if endpoint == crate::auth::ZAP_ENDPOINT {
        let mut kind: c_int = 0;
        // SAFETY: the socket is live (our contract); kind is a c_int.
        unsafe {
            getsockopt_into(
                socket,
                zmq_sys::ZMQ_TYPE,
                std::ptr::from_mut(&mut kind).cast(),
                size_of::<c_int>(),
            )
        }?;
        if !ZAP_HANDLER_TYPES.contains(&kind) {
            return Err(Error::invalid_input(format!(
                "bind {endpoint:?}: the ZAP endpoint takes a REP or ROUTER socket (libzmq \
                 aborts on a handler of another type), not socket type {kind}"
            ))
            .with_kind(ErrorKind::InvalidEndpoint));
        }
    }
    #[cfg(unix)]
    // SAFETY: the socket is live and its held descriptor ours (contract).
    let taken = unsafe { crate::use_fd::before_bind(socket, endpoint) }?;
    // SAFETY: the socket is live (our contract).
    unsafe { endpoint_call(socket, endpoint, "bind", zmq_sys::zmq_bind) }?;
    #[cfg(unix)]
    // SAFETY: as above.
    unsafe { crate::use_fd::after_bind(socket, taken) }?;
    Ok(())
}

/// Closes a socket (`zmq_close`), and the descriptor it still held for a
/// bind, unused.
///
/// # Safety
///
/// `socket` must be a live libzmq socket, not used again, whose
/// `ZMQ_USE_FD`, if set, came through [`set_option`].
pub(crate) unsafe fn close(socket: *mut c_void) -> Result<()> {
    #[cfg(unix)]
    // SAFETY: the socket is live and about to be closed (our contract).
    let unused = unsafe { crate::use_fd::take_unused(socket) };
    // SAFETY: the socket is live and closed exactly once (our contract).
    let rc = check(unsafe { zmq_sys::zmq_close(socket) }).map(drop);
    #[cfg(unix)]
    drop(unused);
    rc
}

/// Reads option `O` of a socket (`zmq_getsockopt`).
///
/// # Safety
///
/// `socket` must be a live libzmq socket.
pub(crate) unsafe fn get_option<O: GetOption>(socket: *mut c_void) -> Result<O::Value> {
    let fail = |e: Error| e.context(format!("getting {}", O::NAME));
    match O::RAW {
        RawKind::Int => {
            let mut value: c_int = 0;
            // SAFETY: the socket is live (our contract); value is a c_int.
            unsafe {
                getsockopt_into(
                    socket,
                    O::ID,
                    std::ptr::from_mut(&mut value).cast(),
                    size_of::<c_int>(),
                )
            }
            .map_err(fail)?;
            O::decode(RawValue::Int(value))
        }
        RawKind::Int64 => {
            let mut value: i64 = 0;
            // SAFETY: the socket is live (our contract); value is an i64.
            unsafe {
                getsockopt_into(
                    socket,
                    O::ID,
                    std::ptr::from_mut(&mut value).cast(),
                    size_of::<i64>(),
                )
            }
            .map_err(fail)?;
            O::decode(RawValue::Int64(value))
        }
        RawKind::UInt64 => {
            let mut value: u64 = 0;
            // SAFETY: the socket is live (our contract); value is a u64.
            unsafe {
                getsockopt_into(
                    socket,
                    O::ID,
                    std::ptr::from_mut(&mut value).cast(),
                    size_of::<u64>(),
                )
            }
            .map_err(fail)?;
            O::decode(RawValue::UInt64(value))
        }
        RawKind::Bytes(capacity) => {
            // At least one byte and at most OPTION_BYTES_MAX: the loop
            // below grows the buffer fourfold each round until the bound,
            // so it ends whatever capacity the option declares.
            let mut buffer = vec![0u8; capacity.clamp(1, OPTION_BYTES_MAX)];
            loop {
                // SAFETY: the socket is live (our contract); the buffer
                // holds `buffer.len()` writable bytes.
                let got = unsafe {
                    getsockopt_into(socket, O::ID, buffer.as_mut_ptr().cast(), buffer.len())
                };
                match got {
                    Ok(len) => return O::decode(RawValue::Bytes(&buffer[..len])),
                    // A string longer than the buffer fails with EINVAL and
                    // no size (a SOCKS proxy address has no length limit):
                    // try again with more room.
                    Err(e)
                        if e.kind() == ErrorKind::InvalidInput
                            && buffer.len() < OPTION_BYTES_MAX =>
                    {
                        let grown = buffer.len().saturating_mul(4).min(OPTION_BYTES_MAX);
                        buffer.resize(grown, 0);
                    }
                    Err(e) => return Err(fail(e)),
                }
            }
        }
    }
}

/// The largest option value [`get_option`] makes room for.
const OPTION_BYTES_MAX: usize = 64 * 1024;

/// Calls zmq_getsockopt into `len` bytes at `value`; returns the length
/// libzmq wrote.
///
/// # Safety
///
/// `socket` must be a live libzmq socket and `value` point at `len`
/// writable bytes.
unsafe fn getsockopt_into(
    socket: *mut c_void,
    id: c_int,
    value: *mut c_void,
    len: usize,
) -> Result<usize> {
    let mut size = len;
    // SAFETY: the socket is live and value points at `len` writable bytes
    // (our contract); libzmq writes at most `size` of them.
    check(unsafe { zmq_sys::zmq_getsockopt(socket, id, value, &mut size) })?;
    Ok(size.min(len))
}

/// Writes option `O` of a socket (`zmq_setsockopt`).
///
/// # Safety
///
/// `socket` must be a live libzmq socket.
pub(crate) unsafe fn set_option<O: SetOption>(
    socket: *mut c_void,
    value: O::Input<'_>,
) -> Result<()> {
    let raw = O::encode(value)?;
    #[cfg(unix)]
    if let (zmq_sys::ZMQ_USE_FD, RawValue::Int(fd)) = (O::ID, &raw) {
        // SAFETY: UseFd's encode gave up ownership of this descriptor (it
        // is the only option of that number: the traits are sealed).
        let fd = unsafe { <std::os::fd::OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(*fd) };
        // SAFETY: the socket is live (our contract); what it holds in
        // ZMQ_USE_FD came through here.
        return unsafe { crate::use_fd::hand_over(socket, fd) };
    }
    #[cfg(feature = "draft")]
    if matches!(
        O::ID,
        zmq_sys::ZMQ_PLAIN_SERVER | zmq_sys::ZMQ_ZAP_ENFORCE_DOMAIN | zmq_sys::ZMQ_ZAP_DOMAIN
    ) {
        // SAFETY: the socket is live (our contract).
        unsafe { check_plain_zap(socket, O::ID, &raw) }?;
    }
    if let (zmq_sys::ZMQ_SUBSCRIBE | zmq_sys::ZMQ_UNSUBSCRIBE, RawValue::Bytes(prefix)) =
        (O::ID, &raw)
    {
        crate::sockopt::check_subscription(O::NAME, prefix.len())?;
    }
    let (ptr, len): (*const c_void, usize) = match &raw {
        RawValue::Int(v) => (std::ptr::from_ref(v).cast(), size_of::<c_int>()),
        RawValue::Int64(v) => (std::ptr::from_ref(v).cast(), size_of::<i64>()),
        RawValue::UInt64(v) => (std::ptr::from_ref(v).cast(), size_of::<u64>()),
        RawValue::Bytes(v) => (v.as_ptr().cast(), v.len()),
    };
    // SAFETY: the socket is live (our contract); ptr points at
    // `len` readable bytes that outlive the call.
    let mut rc = check(unsafe { zmq_sys::zmq_setsockopt(socket, O::ID, ptr, len) });
    // libzmq clears some string options (SOCKS proxy, BINDTODEVICE, PLAIN
    // credentials) only when handed NULL: an empty value it refused is
    // offered again that way.
    if len == 0 && matches!(&rc, Err(e) if e.kind() == ErrorKind::InvalidInput) {
        // SAFETY: the socket is live (our contract); libzmq reads nothing
        // through a NULL value of length 0.
        rc = check(unsafe { zmq_sys::zmq_setsockopt(socket, O::ID, std::ptr::null(), 0) });
    }
    rc.map(drop)
        .map_err(|e| e.context(format!("setting {}", O::NAME)))
}

/// Refuses a change that would make the socket a PLAIN server enforcing
/// an empty ZAP domain: libzmq 4.3.5 asserts (`plain_server.cpp`) when the
/// first client connects to one. `raw` is the new value of option `id`
/// (`ZMQ_PLAIN_SERVER`, `ZMQ_ZAP_ENFORCE_DOMAIN` or `ZMQ_ZAP_DOMAIN`); the
/// other two are read from the socket.
///
/// # Safety
///
/// `socket` must be a live libzmq socket.
#[cfg(feature = "draft")]
unsafe fn check_plain_zap(socket: *mut c_void, id: c_int, raw: &RawValue<'_>) -> Result<()> {
    let read_int = |option: c_int| -> Result<bool> {
        let mut value: c_int = 0;
        // SAFETY: the socket is live (our contract); value is a c_int.
        unsafe {
            getsockopt_into(
                socket,
                option,
                std::ptr::from_mut(&mut value).cast(),
                size_of::<c_int>(),
            )
        }?;
        Ok(value != 0)
    };
    let new_int = || matches!(raw, RawValue::Int(v) if *v != 0);
    let plain_server = if id == zmq_sys::ZMQ_PLAIN_SERVER {
        new_int()
    } else {
        read_int(zmq_sys::ZMQ_PLAIN_SERVER)?
    };
    let enforce = if id == zmq_sys::ZMQ_ZAP_ENFORCE_DOMAIN {
        new_int()
    } else {
        read_int(zmq_sys::ZMQ_ZAP_ENFORCE_DOMAIN)?
    };
    if !(plain_server && enforce) {
        return Ok(());
    }
    let domain_empty = if id == zmq_sys::ZMQ_ZAP_DOMAIN {
        matches!(raw, RawValue::Bytes(domain) if domain.is_empty())
    } else {
        let mut domain = [0u8; 2];
        // SAFETY: the socket is live (our contract); the buffer holds 2
        // writable bytes: enough to tell an empty domain (its NUL alone).
        match unsafe {
            getsockopt_into(
                socket,
                zmq_sys::ZMQ_ZAP_DOMAIN,
                domain.as_mut_ptr().cast(),
                2,
            )
        } {
            Ok(len) => len <= 1 && domain[0] == 0,
            // Longer than the buffer: not empty.
            Err(e) if e.kind() == ErrorKind::InvalidInput => false,
            Err(e) => return Err(e),
        }
    };
    if domain_empty {
        return Err(Error::invalid_input(
            "a PLAIN server with ZMQ_ZAP_ENFORCE_DOMAIN needs a ZMQ_ZAP_DOMAIN: libzmq 4.3.5 \
             aborts on the first client of one that enforces an empty domain",
        ));
    }
    Ok(())
}

/// Sends a message (`zmq_msg_send`) on a live socket; libzmq takes the
/// content over on success.
///
/// # Safety
///
/// `socket` must be a live libzmq socket.
#[inline]
pub(crate) unsafe fn send_message(
    socket: *mut c_void,
    mut msg: Message,
    flags: SendFlags,
) -> Result<()> {
    // SAFETY: the socket is live (our contract). Whatever happens, Drop
    // closes what is left of the message.
    unsafe { send_message_in_place(socket, &mut msg, flags) }
}

/// Sends the content of `msg` (`zmq_msg_send`) on a live socket, leaving
/// `msg` empty on success and untouched on failure.
///
/// # Safety
///
/// `socket` must be a live libzmq socket.
#[inline]
pub(crate) unsafe fn send_message_in_place(
    socket: *mut c_void,
    msg: &mut Message,
    flags: SendFlags,
) -> Result<()> {
    // SAFETY: the socket is live (our contract) and the message
    // initialised. On success libzmq moves the content out and leaves an
    // empty, initialised message behind; on failure it does not touch it.
    check(unsafe { zmq_sys::zmq_msg_send(msg.as_raw_mut(), socket, flags.bits()) }).map(drop)
}

/// Receives one frame into `msg` (`zmq_msg_recv`) from a socket.
///
/// # Safety
///
/// `socket` must be a live libzmq socket.
#[inline]
pub(crate) unsafe fn recv_message(
    socket: *mut c_void,
    msg: &mut Message,
    flags: RecvFlags,
) -> Result<()> {
    // SAFETY: the socket is live (our contract) and the message
    // initialised; libzmq releases its old content before filling it.
    check(unsafe { zmq_sys::zmq_msg_recv(msg.as_raw_mut(), socket, flags.bits()) }).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sockopt::{SocketOption, sealed};

    /// `ZMQ_LAST_ENDPOINT` declared with room for no byte at all.
    #[derive(Debug, Clone, Copy)]
    struct NoRoom;
    impl sealed::Sealed for NoRoom {}
    impl SocketOption for NoRoom {
        const ID: c_int = zmq_sys::ZMQ_LAST_ENDPOINT;
        const NAME: &'static str = "ZMQ_LAST_ENDPOINT";
    }
    impl GetOption for NoRoom {
        type Value = usize;
        const RAW: RawKind = RawKind::Bytes(0);
        fn decode(raw: RawValue<'_>) -> Result<usize> {
            match raw {
                RawValue::Bytes(bytes) => Ok(bytes.len()),
                _ => Err(Error::invalid_input("not bytes")),
            }
        }
    }

    #[test]
    fn ports_libzmq_would_change_are_refused() {
        for endpoint in [
            "tcp://127.0.0.1:99999",
            "tcp://127.0.0.1:-1",
            "tcp://host:80x",
            "tcp://127.0.0.1:",
            "tcp://10.0.0.1:0;127.0.0.1:65536",
            "ws://127.0.0.1:70000/path",
            "udp://127.0.0.1:1e3",
        ] {
            let error = check_ports(endpoint).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidEndpoint, "{endpoint}");
            assert!(error.to_string().contains("65535"), "{error}");
        }
        for endpoint in [
            "tcp://127.0.0.1:*",
            "tcp://127.0.0.1:0",
            "tcp://[::1]:65535",
            "tcp://10.0.0.1:5555;127.0.0.1:5556",
            "ws://127.0.0.1:8080/chat:room",
            "inproc://a:b",
            "ipc:///tmp/x:99999",
            "tcp://no-port",
        ] {
            assert!(check_ports(endpoint).is_ok(), "{endpoint}");
        }
    }

    #[test]
    fn an_option_declaring_no_room_grows_its_buffer_instead_of_looping() {
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let ctx = crate::Context::new().unwrap();
            let socket = ctx.socket(crate::SocketType::Pair).unwrap();
            socket.bind("inproc://no-room").unwrap();
            let _ = done.send(socket.get(NoRoom).map_err(|e| e.to_string()));
        });
        let len = finished
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("get returns instead of looping forever");
        // "inproc://no-room" and libzmq's terminating NUL.
        assert_eq!(len, Ok(17));
    }
}
