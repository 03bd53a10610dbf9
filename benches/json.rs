//! The JSON path that callers in other languages take: read a request line, decide it with its
//! script, write the decision line; and each of the three steps alone, and serde_json scanning the
//! line without building anything (`scan`), the floor of reading it.
//!
//! ```text
//! cargo bench --bench json
//! ```
// criterion's macros write undocumented public functions; a benchmark, like a test, stops
// loudly on a broken setup.
#![allow(missing_docs, clippy::expect_used)]

mod common;
#[path = "common/cpu_clock.rs"]
mod cpu_clock;

use criterion::{Criterion, criterion_group, criterion_main};
use voucher_policy::{Case, Engine};

use common::{HistoryLen, SEED, round};

fn json_path(c: &mut Criterion<cpu_clock::CpuTime>) {
    let engine = Engine::default();
    for history in [0, 20] {
        let cases = common::cases(SEED, 512, HistoryLen::Exactly(history));
        let lines = common::json_lines(&cases);
        let decisions: Vec<_> = cases
            .iter()
            .map(|case| {
                engine
                    .decide_case(case)
                    .expect("a generated request is valid")
            })
            .collect();
        let mut group = c.benchmark_group(format!("json/history/{history}"));
        group.bench_function("path", |b| {
            let mut next = round(&lines);
            let mut out = Vec::with_capacity(4_096);
            b.iter(|| {
                out.clear();
                let case = Case::from_json(next()).expect("a generated line reads");
                let decision = engine
                    .decide_case(&case)
                    .expect("a generated request is valid");
                serde_json::to_writer(&mut out, &decision).expect("a decision serializes");
                out.len()
            })
        });
        group.bench_function("parse", |b| {
            let mut next = round(&lines);
            b.iter(|| Case::from_json(next()))
        });
        // serde_json reading the same line into nothing: the floor any serde_json reader of the
        // wire contract stands on (BENCHMARKS.md, "Where the time goes").
        group.bench_function("scan", |b| {
            let mut next = round(&lines);
            b.iter(|| serde_json::from_str::<serde::de::IgnoredAny>(next()).is_ok())
        });
        group.bench_function("decide", |b| {
            let mut next = round(&cases);
            b.iter(|| engine.decide_case(next()))
        });
        group.bench_function("serialize", |b| {
            let mut next = round(&decisions);
            let mut out = Vec::with_capacity(4_096);
            b.iter(|| {
                out.clear();
                serde_json::to_writer(&mut out, next()).expect("a decision serializes");
                out.len()
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = cpu_clock::criterion();
    targets = json_path
}
criterion_main!(benches);
