//! `Socket::bind_to_random_port`: bind to a random port of a range, as
//! pyzmq's `bind_to_random_port`.

use std::hash::{BuildHasher, RandomState};
use std::ops::RangeInclusive;

use crate::error::{Error, ErrorKind, Result};
use crate::socket::Socket;

/// A random number from std's per-process random hash keys: enough to
/// spread tries over a port range, with no RNG dependency.
fn random_u64(round: u32) -> u64 {
    RandomState::new().hash_one(round)
}

impl Socket {
    /// Binds to `addr` (`tcp://` and an interface, no port) at a port drawn
    /// at random from `ports`, trying up to `max_tries` ports, and returns
    /// the port bound.
    ///
    /// A port that is taken (`EADDRINUSE`, or `EACCES` for a privileged
    /// one) makes it try another; after `max_tries` taken ports the error is
    /// [`ErrorKind::AddrInUse`] naming the range. Any other failure (a bad
    /// address) returns at once. An empty range or `max_tries` of 0 is an
    /// [`ErrorKind::InvalidInput`] error. To let the OS pick any free port,
    /// bind to `tcp://host:*` and read [`last_endpoint`](Self::last_endpoint).
    ///
    /// ```
    /// use zmq::SocketType;
    ///
    /// let ctx = zmq::Context::new()?;
    /// let rep = ctx.socket(SocketType::Rep)?;
    /// let port = rep.bind_to_random_port("tcp://127.0.0.1", 49152..=65535, 100)?;
    /// assert!(port >= 49152);
    /// assert_eq!(rep.last_endpoint()?, format!("tcp://127.0.0.1:{port}"));
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_bind")]
    pub fn bind_to_random_port(
        &self,
        addr: &str,
        ports: RangeInclusive<u16>,
        max_tries: u32,
    ) -> Result<u16> {
        let (min, max) = (*ports.start(), *ports.end());
        if min > max {
            return Err(Error::invalid_input(format!(
                "bind_to_random_port: the port range {min}..={max} is empty"
            )));
        }
        if max_tries == 0 {
            return Err(Error::invalid_input(
                "bind_to_random_port: max_tries must be at least 1",
            ));
        }
        let span = u64::from(max - min) + 1;
        for round in 0..max_tries {
            let offset = u16::try_from(random_u64(round) % span).unwrap_or(0);
            let port = min + offset;
            match self.bind(&format!("{addr}:{port}")) {
                Ok(()) => return Ok(port),
                Err(e) if e.kind() == ErrorKind::AddrInUse || e.errno() == libc::EACCES => {}
                Err(e) => return Err(e),
            }
        }
        Err(Error::from_errno(libc::EADDRINUSE).context(format!(
            "bind_to_random_port: no free port of {min}..={max} on {addr} in {max_tries} tries"
        )))
    }
}
