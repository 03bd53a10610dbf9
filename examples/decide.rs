//! Decides compensation requests given as JSON Lines, the wire form of the crate's design.
//!
//! ```text
//! cargo run --example decide < examples/data/sample.jsonl
//! ```
//!
//! Reads one JSON request per line on stdin and writes exactly one JSON line per input line on
//! stdout, in the same order: the decision, or, for a line that cannot be decided,
//!
//! ```text
//! {"error":{"line":N,"kind":"json"|"request","message":"...","field":"...","value":"..."}}
//! ```
//!
//! `line` counts from 1. `kind` is `json` for a line that is not a readable request (not UTF-8,
//! blank, malformed JSON, a missing, unknown or ill-formed field) and `request` for a readable
//! request that cannot be decided (a wrong currency, a non-positive amount, times in the wrong
//! order, an unknown tier or category). `field` names the field at fault when it is known;
//! `value` (request errors only) is the value found there.
//!
//! A bad line never stops the run: every line is answered, and the exit status is 1 at the end
//! if any line failed, 0 if every line was decided. A wrong command line, or a policy file that
//! does not load, exits with status 2 before any line is read.
//!
//! `--policy FILE` decides on a policy file (TOML, or JSON when the name ends in `.json`)
//! instead of the embedded default policy.

use std::ffi::OsString;
use std::io::{self, BufRead, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use voucher_policy::{Case, Engine, Policy};

const USAGE: &str = "\
Usage: decide [--policy FILE] < requests.jsonl > decisions.jsonl

Decides compensation requests on the embedded default policy, or on the policy in FILE
(TOML, or JSON when its name ends in .json). Reads one JSON request per line
on stdin and writes one JSON line per input line on stdout: the decision, or
{\"error\": {\"line\": N, \"kind\": \"json\" | \"request\", \"message\": \"...\"}}.
Exits with status 1 if any line could not be decided.

Options:
      --policy FILE  decide on this policy file instead of the embedded default
  -h, --help         print this help and exit";

fn main() -> ExitCode {
    let options = match parse_args(std::env::args_os().skip(1)) {
        Ok(Command::Run(options)) => options,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("decide: {message}");
            eprintln!("Try 'decide --help' for more information.");
            return ExitCode::from(2);
        }
    };
    let engine = match engine(&options) {
        Ok(engine) => engine,
        Err(message) => {
            eprintln!("decide: {message}");
            return ExitCode::from(2);
        }
    };
    match run(&engine, io::stdin().lock(), io::stdout().lock()) {
        Ok(Summary { failed: 0, .. }) => ExitCode::SUCCESS,
        Ok(Summary { lines, failed }) => {
            eprintln!("decide: {failed} of {lines} lines could not be decided");
            ExitCode::FAILURE
        }
        // The reader of our output went away: nothing more to say to anyone.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("decide: {error}");
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
    /// The policy file, or `None` for the embedded default policy.
    policy: Option<PathBuf>,
}

/// Reads the command line (without the program name).
fn parse_args(mut args: impl Iterator<Item = OsString>) -> Result<Command, String> {
    let mut options = Options { policy: None };
    let mut help = false;
    while let Some(arg) = args.next() {
        let policy = match arg.to_str() {
            Some("-h" | "--help") => {
                help = true;
                continue;
            }
            Some("--policy") => args.next().ok_or("--policy needs a file: --policy FILE")?,
            Some(text) if text.starts_with("--policy=") => {
                OsString::from(text.trim_start_matches("--policy="))
            }
            _ => return Err(format!("unexpected argument '{}'", arg.to_string_lossy())),
        };
        if options.policy.replace(PathBuf::from(policy)).is_some() {
            return Err("--policy given twice".to_owned());
        }
    }
    Ok(if help {
        Command::Help
    } else {
        Command::Run(options)
    })
}

/// The engine the options ask for: the policy file's, or the embedded default policy.
fn engine(options: &Options) -> Result<Engine, String> {
    match &options.policy {
        None => Ok(Engine::default()),
        Some(path) => Policy::load(path)
            .map(Engine::new)
            .map_err(|error| error.to_string()),
    }
}

/// How many lines were read and how many of them failed.
struct Summary {
    lines: u64,
    failed: u64,
}

/// Answers every line of `input` on `output`, one line each.
///
/// Fails only when reading or writing fails; a line that cannot be decided is answered with an
/// error line and counted.
fn run(engine: &Engine, mut input: impl BufRead, output: impl Write) -> io::Result<Summary> {
    let mut output = BufWriter::new(output);
    let mut summary = Summary {
        lines: 0,
        failed: 0,
    };
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        if input.read_until(b'\n', &mut buffer)? == 0 {
            break;
        }
        summary.lines += 1;
        let answer = match decide_line(engine, &buffer) {
            Ok(decision) => decision,
            Err(failure) => {
                summary.failed += 1;
                failure.to_json_line(summary.lines)
            }
        };
        output.write_all(answer.as_bytes())?;
        output.write_all(b"\n")?;
    }
    output.flush()?;
    Ok(summary)
}

/// Decides one input line (with or without its line ending) and returns the decision as one line
/// of JSON.
fn decide_line(engine: &Engine, line: &[u8]) -> Result<String, Failure> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let text = std::str::from_utf8(line).map_err(|error| Failure {
        kind: "json",
        message: format!(
            "the line is not valid UTF-8 (invalid byte at column {})",
            error.valid_up_to() + 1
        ),
        field: None,
        value: None,
    })?;
    if text.trim().is_empty() {
        return Err(Failure {
            kind: "json",
            message: "the line is blank; expected one JSON request per line".to_owned(),
            field: None,
            value: None,
        });
    }
    let case = Case::from_json(text).map_err(|error| Failure {
        kind: "json",
        message: error.message(),
        field: error.path().map(str::to_owned),
        value: None,
    })?;
    let decision = engine.decide_case(&case).map_err(|error| Failure {
        kind: "request",
        message: error.to_string(),
        field: Some(error.field().to_owned()),
        value: Some(error.value().to_owned()),
    })?;
    serde_json::to_string(&decision).map_err(|error| Failure {
        kind: "internal",
        message: format!("the decision could not be written as JSON: {error}"),
        field: None,
        value: None,
    })
}

/// Why a line could not be decided.
struct Failure {
    kind: &'static str,
    message: String,
    field: Option<String>,
    value: Option<String>,
}

impl Failure {
    /// The error line for input line `line` (counted from 1).
    fn to_json_line(&self, line: u64) -> String {
        #[derive(Serialize)]
        struct ErrorLine<'a> {
            error: ErrorBody<'a>,
        }
        #[derive(Serialize)]
        struct ErrorBody<'a> {
            line: u64,
            kind: &'a str,
            message: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            field: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            value: Option<&'a str>,
        }
        let error_line = ErrorLine {
            error: ErrorBody {
                line,
                kind: self.kind,
                message: &self.message,
                field: self.field.as_deref(),
                value: self.value.as_deref(),
            },
        };
        // Plain strings and a number always serialize; the fallback keeps the line count right
        // even so.
        serde_json::to_string(&error_line).unwrap_or_else(|_| {
            format!(
                r#"{{"error":{{"line":{line},"kind":"internal","message":"unwritable error"}}}}"#
            )
        })
    }
}
