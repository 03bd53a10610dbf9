//! What-if simulation: replays a log of requests through a policy, or through two side by side,
//! prints the report and writes it as an HTML page with charts.
//!
//! ```text
//! cargo run --release -p voucher-policy-sim --example generate_log -- 200000 > log.jsonl
//! cargo run --release -p voucher-policy-sim --example simulate -- log.jsonl
//! cargo run --release -p voucher-policy-sim --example simulate -- --against examples/policies/strict.toml log.jsonl
//! ```
//!
//! The log is JSON Lines, one request per line in time order: the request of the wire contract
//! (as `decide` reads it) without `history`, since the replay builds each customer's history
//! from its own grants. The decision service's audit log (`GET /decisions?since=..&until=..` of
//! `examples/service`, lines `{"request": ..., "decision": ...}`) is such a log as it is: each
//! line's `request` is replayed. `-` reads the log from stdin.
//!
//! Policy A is `--policy FILE`, or the embedded default policy; `--against FILE` is policy B,
//! the one tried. With it, every figure is printed for both with the difference B - A, with the
//! requests decided differently.
//!
//! The HTML report goes to `simulation.html` in the current directory unless `--html FILE`
//! names another file (`--no-html` writes none); it is one self-contained file with inline
//! SVG charts, readable in a browser with no network. `--json FILE` writes the report (or the
//! comparison) as JSON too.
//!
//! A line that cannot be replayed (not a request, out of time order, or input the engine
//! rejects) is reported on stderr with its line number (the first 100; all are counted in the
//! report), and the replay goes on; the exit status is then 1. A wrong command line, a policy
//! file that does not load, or a log that cannot be opened exits with status 2 before any line
//! is read. A progress bar is shown on stderr when it is a terminal.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use voucher_policy::{Engine, Policy, Verdict};
use voucher_policy_sim::{
    Comparer, LogEntry, LogLineError, PREFETCH_BATCH, ReplayError, Simulator,
};

const USAGE: &str = "\
Usage: simulate [--policy FILE] [--against FILE] [--html FILE | --no-html] [--json FILE] LOG.jsonl

Replays a log of compensation requests (JSON Lines in time order, the requests of the wire
contract without history, or the decision service's audit log, whose lines carry the request
beside its decision; - for stdin) through a policy and prints the report: outcomes, reasons,
tiers, severities, categories, money per tier and per day, the customers refused most.

Options:
      --policy FILE   policy A: this policy file instead of the embedded default
      --against FILE  policy B: replay the log through this policy too and compare
      --html FILE     write the HTML report here (default: simulation.html)
      --no-html       write no HTML report
      --json FILE     write the report (or comparison) as JSON here
  -h, --help          print this help and exit

Exits with status 1 if any line could not be replayed, 2 on a wrong command line, a policy
file that does not load or a log that cannot be opened.";

/// How many failed lines are printed on stderr; the report counts them all.
const FAILURES_PRINTED: u64 = 100;

fn main() -> ExitCode {
    let options = match parse_args(std::env::args_os().skip(1)) {
        Ok(Command::Run(options)) => options,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("simulate: {message}");
            eprintln!("Try 'simulate --help' for more information.");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(failed) => {
            eprintln!("simulate: {failed} lines could not be replayed");
            ExitCode::FAILURE
        }
        Err(Fatal::Setup(message)) => {
            eprintln!("simulate: {message}");
            ExitCode::from(2)
        }
        Err(Fatal::Output(message)) => {
            eprintln!("simulate: {message}");
            ExitCode::FAILURE
        }
    }
}

/// What the command line asks for.
enum Command {
    Run(Options),
    Help,
}

/// How to run.
struct Options {
    policy: Option<PathBuf>,
    against: Option<PathBuf>,
    html: Option<PathBuf>,
    json: Option<PathBuf>,
    log: PathBuf,
}

