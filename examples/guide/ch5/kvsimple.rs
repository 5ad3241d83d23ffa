//! kvsimple: the key-value message of Clone models one to four
//!
//! Port of the zguide's `examples/Python/kvsimple.py`, a module with a self
//! test: run as the `kvsimple` example it checks a message's round trip
//! (`-v` dumps the messages to stderr); `clonesrv1`..`clonesrv4` and
//! `clonecli1`..`clonecli4` include it with `#[path]`.
//!
//! On the wire a message is three frames: the key, the sequence number and
//! the body. The sequence is a 4-byte big-endian signed integer, as the
//! Python original packs it (`struct.pack('!l', ...)`), so the ports talk to
//! the Python models; the guide's C version sends 8 bytes.
//!
//! Difference: the original is Python 2 only (print statements, text keys
//! sent as `str`); this is its intent, with keys and bodies as bytes, and
//! the output Python 2 prints: the dump shows the key as text and the body
//! as Python 2's `repr` of a `str` (`'body'`), and the self test prints
//! ` * kvmsg:  OK` (Python 2's `print "...",` adds a space before the
//! next item).

// The self test uses part of the module, the Clone programs the rest.
#![allow(dead_code)]

use std::collections::HashMap;

use zmq::{Socket, SocketType};
use zmq_guide::{endpoint, pyfmt};

/// What the key-value functions fail with: libzmq errors and malformed
/// messages alike.
pub(crate) type Error = Box<dyn std::error::Error + Send + Sync>;

/// A key-value map of messages by key, as the Clone programs keep it.
pub(crate) type KvMap = HashMap<Vec<u8>, KvMsg>;

/// One key-value message: a key, a sequence number and a body, any of which
/// may be absent (sent as an empty frame, read back as absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KvMsg {
    /// The key, `None` when not set.
    pub(crate) key: Option<Vec<u8>>,
    /// The sequence number the server gives each update.
    pub(crate) sequence: i32,
    /// The value, `None` when not set.
    pub(crate) body: Option<Vec<u8>>,
}

impl KvMsg {
    /// A message with `sequence` and neither key nor body.
    pub(crate) fn new(sequence: i32) -> Self {
        KvMsg {
            key: None,
            sequence,
            body: None,
        }
    }

    /// Puts this message into `map` under its key, if it has both a key and
    /// a body; otherwise leaves `map` as it is.
    pub(crate) fn store(self, map: &mut KvMap) {
        if let (Some(key), Some(_)) = (&self.key, &self.body) {
            map.insert(key.clone(), self);
        }
    }

    /// Sends the three frames on `socket`; an absent key or body goes out as
    /// an empty frame.
    pub(crate) fn send(&self, socket: &Socket) -> zmq::Result<()> {
        let key = self.key.as_deref().unwrap_or_default();
        let body = self.body.as_deref().unwrap_or_default();
        socket.send_multipart(zmq::frames![key, self.sequence.to_be_bytes(), body])
    }

    /// Receives one message from `socket`.
    pub(crate) fn recv(socket: &Socket) -> Result<KvMsg, Error> {
        Self::from_frames(socket.recv_multipart()?)
    }

    /// Decodes the three frames of a message; empty key or body frames
    /// become `None`.
    pub(crate) fn from_frames(frames: Vec<Vec<u8>>) -> Result<KvMsg, Error> {
        let [key, sequence, body]: [Vec<u8>; 3] = frames
            .try_into()
            .map_err(|f: Vec<Vec<u8>>| format!("kvsimple: expected 3 frames, got {}", f.len()))?;
        let sequence: [u8; 4] = sequence.as_slice().try_into().map_err(|_| {
            format!(
                "kvsimple: the sequence frame has {} bytes, not 4",
                sequence.len()
            )
        })?;
        Ok(KvMsg {
            key: Some(key).filter(|k| !k.is_empty()),
            sequence: i32::from_be_bytes(sequence),
            body: Some(body).filter(|b| !b.is_empty()),
        })
    }

    /// Prints the message to stderr as the original's `dump` does:
    /// `[seq:1][key:key][size:4] 'body'`.
    pub(crate) fn dump(&self) {
        let (size, data) = match &self.body {
            None => (0, "NULL".to_owned()),
            // Python 2's repr of a str is that of bytes without the b.
            Some(body) => (body.len(), pyfmt::bytes(body)[1..].to_owned()),
        };
        let key = self
            .key
            .as_deref()
            .map_or("None".into(), String::from_utf8_lossy);
        eprintln!("[seq:{}][key:{key}][size:{size}] {data}", self.sequence);
    }
}

/// The self test: a message sent over `ipc://kvmsg_selftest.ipc` comes back
/// with its key, and storing both copies leaves one entry.
pub(crate) fn test_kvmsg(verbose: bool) -> Result<(), Error> {
    print!(" * kvmsg: ");

    // A context and two DEALERs, one at each end of the IPC endpoint.
    let ctx = zmq::Context::new()?;
    let output = ctx.socket(SocketType::Dealer)?;
    output.bind(&endpoint("ipc://kvmsg_selftest.ipc"))?;
    let input = ctx.socket(SocketType::Dealer)?;
    input.connect(&endpoint("ipc://kvmsg_selftest.ipc"))?;

    let mut kvmap = KvMap::new();
    // A plain message there and back.
    let mut kvmsg = KvMsg::new(1);
    kvmsg.key = Some(b"key".to_vec());
    kvmsg.body = Some(b"body".to_vec());
    if verbose {
        kvmsg.dump();
    }
    kvmsg.send(&output)?;
    kvmsg.store(&mut kvmap);

    let kvmsg2 = KvMsg::recv(&input)?;
    if verbose {
        kvmsg2.dump();
    }
    assert_eq!(kvmsg2.key.as_deref(), Some(&b"key"[..]));
    kvmsg2.store(&mut kvmap);

    // The same key twice is still one entry.
    assert_eq!(kvmap.len(), 1);

    println!(" OK");
    Ok(())
}

fn main() -> Result<(), Error> {
    test_kvmsg(std::env::args().skip(1).any(|arg| arg == "-v"))
}
