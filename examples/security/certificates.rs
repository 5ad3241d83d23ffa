//! The certificate step shared by the CURVE examples: pyzmq's
//! `generate_certificates.py` as a function, plus where the examples keep
//! the files (a fresh directory under the system temp dir, never the
//! source tree: keys are not committed).

use std::error::Error;
use std::path::{Path, PathBuf};

use zmq::cert::Certificate;

/// A directory for `example`'s certificates, unique to this process.
pub(crate) fn example_base_dir(example: &str) -> PathBuf {
    std::env::temp_dir().join(format!("zmq-security-{example}-{}", std::process::id()))
}

/// Creates a client and a server certificate under `base_dir`, then sorts
/// the files: public ones (`*.key`) into `public_keys`, secret ones
/// (`*.key_secret`) into `private_keys`.
pub(crate) fn generate_certificates(base_dir: &Path) -> Result<(), Box<dyn Error>> {
    let keys_dir = base_dir.join("certificates");
    let public_keys_dir = base_dir.join("public_keys");
    let secret_keys_dir = base_dir.join("private_keys");

    // Create directories for certificates, remove old content if necessary
    for dir in [&keys_dir, &public_keys_dir, &secret_keys_dir] {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
    }

    // create new keys in certificates dir
    for name in ["server", "client"] {
        Certificate::new()?.save(keys_dir.join(format!("{name}.key")))?;
    }

    // move public keys to appropriate directory, and secret keys to theirs
    for entry in std::fs::read_dir(&keys_dir)? {
        let path = entry?.path();
        let Some(file_name) = path.file_name() else {
            continue;
        };
        let name = file_name.to_string_lossy();
        if name.ends_with(".key") {
            std::fs::rename(&path, public_keys_dir.join(file_name))?;
        } else if name.ends_with(".key_secret") {
            std::fs::rename(&path, secret_keys_dir.join(file_name))?;
        }
    }
    Ok(())
}