/// Reads the command line (without the program name).
fn parse_args(mut args: impl Iterator<Item = OsString>) -> Result<Command, String> {
    let mut policy = None;
    let mut against = None;
    let mut html = Some(PathBuf::from("simulation.html"));
    let mut html_given = false;
    let mut json = None;
    let mut log = None;
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy().into_owned();
        let (flag, inline) = match text.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value)),
            _ => (text.clone(), None),
        };
        let mut value = |name: &str| -> Result<PathBuf, String> {
            match inline {
                Some(value) => Ok(PathBuf::from(value)),
                None => args
                    .next()
                    .map(PathBuf::from)
                    .ok_or(format!("{name} needs a file: {name} FILE")),
            }
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--policy" => set_once(&mut policy, value("--policy")?, "--policy")?,
            "--against" => set_once(&mut against, value("--against")?, "--against")?,
            "--json" => set_once(&mut json, value("--json")?, "--json")?,
            "--html" => {
                if html_given {
                    return Err("--html or --no-html given twice".to_owned());
                }
                html_given = true;
                html = Some(value("--html")?);
            }
            "--no-html" => {
                if html_given {
                    return Err("--html or --no-html given twice".to_owned());
                }
                html_given = true;
                html = None;
            }
            _ if text.starts_with('-') && text != "-" => {
                return Err(format!("unexpected option '{text}'"));
            }
            _ => set_once(&mut log, PathBuf::from(arg), "the log")?,
        }
    }
    let log = log.ok_or("no log given: simulate LOG.jsonl (or - for stdin)")?;
    Ok(Command::Run(Options {
        policy,
        against,
        html,
        json,
        log,
    }))
}

fn set_once(slot: &mut Option<PathBuf>, value: PathBuf, what: &str) -> Result<(), String> {
    match slot.replace(value) {
        None => Ok(()),
        Some(_) => Err(format!("{what} given twice")),
    }
}

/// Why the run stopped.
enum Fatal {
    /// Before any line was read: exit status 2.
    Setup(String),
    /// Reading the log or writing a report failed: exit status 1.
    Output(String),
}

fn load(path: Option<&Path>) -> Result<Engine, Fatal> {
    match path {
        None => Ok(Engine::default()),
        Some(path) => Policy::load(path)
            .map(Engine::new)
            .map_err(|error| Fatal::Setup(error.to_string())),
    }
}

/// Replays the log, prints and writes the report; returns how many lines failed.
fn run(options: &Options) -> Result<u64, Fatal> {
    let a = load(options.policy.as_deref())?;
    let b = options
        .against
        .as_deref()
        .map(|path| load(Some(path)))
        .transpose()?;
    let (input, size): (Box<dyn Read>, Option<u64>) = if options.log == Path::new("-") {
        (Box::new(io::stdin().lock()), None)
    } else {
        let file = File::open(&options.log).map_err(|error| {
            Fatal::Setup(format!("cannot open {}: {error}", options.log.display()))
        })?;
        let size = file.metadata().ok().map(|metadata| metadata.len());
        (Box::new(file), size)
    };
    let progress = progress_bar(size);
    let mut replay = match &b {
        None => Replay::One(Box::new(Simulator::new(&a))),
        Some(b) => Replay::Two(Box::new(Comparer::new(&a, b))),
    };
    let mut input = BufReader::with_capacity(1 << 20, input);
    let mut batch: Vec<(Vec<u8>, usize)> = (0..PREFETCH_BATCH).map(|_| (Vec::new(), 0)).collect();
    let mut failed = 0u64;
    loop {
        // Read a batch of lines, parse them, prefetch their customers, then replay in order.
        let mut lines = 0;
        for (buffer, read) in batch.iter_mut() {
            buffer.clear();
            *read = input
                .read_until(b'\n', buffer)
                .map_err(|error| Fatal::Output(format!("cannot read the log: {error}")))?;
            if *read == 0 {
                break;
            }
            lines += 1;
        }
        let parsed: Vec<Result<LogEntry, LogLineError>> = batch
            .iter()
            .take(lines)
            .map(|(buffer, _)| LogEntry::from_json(buffer))
            .collect();
        replay.prefetch(parsed.iter().flatten().map(|entry| &entry.request));
        for entry in parsed {
            for error in replay.replay(entry) {
                failed += 1;
                if failed <= FAILURES_PRINTED {
                    progress.suspend(|| eprintln!("simulate: {error}"));
                } else if failed == FAILURES_PRINTED + 1 {
                    progress.suspend(|| {
                        eprintln!("simulate: more lines failed; the report counts them all")
                    });
                }
            }
        }
        progress.inc(batch.iter().take(lines).map(|(_, read)| *read as u64).sum());
        if lines < PREFETCH_BATCH {
            break;
        }
    }
    progress.finish_and_clear();
    replay.finish(options, &a, b.as_ref())?;
    Ok(failed)
}

