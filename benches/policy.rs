//! Loading a policy: reading and validating a policy file (TOML and JSON) of the default
//! policy, the strict one and the examples of every optional shape, and linting it. Done
//! once per policy, not per decision, but an operations tool that checks files as they are typed
//! pays it on every keystroke. And analysing policies over every possible request: comparing two
//! (`Policy::compare`) and proving the standard properties of one (`Policy::check`).
//!
//! ```text
//! cargo bench --bench policy
//! cargo bench --bench policy -- analysis/   # the analysis alone (about three minutes)
//! ```
// criterion's macros write undocumented public functions; a benchmark, like a test, stops
// loudly on a broken setup.
#![allow(missing_docs, clippy::expect_used)]

#[path = "common/cpu_clock.rs"]
mod cpu_clock;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use voucher_policy::{Markets, Policy, Property};

const DEFAULT_TOML: &str = include_str!("../examples/policies/default.toml");
const STRICT_TOML: &str = include_str!("../examples/policies/strict.toml");
const MARKETPLACE_TOML: &str = include_str!("../examples/policies/marketplace.toml");
const FOOD_DELIVERY_TOML: &str = include_str!("../examples/policies/food_delivery.toml");
const THREE_MARKETS_TOML: &str = include_str!("../examples/policies/three_markets.toml");

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
    // The examples of the optional shapes; the marketplace and two of the markets `extends` the
    // embedded default, which is written out and merged on every load.
    group.bench_function("load_toml/marketplace", |b| {
        b.iter(|| Policy::from_toml_str(black_box(MARKETPLACE_TOML)).expect("valid"))
    });
    group.bench_function("load_toml/food_delivery", |b| {
        b.iter(|| Policy::from_toml_str(black_box(FOOD_DELIVERY_TOML)).expect("valid"))
    });
    group.bench_function("load_toml/three_markets", |b| {
        b.iter(|| Markets::from_toml_str(black_box(THREE_MARKETS_TOML)).expect("valid"))
    });
    let marketplace = Policy::from_toml_str(MARKETPLACE_TOML).expect("valid");
    group.bench_function("lint/marketplace", |b| {
        b.iter(|| black_box(&marketplace).lint())
    });
    group.bench_function("load_json/default", |b| {
        b.iter(|| Policy::from_json_str(black_box(&default_json)).expect("valid"))
    });
    let policy = Policy::default();
    group.bench_function("lint/default", |b| b.iter(|| black_box(&policy).lint()));
    group.bench_function("embedded_default", |b| b.iter(Policy::default));
    group.finish();
}

fn analysis(c: &mut Criterion<cpu_clock::CpuTime>) {
    let load = |text: &str| Policy::from_toml_str(text).expect("valid");
    let (default, strict) = (load(DEFAULT_TOML), load(STRICT_TOML));
    let (marketplace, food) = (load(MARKETPLACE_TOML), load(FOOD_DELIVERY_TOML));
    let mut group = c.benchmark_group("analysis");
    // Each run takes from a fraction of a second to several: ten samples are plenty.
    group.sample_size(10);
    group.bench_function("compare/default_strict", |b| {
        b.iter(|| {
            black_box(&default)
                .compare(black_box(&strict))
                .expect("compares")
        })
    });
    // The richest pair of examples: every optional shape, two steps, two sets of categories.
    group.bench_function("compare/food_delivery_marketplace", |b| {
        b.iter(|| {
            black_box(&food)
                .compare(black_box(&marketplace))
                .expect("compares")
        })
    });
    let standard = Property::standard(&default);
    group.bench_function("check_standard/default", |b| {
        b.iter(|| {
            for property in &standard {
                black_box(&default).check(property).expect("checks");
            }
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = cpu_clock::criterion();
    targets = loading, analysis
}
criterion_main!(benches);
