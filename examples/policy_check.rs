//! Checks a policy file before it goes live: every problem that stops it from loading, and every
//! warning about a policy that loads but is probably wrong; with `--test`, runs the policy's test
//! suite against it and reports what failed and what the suite covered; with `--check`, proves or
//! refutes properties of it over every case; with `--compare`, compares two policies over every
//! case.
//!
//! ```text
//! cargo run --example policy_check -- examples/policies/default.toml
//! cargo run --example policy_check -- examples/policies/default.toml --test examples/policies/default.test.toml --min-coverage 80
//! cargo run --example policy_check -- --test examples/policies/default.test.toml   # the embedded default policy
//! cargo run --example policy_check -- examples/policies/strict.toml --check standard --check never-above=90000
//! cargo run --release --example policy_check -- --compare examples/policies/default.toml examples/policies/strict.toml
//! ```
//!
//! Exit status:
//!
//! - 0: the policy loads (warnings or not); with `--test`, every case passed and the coverage
//!   is at least `--min-coverage`; with `--check`, every property holds; with `--compare`, the
//!   two policies were compared (whatever the answer).
//! - 1: the policy does not load, the suite file does not load, a case of the suite failed
//!   (a case that cannot be read or decided fails too), or a property is refuted.
//! - 2: a wrong command line.
//! - 3: every case passed, but the overall coverage is below `--min-coverage`.
//!
//! A failing case wins over a low coverage. Low coverage is 3, not 2, because 2 already meant a
//! wrong command line, and a script in CI must tell the two apart.

use std::process::ExitCode;

use voucher_policy::{Engine, Markets, Policy, PolicySuite, Property};

const USAGE: &str = "\
Usage: policy_check FILE
       policy_check [FILE] --test SUITE [--min-coverage PERCENT]
       policy_check [FILE] --check PROPERTY... [--json]
       policy_check --compare FIRST SECOND [--json]

Reads a policy file (TOML, or JSON when its name ends in .json), or a markets file of a policy
per market, prints every problem that stops it from loading and every warning about a policy
that is probably wrong. Exits with status 1 if the policy does not load.

--test SUITE             run the test suite SUITE (a TOML file of [[case]]s) against the policy,
                         or against the embedded default policy when no FILE is given; print
                         each failure and the coverage; exit with status 1 if a case fails
--min-coverage PERCENT   with --test: exit with status 3 when every case passes but the overall
                         coverage (the share of reasons, tiers, categories, outcomes and
                         escalation targets exercised) is below PERCENT (0 to 100)
