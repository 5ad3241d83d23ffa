//! CURVE keys: [`PublicKey`], [`SecretKey`] (wiped on drop, never printed)
//! and [`CurveKeyPair`], made by libzmq's `zmq_curve_keypair` and
//! `zmq_curve_public`.
//!
//! Keys are 32 bytes; their text form is 40 [Z85](crate::z85) characters.
//! Hand them to a socket with [`Security`](crate::Security), or to the raw
//! options with `socket.set(sockopt::CurvePublicKey, key.as_bytes())`.
//!
//! ```
//! # if !zmq::has(zmq::Capability::Curve) { return Ok(()); }
//! let pair = zmq::CurveKeyPair::generate()?;
//! let text = pair.public().to_string();
//! assert_eq!(text.len(), 40);
//! assert_eq!(text.parse::<zmq::PublicKey>()?, *pair.public());
//! assert_eq!(zmq::curve_public(pair.secret())?, *pair.public());
//! assert_eq!(format!("{:?}", pair.secret()), "SecretKey(<redacted>)");
//! # Ok::<(), zmq::Error>(())
//! ```

use std::ffi::c_char;
use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorKind, Result, check};
use crate::z85;

/// Bytes in a CURVE key.
pub const KEY_SIZE: usize = 32;
/// Characters in the Z85 text of a CURVE key.
pub const KEY_SIZE_Z85: usize = 40;

/// Reads a key from 32 binary bytes or 40 Z85 characters.
fn key_from_slice(bytes: &[u8], what: &str) -> Result<[u8; KEY_SIZE]> {
    match bytes.len() {
        KEY_SIZE => {
            let mut key = [0u8; KEY_SIZE];
            key.copy_from_slice(bytes);
            Ok(key)
        }
        KEY_SIZE_Z85 => z85::decode_array(bytes).map_err(|e| e.context(format!("{what} key"))),
        n => Err(Error::invalid_input(format!(
            "a CURVE {what} key is 32 bytes or 40 Z85 characters, not {n}"
        ))),
    }
}

/// Reads a key from exactly 40 Z85 characters.
fn key_from_z85(text: &[u8], what: &str) -> Result<[u8; KEY_SIZE]> {
    if text.len() != KEY_SIZE_Z85 {
        return Err(Error::invalid_input(format!(
            "a Z85 CURVE {what} key is 40 characters, not {}",
            text.len()
        )));
    }
    key_from_slice(text, what)
}

/// Overwrites `bytes` with zeros in a way the optimiser keeps.
pub(crate) fn wipe(bytes: &mut [u8]) {
    for byte in bytes.iter_mut() {
        // SAFETY: `byte` is a valid, aligned, exclusive reference.
        unsafe { std::ptr::write_volatile(byte, 0) };
    }
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
}

/// Overwrites the bytes of a `String` with zeros and frees it. Copies left
/// behind by earlier reallocations of the string are out of reach.
pub(crate) fn wipe_string(text: String) {
    wipe(&mut text.into_bytes());
}

/// Maps libzmq's ENOTSUP for CURVE calls to a message saying why.
fn curve_error(error: Error) -> Error {
    if error.kind() == ErrorKind::NotSupported {
        error.context("this libzmq was built without CURVE")
    } else {
        error
    }
}

/// A CURVE public key: 32 bytes, shown as 40 Z85 characters.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublicKey([u8; KEY_SIZE]);

impl PublicKey {
    /// The key with these 32 bytes.
    pub const fn from_bytes(bytes: [u8; KEY_SIZE]) -> Self {
        Self(bytes)
    }

    /// The key from its 40 Z85 characters.
    pub fn from_z85(text: impl AsRef<[u8]>) -> Result<Self> {
        key_from_z85(text.as_ref(), "public").map(Self)
    }

    /// The 32 bytes.
    pub const fn as_bytes(&self) -> &[u8; KEY_SIZE] {
        &self.0
    }

    /// The 40 Z85 characters.
    pub fn to_z85(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = z85::encode_key(&self.0);
        // The Z85 alphabet is ASCII.
        f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey(\"{self}\")")
    }
}

