//! Checks a policy file before it goes live: every problem that stops it from loading, and every
//! warning about a policy that loads but is probably wrong.
//!
//! ```text
//! cargo run --example policy_check -- examples/policies/default.toml
//! ```
//!
//! Exits with status 0 when the policy loads (warnings or not), 1 when it does not, and 2 on a
//! wrong command line.

use std::process::ExitCode;

use voucher_policy::{Markets, Policy};

const USAGE: &str = "\
Usage: policy_check FILE

Reads a policy file (TOML, or JSON when its name ends in .json), or a markets file of a policy
per market, prints every problem that stops it from loading and every warning about a policy
that is probably wrong. Exits with status 1 if the policy does not load.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = match args.as_slice() {
        [flag] if flag == "-h" || flag == "--help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        [path] => path,
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    // A markets file holds a policy for each market under `[markets.NAME]`.
    let is_markets = std::fs::read_to_string(path).is_ok_and(|text| {
        text.lines().any(|line| {
            let line = line.trim_start();
            line.starts_with("[markets.") || line.starts_with("\"markets\"")
        })
    });
    let loaded = if is_markets {
        Markets::load(path).map(|markets| {
            markets
                .iter()
                .map(|(name, policy)| (format!("market {name}: "), policy.clone()))
                .collect::<Vec<_>>()
        })
    } else {
        Policy::load(path).map(|policy| vec![(String::new(), policy)])
    };
    let policies = match loaded {
        Ok(policies) => policies,
        Err(error) => {
            println!("{path}: does not load");
            match error.problems() {
                [] => println!("  error: {error}"),
                problems => {
                    for problem in problems {
                        println!("  error: {problem}");
                    }
                }
            }
            return ExitCode::FAILURE;
        }
    };
    for (market, policy) in &policies {
        let warnings = policy.lint();
        println!(
            "{path}: {market}policy {:?} version {:?} loads: {} tiers, {} categories, currency {}",
            policy.name(),
            policy.version(),
            policy.tiers().len(),
            policy.categories().len(),
            policy.currency(),
        );
        for warning in &warnings {
            println!("  warning: {warning}");
        }
        if warnings.is_empty() {
            println!("  no warnings");
        }
    }
    ExitCode::SUCCESS
}
