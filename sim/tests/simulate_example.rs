#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! End to end: generates a log with the `generate_log` example and replays it with `simulate`,
//! as a user would, reading the printed report, the HTML and JSON files and the exit status.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// A command that runs an example in `dir`: the binary `cargo test` built next to this test's
/// own, or, when it is missing or older than its source, `cargo run`.
fn example(name: &str, args: &[&str], dir: &Path) -> Command {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = root.join("examples").join(format!("{name}.rs"));
    let binary = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("examples").join(name)))
        .filter(|binary| {
            let modified = |path: &Path| path.metadata().and_then(|m| m.modified()).ok();
            matches!((modified(binary), modified(&source)), (Some(built), Some(written)) if built >= written)
        });
    let mut command = match binary {
        Some(binary) => Command::new(binary),
        None => {
            let mut cargo = Command::new(env!("CARGO"));
            cargo
                .args(["run", "--quiet", "--example", name, "--manifest-path"])
                .arg(root.join("Cargo.toml"))
                .arg("--");
            cargo
        }
    };
    command.args(args).current_dir(dir);
    command
}

/// Runs an example in `dir` with no input.
fn run(name: &str, args: &[&str], dir: &Path) -> Output {
    example(name, args, dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|error| panic!("cannot run the {name} example: {error}"))
}

/// A fresh empty directory for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("voucher-policy-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn policy(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/policies")
        .join(name)
        .display()
        .to_string()
}

/// Generates `count` requests into `log.jsonl` in `dir`.
fn generate(dir: &Path, count: &str) -> PathBuf {
    let output = run("generate_log", &["--seed", "3", count], dir);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let log = dir.join("log.jsonl");
    std::fs::write(&log, &output.stdout).unwrap();
    log
}

#[test]
fn the_generated_log_is_the_same_on_every_run() {
    let dir = scratch("generate");
    let first = run(
        "generate_log",
        &["--seed", "9", "--per-day", "500", "2000"],
        &dir,
    );
    let again = run(
        "generate_log",
        &["--seed", "9", "--per-day", "500", "2000"],
        &dir,
    );
    assert!(first.status.success());
    assert_eq!(first.stdout, again.stdout);
    let lines: Vec<&str> = std::str::from_utf8(&first.stdout)
        .unwrap()
        .lines()
        .collect();
    assert_eq!(lines.len(), 2_000);
    let first_line: Value = serde_json::from_str(lines[0]).unwrap();
    assert!(first_line.get("history").is_none());
    assert_eq!(first_line["order"]["currency"], "IDR");

    for (args, message) in [
        (vec![], "how many requests?"),
        (vec!["ten"], "COUNT: \"ten\" is not a whole number"),
        (
            vec!["--customers", "0", "5"],
            "--customers: \"0\" is not a whole number",
        ),
        (
            vec!["--start", "tomorrow", "5"],
            "--start: \"tomorrow\" is not an RFC 3339 time",
        ),
        (vec!["--colour", "5"], "unexpected option '--colour'"),
    ] {
        let output = run("generate_log", &args, &dir);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            text(&output.stderr).contains(message),
            "{}",
            text(&output.stderr)
        );
    }
}

