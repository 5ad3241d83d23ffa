//! pyzmq's examples whose originals run on asyncio (`examples/pyzmq/
//! eventloop/`), ported on `zmq::asyncio`: run as processes, their output
//! and, for asyncweb, their HTTP answers checked. Feature `tokio`: `cargo
//! build --features tokio --examples` first, then `cargo test --features
//! tokio --test pyzmq_async`.
#![cfg(feature = "tokio")]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

use common::Scenario;

/// Far longer than any of these runs takes, so only a hang trips it.
const TIMEOUT: Duration = Duration::from_secs(30);

#[test]
fn coroutines_receive_each_second_while_the_dots_keep_coming() {
    let scenario = Scenario::new();
    let running = scenario.spawn("coroutines", &[]);
    running.wait_until("two messages", TIMEOUT, |out, _| {
        out.matches("recvd [b'").count() >= 2 && out.contains("nothing to recv")
    });
    let lines: Vec<String> = running
        .stop()
        .lines()
        .iter()
        .map(|l| (*l).to_owned())
        .collect();
    assert!(lines.iter().filter(|l| *l == ".").count() >= 2, "{lines:?}");
    for line in &lines {
        if let Some(seconds) = line
            .strip_prefix("recvd [b'")
            .and_then(|rest| rest.strip_suffix("']"))
        {
            assert!(seconds.parse::<f64>().is_ok(), "{line}");
        } else {
            assert!(
                [
                    ".",
                    "sending",
                    "nothing to recv",
                    "recving [(<Socket PULL>, <PollEvent.POLLIN: 1>)]"
                ]
                .contains(&line.as_str()),
                "{line:?}"
            );
        }
    }
}

/// What an HTTP/1.1 server answered: status code, headers (names in lower
/// case) and body.
#[derive(Debug)]
struct HttpResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl HttpResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `method path` on 127.0.0.1:`port` with `Connection: close`, read to the
/// end, with a deadline.
fn http(port: u16, method: &str, path: &str) -> HttpResponse {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("not an HTTP response: {raw:?}"));
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("status line {status_line:?}"));
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(": ").unwrap();
            (name.to_ascii_lowercase(), value.to_owned())
        })
        .collect();
    HttpResponse {
        status,
        headers,
        body: body.to_owned(),
    }
}

#[test]
fn asyncweb_answers_concurrent_requests_through_its_worker_and_stays_responsive() {
    let scenario = Scenario::new();
    // The worker takes 0.5 to 2.5 s over each request, one at a time.
    let server = scenario.spawn_with_env("asyncweb", &[], &[("ZGUIDE_TIME_SCALE", "0.5")]);
    let port = scenario.port(8888);
    server.wait_for_listener(port, TIMEOUT);

    // Three requests at once: each waits for the worker, in turn.
    let requests: Vec<_> = (0..3)
        .map(|_| thread::spawn(move || http(port, "GET", "/")))
        .collect();
    server.wait_until("a request at the worker", TIMEOUT, |out, _| {
        out.contains("worker received b'hello'")
    });
    // While they wait, the loop serves others: the 404 comes back before the
    // worker has answered the first (it takes at least 0.5 s).
    let missing = http(port, "GET", "/missing?x=1");
    assert!(
        !server.stdout_so_far().contains("finishing with"),
        "the 404 waited for a reply:\n{}",
        server.stdout_so_far()
    );
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.body,
        "<html><title>404: Not Found</title><body>404: Not Found</body></html>"
    );
    let not_allowed = http(port, "POST", "/");
    assert_eq!(not_allowed.status, 405);
    assert_eq!(
        not_allowed.body,
        "<html><title>405: Method Not Allowed</title><body>405: Method Not Allowed</body></html>"
    );

    let mut bodies: Vec<String> = requests
        .into_iter()
        .map(|request| {
            let response = request.join().unwrap();
            assert_eq!(response.status, 200, "{response:?}");
            assert_eq!(
                response.header("content-type"),
                Some("text/html; charset=UTF-8")
            );
            response.body
        })
        .collect();
    bodies.sort();
    assert_eq!(
        bodies,
        [
            "hello to you too, #0",
            "hello to you too, #1",
            "hello to you too, #2"
        ]
    );

    let finished = server.interrupt_until_exit(TIMEOUT).success();
    let lines = finished.lines();
    assert!(lines.last().unwrap().ends_with(" Interrupted"), "{lines:?}");
    let received: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| **l == "worker received b'hello'")
        .map(|(at, _)| at)
        .collect();
    assert_eq!(received.len(), 3, "{lines:?}");
    for i in 0..3 {
        let finishing = format!("finishing with 'hello to you too, #{i}'");
        let at = lines
            .iter()
            .position(|l| *l == finishing)
            .unwrap_or_else(|| panic!("no {finishing:?} in {lines:?}"));
        // The i-th request the worker took got reply #i, and the dots kept
        // coming while the worker slept over it: the loop was not blocked.
        assert!(received[i] < at, "{lines:?}");
        assert!(
            lines[received[i]..at].iter().any(|l| l.starts_with('.')),
            "no dot between the worker's receipt and its reply #{i}: {lines:?}"
        );
        assert_eq!(lines[at + 1], "", "{lines:?}");
    }
    for line in &lines {
        assert!(
            line.chars().all(|c| c == '.')
                || line.starts_with("worker received ")
                || line.starts_with("finishing with ")
                || line.ends_with(" Interrupted"),
            "{line:?}"
        );
    }
    // tornado's access log of the failed requests, on stderr.
    let log: Vec<&str> = finished.stderr.lines().collect();
    assert_eq!(log.len(), 2, "{log:?}");
    assert!(
        log[0].starts_with("404 GET /missing?x=1 (127.0.0.1) ") && log[0].ends_with("ms"),
        "{log:?}"
    );
    assert!(log[1].starts_with("405 POST / (127.0.0.1) "), "{log:?}");
}
