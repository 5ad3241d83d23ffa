//! The libzmq version check the pyzmq security examples start with.

/// `Err` with pyzmq's message when libzmq predates security (4.0).
pub(crate) fn require_security() -> Result<(), String> {
    let (major, minor, patch) = zmq::version();
    if (major, minor) < (4, 0) {
        return Err(format!(
            "Security is not supported in libzmq version < 4.0. libzmq version {major}.{minor}.{patch}"
        ));
    }
    Ok(())
}
