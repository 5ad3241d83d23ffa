//! pyzmq examples/serialization: a socket with serializing methods
//!
//! Port of `serialization/serialsocket.py` (feature `serialization`). The
//! original subclasses `zmq.Socket`; here `SerializingSocket` wraps one,
//! made by a `SerializingContext`, with two ways to send an array:
//!
//! * `send_zipped`: the value through serde as MessagePack (`rmp-serde`,
//!   where the original pickles), compressed with zlib (`flate2`) and
//!   signed with HMAC-SHA256 under a shared key, the signature as a first
//!   frame; the receiver checks the signature before it decodes anything.
//! * `send_array`: a JSON header `{"dtype": "float64", "shape": [...]}`,
//!   then the raw values, as the original sends numpy arrays.
//!
//! Over inproc://a it sends a 1024 x 1024 array of ones both ways, compares
//! what arrives, then sends once more with the wrong key, which the
//! receiver must refuse.

use std::error::Error;
use std::fmt;
use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::Sha256;
use zmq::{SendFlags, SocketType};

type BoxError = Box<dyn Error>;

/// A received signature that does not match the message: the original's
/// `ValueError("Invalid signature")`.
#[derive(Debug)]
struct InvalidSignature;

impl fmt::Display for InvalidSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Invalid signature")
    }
}

impl Error for InvalidSignature {}

/// A two-dimensional array of `f64`s, numpy's `ndarray` for this example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Array {
    shape: Vec<usize>,
    data: Vec<f64>,
}

impl Array {
    /// numpy's `ones(shape)`.
    fn ones(shape: &[usize]) -> Self {
        Array {
            shape: shape.to_vec(),
            data: vec![1.0; shape.iter().product()],
        }
    }

    /// numpy's `nbytes`.
    fn nbytes(&self) -> usize {
        std::mem::size_of_val(self.data.as_slice())
    }
}

/// A socket with some extra serialization methods.
///
/// `send_zipped` is like sending a serialized value, but compresses it
/// with zlib first and signs it with a key, so that the receiver never
/// decodes a message it cannot authenticate.
///
/// `send_array` sends an array's values along with the metadata needed to
/// rebuild it on the other side (dtype, shape).
struct SerializingSocket {
    socket: zmq::Socket,
    signing_key: Vec<u8>,
}

impl SerializingSocket {
    fn sign(&self, buffer: &[u8]) -> Result<Vec<u8>, BoxError> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.signing_key)?;
        mac.update(buffer);
        Ok(mac.finalize().into_bytes().to_vec())
    }

    /// Packs and compresses a value with MessagePack and zlib.
    fn send_zipped<T: Serialize>(&self, obj: &T) -> Result<(), BoxError> {
        let pobj = rmp_serde::to_vec(obj)?;
        let mut zipper = ZlibEncoder::new(Vec::new(), Compression::default());
        zipper.write_all(&pobj)?;
        let zobj = zipper.finish()?;
        let shrinkage = pobj.len() as f64 / zobj.len() as f64;
        println!(
            "zipped pickle is {} bytes ({shrinkage:.1}x smaller)",
            zobj.len()
        );
        let signature = self.sign(&zobj)?;
        self.socket.send_with(signature, SendFlags::SNDMORE)?;
        Ok(self.socket.send(zobj)?)
    }

    /// Rebuilds a value sent with `send_zipped`.
    fn recv_zipped<T: DeserializeOwned>(&self) -> Result<T, BoxError> {
        let recvd_signature = self.socket.recv()?;
        if !self.socket.more()? {
            return Err("a zipped message without its second frame".into());
        }
        let zobj = self.socket.recv()?;
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.signing_key)?;
        mac.update(&zobj);
        // A constant-time comparison, as `hmac.compare_digest` does.
        if mac.verify_slice(&recvd_signature).is_err() {
            return Err(Box::new(InvalidSignature));
        }

        // The signature is checked before anything is decoded.
        let mut pobj = Vec::new();
        ZlibDecoder::new(&zobj[..]).read_to_end(&mut pobj)?;
        Ok(rmp_serde::from_slice(&pobj)?)
    }

    /// Sends an array with its metadata.
    fn send_array(&self, a: &Array) -> Result<(), BoxError> {
        let md = json!({
            "dtype": "float64",
            "shape": a.shape,
        });
        self.socket.send_json_with(&md, SendFlags::SNDMORE)?;
        // The values' bytes, handed to libzmq without a further copy.
        let bytes: Vec<u8> = a.data.iter().flat_map(|v| v.to_ne_bytes()).collect();
        Ok(self.socket.send(bytes)?)
    }

    /// Receives an array sent with `send_array`.
    fn recv_array(&self) -> Result<Array, BoxError> {
        let md: serde_json::Value = self.socket.recv_json()?;
        let msg = self.socket.recv()?;
        if md["dtype"] != "float64" {
            return Err(format!("unsupported dtype {}", md["dtype"]).into());
        }
        let shape: Vec<usize> = serde_json::from_value(md["shape"].clone())?;
        let data: Vec<f64> = msg
            .chunks_exact(8)
            .map(|b| f64::from_ne_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
            .collect();
        if data.len() != shape.iter().product::<usize>() {
            return Err("array bytes do not match its shape".into());
        }
        Ok(Array { shape, data })
    }
}

/// A context whose sockets are [`SerializingSocket`]s.
struct SerializingContext(zmq::Context);

impl SerializingContext {
    fn new() -> zmq::Result<Self> {
        zmq::Context::new().map(Self)
    }

    fn socket(&self, kind: SocketType) -> zmq::Result<SerializingSocket> {
        Ok(SerializingSocket {
            socket: self.0.socket(kind)?,
            signing_key: Vec::new(),
        })
    }
}

fn main() -> Result<(), BoxError> {
    let ctx = SerializingContext::new()?;
    let mut push = ctx.socket(SocketType::Push)?;
    let mut pull = ctx.socket(SocketType::Pull)?;

    push.socket.bind("inproc://a")?;
    pull.socket.connect("inproc://a")?;
    // 'distribute' the shared secret
    let key: [u8; 32] = rand::random();
    push.signing_key = key.to_vec();
    pull.signing_key = key.to_vec();
    // all ones is a best-case scenario for zip
    let a = Array::ones(&[1024, 1024]);
    println!("Array is {} bytes", a.nbytes());

    // send/recv with MessagePack + zlib
    push.send_zipped(&a)?;
    let b: Array = pull.recv_zipped()?;
    // now the header-and-values version
    push.send_array(&a)?;
    let c = pull.recv_array()?;
    println!("Checking zipped pickle...");
    println!("{}", if a == b { "Okay" } else { "Failed" });
    println!("Checking send_array...");
    println!("{}", if c == b { "Okay" } else { "Failed" });

    println!("Checking incorrect signature...");
    push.signing_key = b"wrong".to_vec();
    push.send_zipped(&a)?;
    match pull.recv_zipped::<Array>() {
        Err(e) if e.is::<InvalidSignature>() => println!("Okay"),
        _ => println!("Failed"),
    }
    Ok(())
}
