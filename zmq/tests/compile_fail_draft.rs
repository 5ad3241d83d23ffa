//! The thread model of the draft API, proven by code that must not compile:
//! DGRAM sockets stay `!Sync` like every classic socket, a `Poller` stays on
//! its thread and cannot outlive the sockets registered in it, and user data
//! cannot be removed while an event still borrows it. The `Send + Sync`
//! half (ThreadSafeSocket) is a static assertion in `draft_thread_safe.rs`.
//! Regenerate the expected diagnostics with `TRYBUILD=overwrite`, then
//! review them.
#![cfg(feature = "draft")]

mod common;

#[test]
fn draft_misuse_is_rejected_by_the_compiler() {
    common::compile_fail("tests/compile_fail_draft", &[]);
}
