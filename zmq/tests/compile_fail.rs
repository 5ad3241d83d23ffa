//! The promises the type system makes, proven by code that must not
//! compile. Each case in `compile_fail/` has the compiler's expected
//! diagnostic beside it (regenerate with `TRYBUILD=overwrite`, then review).

mod common;

/// Cases whose expected diagnostics list the options that do implement a
/// trait. The draft feature adds rows to that list, so these run without it
/// only; every other case runs in every configuration.
const OPTION_CASES: [&str; 3] = [
    "read_write_only_option",
    "write_read_only_option",
    "write_read_only_context_option",
];

#[test]
fn misuse_is_rejected_by_the_compiler() {
    let skip: &[&str] = if cfg!(feature = "draft") {
        &OPTION_CASES
    } else {
        &[]
    };
    common::compile_fail("tests/compile_fail", skip);
}
