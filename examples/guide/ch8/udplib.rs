//! udplib: a UDP beacon socket
//!
//! Port of the zguide's `examples/Python/udplib.py`, the module `udpping2`
//! and the `interface` agent include with `#[path]`: a UDP socket bound to
//! a port on every interface, allowed to broadcast and shared with other
//! processes on the same host (`SO_REUSEADDR`, so each gets a copy of
//! every broadcast), that sends to the broadcast address and reports the
//! peers it hears from.
//!
//! The broadcast address defaults to the original's 255.255.255.255, or to
//! `ZGUIDE_BROADCAST` if set: tests, which must stay on the loopback
//! interface, set 127.255.255.255.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddrV4, ToSocketAddrs, UdpSocket};
use std::sync::Arc;

use socket2::{Domain, Protocol, Socket, Type};
use zmq_guide::setting;

/// A UDP socket for beacons; see the [module documentation](self).
#[derive(Debug)]
pub(crate) struct Udp {
    /// The socket, to send, receive and poll (`zmq::PollItem::from_fd`);
    /// shared, so that a reactor can keep it while it polls it.
    pub(crate) handle: Arc<UdpSocket>,
    /// The port we work on.
    pub(crate) port: u16,
    /// Our own address, if we know it: beacons from it are not reported.
    pub(crate) address: Option<IpAddr>,
    /// Where beacons go.
    pub(crate) broadcast: Ipv4Addr,
}

/// This host's IPv4 addresses other than loopback ones, as the original
/// finds them (`gethostbyname_ex(gethostname())`): the last one, if any.
fn own_address() -> Option<IpAddr> {
    let mut name = [0u8; 256];
    // SAFETY: the buffer is valid for writes of its length; gethostname
    // truncates the name to fit.
    let rc = unsafe { libc::gethostname(name.as_mut_ptr().cast(), name.len()) };
    if rc != 0 {
        return None;
    }
    let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
    let host = std::str::from_utf8(&name[..end]).ok()?;
    (host, 0)
        .to_socket_addrs()
        .ok()?
        .map(|addr| addr.ip())
        .rfind(|ip| ip.is_ipv4() && !ip.is_loopback())
}

impl Udp {
    /// A beacon socket bound to `port`; `address` (our own) and
    /// `broadcast` default as the [module documentation](self) says.
    pub(crate) fn new(
        port: u16,
        address: Option<IpAddr>,
        broadcast: Option<Ipv4Addr>,
    ) -> io::Result<Self> {
        let address = address.or_else(own_address);
        let broadcast =
            broadcast.unwrap_or_else(|| setting("ZGUIDE_BROADCAST", Ipv4Addr::BROADCAST));

        let socket = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))?;
        // Broadcasts allowed...
        socket.set_broadcast(true)?;
        // ...and other processes may bind the same port: each of us
        // receives every beacon.
        socket.set_reuse_address(true)?;
        // On every interface, to hear the pings.
        socket.bind(&SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port).into())?;

        Ok(Udp {
            handle: Arc::new(socket.into()),
            port,
            address,
            broadcast,
        })
    }

    /// Broadcasts `buf` to our port.
    pub(crate) fn send(&self, buf: &[u8]) -> io::Result<()> {
        self.handle.send_to(buf, (self.broadcast, self.port))?;
        Ok(())
    }

    /// Receives one datagram, cut to `n` bytes, and prints
    /// `Found peer <address>:<port>` unless it came from our own address.
    pub(crate) fn recv(&self, n: usize) -> io::Result<Vec<u8>> {
        let mut buf = vec![0u8; n];
        let (size, peer) = self.handle.recv_from(&mut buf)?;
        buf.truncate(size);
        if Some(peer.ip()) != self.address {
            println!("Found peer {}:{}", peer.ip(), peer.port());
        }
        Ok(buf)
    }
}
