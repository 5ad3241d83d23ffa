//! Certificates: saved in czmq's zcert layout, loaded back, read when
//! written by pyzmq, and loaded by directory.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use zmq::cert::{Certificate, load_public_certificates, secret_path};
use zmq::{CurveKeyPair, ErrorKind, PublicKey};

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "zmq-cert-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn curve() -> bool {
    zmq::has(zmq::Capability::Curve)
}

#[test]
fn saved_certificate_loads_back_with_keys_and_metadata() {
    if !curve() {
        return;
    }
    let dir = TempDir::new();
    let mut cert = Certificate::new().unwrap();
    cert.set_meta("name", "server").unwrap();
    cert.set_meta("email", "ops@example.org").unwrap();
    let path = dir.0.join("server.key");
    cert.save(&path).unwrap();

    let public = Certificate::load(&path).unwrap();
    assert_eq!(public.public_key(), cert.public_key());
    assert!(public.secret_key().is_none());
    assert_eq!(public.meta("email"), Some("ops@example.org"));

    let secret = Certificate::load(secret_path(&path)).unwrap();
    assert_eq!(secret, cert);
    assert_eq!(secret.key_pair().unwrap().public(), cert.public_key());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(secret_path(&path))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "secret file is private: {mode:o}");
    }
}

#[test]
fn files_have_the_zcert_layout() {
    if !curve() {
        return;
    }
    let mut cert = Certificate::new().unwrap();
    cert.set_meta("name", "client").unwrap();
    let public = cert.public_text();
    let secret = cert.secret_text().unwrap();
    let z85 = cert.public_key().to_string();
    let secret_z85 = cert.secret_key().unwrap().to_z85();

    assert!(
        public
            .lines()
            .next()
            .unwrap()
            .starts_with("#   ****  Generated on ")
    );
    assert!(public.contains("#   ZeroMQ CURVE Public Certificate\n"));
    assert!(public.contains(&format!(
        "\nmetadata\n    name = \"client\"\ncurve\n    public-key = \"{z85}\"\n"
    )));
    assert!(!public.contains(&secret_z85));
    assert!(secret.contains("#   ZeroMQ CURVE **Secret** Certificate\n"));
    assert!(secret.contains(&format!("    secret-key = \"{secret_z85}\"\n")));
}

#[test]
fn reads_the_layout_pyzmq_writes() {
    if !curve() {
        return;
    }
    let keys = CurveKeyPair::generate().unwrap();
    let text = format!(
        "#   ****  Generated on 2026-01-01 00:00:00 by pyzmq  ****\n\
         #   ZeroMQ CURVE **Secret** Certificate\n\
         \n\
         metadata\n    owner = alice\n\
         curve\n    public-key = \"{}\"\n    secret-key = '{}'\n",
        keys.public(),
        keys.secret().to_z85()
    );
    let cert = Certificate::parse(&text).unwrap();
    assert_eq!(cert.public_key(), keys.public());
    assert_eq!(cert.secret_key(), Some(keys.secret()));
    assert_eq!(cert.meta("owner"), Some("alice"));
}

#[test]
fn broken_certificates_are_errors() {
    if !curve() {
        return;
    }
    let no_key = Certificate::parse("metadata\ncurve\n").unwrap_err();
    assert!(no_key.to_string().contains("no public-key"), "{no_key}");
    let bad_key = Certificate::parse("curve\n    public-key = \"short\"\n").unwrap_err();
    assert!(bad_key.to_string().contains("line 2"), "{bad_key}");
    let (a, b) = (
        CurveKeyPair::generate().unwrap(),
        CurveKeyPair::generate().unwrap(),
    );
    let mismatched = format!(
        "curve\n    public-key = \"{}\"\n    secret-key = \"{}\"\n",
        a.public(),
        b.secret().to_z85()
    );
    assert!(Certificate::parse(&mismatched).is_err());
    let missing = Certificate::load("/nonexistent/zmq/cert.key").unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    let public_only = Certificate::from_public(*a.public());
    assert!(
        public_only
            .save_secret(std::env::temp_dir().join("x_secret"))
            .is_err()
    );
}

