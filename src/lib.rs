//! Shared helpers of the guide examples, tests and benchmarks.

pub mod perf;
