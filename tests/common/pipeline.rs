//! The task pipeline of the guide's chapters 1 and 2 (taskvent, taskwork,
//! tasksink and the kill-signal pair taskwork2/tasksink2) and its asyncio
//! ports: every port prints the same thing, so their tests share one run and
//! one set of checks, and each test names its binaries and what is its own
//! (the sink's time format, how the workers end).

use std::time::Duration;

use super::{Finished, Running, Scenario};

/// How many tasks the ventilator sends (the original: 100), kept small so a
/// test takes about a second.
pub(crate) const TASKS: usize = 20;

/// One pipeline's binaries: the ventilator, the worker (two are started)
/// and the sink.
pub(crate) struct Pipeline {
    pub(crate) vent: &'static str,
    pub(crate) work: &'static str,
    pub(crate) sink: &'static str,
}

/// A finished run: the sink's output and the two workers, still running or
/// ending by themselves, for the test to stop or wait for.
pub(crate) struct Outcome {
    pub(crate) sink: Finished,
    pub(crate) workers: [Running; 2],
}

impl Pipeline {
    /// Starts the sink and two workers, then the ventilator, answers its
    /// Enter prompt, checks what it printed, and waits for the sink.
    pub(crate) fn run(&self, scenario: &Scenario, timeout: Duration) -> Outcome {
        let tasks = TASKS.to_string();
        let env = [("ZGUIDE_TASKS", tasks.as_str())];
        let sink = scenario.spawn_with_env(self.sink, &[], &env);
        let workers = [
            scenario.spawn(self.work, &[]),
            scenario.spawn(self.work, &[]),
        ];
        let mut vent = scenario.spawn_with_env(self.vent, &[], &env);
        vent.wait_for_output("Press Enter when the workers are ready: \n", timeout);
        vent.write_stdin("\n");
        assert_vent_output(&vent.wait(timeout).success());
        Outcome {
            sink: sink.wait(timeout).success(),
            workers,
        }
    }
}

/// The ventilator's three lines, the expected cost within what `TASKS`
/// random workloads of 1 to 100 msec can add up to.
fn assert_vent_output(vent: &Finished) {
    let lines = vent.lines();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0], "Press Enter when the workers are ready: ");
    assert_eq!(lines[1], "Sending tasks to workers...");
    let cost: u32 = lines[2]
        .strip_prefix("Total expected cost: ")
        .and_then(|rest| rest.strip_suffix(" msec"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected line {:?}", lines[2]));
    assert!(
        (TASKS as u32..=100 * TASKS as u32).contains(&cost),
        "{cost}"
    );
}

impl Outcome {
    /// Checks the sink's one line (a mark per result, a colon every tenth,
    /// then the total time) and returns the time as printed, for the test
    /// to parse in its port's format.
    pub(crate) fn sink_elapsed_msec(&self) -> &str {
        let marks: String = (0..TASKS)
            .map(|n| if n % 10 == 0 { ':' } else { '.' })
            .collect();
        self.sink
            .stdout
            .strip_prefix(&format!("{marks}Total elapsed time: "))
            .and_then(|rest| rest.strip_suffix(" msec\n"))
            .unwrap_or_else(|| panic!("unexpected sink output {:?}", self.sink.stdout))
    }
}

/// Checks that the workers' outputs, each a dot per task, add up to every
/// task worked on once.
pub(crate) fn assert_each_task_worked_once(outputs: impl IntoIterator<Item = String>) {
    let dots: usize = outputs
        .into_iter()
        .map(|out| {
            assert!(out.chars().all(|c| c == '.'), "{out:?}");
            out.len()
        })
        .sum();
    assert_eq!(dots, TASKS);
}