impl FromStr for PublicKey {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self> {
        Self::from_z85(text)
    }
}

impl TryFrom<&[u8]> for PublicKey {
    type Error = Error;
    /// Accepts 32 binary bytes or 40 Z85 characters.
    fn try_from(bytes: &[u8]) -> Result<Self> {
        key_from_slice(bytes, "public").map(Self)
    }
}

impl AsRef<[u8]> for PublicKey {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// A CURVE secret key: 32 bytes that are overwritten with zeros when the
/// value is dropped and never shown by `Debug`.
///
/// Copies made by the caller (the array given to
/// [`from_bytes`](Self::from_bytes), the text from
/// [`to_z85`](Self::to_z85)) are the caller's to wipe.
#[derive(Clone)]
pub struct SecretKey([u8; KEY_SIZE]);

impl SecretKey {
    /// The key with these 32 bytes.
    pub const fn from_bytes(bytes: [u8; KEY_SIZE]) -> Self {
        Self(bytes)
    }

    /// The key from its 40 Z85 characters.
    pub fn from_z85(text: impl AsRef<[u8]>) -> Result<Self> {
        key_from_z85(text.as_ref(), "secret").map(Self)
    }

    /// The 32 bytes.
    pub const fn as_bytes(&self) -> &[u8; KEY_SIZE] {
        &self.0
    }

    /// The 40 Z85 characters, for writing a secret certificate. The
    /// returned `String` is not wiped when dropped.
    pub fn to_z85(&self) -> String {
        String::from_utf8_lossy(&z85::encode_key(&self.0)).into_owned()
    }

    /// The public key that belongs to this secret key; see
    /// [`curve_public`].
    pub fn public_key(&self) -> Result<PublicKey> {
        curve_public(self)
    }
}

impl Drop for SecretKey {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl PartialEq for SecretKey {
    /// Compares in time independent of where the keys differ.
    fn eq(&self, other: &Self) -> bool {
        self.0
            .iter()
            .zip(other.0.iter())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
    }
}

impl Eq for SecretKey {}

impl FromStr for SecretKey {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self> {
        Self::from_z85(text)
    }
}

impl TryFrom<&[u8]> for SecretKey {
    type Error = Error;
    /// Accepts 32 binary bytes or 40 Z85 characters.
    fn try_from(bytes: &[u8]) -> Result<Self> {
        key_from_slice(bytes, "secret").map(Self)
    }
}

/// A CURVE public key with its secret key.
#[derive(Clone, PartialEq, Eq)]
pub struct CurveKeyPair {
    public: PublicKey,
    secret: SecretKey,
}

impl CurveKeyPair {
    /// A new random key pair (`zmq_curve_keypair`).
    ///
    /// `Err` of kind [`NotSupported`](ErrorKind::NotSupported) if libzmq was
    /// built without CURVE.
    #[doc(alias = "zmq_curve_keypair")]
    pub fn generate() -> Result<Self> {
        let mut public_z85 = [0u8; KEY_SIZE_Z85 + 1];
        let mut secret_z85 = [0u8; KEY_SIZE_Z85 + 1];
        // SAFETY: both buffers hold the 41 bytes (40 characters and a NUL)
        // libzmq writes.
        let rc = check(unsafe {
            zmq_sys::zmq_curve_keypair(
                public_z85.as_mut_ptr().cast::<c_char>(),
                secret_z85.as_mut_ptr().cast::<c_char>(),
            )
        });
        let keys = rc.map_err(curve_error).and_then(|_| {
            Ok(Self {
                public: PublicKey::from_z85(&public_z85[..KEY_SIZE_Z85])?,
                secret: SecretKey::from_z85(&secret_z85[..KEY_SIZE_Z85])?,
            })
        });
        wipe(&mut secret_z85);
        keys
    }

    /// The pair for a secret key, computing its public key.
    pub fn from_secret(secret: SecretKey) -> Result<Self> {
        Ok(Self {
            public: curve_public(&secret)?,
            secret,
        })
    }

