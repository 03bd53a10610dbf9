//! Loading a policy: reading and validating a policy file (TOML and JSON), and linting it. Done
//! once per policy, not per decision, but an operations tool that checks files as they are typed
//! pays it on every keystroke.
//!
//! ```text
//! cargo bench --bench policy
//! ```
// criterion's macros write undocumented public functions.
#![allow(missing_docs)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "common/cpu_clock.rs"]
mod cpu_clock;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use voucher_policy::Policy;

const DEFAULT_TOML: &str = include_str!("../examples/policies/default.toml");
const STRICT_TOML: &str = include_str!("../examples/policies/strict.toml");

fn loading(c: &mut Criterion<cpu_clock::CpuTime>) {
    let default_json = Policy::default().to_json_string();
    let mut group = c.benchmark_group("policy");
    group.bench_function("load_toml/default", |b| {
        b.iter(|| Policy::from_toml_str(black_box(DEFAULT_TOML)).expect("valid"))
    });
    group.bench_function("load_toml/strict", |b| {
        b.iter(|| Policy::from_toml_str(black_box(STRICT_TOML)).expect("valid"))
    });
    group.bench_function("load_json/default", |b| {
        b.iter(|| Policy::from_json_str(black_box(&default_json)).expect("valid"))
    });
    let policy = Policy::default();
    group.bench_function("lint/default", |b| b.iter(|| black_box(&policy).lint()));
    group.bench_function("embedded_default", |b| b.iter(Policy::default));
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .with_measurement(cpu_clock::CpuTime)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = loading
}
criterion_main!(benches);
