//! The crate version's `+x.y.z` names the libzmq it carries.

fn runtime_version() -> (i32, i32, i32) {
    let (mut major, mut minor, mut patch) = (0, 0, 0);
    // SAFETY: zmq_version writes three ints through valid pointers.
    unsafe { zmq_sys::zmq_version(&mut major, &mut minor, &mut patch) };
    (major, minor, patch)
}

#[test]
#[cfg_attr(zmq_system, ignore = "the system libzmq has its own version")]
fn runtime_version_equals_crate_version_suffix() {
    let pinned = env!("CARGO_PKG_VERSION")
        .split_once('+')
        .map(|(_, libzmq)| libzmq)
        .expect("zmq-sys's version carries +<libzmq version>");
    let (major, minor, patch) = runtime_version();
    assert_eq!(format!("{major}.{minor}.{patch}"), pinned);
}

#[test]
fn header_version_constants_match_runtime_for_vendored_builds() {
    let (major, minor, _) = runtime_version();
    assert_eq!(
        (major, minor),
        (zmq_sys::ZMQ_VERSION_MAJOR, zmq_sys::ZMQ_VERSION_MINOR)
    );
    #[cfg(not(zmq_system))]
    assert_eq!(runtime_version().2, zmq_sys::ZMQ_VERSION_PATCH);
}

#[test]
#[cfg_attr(zmq_system, ignore = "the system libzmq has its own version")]
fn zmq_version_constant_is_the_runtime_version_made_into_one_number() {
    let (major, minor, patch) = runtime_version();
    // ZMQ_MAKE_VERSION(major, minor, patch) of zmq.h.
    assert_eq!(zmq_sys::ZMQ_VERSION, major * 10000 + minor * 100 + patch);
}
