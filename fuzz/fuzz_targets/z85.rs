//! Z85: the crate's decoder and encoder fed arbitrary bytes, checked
//! against each other (a round trip is the identity both ways) and against
//! libzmq's own `zmq_z85_decode` / `zmq_z85_encode`, which must accept and
//! reject the same texts and produce the same bytes. Also the CURVE key
//! parsers, which decode 40 Z85 characters without allocating.

#![no_main]

use std::ffi::CString;

use libfuzzer_sys::fuzz_target;
use zmq::{PublicKey, SecretKey, z85};

/// libzmq's decoder; `None` when it refuses the text. It reads a C string,
/// so the text must hold no NUL.
fn libzmq_decode(text: &[u8]) -> Option<Vec<u8>> {
    let c_text = CString::new(text).ok()?;
    // libzmq writes 4 bytes per complete group of 5 characters.
    let mut out = vec![0u8; text.len() / 5 * 4 + 4];
    // SAFETY: `out` has room for every group the text holds; the text is
    // NUL-terminated and outlives the call.
    let ptr = unsafe { zmq::sys::zmq_z85_decode(out.as_mut_ptr(), c_text.as_ptr()) };
    if ptr.is_null() {
        return None;
    }
    out.truncate(text.len() / 5 * 4);
    Some(out)
}

/// libzmq's encoder; `None` when it refuses the data.
fn libzmq_encode(data: &[u8]) -> Option<String> {
    let mut out = vec![0u8; data.len() / 4 * 5 + 1];
    // SAFETY: `out` has room for the text and its NUL; data is readable.
    let ptr =
        unsafe { zmq::sys::zmq_z85_encode(out.as_mut_ptr().cast(), data.as_ptr(), data.len()) };
    if ptr.is_null() {
        return None;
    }
    out.pop();
    Some(String::from_utf8(out).expect("libzmq's Z85 is ASCII"))
}

fuzz_target!(|data: &[u8]| {
    // Arbitrary text: decode, then encoding gives the text back.
    let decoded = z85::decode(data);
    if let Ok(bytes) = &decoded {
        assert_eq!(bytes.len(), data.len() / 5 * 4);
        let text = z85::encode(bytes).expect("decoded data has a length that is a multiple of 4");
        assert_eq!(
            text.as_bytes(),
            data,
            "decode then encode is not the identity"
        );
    }
    // libzmq agrees (it refuses empty text, which we accept).
    if !data.is_empty() && !data.contains(&0) {
        assert_eq!(
            decoded.as_ref().ok(),
            libzmq_decode(data).as_ref(),
            "the crate and libzmq decode {data:?} differently"
        );
    }

    // Arbitrary data: encode (refused unless the length is a multiple of
    // 4), then decoding gives the data back; libzmq encodes the same.
    match z85::encode(data) {
        Ok(text) => {
            assert_eq!(text.len(), data.len() / 4 * 5);
            assert_eq!(z85::decode(&text).expect("our own encoding decodes"), data);
            if !data.is_empty() {
                assert_eq!(Some(&text), libzmq_encode(data).as_ref());
            }
        }
        Err(error) => {
            assert_ne!(data.len() % 4, 0, "refused a valid length: {error}");
            assert_eq!(error.kind(), zmq::ErrorKind::InvalidInput);
        }
    }

    // CURVE keys: 40 characters that decode, else an error.
    let public = PublicKey::from_z85(data);
    let secret = SecretKey::from_z85(data);
    assert_eq!(public.is_ok(), secret.is_ok());
    if let Ok(key) = public {
        assert_eq!(data.len(), 40);
        assert_eq!(key.to_z85().as_bytes(), data);
        assert_eq!(
            key.as_bytes()[..],
            z85::decode(data).expect("a key decodes")[..]
        );
    } else {
        assert!(data.len() != 40 || decoded.is_err());
    }
});
