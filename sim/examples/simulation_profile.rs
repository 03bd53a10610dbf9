//! A steady-state replay to profile: replays 30 days of generated requests (not timed), then
//! the next requests (timed), as the `replay/steady` benchmark does, but in one process run so a
//! profiler sees mostly the steady state.
//!
//! ```text
//! cargo run --release -p voucher-policy-sim --example simulation_profile -- [REQUESTS] [replay | engine | engine-steady | cold] [CUSTOMERS]
//! valgrind --tool=callgrind --collect-atstart=no \
//!     --toggle-collect='simulation_profile::steady_replay' \
//!     target/release/examples/simulation_profile 100000
//! # the engine modes: --toggle-collect='simulation_profile::engine_with' (engine-steady) or
//! # 'simulation_profile::engine_alone' (engine)
//! ```
//!
//! With `engine`, the steady requests go to `Engine::verdict` alone, with no history; with
//! `engine-steady`, to `Engine::verdict` alone with the history the replay hands the engine for
//! each (captured before timing): the engine's share of the steady replay; with `cold`, the
//! first requests of the log replayed by a fresh simulator, report included. Prints the thread CPU
//! time of the timed part and the requests per second.
//!
//! `CUSTOMERS` sets the generated traffic's number of customers (500,000 by default): with fewer,
//! every remembered customer stays in cache, which shows how much of a steady request is waiting
//! for memory.

use std::process::ExitCode;

use cpu_time::ThreadTime;
use voucher_policy::{Engine, PastVoucher};
use voucher_policy_sim::{LogEntry, LogGenerator, PREFETCH_BATCH, Simulator, TrafficShape};

const WARM_UP_DAYS: i64 = 30;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let steady: usize = args.first().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let mode = args.get(1).map_or("replay", String::as_str);
    let mut shape = TrafficShape::default();
    if let Some(customers) = args.get(2) {
        match customers.parse() {
            Ok(customers) => shape.customers = customers,
            Err(_) => {
                eprintln!("CUSTOMERS: {customers:?} is not a number of customers");
                return ExitCode::from(2);
            }
        }
    }

    let mut generator = LogGenerator::with_shape(7, shape);
    let first_day = generator.shape().start;
    let warm_up: Vec<LogEntry> = generator
        .by_ref()
        .take_while(|entry| (entry.now - first_day).num_days() < WARM_UP_DAYS)
        .collect();
    let after: Vec<LogEntry> = generator.take(steady).collect();

    let engine = Engine::default();
    let mut simulator = Simulator::new(&engine);
    replay(&mut simulator, &warm_up);
    let histories: Vec<Vec<PastVoucher>> = if mode == "engine-steady" {
        let horizon = simulator.horizon().as_delta();
        after
            .iter()
            .map(|entry| {
                let history = simulator
                    .history_of(entry.request.customer().id().as_str())
                    .into_iter()
                    .filter(|voucher| {
                        Some(voucher.granted_at()) > entry.now.checked_sub_signed(horizon)
                    })
                    .collect();
                let _ = simulator.replay(&entry.request, entry.now);
                history
            })
            .collect()
    } else {
        Vec::new()
    };
    let started = ThreadTime::now();
    match mode {
        "engine" => engine_alone(&engine, &after),
        "engine-steady" => engine_with(&engine, &after, &histories),
        "cold" => {
            let mut fresh = Simulator::new(&engine);
            steady_replay(&mut fresh, warm_up.get(..steady).unwrap_or(&warm_up));
            std::hint::black_box(fresh.finish());
        }
        _ => steady_replay(&mut simulator, &after),
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} requests in {seconds:.3} s CPU: {:.0} requests/s; {} customers remembered",
        after.len(),
        after.len() as f64 / seconds,
        simulator.remembered_customers()
    );
    std::hint::black_box(simulator.finish());
    ExitCode::SUCCESS
}

fn replay(simulator: &mut Simulator<'_>, log: &[LogEntry]) {
    for batch in log.chunks(PREFETCH_BATCH) {
        simulator.prefetch(batch.iter().map(|entry| &entry.request));
        for entry in batch {
            // The generated log is decidable; a failure would be counted in the report.
            let _ = simulator.replay(&entry.request, entry.now);
        }
    }
}

#[inline(never)]
fn steady_replay(simulator: &mut Simulator<'_>, log: &[LogEntry]) {
    // Not the same code as `replay`, so the two are not merged and a profile tells them apart.
    for batch in log.chunks(std::hint::black_box(PREFETCH_BATCH)) {
        simulator.prefetch(batch.iter().map(|entry| &entry.request));
        for entry in batch {
            let _ = simulator.replay(&entry.request, entry.now);
        }
    }
}

#[inline(never)]
fn engine_alone(engine: &Engine, log: &[LogEntry]) {
    for entry in log {
        let _ =
            std::hint::black_box(engine.verdict(&entry.request, &[] as &[PastVoucher], entry.now));
    }
}

#[inline(never)]
fn engine_with(engine: &Engine, log: &[LogEntry], histories: &[Vec<PastVoucher>]) {
    for (entry, history) in log.iter().zip(histories) {
        let _ = std::hint::black_box(engine.verdict(&entry.request, history, entry.now));
    }
}
