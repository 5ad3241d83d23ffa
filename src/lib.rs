//! Shared helpers of the guide examples, tests and benchmarks.

pub mod endpoint;
pub mod perf;

pub use endpoint::endpoint;
