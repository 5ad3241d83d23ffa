//! The Rust ports of libzmq's perf tools (`src/bin/*.rs`) take the
//! originals' arguments, print the originals' lines and talk to the
//! originals: each port is checked against the C++ tool built by build.rs.
#![cfg(zmq_perf_tools)]

use std::net::TcpListener;
use std::process::Command;
use std::time::Duration;

use zmq_guide::perf::{self, Latency, Throughput};

/// Far beyond what these runs take (milliseconds, or the 1 s local_lat
/// sleeps before exiting), short enough that a hang fails the test.
const TIMEOUT: Duration = Duration::from_secs(60);

/// The executable of the Rust port of `tool`.
fn port(tool: &str) -> &'static str {
    match tool {
        "local_thr" => env!("CARGO_BIN_EXE_local_thr"),
        "remote_thr" => env!("CARGO_BIN_EXE_remote_thr"),
        "local_lat" => env!("CARGO_BIN_EXE_local_lat"),
        "remote_lat" => env!("CARGO_BIN_EXE_remote_lat"),
        "inproc_thr" => env!("CARGO_BIN_EXE_inproc_thr"),
        "inproc_lat" => env!("CARGO_BIN_EXE_inproc_lat"),
        "zero_copy_thr" => env!("CARGO_BIN_EXE_zero_copy_thr"),
        _ => panic!("no port of {tool}"),
    }
}

fn run_port(tool: &str, args: &[&str]) -> String {
    perf::wait_for(
        perf::spawn_path(port(tool).as_ref(), args).unwrap(),
        TIMEOUT,
    )
    .unwrap()
}

