//! The cost of a decision, as a chatbot or an agent console pays it: `Engine::verdict` (no
//! script) and `Engine::decide` (with the script) over histories of 0 to 10,000 entries, and the
//! script in each locale.
//!
//! ```text
//! cargo bench --bench decision
//! ```
//!
//! Every iteration decides the next request of a generated round (fixed seed, mixed tiers,
//! severities, outcomes), so the figures are of the mix, not of one lucky request.
// criterion's macros write undocumented public functions; a benchmark, like a test, stops
// loudly on a broken setup.
#![allow(missing_docs, clippy::panic, clippy::expect_used)]

mod common;
#[path = "common/cpu_clock.rs"]
mod cpu_clock;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use voucher_policy::{
    Agent, AgentId, Approval, Case, Decision, Engine, Locale, Outcome, Policy, RoleName,
};

use common::{HistoryLen, SEED, round};

/// The history sizes of the scaling curve; 20 is the size of the latency target.
const HISTORY_SIZES: [usize; 6] = [0, 10, 20, 100, 1_000, 10_000];

/// Enough requests for a varied round (every outcome, no pattern a branch predictor could
/// learn), few enough that the round stays in the core's cache, as a history just read from the
/// database is: about 2,000 history entries (at most 256 requests, and one request when its
/// history alone is longer). `verdict/out-of-cache` shows what a history out of cache costs.
fn round_size(history: usize) -> usize {
    (2_000 / history.max(1)).clamp(1, 256)
}

/// The round for one history size; every request in it is decided without an error, or an
/// error's early exit would be timed as a decision.
fn generated(history: usize) -> Vec<Case> {
    generated_as(HistoryLen::Exactly(history), history)
}

fn generated_as(len: HistoryLen, history: usize) -> Vec<Case> {
    let cases = common::cases(SEED, round_size(history), len);
    let engine = Engine::default();
    for case in &cases {
        if let Err(error) = engine.verdict(case.request(), case.history(), case.now()) {
            panic!("a generated request is not valid: {error}");
        }
    }
    cases
}

fn history_scaling(c: &mut Criterion<cpu_clock::CpuTime>) {
    let engine = Engine::default();
    for (name, with_script) in [("verdict", false), ("decide", true)] {
        let mut group = c.benchmark_group(format!("{name}/history"));
        for size in HISTORY_SIZES {
            let cases = generated(size);
            group.throughput(Throughput::Elements(1));
            group.bench_with_input(BenchmarkId::from_parameter(size), &cases, |b, cases| {
                let mut next = round(cases);
                if with_script {
                    b.iter(|| {
                        let case = next();
                        engine.decide(case.request(), case.history(), case.now())
                    })
                } else {
                    b.iter(|| {
                        let case = next();
                        engine.verdict(case.request(), case.history(), case.now())
                    })
                }
            });
        }
        group.finish();
    }
    // The worst case of the latency target: all 20 entries inside the last 30 days.
    let cases = generated_as(HistoryLen::Recent(20), 20);
    c.bench_function("verdict/recent/20", |b| {
        let mut next = round(&cases);
        b.iter(|| {
            let case = next();
            engine.verdict(case.request(), case.history(), case.now())
        })
    });
    // The richest example policy (several limits per tier, young accounts, shares of the
    // order, category rules, lists), on the same requests with the inputs of those shapes.
    let marketplace = Engine::new(
        Policy::load("examples/policies/marketplace.toml").expect("the example policy loads"),
    );
    let cases = common::with_shapes(SEED, generated(20));
    for case in &cases {
        if let Err(error) = marketplace.verdict(case.request(), case.history(), case.now()) {
            panic!("a generated request is not valid: {error}");
        }
    }
    c.bench_function("verdict/marketplace/20", |b| {
        let mut next = round(&cases);
        b.iter(|| {
            let case = next();
            marketplace.verdict(case.request(), case.history(), case.now())
        })
    });
    // 64 histories of 10,000 entries (about 60 MB) in turn: each is read from memory, not cache.
    let cases = common::cases(SEED, 64, HistoryLen::Exactly(10_000));
    c.bench_function("verdict/out-of-cache/10000", |b| {
        let mut next = round(&cases);
        b.iter(|| {
            let case = next();
            engine.verdict(case.request(), case.history(), case.now())
        })
    });
}

/// The script in each locale: the same requests decided with and without it, so the
/// difference is what writing the script costs.
fn script_by_locale(c: &mut Criterion<cpu_clock::CpuTime>) {
    let engine = Engine::default();
    let mut group = c.benchmark_group("script");
    for locale in [Locale::ID, Locale::EN] {
        let cases: Vec<Case> = generated(20)
            .into_iter()
            .map(|case| {
                let (now, request, history) = case.into_parts();
                Case::new(now, request.with_locale(locale), history)
            })
            .collect();
        group.bench_function(format!("verdict/{}", locale.as_str()), |b| {
            let mut next = round(&cases);
            b.iter(|| {
                let case = next();
                engine.verdict(case.request(), case.history(), case.now())
            })
        });
        group.bench_function(format!("decide/{}", locale.as_str()), |b| {
            let mut next = round(&cases);
            b.iter(|| {
                let case = next();
                engine.decide(case.request(), case.history(), case.now())
            })
        });
    }
    group.finish();
}

/// A supervisor approving each pending (escalated or refused) decision of the 20-entry round an
/// hour later: the request decided again with the approver's authority, the script and the id.
fn approval(c: &mut Criterion<cpu_clock::CpuTime>) {
    let engine = Engine::default();
    let supervisor = Agent::new(AgentId::new("S-1")).with_role(RoleName::new("supervisor"));
    let pending: Vec<(Case, Decision)> = generated(20)
        .into_iter()
        .filter_map(|case| {
            let decision = engine
                .decide(case.request(), case.history(), case.now())
                .expect("a generated request is decided");
            (decision.outcome() != Outcome::Granted).then_some((case, decision))
        })
        .collect();
    let approvals: Vec<(&Case, Approval<'_>)> = pending
        .iter()
        .map(|(case, decision)| {
            let approval = Approval::of(decision, supervisor.clone());
            let approval = if decision.outcome() == Outcome::Refused {
                approval.with_override_reason("checked with the courier")
            } else {
                approval
            };
            (case, approval)
        })
        .collect();
    c.bench_function("approve/history/20", |b| {
        let mut next = round(&approvals);
        b.iter(|| {
            let (case, approval) = next();
            let later = case.now() + chrono::TimeDelta::hours(1);
            engine.approve(case.request(), case.history(), approval, later)
        })
    });
}

criterion_group! {
    name = benches;
    config = cpu_clock::criterion();
    targets = history_scaling, script_by_locale, approval
}
criterion_main!(benches);
