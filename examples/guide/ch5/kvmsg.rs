//! kvmsg: the key-value message of Clone models five and six
//!
//! Port of the zguide's `examples/Python/kvmsg.py`, a module with a self
//! test: run as the `kvmsg` example it checks two round trips, the second
//! with properties (`-v` dumps the messages to stderr); `clonesrv5`,
//! `clonecli5`, `clonesrv6` and the Clone client API (`clone.rs`) include
//! it with `#[path]`.
//!
//! On the wire a message is five frames:
//!
//! | frame | content |
//! |---|---|
//! | 0 | the key |
//! | 1 | the sequence number, 8 bytes, big-endian, signed |
//! | 2 | a UUID, 16 bytes (random, version 4) |
//! | 3 | the properties, `name=value\n` for each |
//! | 4 | the body |
//!
//! An empty key or body frame reads back as absent; storing a message
//! without a body deletes its key, which is how the Clone servers publish
//! the expiry of an ephemeral value.

// The self test uses part of the module, the Clone programs the rest.
#![allow(dead_code)]

use std::collections::HashMap;
use std::fmt;

use rand::RngCore;
use zmq::{Socket, SocketType};
use zmq_guide::{endpoint, pyfmt};

/// What the key-value functions fail with: libzmq errors and malformed
/// messages alike.
pub(crate) type Error = Box<dyn std::error::Error + Send + Sync>;

/// A key-value map of messages by key, as the Clone programs keep it.
pub(crate) type KvMap = HashMap<Vec<u8>, KvMsg>;

/// Properties in the order they were first set, as a Python dict keeps
/// them (and so encodes them).
pub(crate) type Properties = Vec<(Vec<u8>, Vec<u8>)>;

/// Encodes properties as the fourth frame: `name=value\n` for each.
pub(crate) fn encode_properties(properties: &Properties) -> Vec<u8> {
    let mut encoded = Vec::new();
    for (name, value) in properties {
        encoded.extend_from_slice(name);
        encoded.push(b'=');
        encoded.extend_from_slice(value);
        encoded.push(b'\n');
    }
    encoded
}

/// Decodes the fourth frame. A line that is not exactly one `name=value`
/// pair (an empty line, a value holding `=`) is skipped, as the original
/// skips it.
pub(crate) fn decode_properties(encoded: &[u8]) -> Properties {
    let mut properties = Properties::new();
    for line in encoded.split(|&byte| byte == b'\n') {
        let mut parts = line.split(|&byte| byte == b'=');
        if let (Some(name), Some(value), None) = (parts.next(), parts.next(), parts.next()) {
            set_property(&mut properties, name, value);
        }
    }
    properties
}

fn set_property(properties: &mut Properties, name: &[u8], value: &[u8]) {
    match properties.iter_mut().find(|(n, _)| n == name) {
        Some((_, old)) => *old = value.to_vec(),
        None => properties.push((name.to_vec(), value.to_vec())),
    }
}

/// A fresh random (version 4) UUID, as the original's `uuid4().bytes`.
pub(crate) fn uuid4() -> [u8; 16] {
    let mut uuid = [0u8; 16];
    rand::rng().fill_bytes(&mut uuid);
    uuid[6] = (uuid[6] & 0x0f) | 0x40; // version 4
    uuid[8] = (uuid[8] & 0x3f) | 0x80; // RFC 4122 variant
    uuid
}

/// One key-value message; see the [module documentation](self) for its
/// frames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KvMsg {
    /// The key, `None` when not set.
    pub(crate) key: Option<Vec<u8>>,
    /// The sequence number the server gives each update.
    pub(crate) sequence: i64,
    /// Identifies the update across servers (Clone model six).
    pub(crate) uuid: Vec<u8>,
    /// Named values such as `ttl`.
    pub(crate) properties: Properties,
    /// The value, `None` when not set (a deletion).
    pub(crate) body: Option<Vec<u8>>,
}

impl KvMsg {
    /// A message with `sequence`, a fresh UUID, no key, no properties and
    /// no body.
    pub(crate) fn new(sequence: i64) -> Self {
        KvMsg {
            key: None,
            sequence,
            uuid: uuid4().to_vec(),
            properties: Properties::new(),
            body: None,
        }
    }

    /// A message with `sequence`, `key` and `body` and a fresh UUID.
    pub(crate) fn with(sequence: i64, key: &[u8], body: &[u8]) -> Self {
        let mut kvmsg = Self::new(sequence);
        kvmsg.key = Some(key.to_vec());
        kvmsg.body = Some(body.to_vec());
        kvmsg
    }

