//! Shared helpers of the guide examples, tests and benchmarks.

pub mod endpoint;
pub mod logging;
pub mod memory;
pub mod perf;
pub mod pyfmt;
pub mod settings;
pub mod zhelpers;

pub use endpoint::endpoint;
pub use settings::setting;
