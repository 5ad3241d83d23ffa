//! Certificate files (`zmq::cert`): arbitrary text parsed as a ZPL
//! certificate must give a certificate or an `InvalidInput` error, never a
//! panic; a certificate that parses must survive being written out and
//! read back (keys and metadata unchanged), in its public and secret forms,
//! and through a file as `Certificate::load` reads it.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zmq::cert::Certificate;

/// A scratch file for this process, written and removed by each
/// iteration that parses.
fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| std::env::temp_dir().join(format!("zmq-fuzz-cert-{}", std::process::id())))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let cert = match Certificate::parse(text) {
        Ok(cert) => cert,
        Err(error) => {
            assert_eq!(error.kind(), zmq::ErrorKind::InvalidInput, "{error}");
            return;
        }
    };

    let public = Certificate::parse(&cert.public_text()).expect("a written public file parses");
    assert_eq!(
        public,
        cert.to_public(),
        "the public file changed the certificate"
    );
    if let Some(secret_text) = cert.secret_text() {
        let secret = Certificate::parse(&secret_text).expect("a written secret file parses");
        assert_eq!(secret, cert, "the secret file changed the certificate");
    } else {
        assert!(cert.secret_key().is_none());
    }
    for (name, value) in cert.metadata() {
        assert!(
            cert.meta(name).is_some(),
            "{name} = {value:?} cannot be looked up"
        );
    }

    // What `load` reads is what `parse` reads.
    std::fs::write(scratch(), text).expect("write the scratch certificate");
    let loaded = Certificate::load(scratch());
    let _ = std::fs::remove_file(scratch());
    assert_eq!(loaded.expect("load what parsed"), cert);
});
