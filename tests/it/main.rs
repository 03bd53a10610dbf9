//! The core's integration tests, in one binary as jiff has them: one module per behaviour, and
//! the helpers they share. One binary links the library once and runs every test in one
//! process; `cargo test --test it NAME` runs the tests whose path contains `NAME`
//! (`cargo test --test it windows::`).
//!
//! `tests/allocations.rs` is a binary of its own: it installs a global allocator (see Cargo.toml).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

// Shared by the modules below.
mod common;
mod example_runner;
mod generators;
mod reference;
mod reference_shapes;

mod amounts;
mod analysis;
mod analysis_soundness;
mod catalogs;
mod decide_example;
mod decision_read_back;
mod documented_json;
mod fuzz_regressions;
mod history_entries;
mod hostile_input;
mod lifecycle;
mod offsets;
mod outcomes;
mod policy_builder;
mod policy_errors;
mod policy_files;
mod policy_lint;
#[cfg(feature = "schema")]
mod policy_schema;
mod policy_shapes;
#[cfg(feature = "toml")]
mod policy_suite;
mod properties;
mod reasons;
mod reference_model;
mod request_errors;
mod scripts;
mod text_checks;
mod typed_api;
mod windows;