    /// The value of property `name`, if set.
    pub(crate) fn get(&self, name: &[u8]) -> Option<&[u8]> {
        self.properties
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.as_slice())
    }

    /// Sets property `name` to `value`, replacing any earlier value.
    pub(crate) fn set(&mut self, name: &[u8], value: &[u8]) {
        set_property(&mut self.properties, name, value);
    }

    /// The `ttl` property read as a number of seconds (the original's
    /// `float(kvmsg.get(b'ttl', 0))`); 0 when unset or not a number.
    pub(crate) fn ttl(&self) -> f64 {
        self.get(b"ttl")
            .and_then(|ttl| std::str::from_utf8(ttl).ok())
            .and_then(|ttl| ttl.trim().parse().ok())
            .unwrap_or(0.0)
    }

    /// Puts this message into `map` under its key if it has both a key and
    /// a body; a message with a key but no body removes that key instead.
    pub(crate) fn store(self, map: &mut KvMap) {
        match (&self.key, &self.body) {
            (Some(key), Some(_)) => {
                map.insert(key.clone(), self);
            }
            (Some(key), None) => {
                map.remove(key);
            }
            (None, _) => {}
        }
    }

    /// Sends the five frames on `socket`; an absent key or body goes out as
    /// an empty frame.
    pub(crate) fn send(&self, socket: &Socket) -> zmq::Result<()> {
        let key = self.key.as_deref().unwrap_or_default();
        let body = self.body.as_deref().unwrap_or_default();
        socket.send_multipart(zmq::frames![
            key,
            self.sequence.to_be_bytes(),
            &self.uuid,
            encode_properties(&self.properties),
            body,
        ])
    }

    /// Receives one message from `socket`.
    pub(crate) fn recv(socket: &Socket) -> Result<KvMsg, Error> {
        Self::from_frames(socket.recv_multipart()?)
    }

    /// Decodes the five frames of a message (the original's `from_msg`).
    pub(crate) fn from_frames(frames: Vec<Vec<u8>>) -> Result<KvMsg, Error> {
        let [key, sequence, uuid, properties, body]: [Vec<u8>; 5] = frames
            .try_into()
            .map_err(|f: Vec<Vec<u8>>| format!("kvmsg: expected 5 frames, got {}", f.len()))?;
        let sequence: [u8; 8] = sequence.as_slice().try_into().map_err(|_| {
            format!(
                "kvmsg: the sequence frame has {} bytes, not 8",
                sequence.len()
            )
        })?;
        Ok(KvMsg {
            key: Some(key).filter(|k| !k.is_empty()),
            sequence: i64::from_be_bytes(sequence),
            uuid,
            properties: decode_properties(&properties),
            body: Some(body).filter(|b| !b.is_empty()),
        })
    }

    /// Prints the message to stderr between `<<` and `>>`, as the
    /// original's `dump` does.
    pub(crate) fn dump(&self) {
        eprintln!("<< {self} >>");
    }
}

/// `[seq:1][key:b'key'][size:4][props:b'ttl=3\n'][data:b'body']`, as the
/// original's `repr` (Python 3 shows the bytes as `b'...'`).
impl fmt::Display for KvMsg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (size, data) = match &self.body {
            None => (0, pyfmt::bytes(b"NULL")),
            Some(body) => (body.len(), pyfmt::bytes(body)),
        };
        let key = self.key.as_deref().map_or("None".into(), pyfmt::bytes);
        write!(
            f,
            "[seq:{}][key:{key}][size:{size}][props:{}][data:{data}]",
            self.sequence,
            pyfmt::bytes(&encode_properties(&self.properties)),
        )
    }
}

/// The self test: messages sent over `ipc://kvmsg_selftest.ipc` come back
/// with their key, body and properties.
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

    // Now with properties, which must survive the trip.
    let mut kvmsg = KvMsg::with(2, b"key", b"body");
    kvmsg.set(b"prop1", b"value1");
    kvmsg.set(b"prop2", b"value2");
    kvmsg.set(b"prop3", b"value3");
    assert_eq!(kvmsg.get(b"prop1"), Some(&b"value1"[..]));
    if verbose {
        kvmsg.dump();
    }
    kvmsg.send(&output)?;
    let kvmsg2 = KvMsg::recv(&input)?;
    if verbose {
        kvmsg2.dump();
    }
    assert_eq!(kvmsg2.key, kvmsg.key);
    assert_eq!(kvmsg2.body, kvmsg.body);
    assert_eq!(kvmsg2.properties, kvmsg.properties);
    assert_eq!(kvmsg2.get(b"prop2"), kvmsg.get(b"prop2"));

    println!("OK");
    Ok(())
}

fn main() -> Result<(), Error> {
    test_kvmsg(std::env::args().skip(1).any(|arg| arg == "-v"))
}