#[test]
fn directory_load_takes_public_certificates_only() {
    if !curve() {
        return;
    }
    let dir = TempDir::new();
    let alice = Certificate::new().unwrap();
    let bob = Certificate::new().unwrap();
    alice.save(dir.0.join("alice.key")).unwrap();
    bob.save(dir.0.join("bob.key")).unwrap();
    std::fs::write(dir.0.join("README"), "not a certificate\n").unwrap();
    std::fs::create_dir(dir.0.join("nested")).unwrap();

    let loaded = load_public_certificates(&dir.0).unwrap();
    let keys: Vec<PublicKey> = loaded
        .certificates
        .iter()
        .map(|c| *c.public_key())
        .collect();
    assert_eq!(keys, [*alice.public_key(), *bob.public_key()]);
    assert!(loaded.certificates.iter().all(|c| c.secret_key().is_none()));
    // The README is no certificate, and the caller is told.
    let [(path, why)] = &loaded.refused[..] else {
        panic!("one refused file expected: {:?}", loaded.refused)
    };
    assert!(path.ends_with("README"), "{path:?}");
    assert!(why.to_string().contains("no public-key"), "{why}");

    let missing = load_public_certificates(dir.0.join("absent")).unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
}

#[cfg(unix)]
#[test]
fn saving_over_an_existing_world_readable_secret_file_makes_it_private() {
    use std::os::unix::fs::PermissionsExt;
    if !curve() {
        return;
    }
    let dir = TempDir::new();
    let path = dir.0.join("client.key_secret");
    std::fs::write(&path, "old contents, longer than nothing").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();

    let cert = Certificate::new().unwrap();
    cert.save_secret(&path).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "secret file is private: {mode:o}");
    assert_eq!(Certificate::load(&path).unwrap(), cert);
    // Only the certificate is left in the directory: no temporary file.
    assert_eq!(std::fs::read_dir(&dir.0).unwrap().count(), 1);
}

#[cfg(unix)]
#[test]
fn saving_a_secret_over_a_symlink_replaces_the_link_not_its_target() {
    use std::os::unix::fs::PermissionsExt;
    if !curve() {
        return;
    }
    let dir = TempDir::new();
    let target = dir.0.join("elsewhere");
    std::fs::write(&target, "not yours").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    let path = dir.0.join("server.key_secret");
    std::os::unix::fs::symlink(&target, &path).unwrap();

    let cert = Certificate::new().unwrap();
    cert.save_secret(&path).unwrap();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "not yours");
    let meta = std::fs::symlink_metadata(&path).unwrap();
    assert!(meta.file_type().is_file());
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert_eq!(Certificate::load(&path).unwrap(), cert);
}

#[test]
fn a_malformed_certificate_file_reports_its_line_and_reason() {
    let dir = TempDir::new();
    let path = dir.0.join("broken.key");
    std::fs::write(
        &path,
        "# comment\n\ncurve\n    public-key = \"not-a-z85-key\"\n",
    )
    .unwrap();
    let error = Certificate::load(&path).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    let text = error.to_string();
    assert!(text.contains("broken.key"), "{text}");
    assert!(text.contains("line 4"), "{text}");
    assert!(text.contains("40 characters, not 13"), "{text}");
}

#[test]
fn certificate_files_over_the_size_bound_are_refused_before_reading() {
    use zmq::cert::CERTIFICATE_MAX;
    let dir = TempDir::new();
    let path = dir.0.join("huge.key");
    let file = std::fs::File::create(&path).unwrap();
    // Sparse: the test writes nothing, the bound refuses it all the same.
    file.set_len(1 << 30).unwrap();
    let error = Certificate::load(&path).unwrap_err();
    let text = error.to_string();
    assert!(text.contains(&CERTIFICATE_MAX.to_string()), "{text}");
    assert!(text.contains("huge.key"), "{text}");

    let found = load_public_certificates(&dir.0).unwrap();
    assert!(found.certificates.is_empty());
    assert_eq!(found.refused.len(), 1);
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_are_not_read_as_certificates() {
    // /dev/zero never ends; a FIFO with no writer would block the open.
    let error = Certificate::load("/dev/zero").unwrap_err();
    assert!(error.to_string().contains("not a regular file"), "{error}");
    let dir = TempDir::new();
    let fifo = dir.0.join("pipe.key");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(
            Certificate::load(&fifo)
                .map(drop)
                .map_err(|e| e.to_string()),
        );
    });
    let result = finished
        .recv_timeout(std::time::Duration::from_secs(5))
        .expect("loading a FIFO returns instead of waiting for a writer");
    assert!(result.unwrap_err().contains("not a regular file"));
}