--check PROPERTY         prove PROPERTY over every case of the policy, or refute it with a case
                         (repeatable): never-above=AMOUNT, no-grant-to-list=LIST,
                         higher-tier-never-less, no-grant-without-valid-complaint,
                         refusals-offer-a-way-forward, or standard (the last three and
                         never-above the policy's largest voucher); exit with status 1 if one
                         is refuted
--compare FIRST SECOND   compare two policy files over every case: whether SECOND is stricter,
                         more generous, equivalent or neither, with a case for each kind of
                         difference, replayed through both policies (two markets files: market
                         by market)
--json                   with --check or --compare: print the answer as JSON, each case in the
                         wire form the decide example reads

Exit status: 0 all well, 1 the policy or the suite does not load or a case fails, 2 a wrong
command line, 3 the coverage is below --min-coverage.";

/// The status of a run whose every case passed, but whose coverage is below the minimum.
const COVERAGE_BELOW: u8 = 3;

/// What the command line asks for.
struct Options {
    /// The policy or markets file; the embedded default policy when absent.
    policy: Option<String>,
    /// The suite to run against it.
    suite: Option<String>,
    /// The least overall coverage, in percent, that passes.
    min_coverage: Option<f64>,
    /// The properties to prove, as written.
    checks: Vec<String>,
    /// The two policy files to compare.
    compare: Option<(String, String)>,
    /// Whether to print checks and comparisons as JSON.
    json: bool,
}

/// Why the command line asks for no check.
enum NoCheck {
    /// `--help`.
    Help,
    /// A wrong command line, and what is wrong with it.
    Wrong(String),
}

impl From<&str> for NoCheck {
    fn from(message: &str) -> Self {
        NoCheck::Wrong(message.to_owned())
    }
}

/// The options the command line gives.
fn parse(args: &[String]) -> Result<Options, NoCheck> {
    let mut options = Options {
        policy: None,
        suite: None,
        min_coverage: None,
        checks: Vec::new(),
        compare: None,
        json: false,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Err(NoCheck::Help),
            "--test" => {
                let suite = args.next().ok_or("--test needs a suite file")?;
                options.suite = Some(suite.clone());
            }
            "--min-coverage" => {
                let text = args.next().ok_or("--min-coverage needs a percentage")?;
                let percent = text
                    .trim_end_matches('%')
                    .parse::<f64>()
                    .ok()
                    .filter(|percent| (0.0..=100.0).contains(percent))
                    .ok_or_else(|| {
                        NoCheck::Wrong(format!(
                            "--min-coverage {text}: not a percentage from 0 to 100"
                        ))
                    })?;
                options.min_coverage = Some(percent);
            }
            "--check" => {
                let property = args.next().ok_or("--check needs a property")?;
                options.checks.push(property.clone());
            }
            "--compare" => {
                let first = args.next().ok_or("--compare needs two policy files")?;
                let second = args.next().ok_or("--compare needs two policy files")?;
                options.compare = Some((first.clone(), second.clone()));
            }
            "--json" => options.json = true,
            flag if flag.starts_with("--") => {
                return Err(NoCheck::Wrong(format!("unknown option {flag}")));
            }
            path if options.policy.is_none() => options.policy = Some(path.to_owned()),
            path => return Err(NoCheck::Wrong(format!("a second policy file: {path}"))),
        }
    }
    if options.compare.is_some() {
        if options.policy.is_some() || options.suite.is_some() || !options.checks.is_empty() {
            return Err("--compare takes its two files and nothing else but --json".into());
        }
        return Ok(options);
    }
    if options.json && options.checks.is_empty() {
        return Err("--json needs --check or --compare".into());
    }
    if options.suite.is_none() {
        if options.min_coverage.is_some() {
            return Err("--min-coverage needs --test".into());
        }
        if options.policy.is_none() && options.checks.is_empty() {
            return Err("no policy file".into());
        }
    }
    Ok(options)
}

/// A policy file's policies: one, or one per market.
enum Loaded {
    Policy(Policy),
    Markets(Markets),
}

impl Loaded {
    /// Each policy, with the words that name its market.
    fn policies(&self) -> Vec<(String, &Policy)> {
        match self {
            Loaded::Policy(policy) => vec![(String::new(), policy)],
            Loaded::Markets(markets) => markets
                .iter()
                .map(|(name, policy)| (format!("market {name}: "), policy))
                .collect(),
        }
    }

    fn into_engine(self) -> Engine {
        match self {
            Loaded::Policy(policy) => Engine::new(policy),
            Loaded::Markets(markets) => Engine::for_markets(markets),
        }
    }
}

