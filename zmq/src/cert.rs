//! CURVE certificates: a key pair (or a public key alone) with metadata,
//! saved and loaded in the ZPL text format of czmq's `zcert` and pyzmq's
//! `zmq.auth.certs`, so certificates move freely between those tools and
//! this crate.
//!
//! A certificate is saved as two files: `NAME` holds the public key and
//! may be handed out; `NAME_secret` holds both keys and is readable by its
//! owner only (on Unix), even when it replaces an existing file. An [`Authenticator`](crate::auth::Authenticator) can
//! allow every public certificate in a directory
//! ([`load_public_certificates`]).
//!
//! ```
//! # if !zmq::has(zmq::Capability::Curve) { return Ok(()); }
//! use zmq::cert::Certificate;
//!
//! let dir = std::env::temp_dir().join(format!("zmq-cert-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let mut cert = Certificate::new()?;
//! cert.set_meta("name", "server")?;
//! cert.save(dir.join("server.key"))?;
//!
//! let public = Certificate::load(dir.join("server.key"))?;
//! assert_eq!(public.public_key(), cert.public_key());
//! assert!(public.secret_key().is_none());
//! let secret = Certificate::load(dir.join("server.key_secret"))?;
//! assert_eq!(secret.secret_key(), cert.secret_key());
//! assert_eq!(secret.meta("name"), Some("server"));
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), zmq::Error>(())
//! ```

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::curve::{CurveKeyPair, PublicKey, SecretKey, wipe, wipe_string};
use crate::error::{Error, Result};
use crate::z85;

/// The suffix of the secret file next to a public certificate file.
pub const SECRET_SUFFIX: &str = "_secret";

/// A CURVE certificate: a public key, optionally its secret key, and
/// `name = value` metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    public: PublicKey,
    secret: Option<SecretKey>,
    metadata: Vec<(String, String)>,
}

/// Turns an I/O error on `path` into this crate's error.
fn io_error(error: &std::io::Error, what: &str, path: &Path) -> Error {
    Error::from_errno(error.raw_os_error().unwrap_or(libc::EIO))
        .context(format!("{what} {}: {error}", path.display()))
}

/// True for a ZPL property name: letters, digits and `$-_@.&+/`.
fn is_zpl_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"$-_@.&+/".contains(&b))
}

/// The value of a ZPL `name = value` line: quoted (either quote) or bare up
/// to a comment.
fn zpl_value(raw: &str) -> &str {
    let raw = raw.trim();
    for quote in ['"', '\''] {
        if let Some(rest) = raw.strip_prefix(quote) {
            return rest.split(quote).next().unwrap_or(rest);
        }
    }
    raw.split('#').next().unwrap_or(raw).trim()
}

/// A metadata value as ZPL text that [`zpl_value`] reads back unchanged:
/// in double quotes, or single quotes if it holds a double quote. A value
/// holding both (only a bare value read from a file can) goes bare: such a
/// value has no `#`, no surrounding blanks and no leading quote.
fn zpl_quoted(value: &str) -> String {
    if !value.contains('"') {
        format!("\"{value}\"")
    } else if !value.contains('\'') {
        format!("'{value}'")
    } else {
        value.to_owned()
    }
}

