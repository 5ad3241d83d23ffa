//! pyzmq classic: the PUSH/PULL worker pool, result collector
//!
//! Port of `resultcollector.py` from "Learning 0MQ with pyzmq": pulls 1000
//! JSON results on tcp://127.0.0.1:5558, counts them per consumer and
//! prints the tally the way Python's `pprint` shows the dict,
//! `{1234: 502, 5678: 498}`. `ZGUIDE_RESULTS` sets how many (default 1000).

use std::collections::BTreeMap;

use serde_json::Value;
use zmq::{ErrorKind, SocketType};
use zmq_guide::{endpoint, setting};

fn result_collector() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let results_receiver = context.socket(SocketType::Pull)?;
    results_receiver.bind(&endpoint("tcp://127.0.0.1:5558"))?;
    // pprint sorts a dict by key: a BTreeMap is already in that order.
    let mut collecter_data: BTreeMap<u64, u64> = BTreeMap::new();
    let results = setting("ZGUIDE_RESULTS", 1000u32);
    for _ in 0..results {
        let result: Value = match results_receiver.recv_json() {
            Ok(result) => result,
            Err(e) if e.kind() == ErrorKind::Serialization => {
                eprintln!("E: not a JSON result: {e}");
                continue;
            }
            Err(e) => return Err(e),
        };
        // Results without a consumer id are tallied under 0.
        let consumer = result["consumer"].as_u64().unwrap_or_default();
        *collecter_data.entry(consumer).or_insert(0) += 1;
    }
    // The original prints on its last round (x == 999): after the loop.
    let entries: Vec<String> = collecter_data
        .iter()
        .map(|(consumer, count)| format!("{consumer}: {count}"))
        .collect();
    println!("{{{}}}", entries.join(", "));
    Ok(())
}

fn main() -> zmq::Result<()> {
    result_collector()
}
