//! The command line of `cargo bench --bench compare`
//! (`benches/compare/options.rs`), whose tests run here: the benchmark has
//! no test harness of its own.

// The benchmark uses the rest (USAGE, the fields): here only the parsing is
// under test.
#[allow(dead_code)]
#[path = "../benches/compare/options.rs"]
mod options;

use options::{Options, parse_batch_size};

fn parse(args: &[&str]) -> Result<Options, String> {
    Options::parse(args.iter().map(|a| (*a).to_owned()))
}

#[test]
fn batch_sizes_read_bytes_and_binary_units() {
    assert_eq!(parse_batch_size("8192"), Ok(8192));
    assert_eq!(parse_batch_size("64KiB"), Ok(65536));
    assert_eq!(parse_batch_size("256k"), Ok(262_144));
    assert_eq!(parse_batch_size("1MiB"), Ok(1 << 20));
    assert_eq!(parse_batch_size("4 M"), Ok(4 << 20));
}

#[test]
fn batch_sizes_refuse_zero_huge_and_unknown_units() {
    assert!(parse_batch_size("0").is_err());
    assert!(parse_batch_size("2048MiB").is_err());
    assert!(parse_batch_size("64KB").is_err());
    assert!(parse_batch_size("KiB").is_err());
    assert!(parse_batch_size("-1").is_err());
    assert!(parse_batch_size("99999999999999999999999").is_err());
}

#[test]
fn without_batch_size_no_tuned_runs() {
    let options = parse(&["--bench", "--rounds", "3"]).unwrap();
    assert!(options.batch_sizes.is_empty());
    assert_eq!(options.rounds, 3);
}

#[test]
fn batch_size_needs_a_value() {
    assert_eq!(
        parse(&["--batch-size"]).unwrap_err(),
        "--batch-size needs a value"
    );
}

#[cfg(feature = "draft")]
#[test]
fn batch_sizes_are_kept_in_order_without_repeats() {
    let options = parse(&[
        "--batch-size",
        "64KiB",
        "--batch-size",
        "1MiB",
        "--batch-size",
        "65536",
    ])
    .unwrap();
    assert_eq!(options.batch_sizes, vec![65536, 1 << 20]);
}

#[cfg(not(feature = "draft"))]
#[test]
fn batch_size_without_draft_says_which_feature_it_needs() {
    let error = parse(&["--batch-size", "64KiB"]).unwrap_err();
    assert!(error.contains("--features draft"), "{error}");
}
