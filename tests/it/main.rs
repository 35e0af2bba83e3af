//! The integration tests: fixture sites under `tests/fixtures/` built by the
//! real binary.

mod adversarial;
mod build;
mod cache;
mod calendar;
mod check;
mod cli;
mod cms;
mod demo;
mod errors;
mod feeds;
mod guides;
mod harness;
mod i18n;
mod import;
mod init;
mod layout;
mod messages;
mod new;
mod pictures;
mod properties;
mod publish;
mod rebuild;
mod safety;
mod search;
mod serve;
mod snapshot;
mod theme;
mod translations;
