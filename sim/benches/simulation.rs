//! Replay throughput: requests per second through the default policy, on one core.
//!
//! ```text
//! cargo bench -p voucher-policy-sim --bench simulation
//! ```
//!
//! Every benchmark is measured twice: on the wall clock (criterion's default) and as the CPU time
//! of the benchmarking thread (`CLOCK_THREAD_CPUTIME_ID`, as in every other benchmark here:
//! `benches/common/cpu_clock.rs`), which leaves out the time other programs on a busy machine
//! take the core. The logs come from the crate's
//! [`LogGenerator`] with a fixed seed and its default traffic (500,000 customers, 20,000 requests
//! on a weekday), generated before timing starts.
//!
//! - `replay/steady`: 100,000 requests replayed by a simulator that has already replayed the
//!   30 days before them (a full memory horizon: about 300,000 customers remembered), as in the
//!   middle of a long log. The warm-up is not timed.
//! - `replay/steady-no-prefetch`: the same without [`Simulator::prefetch`], to show what reading
//!   the next customers ahead is worth.
//! - `replay/cold`: the first 100,000 requests of the log by a fresh simulator (memory still
//!   growing), with the report built at the end.
//! - `replay/json`: the same from JSON lines, parsing included.
//! - `compare/cold`: the same 100,000 requests through the default and the strict policy.
//! - `engine/verdict`: `Engine::verdict` alone on the same requests with no history.
//! - `engine/verdict-steady`: `Engine::verdict` alone on the requests of `replay/steady`, each
//!   with the history the replay handed the engine for it (captured before timing): the share
//!   of `replay/steady` that is the engine's, the floor no replay can go below.

// criterion's macros write public functions without documentation; a benchmark, like a test,
// stops loudly on a broken setup.
#![allow(missing_docs, clippy::expect_used)]

#[path = "../../benches/common/cpu_clock.rs"]
mod cpu_clock;

use std::time::{Duration, Instant};

use cpu_clock::CpuTime;
use cpu_time::ThreadTime;
use criterion::measurement::{Measurement, WallTime};
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use voucher_policy::{Engine, PastVoucher, Policy};
use voucher_policy_sim::{LogEntry, LogGenerator, PREFETCH_BATCH, Simulator, compare};

/// Requests per timed run.
const REQUESTS: usize = 100_000;
/// Requests before the steady-state run: 30 days of the default traffic shape.
const WARM_UP_DAYS: i64 = 30;

struct Logs {
    /// The first `REQUESTS` requests.
    start: Vec<LogEntry>,
    /// The same, as JSON lines.
    start_json: Vec<String>,
    /// Thirty days of requests, then `REQUESTS` more.
    warm_up: Vec<LogEntry>,
    after_warm_up: Vec<LogEntry>,
    /// The history the steady replay hands the engine for each of `after_warm_up`.
    steady_histories: Vec<Vec<PastVoucher>>,
}

fn logs() -> Logs {
    let mut generator = LogGenerator::new(7);
    let first_day = generator.shape().start;
    let warm_up: Vec<LogEntry> = generator
        .by_ref()
        .take_while(|entry| (entry.now - first_day).num_days() < WARM_UP_DAYS)
        .collect();
    let after_warm_up: Vec<LogEntry> = generator.take(REQUESTS).collect();
    let start: Vec<LogEntry> = warm_up.iter().take(REQUESTS).cloned().collect();
    let start_json = start
        .iter()
        .map(|entry| entry.to_json().expect("a generated request serializes"))
        .collect();
    let engine = Engine::default();
    let mut simulator = Simulator::new(&engine);
    replay(&mut simulator, &warm_up);
    let steady_histories = after_warm_up
        .iter()
        .map(|entry| {
            // What the simulator remembers, less what has left the horizon by now: what it
            // hands the engine.
            let horizon = simulator.horizon().as_delta();
            let history = simulator
                .history_of(entry.request.customer().id().as_str())
                .into_iter()
                .filter(|voucher| voucher.granted_at() > entry.now - horizon)
                .collect();
            simulator
                .replay(&entry.request, entry.now)
                .expect("a generated request is decidable");
            history
        })
        .collect();
    Logs {
        start,
        start_json,
        warm_up,
        after_warm_up,
        steady_histories,
    }
}

