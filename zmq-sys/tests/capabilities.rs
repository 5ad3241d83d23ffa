//! What the linked libzmq was built with.

use std::ffi::CStr;

fn has(capability: &CStr) -> bool {
    // SAFETY: zmq_has reads a NUL-terminated string.
    unsafe { zmq_sys::zmq_has(capability.as_ptr()) == 1 }
}

#[test]
fn curve_is_compiled_in() {
    assert!(has(c"curve"), "libzmq was built without CURVE");
}

#[test]
fn curve_keypair_yields_two_z85_keys() {
    let mut public = [0 as std::ffi::c_char; 41];
    let mut secret = [0 as std::ffi::c_char; 41];
    // SAFETY: both buffers hold the 40 characters plus NUL the call writes.
    let rc = unsafe { zmq_sys::zmq_curve_keypair(public.as_mut_ptr(), secret.as_mut_ptr()) };
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
    let mut derived = [0 as std::ffi::c_char; 41];
    // SAFETY: `derived` holds 41 bytes; `secret` is a NUL-terminated Z85 key.
    let rc = unsafe { zmq_sys::zmq_curve_public(derived.as_mut_ptr(), secret.as_ptr()) };
    assert_eq!(rc, 0);
    // SAFETY: NUL-terminated by the call.
    assert_eq!(unsafe { CStr::from_ptr(derived.as_ptr()) }, public);
}

#[test]
fn ipc_and_inproc_transports_are_available() {
    assert!(has(c"ipc"));
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
