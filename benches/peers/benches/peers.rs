//! voucher-policy, GoRules ZEN and Rhai on the same generated requests, in one criterion run.
//!
//! ```text
//! cargo bench -p voucher-policy-peers --bench peers --profile peers
//! ```
//!
//! Each request is turned into each decider's native input once, before timing (typed structs,
//! a ZEN `Variable`, Rhai maps); every iteration then decides the next request of the round.
//! voucher-policy is timed twice: the verdict (what the peers compute, plus the facts) and the
//! whole decision with its script, which the peers do not write. Like voucher-policy's own
//! benchmarks, it measures the thread's CPU time (see `../common/cpu_clock.rs`).

#[path = "../../common/cpu_clock.rs"]
mod cpu_clock;

use criterion::{Criterion, criterion_group, criterion_main};
use voucher_policy::Engine;
use voucher_policy_peers::generated::{self, HistoryLen, SEED, round};
use voucher_policy_peers::rhai_script::Rhai;
use voucher_policy_peers::zen::Zen;

fn side_by_side(c: &mut Criterion<cpu_clock::CpuTime>) {
    let engine = Engine::default();
    let (zen, rhai) = (Zen::new(), Rhai::new());
    for size in [0, 20, 1_000] {
        // The rounds of voucher-policy's own benchmarks: about 2,000 history entries.
        let count = (2_000 / size.max(1)).clamp(1, 256);
        let cases = generated::cases(SEED, count, HistoryLen::Exactly(size));
        let zen_inputs: Vec<_> = cases.iter().map(Zen::input).collect();
        let rhai_inputs: Vec<_> = cases.iter().map(Rhai::input).collect();
        let mut group = c.benchmark_group(format!("peers/history/{size}"));
        group.bench_function("voucher-policy", |b| {
            let mut next = round(&cases);
            b.iter(|| {
                let case = next();
                engine.verdict(case.request(), case.history(), case.now())
            })
        });
        group.bench_function("voucher-policy+script", |b| {
            let mut next = round(&cases);
            b.iter(|| {
                let case = next();
                engine.decide(case.request(), case.history(), case.now())
            })
        });
        group.bench_function("zen", |b| {
            let mut next = round(&zen_inputs);
            b.iter(|| zen.decide(next()))
        });
        group.bench_function("rhai", |b| {
            let mut next = round(&rhai_inputs);
            b.iter(|| rhai.decide(next()))
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = cpu_clock::criterion();
    targets = side_by_side
}
criterion_main!(benches);
