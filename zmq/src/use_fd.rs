//! `ZMQ_USE_FD`: a listening socket the application made, handed to
//! libzmq for its next bind.
//!
//! libzmq takes the descriptor as a plain `int` and trusts it: the next
//! `tcp://`, `ipc://` or `ws://` bind polls it for connections and closes
//! it when the endpoint goes. What it cannot take, it asserts on (a
//! regular file or a pipe cannot be polled, a socket that is not
//! listening cannot accept), and a descriptor it closes that the
//! application still owned breaks whatever reused the number. So the
//! option takes an [`OwnedFd`] (the ownership moves to the socket), the
//! descriptor must be a listening stream socket, and this module keeps
//! the ownership exact afterwards:
//!
//! * a bind that uses the descriptor must be of its family (`tcp://` and
//!   `ws://` need an IP socket, `ipc://` a Unix one), and once it has
//!   succeeded the option is cleared, so no second bind takes (and later
//!   closes) the same descriptor;
//! * a descriptor replaced by another, or still unused when the socket
//!   closes, is closed here.

use std::ffi::{c_int, c_void};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

use crate::error::{Error, Result, check, quote};

/// `getsockopt` of an `int` option at the socket level of `fd`.
fn socket_int(fd: BorrowedFd<'_>, option: c_int) -> std::io::Result<c_int> {
    let mut value: c_int = 0;
    let mut len = libc::socklen_t::try_from(size_of::<c_int>()).unwrap_or(4);
    // SAFETY: the descriptor is open (borrowed); value and len are
    // writable and describe an int.
    let rc = unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            option,
            std::ptr::from_mut(&mut value).cast(),
            &mut len,
        )
    };
    if rc == 0 {
        Ok(value)
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// The address family of a socket (`getsockname`).
fn family(fd: BorrowedFd<'_>) -> std::io::Result<c_int> {
    // SAFETY: a zeroed sockaddr_storage is a valid buffer for any address.
    let mut address: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = libc::socklen_t::try_from(size_of::<libc::sockaddr_storage>()).unwrap_or(128);
    // SAFETY: the descriptor is open; address and len describe a writable
    // sockaddr_storage.
    let rc = unsafe {
        libc::getsockname(
            fd.as_raw_fd(),
            std::ptr::from_mut(&mut address).cast(),
            &mut len,
        )
    };
    if rc == 0 {
        Ok(c_int::from(address.ss_family))
    } else {
        Err(std::io::Error::last_os_error())
    }
}

fn refused(fd: RawFd, why: &str) -> Error {
    Error::invalid_input(format!(
        "ZMQ_USE_FD: descriptor {fd} {why}; libzmq needs a listening stream socket \
         (bind and listen first)"
    ))
}

/// Checks that `fd` is a listening stream socket, as libzmq assumes, and
/// makes it non-blocking (libzmq's own listeners are), so that the I/O
/// thread never waits in `accept`.
pub(crate) fn check_listener(fd: BorrowedFd<'_>) -> Result<()> {
    let raw = fd.as_raw_fd();
    let kind = socket_int(fd, libc::SO_TYPE).map_err(|e| match e.raw_os_error() {
        Some(libc::ENOTSOCK) => refused(raw, "is not a socket"),
        _ => refused(raw, &format!("cannot be inspected ({e})")),
    })?;
    if kind != libc::SOCK_STREAM {
        return Err(refused(raw, "is not a stream socket"));
    }
    let listening = socket_int(fd, libc::SO_ACCEPTCONN)
        .map_err(|e| refused(raw, &format!("cannot be inspected ({e})")))?;
    if listening == 0 {
        return Err(refused(raw, "is not listening"));
    }
    // SAFETY: F_GETFL/F_SETFL on an open descriptor, with an int argument.
    let rc = unsafe {
        let flags = libc::fcntl(raw, libc::F_GETFL);
        if flags == -1 {
            -1
        } else {
            libc::fcntl(raw, libc::F_SETFL, flags | libc::O_NONBLOCK)
        }
    };
    if rc == -1 {
        let e = std::io::Error::last_os_error();
        return Err(refused(raw, &format!("cannot be made non-blocking ({e})")));
    }
    Ok(())
}

/// The descriptor the socket holds for its next bind, if any.
///
/// # Safety
///
/// `socket` must be a live libzmq socket.
unsafe fn held(socket: *mut c_void) -> Result<Option<RawFd>> {
    let mut fd: c_int = -1;
    let mut len = size_of::<c_int>();
    // SAFETY: the socket is live (our contract); fd and len describe an int.
    check(unsafe {
        zmq_sys::zmq_getsockopt(
            socket,
            zmq_sys::ZMQ_USE_FD,
            std::ptr::from_mut(&mut fd).cast(),
            &mut len,
        )
    })?;
    Ok((fd >= 0).then_some(fd))
}

/// Writes `ZMQ_USE_FD`.
///
/// # Safety
///
/// `socket` must be a live libzmq socket.
unsafe fn write(socket: *mut c_void, fd: RawFd) -> Result<()> {
    // SAFETY: the socket is live (our contract); the value is an int.
    check(unsafe {
        zmq_sys::zmq_setsockopt(
            socket,
            zmq_sys::ZMQ_USE_FD,
            std::ptr::from_ref(&fd).cast(),
            size_of::<c_int>(),
        )
    })
    .map(drop)
}

/// Hands `fd` (owned, checked by [`check_listener`]) to the socket; the
/// descriptor it held before, unused, is closed. On failure `fd` is
/// closed.
///
/// # Safety
///
/// `socket` must be a live libzmq socket, and every descriptor it holds in
/// `ZMQ_USE_FD` one that this module gave it (so owned by it).
pub(crate) unsafe fn hand_over(socket: *mut c_void, fd: OwnedFd) -> Result<()> {
    // SAFETY: the socket is live (our contract).
    let before = unsafe { held(socket) }?;
    // SAFETY: as above.
    unsafe { write(socket, fd.as_raw_fd()) }.map_err(|e| e.context("setting ZMQ_USE_FD"))?;
    // The socket owns it now.
    let fd = std::os::fd::IntoRawFd::into_raw_fd(fd);
    if let Some(before) = before.filter(|&before| before != fd) {
        // SAFETY: the socket owned `before` (our contract) and no longer
        // refers to it: it is ours to close, once.
        drop(unsafe { OwnedFd::from_raw_fd(before) });
    }
    Ok(())
}

/// The transports whose bind takes the held descriptor, with the address
/// families it must be of.
fn families_for(endpoint: &str) -> Option<&'static [c_int]> {
    const IP: &[c_int] = &[libc::AF_INET, libc::AF_INET6];
    const UNIX: &[c_int] = &[libc::AF_UNIX];
    let (transport, _) = endpoint.split_once("://")?;
    match transport {
        "tcp" | "ws" | "wss" => Some(IP),
        "ipc" => Some(UNIX),
        _ => None,
    }
}

