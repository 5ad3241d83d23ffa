//! Report 0MQ version
//!
//! Port of the zguide's `examples/Python/version.py`. The original's second
//! line reports pyzmq's own version; this port has no Python binding to
//! report, so it prints only the libzmq line.

fn main() {
    let (major, minor, patch) = zmq::version();
    println!("Current libzmq version is {major}.{minor}.{patch}");
}
