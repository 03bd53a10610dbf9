//! Hostile input, end to end: the `decide` example fed random bytes, JSON cut at every byte,
//! deep nesting, numbers no decimal holds, NaN-like text and keys given twice answers every
//! line with exactly one error line (and keeps deciding the good lines), exits with status 1,
//! never panics and finishes in bounded time; the policy loader refuses the same junk with an
//! error, never a panic, and `decide --policy` on a junk file stops with a clear message.

use std::process::Output;
use std::time::Duration;

use proptest::collection::vec;
use proptest::prelude::*;
use serde_json::{Value, json};
use voucher_policy::{Policy, PolicyError};

use crate::example_runner::run_example_within;
use crate::generators;

/// How long one run of `decide` may take, whatever it is fed (a debug build, on a shared
/// machine: generous, but a hang fails).
const LIMIT: Duration = Duration::from_secs(120);

/// The first request of `examples/data/sample.jsonl`, which the default policy decides (the
/// article's case, refused).
fn good_line() -> String {
    let sample = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/sample.jsonl"),
    )
    .unwrap();
    sample.lines().next().unwrap().to_owned()
}

fn good_case() -> Value {
    serde_json::from_str(&good_line()).unwrap()
}

/// What `decide` answered, line by line.
struct Answers {
    output: Output,
    lines: Vec<Value>,
}

/// Runs `decide` on these lines (each ended by `\n`) and checks what every run must be:
/// finished in time, one JSON line out per line in, nothing panicked.
fn decide(lines: &[Vec<u8>]) -> Answers {
    let mut input = Vec::new();
    for line in lines {
        input.extend_from_slice(line);
        input.push(b'\n');
    }
    let output = run_example_within("decide", &[], &input, LIMIT);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "decide panicked: {stderr}");
    let stdout = std::str::from_utf8(&output.stdout).expect("stdout is UTF-8");
    let answers: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|error| panic!("{error}: {line}")))
        .collect();
    assert_eq!(answers.len(), lines.len(), "one answer per line");
    Answers {
        output,
        lines: answers,
    }
}

impl Answers {
    /// Checks the run failed (status 1, a count on stderr) and that the answer to every line
    /// not in `good` is an error line numbered after it, with a kind and a message.
    fn errors_except(&self, good: &[usize]) {
        assert_eq!(
            self.output.status.code(),
            Some(1),
            "{:?}",
            self.output.status
        );
        let stderr = String::from_utf8_lossy(&self.output.stderr);
        assert!(stderr.contains("could not be decided"), "{stderr}");
        for (index, answer) in self.lines.iter().enumerate() {
            if good.contains(&index) {
                assert!(
                    answer["outcome"].is_string(),
                    "line {}: {answer}",
                    index + 1
                );
                continue;
            }
            let error = &answer["error"];
            assert!(
                error.is_object(),
                "line {}: expected an error, got {answer}",
                index + 1
            );
            assert_eq!(error["line"], json!(index + 1), "{answer}");
            assert!(
                matches!(error["kind"].as_str(), Some("json" | "request")),
                "{answer}"
            );
            assert!(!error["message"].as_str().unwrap().is_empty(), "{answer}");
        }
    }

    fn error(&self, index: usize) -> &Value {
        &self.lines[index]["error"]
    }
}