/// `YYYY-MM-DD HH:MM:SS` in UTC for a time since the Unix epoch.
fn utc_timestamp(since_epoch: std::time::Duration) -> String {
    let secs = since_epoch.as_secs();
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Days to civil date (proleptic Gregorian), after Howard Hinnant.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

impl Certificate {
    /// A certificate with a new random key pair
    /// ([`CurveKeyPair::generate`]).
    #[doc(alias = "zcert_new")]
    pub fn new() -> Result<Self> {
        CurveKeyPair::generate().map(Self::from_keys)
    }

    /// A certificate holding a key pair.
    pub fn from_keys(keys: CurveKeyPair) -> Self {
        let (public, secret) = keys.into_parts();
        Self {
            public,
            secret: Some(secret),
            metadata: Vec::new(),
        }
    }

    /// A certificate holding only a public key, as read from a public
    /// certificate file.
    pub fn from_public(public: PublicKey) -> Self {
        Self {
            public,
            secret: None,
            metadata: Vec::new(),
        }
    }

    /// The public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The secret key, if this certificate has it.
    pub fn secret_key(&self) -> Option<&SecretKey> {
        self.secret.as_ref()
    }

    /// Both keys, if this certificate has the secret one.
    pub fn key_pair(&self) -> Option<CurveKeyPair> {
        let secret = self.secret.clone()?;
        CurveKeyPair::from_secret(secret).ok()
    }

    /// A copy without the secret key, for handing out.
    pub fn to_public(&self) -> Self {
        Self {
            public: self.public,
            secret: None,
            metadata: self.metadata.clone(),
        }
    }

    /// Sets a metadata property (replacing one of the same name). The name
    /// is ZPL's: letters, digits and `$-_@.&+/`; the value is one line
    /// without `"`.
    #[doc(alias = "zcert_set_meta")]
    pub fn set_meta(&mut self, name: &str, value: &str) -> Result<()> {
        if !is_zpl_name(name) {
            return Err(Error::invalid_input(format!(
                "certificate metadata name {name:?} must be letters, digits or $-_@.&+/"
            )));
        }
        if value.contains(['"', '\n', '\r', '\0']) {
            return Err(Error::invalid_input(format!(
                "certificate metadata value {value:?} must be one line without '\"'"
            )));
        }
        match self.metadata.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = value.to_owned(),
            None => self.metadata.push((name.to_owned(), value.to_owned())),
        }
        Ok(())
    }

    /// A metadata property.
    #[doc(alias = "zcert_meta")]
    pub fn meta(&self, name: &str) -> Option<&str> {
        self.metadata
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every metadata property, in the order set or read.
    pub fn metadata(&self) -> impl Iterator<Item = (&str, &str)> {
        self.metadata.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The text of the public certificate file.
    pub fn public_text(&self) -> String {
        self.text(false)
    }

    /// The text of the secret certificate file (both keys); `None` without a
    /// secret key. The returned `String` is not wiped when dropped: that
    /// is the caller's to do ([`save_secret`](Self::save_secret) does it).
    pub fn secret_text(&self) -> Option<String> {
        self.secret.as_ref().map(|_| self.text(true))
    }

    fn text(&self, with_secret: bool) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let mut text = format!(
            "#   ****  Generated on {} UTC by the zmq Rust crate  ****\n",
            utc_timestamp(now)
        );
        match (with_secret, &self.secret) {
            (true, Some(_)) => text.push_str(
                "#   ZeroMQ CURVE **Secret** Certificate\n\
                 #   Keep this file private: whoever holds it can pose as its owner.\n",
            ),
            _ => text.push_str(
                "#   ZeroMQ CURVE Public Certificate\n\
                 #   Give it to peers over a channel they trust, or let them check\n\
                 #   its contents after receiving it.\n",
            ),
        }
        text.push_str("\nmetadata\n");
        for (name, value) in &self.metadata {
            // Infallible: writing to a String.
            let _ = writeln!(text, "    {name} = {}", zpl_quoted(value));
        }
        text.push_str("curve\n");
        let _ = writeln!(text, "    public-key = \"{}\"", self.public);
        if let (true, Some(secret)) = (with_secret, &self.secret) {
            let mut z85 = z85::encode_key(secret.as_bytes());
            // The secret line is the last: with room for it reserved, no
            // reallocation leaves a copy of the key behind in freed memory.
            const LINE: &str = "    secret-key = \"\"\n";
            text.reserve(LINE.len() + z85.len());
            text.push_str("    secret-key = \"");
            // The Z85 alphabet is ASCII.
            text.push_str(std::str::from_utf8(&z85).unwrap_or_default());
            text.push_str("\"\n");
            wipe(&mut z85);
        }
        text
    }

    /// Reads a certificate from ZPL text: the `curve` section's
    /// `public-key` (required) and `secret-key` (optional, must belong to
    /// the public key), and the `metadata` section.
    pub fn parse(text: &str) -> Result<Self> {
        let mut section = String::new();
        let mut public = None;
        let mut secret = None;
        let mut metadata = Vec::new();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            let content = line.trim_start();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let fail = |what: String| Error::invalid_input(format!("line {}: {what}", number + 1));
            if content.len() == line.len() {
                // A top-level line opens a section.
                section = content
                    .split(['=', '#'])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_owned();
                continue;
            }
            let Some((name, value)) = content.split_once('=') else {
                continue;
            };
            let (name, value) = (name.trim(), zpl_value(value));
            match (section.as_str(), name) {
                ("curve", "public-key") => {
                    public = Some(PublicKey::from_z85(value).map_err(|e| fail(e.to_string()))?);
                }
                ("curve", "secret-key") => {
                    secret = Some(SecretKey::from_z85(value).map_err(|e| fail(e.to_string()))?);
                }
                ("metadata", _) if is_zpl_name(name) => {
                    metadata.push((name.to_owned(), value.to_owned()));
                }
                _ => {}
            }
        }
        let public = public.ok_or_else(|| {
            Error::invalid_input("certificate has no public-key in its curve section")
        })?;
        if let Some(secret) = &secret
            && crate::has(crate::Capability::Curve)
            && secret.public_key()? != public
        {
            return Err(Error::invalid_input(
                "certificate secret-key does not belong to its public-key",
            ));
        }
        Ok(Self {
            public,
            secret,
            metadata,
        })
    }

    /// Loads a certificate file (public or secret).
    #[doc(alias = "zcert_load")]
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text =
            std::fs::read_to_string(path).map_err(|e| io_error(&e, "reading certificate", path))?;
        Self::parse(&text).map_err(|e| e.context(format!("certificate {}", path.display())))
    }

    /// Saves the public file at `path` and, if this certificate has a
    /// secret key, the secret file at `path` + `_secret` (czmq's and
    /// pyzmq's convention: `client.key` and `client.key_secret`).
    #[doc(alias = "zcert_save")]
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        self.save_public(path)?;
        if self.secret.is_some() {
            self.save_secret(secret_path(path))?;
        }
        Ok(())
    }

    /// Saves the public file only.
    #[doc(alias = "zcert_save_public")]
    pub fn save_public(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        std::fs::write(path, self.public_text())
            .map_err(|e| io_error(&e, "writing certificate", path))
    }

    /// Saves the secret file (both keys) only, readable by its owner alone
    /// on Unix; `Err` if this certificate has no secret key.
    ///
    /// The file is written under a temporary name in the same directory,
    /// created with mode `0o600`, then renamed over `path`: a file already
    /// there is replaced, never written through (if it is a symbolic link,
    /// the link is replaced, not its target) and does not pass its
    /// permissions on.
    ///
    /// The text of the file is wiped from memory once written. What this
    /// cannot reach: copies in the kernel's page cache and on disk (the
    /// temporary file is renamed, not copied), and any copy the caller made
    /// of the key or of [`secret_text`](Self::secret_text).
    #[doc(alias = "zcert_save_secret")]
    pub fn save_secret(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let text = self.secret_text().ok_or_else(|| {
            Error::invalid_input(format!(
                "certificate for {} has no secret key to save",
                path.display()
            ))
        })?;
        let written = write_private(path, text.as_bytes());
        wipe_string(text);
        written
    }
}

