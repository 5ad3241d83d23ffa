//! Passes zmq-sys's metadata to the crate: where `zmq.h` is (for the test
//! that checks the socket option table against it).

fn main() {
    println!("cargo:rerun-if-env-changed=DEP_ZMQ_INCLUDE");
    if let Ok(include) = std::env::var("DEP_ZMQ_INCLUDE") {
        println!("cargo:rustc-env=ZMQ_INCLUDE_DIR={include}");
    }
}
