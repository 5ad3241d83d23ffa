//! Shared helpers of the guide examples, tests and benchmarks.

pub mod endpoint;
pub mod perf;
pub mod pyfmt;
pub mod pylog;
pub mod settings;
pub mod simulate;
pub mod zhelpers;

pub use endpoint::endpoint;
pub use settings::setting;