proptest! {
    // Every case starts a process: a sixteenth of the case count, and at most a minute spent
    // shrinking a failure.
    #![proptest_config(ProptestConfig {
        max_shrink_time: 60_000,
        ..ProptestConfig::with_cases(generators::cases_divided_by(16))
    })]

    /// Lines of random bytes (any byte but a line break) around one good line: each random
    /// line gets its error line, the good one its decision, and the run exits with status 1.
    #[test]
    fn random_bytes_get_one_error_line_each_and_the_batch_goes_on(
        junk in vec(vec(any::<u8>().prop_filter("not a line break", |byte| *byte != b'\n'), 0..400), 1..40),
        at in any::<prop::sample::Index>(),
    ) {
        let good = at.index(junk.len() + 1);
        let mut lines = junk;
        lines.insert(good, good_line().into_bytes());
        decide(&lines).errors_except(&[good]);
    }

    /// Broken cases and near-JSON text from the generators (cut short, flipped, a key given
    /// twice, junk values, times out of order): one answer each, errors numbered right, and
    /// the good line after them still decided.
    #[test]
    fn broken_cases_get_one_answer_each_and_the_batch_goes_on(
        broken in vec(generators::hostile_case(), 1..20),
        text in vec(generators::hostile_text(), 1..10),
    ) {
        let mut lines: Vec<Vec<u8>> = broken.iter().map(|case| case.to_string().into_bytes()).collect();
        lines.extend(text.into_iter().map(|text| text.replace(['\n', '\r'], " ").into_bytes()));
        lines.push(good_line().into_bytes());
        let answers = decide(&lines);
        let last = lines.len() - 1;
        prop_assert!(answers.lines[last]["outcome"].is_string());
        for (index, answer) in answers.lines.iter().enumerate() {
            prop_assert!(
                answer["outcome"].is_string() || answer["error"]["line"] == json!(index + 1),
                "line {}: {answer}", index + 1
            );
        }
    }
}

#[test]
fn a_case_cut_at_every_byte_gets_an_error_line_for_each_cut() {
    let line = good_line().into_bytes();
    let mut lines: Vec<Vec<u8>> = (0..line.len()).map(|cut| line[..cut].to_vec()).collect();
    lines.push(line.clone());
    let answers = decide(&lines);
    answers.errors_except(&[line.len()]);
    for cut in 0..line.len() {
        assert_eq!(answers.error(cut)["kind"], "json", "cut at {cut}");
    }
}

#[test]
fn deep_nesting_gets_an_error_line_not_a_crash() {
    let deep = |open: &str, depth: usize| open.repeat(depth).into_bytes();
    let lines = vec![
        deep("[", 100_000),
        deep("{\"now\":", 100_000),
        format!("{{\"history\":{}", "[".repeat(100_000)).into_bytes(),
        format!("{{\"order\":{{\"total\":{}", "[".repeat(100_000)).into_bytes(),
        format!("{{\"conduct\":{}", "{\"threat\":".repeat(100_000)).into_bytes(),
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
        deep("]", 100_000),
        good_line().into_bytes(),
    ];
    decide(&lines).errors_except(&[7]);
}

/// The good case with `order.total` (as JSON text) replaced.
fn with_total(total: &str) -> Vec<u8> {
    good_line()
        .replace("\"total\":\"85000\"", &format!("\"total\":{total}"))
        .into_bytes()
}

#[test]
fn numbers_no_decimal_holds_get_an_error_line_naming_the_field() {
    let huge_digits = "9".repeat(1_000_000);
    let totals = [
        "1e400".to_owned(),
        "-1e400".to_owned(),
        "\"1e400\"".to_owned(),
        format!("\"1{}\"", "0".repeat(40)),
        format!("1{}", "0".repeat(40)),
        format!("\"{huge_digits}\""),
        huge_digits.clone(),
        "\"79228162514264337593543950336\"".to_owned(),
        "\"0.00000000000000000000000000001\"".to_owned(),
        "18446744073709551616".to_owned(),
    ];
    let lines: Vec<Vec<u8>> = totals.iter().map(|total| with_total(total)).collect();
    let answers = decide(&lines);
    answers.errors_except(&[]);
    for (index, total) in totals.iter().enumerate() {
        let error = answers.error(index);
        assert_eq!(
            error["field"],
            "order.total",
            "{}: {error}",
            &total[..total.len().min(50)]
        );
    }
}

#[test]
fn nan_like_amounts_get_an_error_line_naming_the_field() {
    let totals = [
        "\"NaN\"",
        "\"nan\"",
        "\"Infinity\"",
        "\"-Infinity\"",
        "\"inf\"",
        "\"\"",
        "\" \"",
        "\"1,000\"",
        "\"１０００\"",
        "\"0x10\"",
        "\"-0\"",
        "\"0\"",
        "\"-85000\"",
        "NaN",
        "Infinity",
        "null",
        "true",
        "[]",
        "{}",
    ];
    let lines: Vec<Vec<u8>> = totals.iter().map(|total| with_total(total)).collect();
    let answers = decide(&lines);
    answers.errors_except(&[]);
    for (index, total) in totals.iter().enumerate() {
        let error = answers.error(index);
        assert!(
            error["field"] == "order.total"
                || error["message"]
                    .as_str()
                    .unwrap()
                    .contains("expected value"),
            "{total}: {error}"
        );
    }
}

