//! The guide's helper module (`zhelpers.py`) in Rust: print a multipart
//! message, give a socket a printable random identity, make a PAIR pipe
//! between threads.
//!
//! ```
//! use zmq::Context;
//! use zmq_guide::zhelpers::{format_frames, zpipe};
//!
//! let ctx = Context::new()?;
//! let (a, b) = zpipe(&ctx)?;
//! a.send_multipart(zmq::frames!["text", [0, 1, 0xfe]])?;
//! let frames = b.recv_multipart()?;
//! assert_eq!(
//!     format_frames(&frames),
//!     "----------------------------------------\n[004] text\n[003] 0x0001fe\n"
//! );
//! # Ok::<(), zmq::Error>(())
//! ```

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use zmq::{Context, Socket, SocketType, sockopt};

/// The line that starts each dumped message.
const SEPARATOR: &str = "----------------------------------------";

/// Formats frames the way the guide's `dump` prints them: a separator line,
/// then one line per frame with its size in three digits and its content,
/// as text if it is all ASCII, otherwise as `0x` and lowercase hex.
pub fn format_frames<F: AsRef<[u8]>>(frames: &[F]) -> String {
    let mut out = format!("{SEPARATOR}\n");
    for frame in frames {
        let frame = frame.as_ref();
        out.push_str(&format!("[{:03}] ", frame.len()));
        if frame.is_ascii() {
            // ASCII is valid UTF-8.
            out.push_str(&String::from_utf8_lossy(frame));
        } else {
            out.push_str("0x");
            for byte in frame {
                out.push_str(&format!("{byte:02x}"));
            }
        }
        out.push('\n');
    }
    out
}

/// Prints frames in the guide's `dump` format.
pub fn dump_frames<F: AsRef<[u8]>>(frames: &[F]) {
    print!("{}", format_frames(frames));
}

/// Receives every frame of the next message on `socket` and prints it in
/// the guide's `dump` format.
pub fn dump(socket: &Socket) -> zmq::Result<()> {
    let frames = socket.recv_multipart()?;
    dump_frames(&frames);
    Ok(())
}

/// A random 64-bit number: std's per-process random hash keys over a
/// counter, so every call differs. Not for cryptography.
fn random_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

/// A printable random identity such as `"3f0a-91c2"`, as the guide's
/// `set_id` makes.
pub fn random_id() -> String {
    let bits = random_u64();
    format!("{:04x}-{:04x}", bits & 0xffff, (bits >> 16) & 0xffff)
}

/// Gives `socket` a printable random routing identity; returns it.
pub fn set_id(socket: &Socket) -> zmq::Result<String> {
    let id = random_id();
    socket.set(sockopt::RoutingId, id.as_bytes())?;
    Ok(id)
}

/// Two PAIR sockets connected over a fresh `inproc://` endpoint: a pipe
/// between threads (czmq's `zthread_fork` pipe). Like the guide's
/// `zpipe`, both have linger 0 and a high-water mark of 1.
pub fn zpipe(ctx: &Context) -> zmq::Result<(Socket, Socket)> {
    let a = ctx.socket(SocketType::Pair)?;
    let b = ctx.socket(SocketType::Pair)?;
    for socket in [&a, &b] {
        socket.set(sockopt::Linger, Some(std::time::Duration::ZERO))?;
        socket.set(sockopt::SndHwm, 1)?;
        socket.set(sockopt::RcvHwm, 1)?;
    }
    let endpoint = format!("inproc://zpipe-{:016x}", random_u64());
    a.bind(&endpoint)?;
    b.connect(&endpoint)?;
    Ok((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_format_shows_sizes_text_and_hex() {
        let frames: [&[u8]; 3] = [b"", b"Hello", &[0x00, 0xab, 0x10]];
        assert_eq!(
            format_frames(&frames),
            "----------------------------------------\n[000] \n[005] Hello\n[003] 0x00ab10\n"
        );
    }

    #[test]
    fn random_ids_are_printable_and_differ() {
        let a = random_id();
        let b = random_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 9);
        assert_eq!(a.as_bytes()[4], b'-');
        assert!(
            a.chars()
                .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
    }

    #[test]
    fn set_id_sets_the_routing_id() {
        let ctx = Context::new().unwrap();
        let socket = ctx.socket(SocketType::Dealer).unwrap();
        let id = set_id(&socket).unwrap();
        assert_eq!(socket.get(sockopt::RoutingId).unwrap(), id.as_bytes());
    }

    #[test]
    fn zpipe_connects_two_pairs_on_a_unique_endpoint() {
        let ctx = Context::new().unwrap();
        let (a, b) = zpipe(&ctx).unwrap();
        let (c, d) = zpipe(&ctx).unwrap();
        assert_ne!(a.last_endpoint().unwrap(), c.last_endpoint().unwrap());
        b.set(sockopt::RcvTimeo, Some(std::time::Duration::from_secs(5)))
            .unwrap();
        a.send("ping").unwrap();
        assert_eq!(b.recv_string().unwrap(), "ping");
        d.set(sockopt::RcvTimeo, Some(std::time::Duration::from_secs(5)))
            .unwrap();
        d.send("pong").unwrap();
        c.set(sockopt::RcvTimeo, Some(std::time::Duration::from_secs(5)))
            .unwrap();
        assert_eq!(c.recv_string().unwrap(), "pong");
    }
}
