//! libzmq's own perf tools, compiled by build.rs against the libzmq that
//! zmq-sys built, run with small counts: they link, run, and print reports
//! that parse and agree with what they were asked to do.
//!
//! The tests exist only under the cfg `zmq_perf_tools`, which build.rs sets
//! when it built the tools. So that they cannot vanish silently, one test
//! exists exactly when that cfg is missing, and fails if the build was a
//! vendored one (which always builds them).

/// Without the cfg, the tools must be absent for a reason: a `system` build
/// has no libzmq source tree to compile them from (build.rs warns), and so
/// this passes there. In a vendored build it means build.rs stopped setting
/// the cfg, and every test below would be skipped unseen.
#[cfg(not(zmq_perf_tools))]
#[test]
#[cfg_attr(
    target_env = "msvc",
    ignore = "build.rs does not build libzmq's perf tools with MSVC"
)]
fn perf_tools_are_missing_only_from_system_builds() {
    assert_ne!(
        env!("ZMQ_GUIDE_VENDORED"),
        "1",
        "zmq-sys built libzmq from source, but build.rs did not set cfg(zmq_perf_tools): \
         the perf tool tests were compiled out"
    );
}

#[cfg(zmq_perf_tools)]
mod tools {
    use std::net::TcpListener;
    use std::time::Duration;

    use zmq_guide::perf::{self, Latency, TOOLS, Throughput};

    /// Far beyond what these runs take (milliseconds), short enough that a hung
    /// tool fails the test instead of the CI job.
    const TIMEOUT: Duration = Duration::from_secs(60);

    #[test]
    fn every_perf_tool_is_built() {
        for tool in TOOLS {
            let path = perf::tool_path(tool).unwrap();
            assert!(path.is_file(), "{} is missing", path.display());
        }
    }

    #[test]
    fn inproc_lat_reports_the_requested_roundtrips() {
        let report = perf::run("inproc_lat", &["1", "1000"], TIMEOUT).unwrap();
        let lat = Latency::parse(&report).unwrap();
        assert_eq!(lat.message_size, 1, "{report}");
        assert_eq!(lat.roundtrip_count, 1000, "{report}");
        assert!(lat.average_latency_us > 0.0, "{report}");
    }

    #[test]
    fn inproc_thr_reports_the_requested_messages() {
        let report = perf::run("inproc_thr", &["1", "10000"], TIMEOUT).unwrap();
        let thr = Throughput::parse(&report).unwrap();
        assert_eq!(thr.message_size, 1, "{report}");
        assert_eq!(thr.message_count, 10000, "{report}");
        assert!(thr.messages_per_second > 0, "{report}");
        assert_megabits_match(&thr, &report);
    }

    #[test]
    fn tcp_thr_pair_reports_the_requested_messages() {
        let endpoint = free_tcp_endpoint();
        let local = perf::spawn("local_thr", &[&endpoint, "64", "10000"]).unwrap();
        let remote = perf::run("remote_thr", &[&endpoint, "64", "10000"], TIMEOUT).unwrap();
        assert_eq!(remote, "", "remote_thr prints nothing when it succeeds");
        let report = perf::wait_for(local, TIMEOUT).unwrap();
        let thr = Throughput::parse(&report).unwrap();
        assert_eq!(thr.message_size, 64, "{report}");
        assert_eq!(thr.message_count, 10000, "{report}");
        assert!(thr.messages_per_second > 0, "{report}");
        assert_megabits_match(&thr, &report);
    }

    #[test]
    fn tcp_lat_pair_reports_the_requested_roundtrips() {
        let endpoint = free_tcp_endpoint();
        let local = perf::spawn("local_lat", &[&endpoint, "64", "200"]).unwrap();
        let report = perf::run("remote_lat", &[&endpoint, "64", "200"], TIMEOUT).unwrap();
        perf::wait_for(local, TIMEOUT).unwrap();
        let lat = Latency::parse(&report).unwrap();
        assert_eq!(lat.message_size, 64, "{report}");
        assert_eq!(lat.roundtrip_count, 200, "{report}");
        assert!(lat.average_latency_us > 0.0, "{report}");
    }

    /// The tools compute Mb/s from the integer msg/s they print, to 3 decimals.
    fn assert_megabits_match(thr: &Throughput, report: &str) {
        let expected = thr.messages_per_second as f64 * thr.message_size as f64 * 8.0 / 1e6;
        assert!(thr.megabits_per_second > 0.0, "{report}");
        assert!(
            (thr.megabits_per_second - expected).abs() < 0.001,
            "expected {expected} Mb/s:\n{report}"
        );
    }

    /// The local_* tools bind the endpoint given on their command line, so ask
    /// the OS for a port that is free now. Another process could take it before
    /// the tool binds; then the tool fails with "Address already in use" rather
    /// than the test hanging.
    fn free_tcp_endpoint() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        format!("tcp://127.0.0.1:{port}")
    }
}