/// A report with every number replaced by `#`: the lines, labels and units.
fn shape(report: &str) -> String {
    let mut out = String::new();
    let mut in_number = false;
    for c in report.chars() {
        if c.is_ascii_digit() || (in_number && c == '.') {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

fn free_tcp_endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    format!("tcp://127.0.0.1:{port}")
}

/// stdout and exit status of one run of `program`.
fn output_of(program: &std::path::Path, args: &[&str]) -> (String, Option<i32>) {
    let output = Command::new(program).args(args).output().unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        output.status.code(),
    )
}

#[test]
fn inproc_thr_port_prints_the_originals_report() {
    let rust = run_port("inproc_thr", &["64", "20000"]);
    let raw = perf::run("inproc_thr", &["64", "20000"], TIMEOUT).unwrap();
    assert_eq!(shape(&rust), shape(&raw), "port:\n{rust}\noriginal:\n{raw}");
    let thr = Throughput::parse(&rust).unwrap();
    assert_eq!((thr.message_size, thr.message_count), (64, 20000), "{rust}");
    assert!(thr.messages_per_second > 0, "{rust}");
    // inproc_thr computes Mb/s from the truncated msg/s, exactly.
    let expected = (thr.messages_per_second * 64 * 8) as f64 / 1e6;
    assert!(
        (thr.megabits_per_second - expected).abs() < 0.0005,
        "{rust}"
    );
}

#[test]
fn inproc_lat_port_prints_the_originals_report() {
    let rust = run_port("inproc_lat", &["1024", "2000"]);
    let raw = perf::run("inproc_lat", &["1024", "2000"], TIMEOUT).unwrap();
    assert_eq!(shape(&rust), shape(&raw), "port:\n{rust}\noriginal:\n{raw}");
    let lat = Latency::parse(&rust).unwrap();
    assert_eq!(
        (lat.message_size, lat.roundtrip_count),
        (1024, 2000),
        "{rust}"
    );
    assert!(lat.average_latency_us > 0.0, "{rust}");
}

/// Runs the Rust `local_thr`, with `env` added to its environment,
/// receiving 5,000 messages of 1 KiB from the original `remote_thr` over
/// tcp; checks that it reports them and returns its report.
fn port_local_thr_from_the_original(env: &[(String, String)]) -> String {
    let endpoint = free_tcp_endpoint();
    let local = perf::spawn_command_with_env(
        port("local_thr").as_ref(),
        &[&endpoint, "1024", "5000"],
        env,
    )
    .unwrap();
    let remote = perf::run("remote_thr", &[&endpoint, "1024", "5000"], TIMEOUT).unwrap();
    assert_eq!(remote, "");
    let report = perf::wait_for(local, TIMEOUT).unwrap();
    let thr = Throughput::parse(&report).unwrap();
    assert_eq!(
        (thr.message_size, thr.message_count),
        (1024, 5000),
        "{report}"
    );
    report
}

#[test]
fn thr_ports_pair_with_the_originals_over_tcp() {
    // Rust local_thr receiving from the original remote_thr ...
    let rust = port_local_thr_from_the_original(&[]);

    // ... and the original local_thr receiving from the Rust remote_thr.
    let endpoint = free_tcp_endpoint();
    let local = perf::spawn("local_thr", &[&endpoint, "1024", "5000"]).unwrap();
    assert_eq!(run_port("remote_thr", &[&endpoint, "1024", "5000"]), "");
    let raw = perf::wait_for(local, TIMEOUT).unwrap();
    assert_eq!(shape(&rust), shape(&raw), "port:\n{rust}\noriginal:\n{raw}");
}

#[test]
fn thr_ports_use_the_originals_curve_keys() {
    let endpoint = free_tcp_endpoint();
    let local =
        perf::spawn_path(port("local_thr").as_ref(), &[&endpoint, "64", "1000", "1"]).unwrap();
    perf::run("remote_thr", &[&endpoint, "64", "1000", "1"], TIMEOUT).unwrap();
    let report = perf::wait_for(local, TIMEOUT).unwrap();
    assert_eq!(Throughput::parse(&report).unwrap().message_count, 1000);

    let endpoint = free_tcp_endpoint();
    let local = perf::spawn("local_thr", &[&endpoint, "64", "1000", "1"]).unwrap();
    run_port("remote_thr", &[&endpoint, "64", "1000", "1"]);
    let report = perf::wait_for(local, TIMEOUT).unwrap();
    assert_eq!(Throughput::parse(&report).unwrap().message_count, 1000);
}

#[test]
fn lat_ports_pair_with_the_originals_over_tcp() {
    // The Rust remote_lat timing the original local_lat's echo ...
    let endpoint = free_tcp_endpoint();
    let local = perf::spawn("local_lat", &[&endpoint, "64", "500"]).unwrap();
    let rust = run_port("remote_lat", &[&endpoint, "64", "500"]);
    perf::wait_for(local, TIMEOUT).unwrap();
    let lat = Latency::parse(&rust).unwrap();
    assert_eq!((lat.message_size, lat.roundtrip_count), (64, 500), "{rust}");

    // ... and the original remote_lat timing the Rust local_lat.
    let endpoint = free_tcp_endpoint();
    let local = perf::spawn_path(port("local_lat").as_ref(), &[&endpoint, "64", "500"]).unwrap();
    let raw = perf::run("remote_lat", &[&endpoint, "64", "500"], TIMEOUT).unwrap();
    assert_eq!(perf::wait_for(local, TIMEOUT).unwrap(), "");
    assert_eq!(shape(&rust), shape(&raw), "port:\n{rust}\noriginal:\n{raw}");
}

#[test]
fn ports_print_the_originals_usage_and_exit_status() {
    for tool in perf::TOOLS {
        let rust = output_of(port(tool).as_ref(), &[]);
        let raw = output_of(&perf::tool_path(tool).unwrap(), &[]);
        assert_eq!(rust, raw, "{tool} without arguments");
        assert_eq!(rust.1, Some(1), "{tool} without arguments");
    }
}

#[test]
fn ports_report_libzmq_errors_like_the_originals() {
    for (tool, args) in [
        ("local_thr", ["tcp://no-such-transport", "1", "10"]),
        ("local_lat", ["bogus://endpoint", "1", "10"]),
    ] {
        let rust = output_of(port(tool).as_ref(), &args);
        let raw = output_of(&perf::tool_path(tool).unwrap(), &args);
        assert_eq!(rust, raw, "{tool} {args:?}");
        assert!(rust.0.starts_with("error in zmq_bind: "), "{rust:?}");
        assert_eq!(rust.1, Some(255), "{rust:?}");
    }
}

/// The comparison's zero-copy tool exists in C (compiled by build.rs beside
/// the perf tools) and over this crate: both print inproc_thr's report for
/// copied and handed-over buffers alike.
#[test]
fn zero_copy_tools_report_like_inproc_thr_in_both_modes() {
    let c_tool = perf::perf_dir().unwrap().join("zero_copy_thr");
    for mode in ["copy", "owned"] {
        let args = [mode, "4096", "300"];
        let rust = Throughput::parse(&run_port("zero_copy_thr", &args)).unwrap();
        let c = Throughput::parse(
            &perf::wait_for(perf::spawn_path(&c_tool, &args).unwrap(), TIMEOUT).unwrap(),
        )
        .unwrap();
        for report in [&rust, &c] {
            assert_eq!(
                (report.message_size, report.message_count),
                (4096, 300),
                "{mode}"
            );
            assert!(report.messages_per_second > 0, "{mode}");
        }
    }
    let (usage, status) = output_of(port("zero_copy_thr").as_ref(), &["move", "1", "1"]);
    assert!(usage.starts_with("usage: zero_copy_thr"), "{usage}");
    assert_eq!(status, Some(1));
}

/// `env` for a tuned run of a port (`perf::port::tune`).
fn tuned(name: &str, value: &str) -> Vec<(String, String)> {
    vec![(name.to_owned(), value.to_owned())]
}

#[test]
fn a_tuning_variable_that_is_not_a_number_stops_the_port() {
    let endpoint = free_tcp_endpoint();
    let env = tuned("ZMQ_PERF_SNDBUF", "many");
    let local =
        perf::spawn_command_with_env(port("local_thr").as_ref(), &[&endpoint, "1024", "10"], &env)
            .unwrap();
    let error = perf::wait_for(local, TIMEOUT).unwrap_err().to_string();
    assert!(
        error.contains("ZMQ_PERF_SNDBUF=many: not a number"),
        "{error}"
    );
}

#[cfg(feature = "draft")]
#[test]
fn ports_with_a_larger_batch_size_pair_with_the_untuned_originals() {
    let env = tuned("ZMQ_PERF_BATCH_SIZE", "262144");
    port_local_thr_from_the_original(&env);

    let endpoint = free_tcp_endpoint();
    let local = perf::spawn("local_thr", &[&endpoint, "65536", "500"]).unwrap();
    let remote = perf::spawn_command_with_env(
        port("remote_thr").as_ref(),
        &[&endpoint, "65536", "500"],
        &env,
    )
    .unwrap();
    assert_eq!(perf::wait_for(remote, TIMEOUT).unwrap(), "");
    let report = perf::wait_for(local, TIMEOUT).unwrap();
    assert_eq!(Throughput::parse(&report).unwrap().message_count, 500);
}

#[cfg(not(feature = "draft"))]
#[test]
fn a_batch_size_without_the_draft_feature_stops_the_port() {
    let endpoint = free_tcp_endpoint();
    let env = tuned("ZMQ_PERF_BATCH_SIZE", "65536");
    let local =
        perf::spawn_command_with_env(port("local_thr").as_ref(), &[&endpoint, "1024", "10"], &env)
            .unwrap();
    let error = perf::wait_for(local, TIMEOUT).unwrap_err().to_string();
    assert!(error.contains("need the draft feature"), "{error}");
}
