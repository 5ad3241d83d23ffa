//! Generate client and server CURVE certificate files, then move them into
//! the store directory each belongs in: `private_keys` or `public_keys`.
//! The stonehouse and ironhouse examples use files laid out like this (they
//! run the same step themselves, into a temp directory).
//!
//! In practice this would be done by hand or by some out-of-band process.
//!
//! Port of pyzmq's `examples/security/generate_certificates.py`. Usage:
//! `cargo run --example generate_certificates [DIR]` (default: a new
//! directory under the system temp dir).

#[path = "certificates.rs"]
mod certificates;
#[path = "version_check.rs"]
mod version_check;

use std::error::Error;
use std::path::PathBuf;

use certificates::{example_base_dir, generate_certificates};

fn main() -> Result<(), Box<dyn Error>> {
    version_check::require_security()?;

    let base_dir = std::env::args()
        .nth(1)
        .map_or_else(|| example_base_dir("generate_certificates"), PathBuf::from);
    generate_certificates(&base_dir)?;
    println!("{}", base_dir.display());
    Ok(())
}
