//! End to end: runs the examples (`decide`, `quickstart`, `policy_check`, `scripts_tour`,
//! `company_voice`) as a user would and reads their output (`example_runner` finds, or builds,
//! their binaries).

use std::path::PathBuf;
use std::process::Output;

use serde_json::{Value, json};

use crate::example_runner::run_example;

/// Runs `decide` on these input lines, each ended by `\n`.
fn decide(lines: &[Vec<u8>]) -> Output {
    let mut input = Vec::new();
    for line in lines {
        input.extend_from_slice(line);
        input.push(b'\n');
    }
    run_example("decide", &[], &input)
}

/// The JSON lines of stdout.
fn answers(output: &Output) -> Vec<Value> {
    let stdout = std::str::from_utf8(&output.stdout).expect("stdout is UTF-8");
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|error| panic!("{error}: {line:?}")))
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The article's case: gold, order 3449, food not hot, three vouchers this week.
fn article_case() -> Value {
    json!({
        "now": "2026-11-24T10:00:00+07:00",
        "locale": "id",
        "customer": {"id": "C-1001", "name": "Budi Santoso", "loyalty": "gold"},
        "order": {"id": "3449", "customer_id": "C-1001", "total": "85000", "currency": "IDR",
                  "placed_at": "2026-11-24T08:10:00+07:00",
                  "delivered_at": "2026-11-24T08:55:00+07:00"},
        "complaint": {"category": "food_not_hot", "reported_at": "2026-11-24T09:30:00+07:00",
                      "company_at_fault": true, "evidence": "none"},
        "requested_amount": "50000",
        "history": [
            {"order_id": "3401", "granted_at": "2026-11-18T12:00:00+07:00",
             "amount": "10000", "currency": "IDR", "severity": "minor"},
            {"order_id": "3417", "granted_at": "2026-11-20T12:00:00+07:00",
             "amount": "10000", "currency": "IDR", "severity": "minor"},
            {"order_id": "3430", "granted_at": "2026-11-22T12:00:00+07:00",
             "amount": "15000", "currency": "IDR", "severity": "minor"}
        ]
    })
}

/// A silver customer's late order: granted 120,000 x 25% x 1.10 = 33,000.
fn late_delivery_in_english() -> Value {
    json!({
        "now": "2026-11-24T10:00:00+07:00",
        "locale": "en",
        "customer": {"id": "C-7", "name": "Sari", "loyalty": "silver"},
        "order": {"id": "5120", "customer_id": "C-7", "total": "120000", "currency": "IDR",
                  "placed_at": "2026-11-24T08:00:00+07:00",
                  "delivered_at": "2026-11-24T09:40:00+07:00"},
        "complaint": {"category": "late_delivery", "reported_at": "2026-11-24T09:45:00+07:00"}
    })
}

/// A food-safety complaint: escalated to a supervisor.
fn food_safety() -> Value {
    json!({
        "now": "2026-11-24T10:00:00+07:00",
        "customer": {"id": "C-4120", "name": "Dewi Lestari", "loyalty": "platinum"},
        "order": {"id": "6650", "customer_id": "C-4120", "total": "150000", "currency": "IDR",
                  "placed_at": "2026-11-23T12:00:00+07:00",
                  "delivered_at": "2026-11-23T12:40:00+07:00"},
        "complaint": {"category": "food_safety", "reported_at": "2026-11-24T08:15:00+07:00",
                      "evidence": "photo"}
    })
}

fn line(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap()
}

fn reasons(answer: &Value) -> Vec<&str> {
    answer["reasons"]
        .as_array()
        .unwrap_or_else(|| panic!("no reasons in {answer}"))
        .iter()
        .map(|reason| reason.as_str().unwrap())
        .collect()
}

fn assert_article_case_refused(answer: &Value) {
    assert_eq!(answer["outcome"], "refused", "{answer}");
    assert_eq!(answer["voucher"], Value::Null);
    assert!(
        reasons(answer).contains(&"voucher_limit_reached"),
        "{answer}"
    );
    assert!(!answer["alternatives"].as_array().unwrap().is_empty());
    assert_eq!(answer["script"]["locale"], "id");
    // The wording is the script module's business; a written script names the order.
    let text = answer["script"]["text"].as_str().unwrap();
    assert!(text.is_empty() || text.contains("3449"), "{text}");
    assert_eq!(answer["facts"]["vouchers_in_count_window"], 3);
    assert_eq!(answer["facts"]["count_limit"], 3);
}

fn assert_late_delivery_granted(answer: &Value) {
    assert_eq!(answer["outcome"], "granted", "{answer}");
    assert_eq!(answer["voucher"]["amount"], "33000");
    assert_eq!(answer["voucher"]["currency"], "IDR");
    assert_eq!(
        answer["voucher"]["valid_until"],
        "2026-12-24T10:00:00+07:00"
    );
    assert_eq!(reasons(answer), ["valid_complaint"]);
    assert_eq!(answer["script"]["locale"], "en");
}

