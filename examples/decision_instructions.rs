//! Decides the benchmarks' generated requests over and over, for counting instructions: wall
//! and CPU time on a shared machine move with the neighbours, instruction counts do not.
//!
//! ```text
//! cargo build --release --example decision_instructions
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/verdict-20.out \
//!     target/release/examples/decision_instructions verdict 20 100000
//! callgrind_annotate /tmp/verdict-20.out | head -40
//! ```
//!
//! Arguments: `verdict`, `decide`, `json` (the JSON path of `benches/json.rs`: read the line,
//! decide with the script, write the decision) or `parse` (reading the line alone), the history size (the `Exactly` histories of
//! `benches/decision.rs`; `recent` before the size for `Recent`), and how many requests to
//! decide. It prints the number of decisions made, so a run with 0 requests gives the cost of
//! generating the inputs, which is subtracted to get the cost of a decision.
#[path = "../benches/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::process::ExitCode;

use common::{HistoryLen, SEED, round};
use voucher_policy::{Case, Engine};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let (mode, rest) = match words.split_first() {
        Some((&mode @ ("verdict" | "decide" | "json" | "parse"), rest)) => (mode, rest),
        _ => return usage(),
    };
    let (recent, rest) = match rest.split_first() {
        Some((&"recent", rest)) => (true, rest),
        _ => (false, rest),
    };
    let [size, requests] = rest else {
        return usage();
    };
    let (Ok(size), Ok(requests)) = (size.parse::<usize>(), requests.parse::<usize>()) else {
        return usage();
    };
    // The rounds of benches/decision.rs.
    let count = (2_000 / size.max(1)).clamp(1, 256);
    let len = if recent {
        HistoryLen::Recent(size)
    } else {
        HistoryLen::Exactly(size)
    };
    let cases = common::cases(SEED, count, len);
    let lines = common::json_lines(&cases);
    let engine = Engine::default();
    let (mut next, mut next_line) = (round(&cases), round(&lines));
    let mut out = Vec::with_capacity(4_096);
    let mut decided = 0_usize;
    for _ in 0..requests {
        let (case, line) = (next(), next_line());
        let ok = match mode {
            "verdict" => {
                black_box(engine.verdict(case.request(), case.history(), case.now())).is_ok()
            }
            "decide" => {
                black_box(engine.decide(case.request(), case.history(), case.now())).is_ok()
            }
            "parse" => black_box(Case::from_json(line)).is_ok(),
            _ => {
                out.clear();
                Case::from_json(line)
                    .ok()
                    .and_then(|case| engine.decide_case(&case).ok())
                    .is_some_and(|decision| serde_json::to_writer(&mut out, &decision).is_ok())
            }
        };
        decided += usize::from(ok);
    }
    println!("{decided} decided");
    ExitCode::SUCCESS
}

fn usage() -> ExitCode {
    eprintln!("usage: decision_instructions verdict|decide|json|parse [recent] HISTORY REQUESTS");
    ExitCode::FAILURE
}
