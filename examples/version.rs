//! Report 0MQ version
//!
//! Port of the zguide's `examples/Python/version.py`.

use std::os::raw::c_int;

/// `zmq.zmq_version()`: libzmq's version as "major.minor.patch".
fn zmq_version() -> String {
    let (mut major, mut minor, mut patch): (c_int, c_int, c_int) = (0, 0, 0);
    // SAFETY: zmq_version only writes one int through each of the three
    // pointers, which point to live, writable locals.
    unsafe { zmq_sys::zmq_version(&mut major, &mut minor, &mut patch) };
    format!("{major}.{minor}.{patch}")
}

fn main() {
    println!("Current 0MQ version is {}", zmq_version());
}