fn assert_food_safety_escalated(answer: &Value) {
    assert_eq!(answer["outcome"], "escalated", "{answer}");
    assert_eq!(answer["escalate_to"], "supervisor");
    assert!(reasons(answer).contains(&"critical_complaint"), "{answer}");
    assert!(answer["recommendation"].is_object(), "{answer}");
}

fn assert_error(answer: &Value, line: u64, kind: &str) {
    let error = &answer["error"];
    assert!(error.is_object(), "expected an error line, got {answer}");
    assert_eq!(error["line"], line, "{answer}");
    assert_eq!(error["kind"], kind, "{answer}");
    assert!(
        !error["message"].as_str().unwrap().is_empty(),
        "an error line needs a message: {answer}"
    );
}

#[test]
fn each_good_line_gets_its_decision_and_the_run_succeeds() {
    let output = decide(&[
        line(&article_case()),
        line(&late_delivery_in_english()),
        line(&food_safety()),
    ]);
    assert!(
        output.status.success(),
        "{:?}: {}",
        output.status,
        stderr(&output)
    );
    let answers = answers(&output);
    assert_eq!(answers.len(), 3);
    assert_article_case_refused(&answers[0]);
    assert_late_delivery_granted(&answers[1]);
    assert_food_safety_escalated(&answers[2]);
}

#[test]
fn decisions_are_the_wire_form_of_the_design() {
    let output = decide(&[line(&late_delivery_in_english())]);
    let answers = answers(&output);
    let keys: Vec<&str> = answers[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "outcome",
        "voucher",
        "reasons",
        "escalate_to",
        "recommendation",
        "flags",
        "alternatives",
        "script",
        "facts",
    ] {
        assert!(keys.contains(&key), "no {key:?} in {}", answers[0]);
    }
}

/// Each kind of bad line, with the `kind` its error line must carry.
fn bad_lines() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let mut unknown_field = article_case();
    unknown_field["complaint"]["colour"] = json!("red");
    let mut wrong_currency = article_case();
    wrong_currency["order"]["currency"] = json!("USD");
    let mut negative_total = article_case();
    negative_total["order"]["total"] = json!("-85000");
    let mut not_utf8 = b"\xff\xfe".to_vec();
    not_utf8.extend(line(&article_case()));

    vec![
        (
            "malformed JSON",
            br#"{"now": "2026-11-24T10:00:00+07:00", "#.to_vec(),
            "json",
        ),
        ("unknown field", line(&unknown_field), "json"),
        ("wrong currency", line(&wrong_currency), "request"),
        ("negative total", line(&negative_total), "request"),
        ("invalid UTF-8", not_utf8, "json"),
        ("blank line", Vec::new(), "json"),
        ("only spaces", b"   \t ".to_vec(), "json"),
        (
            "two requests on one line",
            [line(&food_safety()), line(&food_safety())].concat(),
            "json",
        ),
        ("not an object", b"[1, 2, 3]".to_vec(), "json"),
    ]
}

#[test]
fn a_bad_line_gets_an_error_line_and_the_next_lines_are_still_decided() {
    for (what, bad, kind) in bad_lines() {
        let output = decide(&[
            line(&article_case()),
            bad,
            line(&late_delivery_in_english()),
            line(&food_safety()),
        ]);
        assert_eq!(output.status.code(), Some(1), "{what}: {}", stderr(&output));
        let answers = answers(&output);
        assert_eq!(answers.len(), 4, "{what}: one answer per line");
        assert_article_case_refused(&answers[0]);
        assert_error(&answers[1], 2, kind);
        assert_late_delivery_granted(&answers[2]);
        assert_food_safety_escalated(&answers[3]);
    }
}

#[test]
fn request_errors_name_the_field_at_fault() {
    let mut wrong_currency = article_case();
    wrong_currency["history"][1]["currency"] = json!("USD");
    let output = decide(&[line(&wrong_currency)]);
    let answers = answers(&output);
    assert_error(&answers[0], 1, "request");
    assert_eq!(
        answers[0]["error"]["field"], "history[1].currency",
        "{}",
        answers[0]
    );
    assert_eq!(answers[0]["error"]["value"], "USD");
}

#[test]
fn json_errors_name_the_path_when_known() {
    let mut bad_total = article_case();
    bad_total["order"]["total"] = json!("eighty-five thousand");
    let output = decide(&[line(&bad_total)]);
    let answers = answers(&output);
    assert_error(&answers[0], 1, "json");
    assert_eq!(
        answers[0]["error"]["field"], "order.total",
        "{}",
        answers[0]
    );
    let message = answers[0]["error"]["message"].as_str().unwrap();
    assert!(message.contains("order.total"), "{message}");
}

