//! What the linked libzmq was built with.

use std::ffi::{CStr, c_char};

fn has(capability: &CStr) -> bool {
    // SAFETY: zmq_has reads a NUL-terminated string.
    unsafe { zmq_sys::zmq_has(capability.as_ptr()) == 1 }
}

/// Generates a CURVE key pair into the two buffers; returns zmq_curve_keypair's
/// result.
fn keypair(public: &mut [c_char; 41], secret: &mut [c_char; 41]) -> i32 {
    // SAFETY: both buffers hold the 40 characters plus NUL the call writes.
    unsafe { zmq_sys::zmq_curve_keypair(public.as_mut_ptr(), secret.as_mut_ptr()) }
}

/// The vendored build always has CURVE (through libsodium-sys-stable).
#[test]
#[cfg(not(zmq_system))]
fn curve_is_compiled_in() {
    assert!(has(c"curve"), "libzmq was built without CURVE");
}

/// An installed libzmq may have been built without CURVE; what it reports
/// must then agree with what it does.
#[test]
#[cfg(zmq_system)]
fn curve_capability_agrees_with_keypair_generation() {
    let (mut public, mut secret) = ([0; 41], [0; 41]);
    let rc = keypair(&mut public, &mut secret);
    assert_eq!(
        has(c"curve"),
        rc == 0,
        "zmq_has(\"curve\") disagrees with zmq_curve_keypair (rc {rc})"
    );
}

#[test]
fn curve_keypair_yields_two_z85_keys() {
    if cfg!(zmq_system) && !has(c"curve") {
        eprintln!("skipped: the installed libzmq was built without CURVE");
        return;
    }
    let (mut public, mut secret) = ([0; 41], [0; 41]);
    let rc = keypair(&mut public, &mut secret);
    assert_eq!(rc, 0, "zmq_curve_keypair failed");
    // SAFETY: the call NUL-terminated both buffers.
    let (public, secret) = unsafe {
        (
            CStr::from_ptr(public.as_ptr()),
            CStr::from_ptr(secret.as_ptr()),
        )
    };
    assert_eq!(public.to_bytes().len(), 40);
    assert_eq!(secret.to_bytes().len(), 40);
    assert_ne!(public, secret);

    // The public key derives from the secret one.
    let mut derived: [c_char; 41] = [0; 41];
    // SAFETY: `derived` holds 41 bytes; `secret` is a NUL-terminated Z85 key.
    let rc = unsafe { zmq_sys::zmq_curve_public(derived.as_mut_ptr(), secret.as_ptr()) };
    assert_eq!(rc, 0);
    // SAFETY: NUL-terminated by the call.
    assert_eq!(unsafe { CStr::from_ptr(derived.as_ptr()) }, public);
}

/// libzmq reports optional transports and mechanisms; `inproc` is always
/// built in and has no capability name (`reqrep.rs` proves it works).
#[test]
fn ipc_is_reported_and_unknown_capabilities_are_not() {
    assert!(has(c"ipc"));
    assert!(!has(c"inproc"), "libzmq 4.3 has no \"inproc\" capability");
    assert!(!has(c"no-such-capability"));
}

#[test]
#[cfg(feature = "draft")]
fn draft_api_is_compiled_in() {
    assert!(has(c"draft"));
}

#[test]
#[cfg(not(feature = "draft"))]
fn draft_api_is_off_without_the_feature() {
    assert!(!has(c"draft"));
}
