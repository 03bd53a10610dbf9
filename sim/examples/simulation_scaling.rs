//! How a replay scales with the length of the log: replays generated logs of 1, 5 and 10
//! million requests (or the sizes given) through the default policy, streamed in chunks so the
//! log itself is never held whole, and reports the time, the requests per second and the peak
//! memory of each.
//!
//! ```text
//! cargo run --release -p voucher-policy-sim --example simulation_scaling                 # 1M, 5M, 10M
//! cargo run --release -p voucher-policy-sim --example simulation_scaling -- 200000 2000000
//! ```
//!
//! Each size runs in a fresh process, so its peak resident memory (`VmHWM` in
//! `/proc/self/status`, Linux only) is its own; a run that only generates the same requests
//! gives the memory of the program and of one chunk of the log, which the replay adds to. Time
//! is measured around the replay of each chunk only (generating the next chunk is not counted),
//! both on the wall clock and as the thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`, as in the benchmarks), which
//! leaves out the time other programs on a busy machine take the core. Timing claims for this
//! crate come from the criterion benchmark (`cargo bench --bench simulation`); this example shows
//! how throughput and memory hold up as the log grows.

use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use cpu_time::ThreadTime;
use voucher_policy::Engine;
use voucher_policy_sim::{LogEntry, LogGenerator, PREFETCH_BATCH, Simulator};

/// Requests generated and replayed at a time.
const CHUNK: usize = 100_000;
const SEED: u64 = 7;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--child") => child(args.get(1..).unwrap_or_default()),
        Some("-h" | "--help") => {
            println!(
                "Usage: simulation_scaling [REQUESTS...]   (default: 1000000 5000000 10000000)"
            );
            ExitCode::SUCCESS
        }
        _ => parent(&args),
    }
}

/// Runs every size in a child process and prints the table.
fn parent(args: &[String]) -> ExitCode {
    let sizes: Vec<u64> = if args.is_empty() {
        vec![1_000_000, 5_000_000, 10_000_000]
    } else {
        match args.iter().map(|arg| arg.parse()).collect() {
            Ok(sizes) => sizes,
            Err(_) => {
                eprintln!("simulation_scaling: sizes are whole numbers of requests");
                return ExitCode::from(2);
            }
        }
    };
    let Ok(me) = std::env::current_exe() else {
        eprintln!("simulation_scaling: cannot find my own program");
        return ExitCode::FAILURE;
    };
    println!(
        "{:>12}  {:>9}  {:>12}  {:>9}  {:>12}  {:>12}  {:>12}  {:>12}",
        "requests",
        "wall s",
        "wall req/s",
        "CPU s",
        "CPU req/s",
        "peak MiB",
        "log only MiB",
        "customers"
    );
    for size in sizes {
        let run = |mode: &str| {
            Command::new(&me)
                .args(["--child", mode, &size.to_string()])
                .output()
                .ok()
                .filter(|output| output.status.success())
                .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        };
        let (Some(replay), Some(baseline)) = (run("replay"), run("generate")) else {
            eprintln!("simulation_scaling: the run of {size} requests failed");
            return ExitCode::FAILURE;
        };
        let fields: Vec<&str> = replay.split_whitespace().collect();
        let [wall, cpu, peak, customers] = fields[..] else {
            eprintln!("simulation_scaling: unexpected output {replay:?}");
            return ExitCode::FAILURE;
        };
        let (wall, cpu): (f64, f64) = (wall.parse().unwrap_or(0.0), cpu.parse().unwrap_or(0.0));
        let baseline_peak = baseline.split_whitespace().nth(2).unwrap_or("?");
        println!(
            "{:>12}  {:>9.2}  {:>12.0}  {:>9.2}  {:>12.0}  {:>12}  {:>12}  {:>12}",
            size,
            wall,
            size as f64 / wall,
            cpu,
            size as f64 / cpu,
            peak,
            baseline_peak,
            customers
        );
    }
    ExitCode::SUCCESS
}

/// One run: `replay N` or `generate N`; prints `wall_s cpu_s peak_mib peak_customers`.
fn child(args: &[String]) -> ExitCode {
    let (Some(mode), Some(size)) = (
        args.first(),
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        return ExitCode::from(2);
    };
    let engine = Engine::default();
    let mut simulator = Simulator::new(&engine);
    let mut generator = LogGenerator::new(SEED);
    let mut chunk: Vec<LogEntry> = Vec::with_capacity(CHUNK);
    let mut left = size;
    let (mut wall, mut cpu) = (Duration::ZERO, 0.0);
    while left > 0 {
        chunk.clear();
        chunk.extend(generator.by_ref().take(left.min(CHUNK)));
        left -= chunk.len();
        if mode != "replay" {
            continue;
        }
        let (started, cpu_started) = (Instant::now(), ThreadTime::now());
        for batch in chunk.chunks(PREFETCH_BATCH) {
            simulator.prefetch(batch.iter().map(|entry| &entry.request));
            for entry in batch {
                // The generated log is decidable; a failure would be counted in the report.
                let _ = simulator.replay(&entry.request, entry.now);
            }
        }
        wall += started.elapsed();
        cpu += cpu_started.elapsed().as_secs_f64();
    }
    let report = simulator.finish();
    println!(
        "{:.3} {:.3} {} {}",
        wall.as_secs_f64(),
        cpu,
        peak_mib().map_or_else(|| "?".to_owned(), |mib| format!("{mib:.0}")),
        report.memory.peak_customers
    );
    ExitCode::SUCCESS
}

/// The peak resident memory of this process in MiB, on Linux.
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