/// Writes `contents` to a new owner-only file next to `path`, then renames
/// it over `path`.
fn write_private(path: &Path, contents: &[u8]) -> Result<()> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .ok_or_else(|| Error::invalid_input(format!("{} does not name a file", path.display())))?;
    let dir = path
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let mut attempts = 0;
    let (temp, mut file) = loop {
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(
            ".{}-{}.tmp",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let temp = dir.join(temp_name);
        let mut options = std::fs::OpenOptions::new();
        // create_new: O_EXCL, which never follows a symbolic link.
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&temp) {
            Ok(file) => break (temp, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempts < 16 => {
                attempts += 1;
            }
            Err(e) => return Err(io_error(&e, "creating certificate", &temp)),
        }
    };
    let written = file
        .write_all(contents)
        .and_then(|()| file.sync_all())
        .map_err(|e| io_error(&e, "writing certificate", &temp))
        .and_then(|()| {
            drop(file);
            std::fs::rename(&temp, path).map_err(|e| io_error(&e, "writing certificate", path))
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// The secret file that goes with a public certificate file.
pub fn secret_path(public_path: impl AsRef<Path>) -> PathBuf {
    let mut path = public_path.as_ref().as_os_str().to_owned();
    path.push(SECRET_SUFFIX);
    PathBuf::from(path)
}

/// Loads every public certificate in a directory (not its subdirectories):
/// each file whose name does not end in `_secret` and that holds a
/// certificate, in file name order. Other files are skipped, as czmq's
/// certificate store does; `Err` if the directory cannot be read.
#[doc(alias = "zcertstore_new")]
pub fn load_public_certificates(dir: impl AsRef<Path>) -> Result<Vec<Certificate>> {
    let dir = dir.as_ref();
    let entries =
        std::fs::read_dir(dir).map_err(|e| io_error(&e, "reading certificate directory", dir))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error(&e, "reading certificate directory", dir))?;
        let path = entry.path();
        let is_secret = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with(SECRET_SUFFIX));
        if path.is_file() && !is_secret {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths
        .iter()
        .filter_map(|path| Certificate::load(path).ok())
        .map(|cert| cert.to_public())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        use std::time::Duration;
        assert_eq!(utc_timestamp(Duration::ZERO), "1970-01-01 00:00:00");
        assert_eq!(
            utc_timestamp(Duration::from_secs(951_782_400 + 3_723)),
            "2000-02-29 01:02:03"
        );
        assert_eq!(
            utc_timestamp(Duration::from_secs(1_798_761_599)),
            "2026-12-31 23:59:59"
        );
    }

    #[test]
    fn zpl_values_may_be_quoted_or_bare() {
        assert_eq!(zpl_value(" \"a b\" "), "a b");
        assert_eq!(zpl_value(" 'x' "), "x");
        assert_eq!(zpl_value(" bare # comment"), "bare");
    }

    #[test]
    fn metadata_read_with_quotes_is_written_back_unchanged() {
        let key = PublicKey::from_bytes([3; 32]).to_z85();
        let text = format!(
            "metadata\n    bare = say \"hi\" it's\n    single = 'a \"b\"'\n    \
             double = \" c'd \"\ncurve\n    public-key = \"{key}\"\n"
        );
        let cert = Certificate::parse(&text).unwrap();
        let read: Vec<_> = cert.metadata().collect();
        assert_eq!(
            read,
            [
                ("bare", "say \"hi\" it's"),
                ("single", "a \"b\""),
                ("double", " c'd ")
            ]
        );
        assert_eq!(Certificate::parse(&cert.public_text()).unwrap(), cert);
    }

    #[test]
    fn metadata_names_and_values_are_checked() {
        let mut cert = Certificate::from_public(PublicKey::from_bytes([3; 32]));
        assert!(cert.set_meta("bad name", "x").is_err());
        assert!(cert.set_meta("ok", "say \"hi\"").is_err());
        cert.set_meta("email", "a@b.c").unwrap();
        cert.set_meta("email", "d@e.f").unwrap();
        assert_eq!(cert.metadata().collect::<Vec<_>>(), [("email", "d@e.f")]);
    }
}
