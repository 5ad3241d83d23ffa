//! Z85: ZeroMQ's printable encoding of binary data (rfc.zeromq.org/spec/32),
//! in which CURVE keys are written as 40 characters.
//!
//! Implemented in Rust with the same alphabet and rules as libzmq's
//! `zmq_z85_encode` / `zmq_z85_decode` (the tests compare the two), but
//! taking and returning Rust strings, never panicking, and rejecting every
//! malformed input with an [`Error`] of kind
//! [`InvalidInput`](crate::ErrorKind::InvalidInput):
//!
//! * [`encode`]: the input length must be a multiple of 4;
//! * [`decode`]: the input length must be a multiple of 5, every character
//!   must belong to the alphabet, and every group of five must stand for a
//!   value below 2³².
//!
//! ```
//! let text = zmq::z85::encode(&[0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])?;
//! assert_eq!(text, "HelloWorld");
//! assert_eq!(zmq::z85::decode("HelloWorld")?, [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B]);
//! assert!(zmq::z85::decode("Hello").is_ok());
//! assert!(zmq::z85::decode("Hell").is_err());
//! # Ok::<(), zmq::Error>(())
//! ```

use crate::error::{Error, Result};

/// The 85 characters, in the order of their values.
const ALPHABET: &[u8; 85] =
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/// Marks a byte that is not in the alphabet.
const INVALID: u8 = 0xFF;

/// The value of each byte, [`INVALID`] for those outside the alphabet.
const DECODER: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut value = 0;
    while value < ALPHABET.len() {
        table[ALPHABET[value] as usize] = value as u8;
        value += 1;
    }
    table
};

/// Encodes `data` as Z85 text, like libzmq's `zmq_z85_encode`.
///
/// `Err` if the length of `data` is not a multiple of 4. The text is 5/4 as
/// long as the data; empty data gives empty text.
#[doc(alias = "zmq_z85_encode")]
pub fn encode(data: &[u8]) -> Result<String> {
    if !data.len().is_multiple_of(4) {
        return Err(Error::invalid_input(format!(
            "Z85 encodes data whose length is a multiple of 4, not {}",
            data.len()
        )));
    }
    let mut text = String::with_capacity(data.len() / 4 * 5);
    for chunk in data.chunks_exact(4) {
        let mut value = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        let mut digits = [0u8; 5];
        for digit in digits.iter_mut().rev() {
            *digit = ALPHABET[(value % 85) as usize];
            value /= 85;
        }
        text.extend(digits.iter().map(|&d| char::from(d)));
    }
    Ok(text)
}

/// Decodes Z85 text, like libzmq's `zmq_z85_decode`.
///
/// Accepts `&str`, `String`, `&[u8]` and the like. `Err` if the length is
/// not a multiple of 5, a character is outside the Z85 alphabet, or a group
/// of five characters stands for a value that does not fit in 32 bits.
/// Empty text gives empty data (libzmq's function refuses it).
#[doc(alias = "zmq_z85_decode")]
pub fn decode(text: impl AsRef<[u8]>) -> Result<Vec<u8>> {
    let text = text.as_ref();
    if text.len() % 5 != 0 {
        return Err(Error::invalid_input(format!(
            "Z85 text has a length that is a multiple of 5, not {}",
            text.len()
        )));
    }
    let mut data = Vec::with_capacity(text.len() / 5 * 4);
    for (group, chunk) in text.chunks_exact(5).enumerate() {
        let mut value: u64 = 0;
        for (offset, &byte) in chunk.iter().enumerate() {
            let digit = DECODER[usize::from(byte)];
            if digit == INVALID {
                return Err(Error::invalid_input(format!(
                    "Z85 text has an invalid character {:?} at position {}",
                    char::from(byte),
                    group * 5 + offset
                )));
            }
            value = value * 85 + u64::from(digit);
        }
        let value = u32::try_from(value).map_err(|_| {
            Error::invalid_input(format!(
                "Z85 group {:?} at position {} exceeds 32 bits",
                String::from_utf8_lossy(chunk),
                group * 5
            ))
        })?;
        data.extend_from_slice(&value.to_be_bytes());
    }
    Ok(data)
}

/// Decodes exactly `N` bytes (`N` a multiple of 4) from Z85 text of
/// `N * 5 / 4` characters, without allocating; used for CURVE keys.
pub(crate) fn decode_array<const N: usize>(text: &[u8]) -> Result<[u8; N]> {
    if text.len() != N / 4 * 5 || !N.is_multiple_of(4) {
        return Err(Error::invalid_input(format!(
            "expected {} Z85 characters, got {}",
            N / 4 * 5,
            text.len()
        )));
    }
    let mut out = [0u8; N];
    for (index, chunk) in text.chunks_exact(5).enumerate() {
        let mut value: u64 = 0;
        for &byte in chunk {
            let digit = DECODER[usize::from(byte)];
            if digit == INVALID {
                return Err(Error::invalid_input(format!(
                    "Z85 text has an invalid character {:?}",
                    char::from(byte)
                )));
            }
            value = value * 85 + u64::from(digit);
        }
        let value =
            u32::try_from(value).map_err(|_| Error::invalid_input("Z85 group exceeds 32 bits"))?;
        out[index * 4..index * 4 + 4].copy_from_slice(&value.to_be_bytes());
    }
    Ok(out)
}