#[test]
fn simulate_prints_the_report_and_writes_the_html_and_json_reports() {
    let dir = scratch("simulate");
    let log = generate(&dir, "5000");
    let output = run(
        "simulate",
        &["--json", "report.json", log.to_str().unwrap()],
        &dir,
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.starts_with("Simulation of policy default (version 1), amounts in IDR"));
    assert!(stdout.contains("5,000 requests: 5,000 decided, 0 could not be decided"));
    // The progress bar stays off when stderr is not a terminal.
    assert_eq!(
        text(&output.stderr),
        "simulate: HTML report written to simulation.html\n"
    );
    let html = std::fs::read_to_string(dir.join("simulation.html")).unwrap();
    assert!(html.contains(r#"<svg id="refusals-chart""#));
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(json["lines"], 5_000);
    assert_eq!(json["failed"], 0);

    // The same log through the strict policy as B, with the HTML where asked.
    let output = run(
        "simulate",
        &[
            "--against",
            &policy("strict.toml"),
            "--html",
            "compare.html",
            log.to_str().unwrap(),
        ],
        &dir,
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.starts_with(
        "Comparison on the same log: A = policy default (version 1), B = policy strict"
    ));
    assert!(stdout.contains("requests decided differently"));
    let html = std::fs::read_to_string(dir.join("compare.html")).unwrap();
    assert!(html.contains("What-if comparison"));

    // From stdin, with no HTML.
    std::fs::remove_file(dir.join("simulation.html")).unwrap();
    let output = example("simulate", &["--no-html", "-"], &dir)
        .stdin(std::fs::File::open(&log).unwrap())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("5,000 requests"));
    assert!(!dir.join("simulation.html").exists());
}

#[test]
fn bad_lines_are_reported_with_their_numbers_and_the_replay_goes_on() {
    let dir = scratch("bad-lines");
    let log = generate(&dir, "3");
    let good = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = good.lines().collect();
    let with_history = format!(r#"{},"history":[]}}"#, &lines[1][..lines[1].len() - 1])
        .replace(r#""history":[]"#, r#""history":[{"order_id":"x","granted_at":"2026-11-01T00:00:00+07:00","amount":"1000","currency":"IDR"}]"#);
    let mut unknown_tier: Value = serde_json::from_str(lines[2]).unwrap();
    unknown_tier["customer"]["loyalty"] = "diamond".into();
    let unknown_tier = unknown_tier.to_string();
    let bad = [
        lines[1],        // 1: fine
        "",              // 2: blank
        "{\"now\": 12}", // 3: not a request
        lines[0],        // 4: before line 1
        &with_history,   // 5: carries a history
        &unknown_tier,   // 6: unknown tier
        lines[2],        // 7: fine
    ];
    std::fs::write(dir.join("bad.jsonl"), bad.join("\n") + "\n").unwrap();
    let output = run("simulate", &["--no-html", "bad.jsonl"], &dir);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("simulate: line 2: the line is blank"),
        "{stderr}"
    );
    assert!(stderr.contains("simulate: line 3: "), "{stderr}");
    assert!(stderr.contains("simulate: line 4: now: "), "{stderr}");
    assert!(stderr.contains("time order"), "{stderr}");
    assert!(stderr.contains("simulate: line 5: history: "), "{stderr}");
    assert!(
        stderr.contains("simulate: line 6: customer.loyalty: diamond is not a loyalty tier"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("line 1:") && !stderr.contains("line 7:"),
        "{stderr}"
    );
    assert!(stderr.contains("lines could not be replayed"), "{stderr}");
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("7 requests: 2 decided, 5 could not be decided"),
        "{stdout}"
    );
    assert!(
        stdout.contains("requests that could not be decided"),
        "{stdout}"
    );
}

#[test]
fn a_wrong_command_line_or_an_unreadable_policy_or_log_exits_with_status_2() {
    let dir = scratch("usage");
    let log = generate(&dir, "10");
    let log = log.to_str().unwrap();
    let missing_policy = dir.join("no-such-policy.toml");
    let missing_policy = missing_policy.to_str().unwrap();
    let bad_policy = policy("../../tests/policies/bad/01_negative_value_limit.toml");
    for (args, message) in [
        (vec![], "no log given"),
        (
            vec!["--frobnicate", log],
            "unexpected option '--frobnicate'",
        ),
        (vec![log, log], "the log given twice"),
        (vec!["--policy", missing_policy, log], "no-such-policy.toml"),
        (vec!["--against", &bad_policy, log], "value_limit"),
        (vec!["--html", "a.html", "--no-html", log], "given twice"),
        (vec!["no-such-log.jsonl"], "cannot open no-such-log.jsonl"),
    ] {
        let output = run("simulate", &args, &dir);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&output.stderr)
        );
        assert!(
            text(&output.stderr).contains(message),
            "{args:?}: {}",
            text(&output.stderr)
        );
        assert!(output.stdout.is_empty());
    }
    let help = run("simulate", &["--help"], &dir);
    assert!(help.status.success());
    assert!(text(&help.stdout).starts_with("Usage: simulate"));
}
