//! Writes a realistic log of compensation requests, the same for the same seed, as JSON Lines
//! for the `simulate` (or `decide`) example.
//!
//! ```text
//! cargo run --release -p voucher-policy-sim --example generate_log -- 200000 > log.jsonl
//! cargo run --release -p voucher-policy-sim --example generate_log -- --seed 7 --customers 50000 --per-day 5000 100000
//! ```
//!
//! The traffic is that of [`LogGenerator`]: five loyalty tiers in sensible proportions, mostly
//! honest customers and a few who complain often about small things, lunch and evening peaks,
//! busier weekends, bad-weather days full of late deliveries, and a sprinkling of threats,
//! abuse, duplicate complaints and orders from another account.

use std::ffi::OsString;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use chrono::DateTime;
use voucher_policy_sim::{LogGenerator, TrafficShape};

const USAGE: &str = "\
Usage: generate_log [--seed N] [--customers N] [--per-day N] [--start TIME] COUNT > log.jsonl

Writes COUNT generated compensation requests, one JSON line each, in time order: the requests
of the wire contract without history, the same for the same options on every machine.

Options:
      --seed N        the seed (default 7)
      --customers N   how many customers complain (default 500000)
      --per-day N     requests on an ordinary weekday (default 20000)
      --start TIME    the first day, RFC 3339 (default 2026-11-02T00:00:00+07:00)
  -h, --help          print this help and exit";

fn main() -> ExitCode {
    let (seed, shape, count) = match parse_args(std::env::args_os().skip(1)) {
        Ok(Some(parsed)) => parsed,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("generate_log: {message}");
            eprintln!("Try 'generate_log --help' for more information.");
            return ExitCode::from(2);
        }
    };
    match write_log(seed, shape, count, io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`| head`): nothing more to say.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("generate_log: {error}");
            ExitCode::FAILURE
        }
    }
}

type Parsed = (u64, TrafficShape, u64);

/// Reads the command line (without the program name); `None` asks for the help.
fn parse_args(mut args: impl Iterator<Item = OsString>) -> Result<Option<Parsed>, String> {
    let mut seed = 7;
    let mut shape = TrafficShape::default();
    let mut count = None;
    while let Some(arg) = args.next() {
        let arg = arg.to_string_lossy().into_owned();
        let mut value = |name: &str| {
            args.next()
                .map(|value| value.to_string_lossy().into_owned())
                .ok_or(format!("{name} needs a value"))
        };
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--seed" => seed = number("--seed", &value("--seed")?)?,
            "--customers" => shape.customers = positive("--customers", &value("--customers")?)?,
            "--per-day" => shape.requests_per_day = positive("--per-day", &value("--per-day")?)?,
            "--start" => {
                let text = value("--start")?;
                shape.start = DateTime::parse_from_rfc3339(&text).map_err(|error| {
                    format!("--start: {text:?} is not an RFC 3339 time ({error})")
                })?;
            }
            _ if arg.starts_with('-') => return Err(format!("unexpected option '{arg}'")),
            _ if count.is_none() => count = Some(number("COUNT", &arg)?),
            _ => return Err(format!("unexpected argument '{arg}'")),
        }
    }
    let count = count.ok_or("how many requests? generate_log COUNT")?;
    Ok(Some((seed, shape, count)))
}

fn number(name: &str, text: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("{name}: {text:?} is not a whole number"))
}

fn positive(name: &str, text: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(value) if value > 0 => Ok(value),
        _ => Err(format!(
            "{name}: {text:?} is not a whole number from 1 to {}",
            u32::MAX
        )),
    }
}

fn write_log(seed: u64, shape: TrafficShape, count: u64, out: impl Write) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, out);
    for entry in LogGenerator::with_shape(seed, shape).take(count.try_into().unwrap_or(usize::MAX))
    {
        let line = entry.to_json().map_err(io::Error::other)?;
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