/// Before a bind: if the socket holds a descriptor that this bind will
/// take, checks its family against the transport and returns it, for
/// [`after_bind`].
///
/// # Safety
///
/// `socket` must be a live libzmq socket whose held descriptor, if any,
/// it owns.
pub(crate) unsafe fn before_bind(socket: *mut c_void, endpoint: &str) -> Result<Option<RawFd>> {
    let Some(families) = families_for(endpoint) else {
        return Ok(None);
    };
    // SAFETY: the socket is live (our contract).
    let Some(fd) = unsafe { held(socket) }? else {
        return Ok(None);
    };
    // SAFETY: the socket owns the descriptor (our contract), open until it
    // is closed by the socket or by this module.
    let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
    let family = family(borrowed).map_err(|e| refused(fd, &format!("has no address ({e})")))?;
    if !families.contains(&family) {
        return Err(Error::invalid_input(format!(
            "bind {}: the socket holds descriptor {fd} (ZMQ_USE_FD) of address family \
             {family}, which this transport cannot use",
            quote(endpoint)
        )));
    }
    Ok(Some(fd))
}

/// After a successful bind that took `fd`: the listener owns it now, so
/// the option is cleared and no later bind takes it again.
///
/// # Safety
///
/// `socket` must be a live libzmq socket.
pub(crate) unsafe fn after_bind(socket: *mut c_void, taken: Option<RawFd>) -> Result<()> {
    match taken {
        // SAFETY: the socket is live (our contract).
        Some(_) => unsafe { write(socket, -1) },
        None => Ok(()),
    }
}

/// The descriptor a socket still holds unused, to close with it.
///
/// # Safety
///
/// `socket` must be a live libzmq socket whose held descriptor, if any,
/// it owns, and which is about to be closed.
pub(crate) unsafe fn take_unused(socket: *mut c_void) -> Option<OwnedFd> {
    // SAFETY: the socket is live (our contract).
    let fd = unsafe { held(socket) }.ok().flatten()?;
    // SAFETY: the socket owns it (our contract) and is being closed, so
    // nothing else will close it.
    Some(unsafe { OwnedFd::from_raw_fd(fd) })
}
