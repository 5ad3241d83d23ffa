//! The promises the type system makes, proven by code that must not
//! compile. Each case in `compile_fail/` has the compiler's expected
//! diagnostic beside it (regenerate with `TRYBUILD=overwrite`, then review).

// The expected diagnostics list the options that do implement a trait; the
// draft feature adds rows to that list, so the cases run without it only.
#[cfg(not(feature = "draft"))]
#[test]
fn misuse_is_rejected_by_the_compiler() {
    trybuild::TestCases::new().compile_fail("tests/compile_fail/*.rs");
}