#[test]
fn keys_given_twice_get_an_error_line_saying_so() {
    let line = good_line();
    let twice = |key: &str, value: &str| -> Vec<u8> {
        line.replacen(
            &format!("\"{key}\":"),
            &format!("\"{key}\":{value},\"{key}\":"),
            1,
        )
        .into_bytes()
    };
    let lines = vec![
        twice("now", "\"2026-11-24T10:00:00+07:00\""),
        twice("total", "\"1\""),
        twice("loyalty", "\"platinum\""),
        twice("amount", "\"1\""),
        twice("locale", "\"en\""),
        twice("history", "[]"),
        twice("company_at_fault", "false"),
    ];
    let answers = decide(&lines);
    answers.errors_except(&[]);
    for index in 0..lines.len() {
        let message = answers.error(index)["message"].as_str().unwrap();
        assert!(message.contains("duplicate field"), "{message}");
    }
}

#[test]
fn a_very_long_line_is_decided_in_bounded_time() {
    let mut case = good_case();
    let entries: Vec<Value> = (0..50_000)
        .map(|index| {
            json!({"order_id": format!("H{index}"), "granted_at": "2026-11-20T12:00:00+07:00",
                   "amount": "0.01", "currency": "IDR"})
        })
        .collect();
    case["history"] = json!(entries);
    let answers = decide(&[case.to_string().into_bytes()]);
    assert!(
        answers.output.status.success(),
        "{:?}",
        answers.output.status
    );
    // 50,000 sen, summed exactly.
    let used: rust_decimal::Decimal = answers.lines[0]["facts"]["value_used"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(used, rust_decimal::Decimal::new(500, 0));
}

// ---- the policy loader ----------------------------------------------------------------------

fn default_toml() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/policies/default.toml"),
    )
    .unwrap()
}

/// Both readers refuse `text` with a message.
fn refused_by_both(text: &str) -> (PolicyError, PolicyError) {
    let toml = Policy::from_toml_str(text).expect_err("the TOML reader loaded junk");
    let json = Policy::from_json_str(text).expect_err("the JSON reader loaded junk");
    assert!(!toml.to_string().is_empty());
    assert!(!json.to_string().is_empty());
    (toml, json)
}

proptest! {
    /// Any text at all is refused by both policy readers with a message, never a panic.
    #[test]
    fn no_text_makes_the_policy_loader_panic(text in prop_oneof![
        any::<String>(),
        vec(any::<u8>(), 0..2_000).prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        generators::hostile_text(),
    ]) {
        refused_by_both(&text);
    }

    /// A valid policy file with a few characters replaced loads or is refused, never panics.
    #[test]
    fn a_damaged_policy_file_never_makes_the_loader_panic(
        file in generators::policy(),
        flips in vec((any::<prop::sample::Index>(), any::<char>()), 1..6),
    ) {
        for text in [generators::policy_toml(&file), file.to_string()] {
            let mut chars: Vec<char> = text.chars().collect();
            for (at, replacement) in &flips {
                let index = at.index(chars.len());
                chars[index] = *replacement;
            }
            let damaged: String = chars.into_iter().collect();
            let _ = Policy::from_toml_str(&damaged);
            let _ = Policy::from_json_str(&damaged);
        }
    }
}

#[test]
fn a_policy_file_cut_at_every_byte_is_refused() {
    for (text, read) in [
        (
            default_toml(),
            Policy::from_toml_str as fn(&str) -> Result<Policy, PolicyError>,
        ),
        (
            Policy::default().to_json_string().unwrap(),
            Policy::from_json_str,
        ),
    ] {
        let complete = text.trim_end().len();
        for cut in (0..complete).filter(|cut| text.is_char_boundary(*cut)) {
            assert!(read(&text[..cut]).is_err(), "loaded when cut at {cut}");
        }
        assert_eq!(read(&text).unwrap(), Policy::default());
    }
}

