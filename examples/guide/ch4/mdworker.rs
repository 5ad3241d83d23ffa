//! mdworker: a Majordomo worker
//!
//! Port of the zguide's `examples/Python/mdworker.py`: an `echo` service
//! for `mdbroker`, built on the Majordomo worker API
//! (`zmq_guide::mdwrkapi`). `-v` traces the protocol. Runs until
//! interrupted.

use zmq_guide::endpoint;
use zmq_guide::mdwrkapi::MajorDomoWorker;

fn main() -> Result<(), zmq_guide::mdp::Error> {
    // Ctrl-C ends the loop as the original's KeyboardInterrupt does.
    zmq::interrupt::catch_signals()?;
    let verbose = std::env::args().any(|arg| arg == "-v");
    let mut worker = MajorDomoWorker::new(&endpoint("tcp://localhost:5555"), b"echo", verbose)?;
    let mut reply = None;
    // None means the worker was interrupted.
    while let Some(request) = worker.recv(reply.take())? {
        reply = Some(request); // Echo is complex... :-)
    }
    Ok(())
}
