//! `Timers`: libzmq's timer sets with Rust closures as handlers.

use std::cell::{Cell, RefCell};
use std::time::{Duration, Instant};

use zmq::{ErrorKind, Timers};

const DEADLINE: Duration = Duration::from_secs(5);

/// Runs `timers` until `done` or the deadline, sleeping on its timeout.
fn run_until(timers: &mut Timers<'_>, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + DEADLINE;
    while !done() {
        assert!(Instant::now() < deadline, "timers did not fire in time");
        if let Some(wait) = timers.timeout() {
            std::thread::sleep(wait.min(Duration::from_millis(50)));
        }
        timers.execute().unwrap();
    }
}

#[test]
fn a_timer_fires_every_interval_with_its_id() {
    let fired = RefCell::new(Vec::new());
    let mut timers = Timers::new().unwrap();
    let id = timers
        .add(Duration::from_millis(2), |id| fired.borrow_mut().push(id))
        .unwrap();
    assert_eq!(timers.len(), 1);
    run_until(&mut timers, || fired.borrow().len() >= 3);
    assert!(fired.borrow().iter().all(|&fired_id| fired_id == id));
}

#[test]
fn a_timer_is_not_due_before_its_interval() {
    let fired = Cell::new(false);
    let mut timers = Timers::new().unwrap();
    timers
        .add(Duration::from_secs(3600), |_| fired.set(true))
        .unwrap();
    timers.execute().unwrap();
    assert!(!fired.get());
    let timeout = timers.timeout().unwrap();
    assert!(timeout > Duration::from_secs(3500), "{timeout:?}");
}

#[test]
fn a_cancelled_timer_never_fires_again() {
    let fired = Cell::new(0);
    let other = Cell::new(0);
    let mut timers = Timers::new().unwrap();
    let id = timers
        .add(Duration::from_millis(1), |_| fired.set(fired.get() + 1))
        .unwrap();
    timers
        .add(Duration::from_millis(1), |_| other.set(other.get() + 1))
        .unwrap();
    run_until(&mut timers, || fired.get() >= 1 && other.get() >= 1);
    timers.cancel(id).unwrap();
    assert_eq!(timers.len(), 1);
    let (fired_before, other_before) = (fired.get(), other.get());
    run_until(&mut timers, || other.get() >= other_before + 3);
    assert_eq!(fired.get(), fired_before);
}

#[test]
fn unknown_ids_are_invalid_input() {
    let mut timers = Timers::new().unwrap();
    let id = timers.add(Duration::from_millis(10), |_| {}).unwrap();
    timers.cancel(id).unwrap();
    for error in [
        timers.cancel(id).unwrap_err(),
        timers.reset(id).unwrap_err(),
        timers
            .set_interval(id, Duration::from_millis(1))
            .unwrap_err(),
    ] {
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        assert!(error.to_string().contains("no timer"), "{error}");
    }
    // An id from another set is not this set's.
    let mut other = Timers::new().unwrap();
    let foreign = other.add(Duration::from_millis(10), |_| {}).unwrap();
    let mut empty = Timers::new().unwrap();
    assert_eq!(
        empty.cancel(foreign).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}

#[test]
fn set_interval_and_reset_move_the_next_run() {
    let fired = Cell::new(0);
    let mut timers = Timers::new().unwrap();
    let id = timers
        .add(Duration::from_secs(3600), |_| fired.set(fired.get() + 1))
        .unwrap();
    timers.set_interval(id, Duration::from_millis(1)).unwrap();
    // The new interval counts from the next run: reset makes it count now.
    timers.reset(id).unwrap();
    assert!(timers.timeout().unwrap() <= Duration::from_millis(1));
    run_until(&mut timers, || fired.get() >= 1);
}

#[test]
fn a_handlers_panic_resumes_from_execute_not_through_libzmq() {
    let mut timers = Timers::new().unwrap();
    timers
        .add(Duration::from_millis(1), |_| panic!("handler panics"))
        .unwrap();
    std::thread::sleep(Duration::from_millis(5));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| timers.execute()));
    let payload = outcome.unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"handler panics"));
    // The set still works afterwards.
    let fired = Cell::new(false);
    let mut timers = Timers::new().unwrap();
    timers
        .add(Duration::from_millis(1), |_| fired.set(true))
        .unwrap();
    run_until(&mut timers, || fired.get());
}

#[test]
fn zero_and_too_long_intervals_are_invalid_input() {
    let mut timers = Timers::new().unwrap();
    for interval in [Duration::ZERO, Duration::MAX] {
        let error = timers.add(interval, |_| {}).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
    }
    assert!(timers.is_empty());
    let id = timers.add(Duration::from_millis(5), |_| {}).unwrap();
    let error = timers.set_interval(id, Duration::ZERO).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
}