/// Replays `log`, prefetching in batches as `simulate` does.
fn replay(simulator: &mut Simulator<'_>, log: &[LogEntry]) {
    replay_with(simulator, log, true);
}

/// Replays `log`, prefetching in batches or not.
fn replay_with(simulator: &mut Simulator<'_>, log: &[LogEntry], prefetch: bool) {
    for batch in log.chunks(PREFETCH_BATCH) {
        if prefetch {
            simulator.prefetch(batch.iter().map(|entry| &entry.request));
        }
        for entry in batch {
            simulator
                .replay(&entry.request, entry.now)
                .expect("a generated request is decidable");
        }
    }
}

fn benchmarks<M: Measurement<Value = Duration> + Timer>(
    c: &mut Criterion<M>,
    logs: &Logs,
    clock: &str,
) {
    let engine = Engine::default();
    let strict = Engine::new(
        Policy::load(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/policies/strict.toml"
        ))
        .expect("the strict policy loads"),
    );
    let mut group = c.benchmark_group(format!("{clock}/replay"));
    configure(&mut group);
    for (name, prefetch) in [("steady", true), ("steady-no-prefetch", false)] {
        group.bench_function(name, |b| {
            b.iter_custom(|iterations| {
                let mut total = M::zero_duration();
                for _ in 0..iterations {
                    let mut simulator = Simulator::new(&engine);
                    replay(&mut simulator, &logs.warm_up);
                    let started = M::now();
                    replay_with(&mut simulator, &logs.after_warm_up, prefetch);
                    total += M::since(started);
                    std::hint::black_box(simulator.remembered_customers());
                }
                total
            })
        });
    }
    group.bench_function("cold", |b| {
        b.iter(|| {
            let mut simulator = Simulator::new(&engine);
            replay(&mut simulator, &logs.start);
            simulator.finish()
        })
    });
    group.bench_function("json", |b| {
        b.iter(|| {
            let mut simulator = Simulator::new(&engine);
            for line in &logs.start_json {
                simulator
                    .replay_json(line.as_bytes())
                    .expect("a generated line is decidable");
            }
            simulator.finish()
        })
    });
    group.finish();

    let mut group = c.benchmark_group(format!("{clock}/compare"));
    configure(&mut group);
    group.bench_function("cold", |b| {
        b.iter(|| compare(&logs.start, &engine, &strict))
    });
    group.finish();

    let mut group = c.benchmark_group(format!("{clock}/engine"));
    configure(&mut group);
    group.bench_function("verdict", |b| {
        b.iter(|| {
            for entry in &logs.start {
                std::hint::black_box(
                    engine
                        .verdict(&entry.request, &[] as &[PastVoucher], entry.now)
                        .expect("decidable"),
                );
            }
        })
    });
    group.bench_function("verdict-steady", |b| {
        b.iter(|| {
            for (entry, history) in logs.after_warm_up.iter().zip(&logs.steady_histories) {
                std::hint::black_box(
                    engine
                        .verdict(&entry.request, history, entry.now)
                        .expect("decidable"),
                );
            }
        })
    });
    group.finish();
}

fn configure<M: Measurement>(group: &mut BenchmarkGroup<'_, M>) {
    group
        .throughput(Throughput::Elements(REQUESTS as u64))
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
}

/// Reading a measurement's clock outside criterion's `iter`, for the untimed warm-up.
trait Timer {
    type Mark;
    fn now() -> Self::Mark;
    fn since(mark: Self::Mark) -> Duration;
    fn zero_duration() -> Duration {
        Duration::ZERO
    }
}

impl Timer for WallTime {
    type Mark = Instant;
    fn now() -> Instant {
        Instant::now()
    }
    fn since(mark: Instant) -> Duration {
        mark.elapsed()
    }
}

impl Timer for CpuTime {
    type Mark = ThreadTime;
    fn now() -> ThreadTime {
        ThreadTime::now()
    }
    fn since(mark: ThreadTime) -> Duration {
        mark.elapsed()
    }
}

fn wall_clock(c: &mut Criterion<WallTime>) {
    benchmarks(c, &logs(), "wall");
}

fn cpu_time(c: &mut Criterion<CpuTime>) {
    benchmarks(c, &logs(), "cpu");
}

criterion_group!(wall, wall_clock);
criterion_group! {
    name = cpu;
    config = cpu_clock::criterion();
    targets = cpu_time
}
criterion_main!(wall, cpu);
