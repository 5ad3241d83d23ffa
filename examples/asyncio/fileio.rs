//! What the three file-transfer ports share (through `#[path]`): waiting
//! for their tasks as `asyncio.wait` and `task.result()` do, printing the
//! results as Python prints them, reading the file.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::panic::resume_unwind;

use tokio::task::{JoinHandle, JoinSet};
use zmq_guide::{pyfmt, setting};

/// Waits for every task and returns their results in the order of `tasks`.
///
/// Unlike `asyncio.wait`, the first task to fail ends the wait: the others
/// are aborted and its error returned, where the original would wait
/// forever for a client whose server is gone. A task that panicked
/// panics here with its payload.
pub(crate) async fn wait_all<T: Send + 'static>(
    tasks: Vec<JoinHandle<zmq::Result<T>>>,
) -> zmq::Result<Vec<T>> {
    let aborts: Vec<_> = tasks.iter().map(JoinHandle::abort_handle).collect();
    let mut results: Vec<Option<T>> = tasks.iter().map(|_| None).collect();
    let mut joined = JoinSet::new();
    for (index, task) in tasks.into_iter().enumerate() {
        joined.spawn(async move { (index, task.await) });
    }
    while let Some(next) = joined.join_next().await {
        let (index, outcome) = next.unwrap_or_else(|e| resume_unwind(e.into_panic()));
        match outcome.unwrap_or_else(|e| resume_unwind(e.into_panic())) {
            Ok(value) => results[index] = Some(value),
            Err(e) => {
                aborts.iter().for_each(|task| task.abort());
                return Err(e);
            }
        }
    }
    Ok(results.into_iter().flatten().collect())
}

/// What a task of these ports returns: Python's `(name, message)` tuple,
/// or `None` for a task that quit because the context was terminated.
pub(crate) type Outcome = Option<(&'static str, String)>;

/// Python's `repr()` of a list of [`Outcome`]s, as `print` shows the
/// originals' `results`: `[('client', '...'), None]`.
pub(crate) fn outcomes_repr(outcomes: &[Outcome]) -> String {
    let items: Vec<String> = outcomes
        .iter()
        .map(|outcome| match outcome {
            Some((name, message)) => {
                format!("({}, {})", pyfmt::text(name), pyfmt::text(message))
            }
            None => "None".to_owned(),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

/// Up to `size` bytes of `file` from `from` (where it stands, for
/// `SeekFrom::Current(0)`): fewer only at its end.
pub(crate) fn read_chunk(file: &mut File, from: SeekFrom, size: u64) -> zmq::Result<Vec<u8>> {
    file.seek(from).map_err(file_error)?;
    let mut data = Vec::new();
    file.by_ref()
        .take(size)
        .read_to_end(&mut data)
        .map_err(file_error)?;
    Ok(data)
}

/// Opens the file to serve: `testdata`, or the one `ZGUIDE_TESTDATA`
/// names.
pub(crate) fn open_testdata() -> zmq::Result<File> {
    File::open(setting("ZGUIDE_TESTDATA", "testdata".to_owned())).map_err(file_error)
}

/// Reports a file error on stderr and turns it into the `zmq::Error` of its
/// errno, the one error type of the tasks.
fn file_error(e: std::io::Error) -> zmq::Error {
    eprintln!("error: testdata: {e}");
    zmq::Error::from_errno(e.raw_os_error().unwrap_or(libc::EIO))
}