    /// The public key.
    pub fn public(&self) -> &PublicKey {
        &self.public
    }

    /// The secret key.
    pub fn secret(&self) -> &SecretKey {
        &self.secret
    }

    /// Splits the pair.
    pub fn into_parts(self) -> (PublicKey, SecretKey) {
        (self.public, self.secret)
    }
}

impl fmt::Debug for CurveKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CurveKeyPair")
            .field("public", &self.public)
            .field("secret", &self.secret)
            .finish()
    }
}

/// The public key of a secret key (`zmq_curve_public`).
///
/// `Err` of kind [`NotSupported`](ErrorKind::NotSupported) if libzmq was
/// built without CURVE.
#[doc(alias = "zmq_curve_public")]
pub fn curve_public(secret: &SecretKey) -> Result<PublicKey> {
    let mut secret_z85 = [0u8; KEY_SIZE_Z85 + 1];
    secret_z85[..KEY_SIZE_Z85].copy_from_slice(&z85::encode_key(secret.as_bytes()));
    let mut public_z85 = [0u8; KEY_SIZE_Z85 + 1];
    // SAFETY: the secret is 40 characters and a NUL; the public buffer holds
    // the 41 bytes libzmq writes.
    let rc = check(unsafe {
        zmq_sys::zmq_curve_public(
            public_z85.as_mut_ptr().cast::<c_char>(),
            secret_z85.as_ptr().cast::<c_char>(),
        )
    });
    wipe(&mut secret_z85);
    rc.map_err(curve_error)?;
    PublicKey::from_z85(&public_z85[..KEY_SIZE_Z85])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curve() -> bool {
        crate::has(crate::Capability::Curve)
    }

    #[test]
    fn generated_pairs_differ_and_derive_their_public_key() {
        if !curve() {
            return;
        }
        let a = CurveKeyPair::generate().unwrap();
        let b = CurveKeyPair::generate().unwrap();
        assert_ne!(a.public(), b.public());
        assert_ne!(a.secret(), b.secret());
        assert_eq!(curve_public(a.secret()).unwrap(), *a.public());
        let rebuilt = CurveKeyPair::from_secret(b.secret().clone()).unwrap();
        assert_eq!(rebuilt, b);
    }

    #[test]
    fn keys_round_trip_through_z85_and_binary() {
        let public = PublicKey::from_bytes([7; 32]);
        let text = public.to_string();
        assert_eq!(text.len(), 40);
        assert_eq!(text.parse::<PublicKey>().unwrap(), public);
        assert_eq!(PublicKey::try_from(text.as_bytes()).unwrap(), public);
        assert_eq!(PublicKey::try_from(&[7u8; 32][..]).unwrap(), public);
        let secret = SecretKey::from_bytes([9; 32]);
        assert_eq!(SecretKey::from_z85(secret.to_z85()).unwrap(), secret);
    }

    #[test]
    fn bad_keys_are_errors() {
        assert!(PublicKey::from_z85("short").is_err());
        assert!(PublicKey::from_z85([b' '; 40]).is_err());
        assert!(PublicKey::try_from(&[0u8; 31][..]).is_err());
        let error = SecretKey::from_z85("x".repeat(41)).unwrap_err();
        assert!(error.to_string().contains("not 41"), "{error}");
        assert!("~".repeat(40).parse::<SecretKey>().is_err());
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let secret = SecretKey::from_bytes([0x42; 32]);
        let z85 = secret.to_z85();
        let pair = CurveKeyPair {
            public: PublicKey::from_bytes([1; 32]),
            secret,
        };
        let shown = format!("{pair:?} {:?}", pair.secret());
        assert!(!shown.contains(&z85), "{shown}");
        assert!(!shown.contains("66, 66"), "{shown}");
        assert!(shown.contains("<redacted>"));
        assert!(shown.contains(&pair.public().to_string()));
    }

    #[test]
    fn wipe_zeroes_the_bytes() {
        let mut bytes = [0xAAu8; 32];
        wipe(&mut bytes);
        assert_eq!(bytes, [0; 32]);
    }
}
