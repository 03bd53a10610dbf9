//! Loading a policy: reading and validating a policy file (TOML and JSON), and linting it. Done
//! once per policy, not per decision, but an operations tool that checks files as they are typed
//! pays it on every keystroke.
//!
//! ```text
//! cargo bench --bench policy
//! ```
// criterion's macros write undocumented public functions; a benchmark, like a test, stops
// loudly on a broken setup.
#![allow(missing_docs, clippy::expect_used)]

#[path = "common/cpu_clock.rs"]
mod cpu_clock;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use voucher_policy::Policy;

const DEFAULT_TOML: &str = include_str!("../examples/policies/default.toml");
const STRICT_TOML: &str = include_str!("../examples/policies/strict.toml");

fn loading(c: &mut Criterion<cpu_clock::CpuTime>) {
    let default_json = Policy::default()
        .to_json_string()
        .expect("the default policy writes");
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
    config = cpu_clock::criterion();
    targets = loading
}
criterion_main!(benches);