fn progress_bar(size: Option<u64>) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(size, ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::with_draw_target(size, ProgressDrawTarget::stderr());
    let style = match size {
        Some(_) => ProgressStyle::with_template(
            "{spinner} replaying [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
        ),
        None => ProgressStyle::with_template("{spinner} replaying {bytes} ({bytes_per_sec})"),
    };
    if let Ok(style) = style {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// One policy or two.
enum Replay<'e> {
    One(Box<Simulator<'e>>),
    Two(Box<Comparer<'e>>),
}

impl Replay<'_> {
    fn prefetch<'r>(&self, requests: impl Iterator<Item = &'r voucher_policy::Request> + Clone) {
        match self {
            Replay::One(simulator) => simulator.prefetch(requests),
            Replay::Two(comparer) => comparer.prefetch(requests),
        }
    }

    /// Replays one line and returns what went wrong with it, once per distinct failure.
    fn replay(&mut self, entry: Result<LogEntry, LogLineError>) -> Vec<String> {
        match self {
            Replay::One(simulator) => {
                let result = match entry {
                    Ok(entry) => simulator.replay(&entry.request, entry.now),
                    Err(error) => Err(simulator.unreadable_line(error)),
                };
                result
                    .err()
                    .map(|error| error.to_string())
                    .into_iter()
                    .collect()
            }
            Replay::Two(comparer) => {
                let results = match entry {
                    Ok(entry) => comparer.replay(&entry.request, entry.now),
                    Err(error) => comparer.unreadable_line(error),
                };
                paired_failures(&results.a, &results.b)
            }
        }
    }

    fn finish(self, options: &Options, a: &Engine, b: Option<&Engine>) -> Result<(), Fatal> {
        let (text, html, json) = match self {
            Replay::One(simulator) => {
                let report = simulator.finish();
                let json = options
                    .json
                    .as_ref()
                    .map(|_| serde_json::to_string_pretty(&report));
                (report.to_string(), report.to_html(), json)
            }
            Replay::Two(comparer) => {
                let mut comparison = comparer.finish();
                // Beside the log's figures, what B does over every possible request.
                if let Some(b) = b {
                    match a.policy().compare(b.policy()) {
                        Ok(analysis) => comparison = comparison.with_analysis(analysis),
                        Err(error) => eprintln!("simulate: no exhaustive analysis: {error}"),
                    }
                }
                let json = options
                    .json
                    .as_ref()
                    .map(|_| serde_json::to_string_pretty(&comparison));
                (comparison.to_string(), comparison.to_html(), json)
            }
        };
        print!("{text}");
        if let Some(path) = &options.html {
            write(path, &html)?;
            eprintln!("simulate: HTML report written to {}", path.display());
        }
        if let (Some(path), Some(json)) = (&options.json, json) {
            let json = json
                .map_err(|error| Fatal::Output(format!("cannot write the JSON report: {error}")))?;
            write(path, &json)?;
        }
        Ok(())
    }
}

/// The failures of a line under two policies: one message when both fail alike.
fn paired_failures(
    a: &Result<Verdict, ReplayError>,
    b: &Result<Verdict, ReplayError>,
) -> Vec<String> {
    match (a, b) {
        (Err(a), Err(b)) if a == b => vec![a.to_string()],
        (Err(a), Err(b)) => vec![format!("{a} (under A)"), format!("{b} (under B)")],
        (Err(a), Ok(_)) => vec![format!("{a} (under A)")],
        (Ok(_), Err(b)) => vec![format!("{b} (under B)")],
        (Ok(_), Ok(_)) => Vec::new(),
    }
}

fn write(path: &Path, text: &str) -> Result<(), Fatal> {
    std::fs::write(path, text)
        .map_err(|error| Fatal::Output(format!("cannot write {}: {error}", path.display())))
}
