//! The integration tests: fixture sites under `tests/fixtures/` built by the
//! real binary.

mod build;
mod cli;
mod demo;
mod errors;
mod harness;
mod snapshot;
mod translations;