/// Reads the policy file, printing every problem when it does not load.
fn load(path: &str) -> Option<Loaded> {
    // A markets file holds a policy for each market under `[markets.NAME]`.
    let is_markets = std::fs::read_to_string(path).is_ok_and(|text| {
        text.lines().any(|line| {
            let line = line.trim_start();
            line.starts_with("[markets.") || line.starts_with("\"markets\"")
        })
    });
    let loaded = if is_markets {
        Markets::load(path).map(Loaded::Markets)
    } else {
        Policy::load(path).map(Loaded::Policy)
    };
    match loaded {
        Ok(loaded) => Some(loaded),
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
            None
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse(&args) {
        Ok(options) => options,
        Err(NoCheck::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(NoCheck::Wrong(message)) => {
            eprintln!("policy_check: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Some((first, second)) = &options.compare {
        return compare(first, second, options.json);
    }
    let (label, loaded) = match &options.policy {
        Some(path) => match load(path) {
            Some(loaded) => (path.as_str(), loaded),
            None => return ExitCode::FAILURE,
        },
        None => ("embedded default", Loaded::Policy(Policy::default())),
    };
    // With --json, stdout is the JSON alone: what the file is goes to stderr.
    let say = |line: String| {
        if options.json {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    };
    for (market, policy) in loaded.policies() {
        let warnings = policy.lint();
        say(format!(
            "{label}: {market}policy {:?} version {:?} loads: {} tiers, {} categories, currency {}",
            policy.name(),
            policy.version(),
            policy.tiers().len(),
            policy.categories().len(),
            policy.currency(),
        ));
        for warning in &warnings {
            say(format!("  warning: {warning}"));
        }
        if warnings.is_empty() {
            say("  no warnings".to_owned());
        }
    }
    if !options.checks.is_empty() {
        let status = check(&loaded, &options.checks, options.json);
        if status != ExitCode::SUCCESS || options.suite.is_none() {
            return status;
        }
    }
    let Some(suite_path) = &options.suite else {
        return ExitCode::SUCCESS;
    };
    let suite = match PolicySuite::load(suite_path) {
        Ok(suite) => suite,
        Err(error) => {
            println!("{suite_path}: does not load");
            // A TOML error quotes the lines at fault below its first line: indent them too.
            println!("  error: {}", error.to_string().replace('\n', "\n    "));
            return ExitCode::FAILURE;
        }
    };
    let report = suite.run(&loaded.into_engine());
    println!("{suite_path}: {report}");
    if !report.failures().is_empty() {
        return ExitCode::FAILURE;
    }
    match options.min_coverage {
        Some(minimum) if report.coverage().percent() < minimum => {
            let coverage = report.coverage();
            println!(
                "coverage below the minimum of {minimum}%: {} of {} items, {}%",
                coverage.covered(),
                coverage.total(),
                coverage.percent()
            );
            ExitCode::from(COVERAGE_BELOW)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// Proves or refutes each property of each policy of the file (one, or one per market),
/// printing each answer.
fn check(loaded: &Loaded, checks: &[String], json: bool) -> ExitCode {
    let mut reports = Vec::new();
    for (market, policy) in loaded.policies() {
        let mut properties = Vec::new();
        for text in checks {
            if text == "standard" {
                properties.extend(Property::standard(policy));
                continue;
            }
            match text.parse::<Property>() {
                Ok(property) => properties.push(property),
                Err(error) => {
                    eprintln!("policy_check: --check {error}");
                    return ExitCode::from(2);
                }
            }
        }
        for property in &properties {
            match policy.check(property) {
                Ok(report) => reports.push((market.clone(), report)),
                Err(error) => {
                    println!("{market}{property}: {error}");
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    if json {
        let reports: Vec<_> = reports.iter().map(|(_, report)| report).collect();
        match serde_json::to_string_pretty(&reports) {
            Ok(text) => println!("{text}"),
            Err(error) => {
                eprintln!("policy_check: {error}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        for (market, report) in &reports {
            println!("{market}{report}");
        }
    }
    if reports.iter().all(|(_, report)| report.holds()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Compares two policy files, printing the answer: two policies, or two markets files market
/// by market (the markets both have).
fn compare(first: &str, second: &str, json: bool) -> ExitCode {
    let (Some(first_file), Some(second_file)) = (load(first), load(second)) else {
        return ExitCode::FAILURE;
    };
    let pairs: Vec<(String, &Policy, &Policy)> = match (&first_file, &second_file) {
        (Loaded::Policy(a), Loaded::Policy(b)) => vec![(String::new(), a, b)],
        (Loaded::Markets(_), Loaded::Markets(_)) => {
            let theirs = second_file.policies();
            first_file
                .policies()
                .into_iter()
                .filter_map(|(market, a)| {
                    let (_, b) = theirs.iter().find(|(name, _)| *name == market)?;
                    Some((market, a, *b))
                })
                .collect()
        }
        _ => {
            eprintln!("policy_check: --compare takes two policy files or two markets files");
            return ExitCode::from(2);
        }
    };
    let mut comparisons = Vec::new();
    for (market, a, b) in pairs {
        match a.compare(b) {
            Ok(comparison) => comparisons.push((market, comparison)),
            Err(error) => {
                println!("{market}cannot compare: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    if json {
        let text = match comparisons.as_slice() {
            [(_, one)] => one.to_json(),
            many => {
                let all: Vec<_> = many.iter().map(|(_, comparison)| comparison).collect();
                serde_json::to_string_pretty(&all)
            }
        };
        match text {
            Ok(text) => println!("{text}"),
            Err(error) => {
                eprintln!("policy_check: {error}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        for (market, comparison) in &comparisons {
            print!("{market}{comparison}");
        }
    }
    ExitCode::SUCCESS
}