/// Encodes 32 bytes (a CURVE key) into 40 characters, without allocating.
pub(crate) fn encode_key(key: &[u8; 32]) -> [u8; 40] {
    let mut out = [0u8; 40];
    for (index, chunk) in key.chunks_exact(4).enumerate() {
        let mut value = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        for digit in out[index * 5..index * 5 + 5].iter_mut().rev() {
            *digit = ALPHABET[(value % 85) as usize];
            value /= 85;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::{CStr, CString};

    /// libzmq's encoder, for comparison.
    fn libzmq_encode(data: &[u8]) -> Option<String> {
        let mut out = vec![0u8; data.len() / 4 * 5 + 1];
        // SAFETY: `out` has room for the text and its NUL; data is readable.
        let ptr =
            unsafe { zmq_sys::zmq_z85_encode(out.as_mut_ptr().cast(), data.as_ptr(), data.len()) };
        if ptr.is_null() {
            return None;
        }
        // SAFETY: on success libzmq wrote a NUL-terminated string into out.
        Some(unsafe { CStr::from_ptr(ptr) }.to_str().ok()?.to_owned())
    }

    /// libzmq's decoder, for comparison.
    fn libzmq_decode(text: &str) -> Option<Vec<u8>> {
        let c_text = CString::new(text).ok()?;
        let mut out = vec![0u8; text.len() / 5 * 4 + 4];
        // SAFETY: out has room for len/5*4 bytes; the text is NUL-terminated.
        let ptr = unsafe { zmq_sys::zmq_z85_decode(out.as_mut_ptr(), c_text.as_ptr()) };
        if ptr.is_null() {
            return None;
        }
        out.truncate(text.len() / 5 * 4);
        Some(out)
    }

    /// A deterministic byte stream for test data (xorshift).
    fn pseudo_random(len: usize, mut seed: u32) -> Vec<u8> {
        (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                seed as u8
            })
            .collect()
    }

    #[test]
    fn matches_the_spec_test_vector() {
        let data = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];
        assert_eq!(encode(&data).unwrap(), "HelloWorld");
        assert_eq!(decode("HelloWorld").unwrap(), data);
    }

    #[test]
    fn encodes_like_libzmq() {
        for (len, seed) in [(4, 1), (8, 2), (32, 3), (64, 4), (400, 5)] {
            let data = pseudo_random(len, seed);
            let ours = encode(&data).unwrap();
            assert_eq!(Some(ours.clone()), libzmq_encode(&data));
            assert_eq!(decode(&ours).unwrap(), data);
        }
        let extremes = [0u8, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF];
        assert_eq!(Some(encode(&extremes).unwrap()), libzmq_encode(&extremes));
    }

    #[test]
    fn decodes_like_libzmq_and_rejects_what_it_rejects() {
        for text in [
            "HelloWorld",
            "00000",
            "%nSc0",
            "%nSc1",
            "#####",
            "Hel\"o",
            "rr91jy",
        ] {
            assert_eq!(decode(text).ok(), libzmq_decode(text), "{text:?}");
        }
    }

    #[test]
    fn encode_rejects_lengths_not_multiple_of_four() {
        for len in [1, 2, 3, 5, 31, 33] {
            let error = encode(&vec![0u8; len]).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
            assert!(error.to_string().contains(&format!("not {len}")));
        }
        assert_eq!(encode(&[]).unwrap(), "");
    }

    #[test]
    fn decode_rejects_bad_length_characters_and_overflow() {
        assert!(decode("Hell").unwrap_err().to_string().contains("not 4"));
        assert!(decode("HelloWorl").is_err());
        let error = decode("Hello Worl").unwrap_err();
        assert!(error.to_string().contains("' ' at position 5"), "{error}");
        assert!(decode("Hell\"").is_err());
        assert!(decode("Hell~").is_err());
        assert!(decode([b'H', b'e', b'l', b'l', 0xC3]).is_err());
        // "%nSc0" is 2^32 - 1; one more overflows.
        assert_eq!(decode("%nSc0").unwrap(), [0xFF; 4]);
        assert!(decode("%nSc1").unwrap_err().to_string().contains("32 bits"));
        assert!(decode("#####").is_err());
        assert_eq!(decode("").unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn key_helpers_agree_with_the_general_functions() {
        let key: [u8; 32] = pseudo_random(32, 9).try_into().unwrap();
        let text = encode_key(&key);
        assert_eq!(text.as_slice(), encode(&key).unwrap().as_bytes());
        assert_eq!(decode_array::<32>(&text).unwrap(), key);
        assert!(decode_array::<32>(&text[..35]).is_err());
        assert!(decode_array::<32>(&[b' '; 40]).is_err());
    }
}