#[test]
fn every_bad_line_is_numbered_from_one() {
    let output = decide(&[
        b"{".to_vec(),
        line(&article_case()),
        Vec::new(),
        Vec::new(),
        line(&food_safety()),
        b"nope".to_vec(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let answers = answers(&output);
    assert_eq!(answers.len(), 6);
    assert_error(&answers[0], 1, "json");
    assert_article_case_refused(&answers[1]);
    assert_error(&answers[2], 3, "json");
    assert_error(&answers[3], 4, "json");
    assert_food_safety_escalated(&answers[4]);
    assert_error(&answers[5], 6, "json");
}

#[test]
fn output_has_as_many_lines_as_input() {
    let inputs: Vec<Vec<Vec<u8>>> = vec![
        vec![line(&article_case())],
        vec![Vec::new(); 5],
        bad_lines().into_iter().map(|(_, bad, _)| bad).collect(),
        (0..50)
            .map(|i| match i % 3 {
                0 => line(&article_case()),
                1 => line(&late_delivery_in_english()),
                _ => b"{oops".to_vec(),
            })
            .collect(),
    ];
    for lines in inputs {
        let output = decide(&lines);
        assert_eq!(
            output.stdout.iter().filter(|&&byte| byte == b'\n').count(),
            lines.len(),
            "{}",
            String::from_utf8_lossy(&output.stdout)
        );
        assert_eq!(answers(&output).len(), lines.len());
    }
}

#[test]
fn a_last_line_without_newline_and_windows_line_endings_are_read() {
    let mut input = line(&article_case());
    input.extend_from_slice(b"\r\n");
    input.extend(line(&food_safety()));
    let output = run_example("decide", &[], &input);
    assert!(output.status.success(), "{}", stderr(&output));
    let answers = answers(&output);
    assert_eq!(answers.len(), 2);
    assert_article_case_refused(&answers[0]);
    assert_food_safety_escalated(&answers[1]);
}

#[test]
fn empty_input_gives_empty_output_and_success() {
    let output = run_example("decide", &[], b"");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
}

#[test]
fn the_sample_file_is_decided_line_by_line() {
    let sample =
        std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data/sample.jsonl"))
            .unwrap();
    let output = run_example("decide", &[], &sample);
    // The sample holds one bad line on purpose.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let answers = answers(&output);
    assert_eq!(
        answers.len(),
        sample
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .count()
    );
    assert_article_case_refused(&answers[0]);
    let errors: Vec<&Value> = answers.iter().filter(|a| a["error"].is_object()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let outcomes: Vec<&str> = answers
        .iter()
        .filter_map(|a| a["outcome"].as_str())
        .collect();
    for outcome in ["granted", "refused", "escalated"] {
        assert!(
            outcomes.contains(&outcome),
            "no {outcome} in the sample: {outcomes:?}"
        );
    }
}

#[test]
fn an_unknown_argument_is_a_usage_error() {
    for args in [&["--bogus"][..], &["--policy"], &["extra"]] {
        let output = run_example("decide", args, b"");
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(output.stdout.is_empty(), "{args:?}");
        let message = stderr(&output);
        let first = args[0];
        assert!(
            message.contains(first),
            "{args:?}: the message names the argument: {message}"
        );
    }
}

fn policy_file(name: &str) -> String {
    format!("{}/examples/policies/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_policy_file_decides_instead_of_the_default() {
    // A silver late delivery of 120,000: 25% x 1.10 = 33,000 on the default policy,
    // 20% x 1.05 = 25,200 -> 25,000 on the strict one.
    let input = line(&late_delivery_in_english());
    for (args, amount, policy) in [
        (vec![], "33000", "default"),
        (
            vec!["--policy".to_owned(), policy_file("strict.toml")],
            "25000",
            "strict",
        ),
        (
            vec![format!("--policy={}", policy_file("strict.toml"))],
            "25000",
            "strict",
        ),
        (
            vec!["--policy".to_owned(), policy_file("default.toml")],
            "33000",
            "default",
        ),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = run_example("decide", &args, &input);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        let answer = &answers(&output)[0];
        assert_eq!(answer["voucher"]["amount"], amount, "{args:?}");
        assert_eq!(answer["policy"]["name"], policy, "{args:?}");
    }
}

#[test]
fn a_policy_file_that_does_not_load_stops_before_any_line() {
    let bad = format!(
        "{}/tests/policies/bad/01_negative_value_limit.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    for (file, says) in [
        (bad.as_str(), "tiers.gold.value_limit: -5 is negative"),
        ("no/such/policy.toml", "no/such/policy.toml"),
    ] {
        let output = run_example("decide", &["--policy", file], &line(&article_case()));
        assert_eq!(output.status.code(), Some(2), "{file}: {}", stderr(&output));
        assert!(output.stdout.is_empty(), "{file}");
        assert!(
            stderr(&output).contains(says),
            "{file}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn policy_check_passes_a_good_file_and_prints_its_warnings() {
    let output = run_example("policy_check", &[&policy_file("usd.toml")], b"");
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("\"us-store\" version \"3\" loads"),
        "{stdout}"
    );
    assert!(stdout.contains("no warnings"), "{stdout}");

    let lax = std::env::temp_dir().join(format!("lax-{}.toml", std::process::id()));
    let text = std::fs::read_to_string(policy_file("default.toml")).unwrap();
    std::fs::write(
        &lax,
        text.replace("agent_authority = 100000", "agent_authority = 1000"),
    )
    .unwrap();
    let output = run_example("policy_check", &[lax.to_str().unwrap()], b"");
    std::fs::remove_file(&lax).unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(
            "warning: agent_authority: 1000 is below minimum_voucher 5000: every grant escalates"
        ),
        "{stdout}"
    );
}

#[test]
fn policy_check_lists_every_error_and_fails() {
    let bad = format!(
        "{}/tests/policies/bad/29_many_problems_at_once.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let output = run_example("policy_check", &[&bad], b"");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.matches("  error: ").count(), 4, "{stdout}");
    assert!(stdout.contains("error: step: -1 is negative"), "{stdout}");
    let output = run_example("policy_check", &[], b"");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn help_is_printed_and_succeeds() {
    let output = run_example("decide", &["--help"], b"");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("Usage"));
}

/// Runs an example that reads nothing, checks that it succeeds, and returns its stdout.
fn run_quietly(name: &str) -> String {
    let output = run_example(name, &[], b"");
    assert!(
        output.status.success(),
        "{:?}: {}",
        output.status,
        stderr(&output)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn quickstart_runs_and_shows_the_articles_order() {
    let stdout = run_quietly("quickstart");
    assert!(stdout.contains("3449"), "{stdout}");
    assert!(stdout.contains("Budi Santoso"), "{stdout}");
    assert!(stdout.contains("REFUSED"), "{stdout}");
    assert!(stdout.contains("voucher_limit_reached"), "{stdout}");
}

#[test]
fn scripts_tour_scripts_one_decision_in_every_locale_and_form() {
    let stdout = run_quietly("scripts_tour");
    let headers: Vec<&str> = stdout.lines().filter(|l| l.starts_with("== ")).collect();
    assert_eq!(
        headers,
        [
            "== id, familiar (the catalog's default)",
            "== id, formal",
            "== en, familiar (the catalog's default; this catalog reads the same in both forms)",
            "== en, formal (this catalog reads the same in both forms)",
        ],
        "{stdout}"
    );
    for said in [
        "Halo Kak Sari Dewi, ",
        "Halo Sari Dewi, ",
        "Hi Sari Dewi, ",
        "Kakak dapat voucher Rp33.000 yang bisa dipakai sampai 24 Desember 2026.",
        "kami berikan voucher senilai Rp33.000 yang berlaku sampai 24 Desember 2026.",
        "a voucher worth IDR 33,000, valid until 24 December 2026.",
    ] {
        assert!(stdout.contains(said), "{said:?} not in\n{stdout}");
    }
}

#[test]
fn company_voice_shows_the_shipped_and_the_company_scripts() {
    let stdout = run_quietly("company_voice");
    assert!(
        stdout.contains("== A refusal, in the shipped catalog (id, familiar)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("== A refusal, in the company's voice (id, formal)"),
        "{stdout}"
    );
    assert!(stdout.contains("Halo Kak Budi Santoso, maaf ya soal keterlambatan pengiriman"));
    assert!(stdout.contains("Halo Budi Santoso, terima kasih sudah menghubungi Dapur Nusantara"));
    assert!(stdout.contains("Adakah hal lain yang dapat kami bantu hari ini?"));
}

#[test]
fn company_voice_reports_a_catalog_that_does_not_load() {
    let dir = std::env::temp_dir().join(format!("voucher-policy-voice-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.toml");
    std::fs::write(
        &path,
        "locale = \"id\"\n[refusal]\nfinal = \"Maaf {nama}.\"\n",
    )
    .unwrap();
    let output = run_example("company_voice", &[path.to_str().unwrap()], b"");
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let stderr = stderr(&output);
    assert!(
        stderr.contains(&format!(
            "{}:3: refusal.final: unknown placeholder {{nama}} at character 6",
            path.display()
        )),
        "{stderr}"
    );
}
