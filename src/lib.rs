//! Shared helpers of the guide examples.