#[test]
fn deep_nesting_in_a_policy_file_is_refused() {
    for text in [
        "[".repeat(100_000),
        format!("name = {}", "[".repeat(100_000)),
        format!("name = {}", "{a = ".repeat(100_000)),
        format!("{}x", "[a.".repeat(100_000)),
        format!("{{\"tiers\":{}", "[".repeat(100_000)),
        format!("{{\"categories\":{{\"a\":{}", "[".repeat(100_000)),
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
    ] {
        refused_by_both(&text);
    }
}

#[test]
fn numbers_no_decimal_holds_and_nan_in_a_policy_file_are_refused() {
    let toml = default_toml();
    for step in [
        "1e400",
        "-1e400",
        "nan",
        "+nan",
        "inf",
        "-inf",
        "\"NaN\"",
        "\"Infinity\"",
        "1e-400",
        "100000000000000000000000000000000000000000",
        "\"100000000000000000000000000000000000000000\"",
        "0.00000000000000000000000000001",
    ] {
        let text = toml.replace("step = 1000", &format!("step = {step}"));
        let error = Policy::from_toml_str(&text).expect_err(step);
        let message = error.to_string();
        assert!(
            message.contains("step") || matches!(error, PolicyError::Syntax(_)),
            "{step}: {message}"
        );
    }
    let json = Policy::default().to_json_string().unwrap();
    for step in [
        "1e400",
        "NaN",
        "Infinity",
        "\"NaN\"",
        "1e-400",
        "100000000000000000000000000000000000000000",
    ] {
        let text = json.replace("\"step\": \"1000\"", &format!("\"step\": {step}"));
        assert_ne!(text, json);
        let error = Policy::from_json_str(&text).expect_err(step);
        assert!(error.to_string().contains("step"), "{step}: {error}");
    }
}

#[test]
fn keys_given_twice_in_a_policy_file_are_refused() {
    let toml = default_toml();
    let twice = toml.replace("step = 1000", "step = 1000\nstep = 500");
    let error = Policy::from_toml_str(&twice).unwrap_err();
    assert!(error.to_string().contains("duplicate key"), "{error}");

    let json = Policy::default().to_json_string().unwrap();
    let twice = json.replacen(
        "\"step\": \"1000\"",
        "\"step\": \"1000\", \"step\": \"500\"",
        1,
    );
    let error = Policy::from_json_str(&twice).unwrap_err();
    assert!(
        error.to_string().contains("duplicate field `step`"),
        "{error}"
    );
    let twice = json.replacen(
        "\"food_not_hot\": \"minor\"",
        "\"food_not_hot\": \"minor\", \"food_not_hot\": \"major\"",
        1,
    );
    let error = Policy::from_json_str(&twice).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("categories.food_not_hot: is given twice"),
        "{error}"
    );
}

#[test]
fn decide_on_a_junk_policy_file_stops_with_a_clear_error() {
    let folder =
        std::env::temp_dir().join(format!("voucher-policy-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let default = default_toml();
    let junk: [(&str, Vec<u8>); 6] = [
        ("bytes.toml", (0..=255u8).cycle().take(4_096).collect()),
        (
            "deep.toml",
            format!("name = {}", "[".repeat(100_000)).into_bytes(),
        ),
        ("cut.toml", default.as_bytes()[..default.len() / 2].to_vec()),
        ("deep.json", "[".repeat(100_000).into_bytes()),
        (
            "nan.json",
            Policy::default()
                .to_json_string()
                .unwrap()
                .replace("\"1000\"", "NaN")
                .into_bytes(),
        ),
        ("empty.toml", Vec::new()),
    ];
    for (name, bytes) in junk {
        let path = folder.join(name);
        std::fs::write(&path, bytes).unwrap();
        let output = run_example_within(
            "decide",
            &["--policy", path.to_str().unwrap()],
            good_line().as_bytes(),
            LIMIT,
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.starts_with("decide: "), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(output.stdout.is_empty(), "{name}");
    }
    std::fs::remove_dir_all(&folder).unwrap();
}
