//! Policy test suites: a TOML file of cases in the wire form with the decision each expects,
//! run against an engine (`PolicySuite`), and the `policy_check --test` command that runs one.

use std::path::PathBuf;

use rust_decimal::Decimal;
use voucher_policy::{
    Case, CaseIssue, CoverageArea, Engine, EscalationTarget, Markets, Outcome, Policy, PolicySuite,
    Reason, Reasons, SuiteError, SuiteReport,
};

use crate::example_runner::run_example;

/// A case of the default policy, in the TOML form, before its `[case.expect]`: a `loyalty`
/// customer's own order of 120,000, delivered at 09:40, a `category` complaint at 09:45,
/// decided at 10:00, with `extra` lines (conduct, history ...) after it.
fn case(name: &str, loyalty: &str, category: &str, extra: &str) -> String {
    format!(
        r#"
[[case]]
name = "{name}"
now = "2026-11-24T10:00:00+07:00"
[case.customer]
id = "C-1"
loyalty = "{loyalty}"
[case.order]
id = "O-1"
customer_id = "C-1"
total = "120000"
currency = "IDR"
placed_at = "2026-11-24T08:00:00+07:00"
delivered_at = "2026-11-24T09:40:00+07:00"
[case.complaint]
category = "{category}"
reported_at = "2026-11-24T09:45:00+07:00"
{extra}
"#
    )
}

/// The silver late delivery the default policy grants: 120,000 x 25% x 1.10 = 33,000.
fn silver_late_delivery(name: &str, expect: &str) -> String {
    case(
        name,
        "silver",
        "late_delivery",
        &format!("[case.expect]\n{expect}"),
    )
}

fn run_default(text: &str) -> SuiteReport {
    PolicySuite::from_toml_str(text)
        .unwrap()
        .run(&Engine::default())
}

fn reasons(list: &[Reason]) -> Reasons {
    list.iter().copied().collect()
}

fn policies(file: &str) -> String {
    format!("{}/examples/policies/{file}", env!("CARGO_MANIFEST_DIR"))
}

/// A file in the temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, text: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!("{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn a_suite_whose_decisions_are_as_expected_passes() {
    let text = [
        silver_late_delivery(
            "granted",
            r#"outcome = "granted"
reasons = ["valid_complaint"]
voucher = "33000""#,
        ),
        // Reasons are a set: the order the file lists them in means nothing.
        case(
            "legal threat",
            "gold",
            "missing_item",
            r#"[case.conduct]
threat = "legal"
[case.expect]
outcome = "escalated"
escalate_to = "legal"
reasons = ["valid_complaint", "legal_threat"]
voucher = 37000"#,
        ),
        // Only the outcome: nothing else is checked.
        case(
            "outcome only",
            "new",
            "food_safety",
            "[case.expect]\noutcome = \"escalated\"",
        ),
    ]
    .concat();
    let report = run_default(&text);
    assert_eq!(report.failures(), &[], "{report}");
    assert_eq!((report.cases(), report.passed()), (3, 3));
    assert!(
        report
            .to_string()
            .starts_with("3 cases: 3 passed, 0 failed\n"),
        "{report}"
    );
}

#[test]
fn a_failing_case_is_reported_with_every_difference() {
    // The same silver customer had two vouchers this week: refused, where the file expects the
    // grant.
    let history = r#"
[[case.history]]
order_id = "O-a"
granted_at = "2026-11-20T12:00:00+07:00"
amount = "10000"
currency = "IDR"
[[case.history]]
order_id = "O-b"
granted_at = "2026-11-22T12:00:00+07:00"
amount = "10000"
currency = "IDR"
[case.expect]
outcome = "granted"
reasons = ["valid_complaint"]
voucher = "33000"
"#;
    let text = [
        silver_late_delivery("passes", "outcome = \"granted\""),
        case("limit reached", "silver", "late_delivery", history),
        silver_late_delivery("wrong target", "outcome = \"granted\"\nvoucher = \"30000\""),
    ]
    .concat();
    let report = run_default(&text);
    assert_eq!((report.cases(), report.passed()), (3, 1));
    let [limit, amount] = report.failures() else {
        panic!("two failures: {report}");
    };
    assert_eq!((limit.index(), limit.name()), (1, Some("limit reached")));
    assert_eq!(
        limit.issues(),
        &[
            CaseIssue::Outcome {
                expected: Outcome::Granted,
                actual: Outcome::Refused
            },
            CaseIssue::Reasons {
                missing: reasons(&[Reason::ValidComplaint]),
                unexpected: reasons(&[Reason::VoucherLimitReached]),
            },
            CaseIssue::Voucher {
                expected: Decimal::from(33_000),
                actual: None
            },
        ]
    );
    assert_eq!(
        amount.issues(),
        &[CaseIssue::Voucher {
            expected: Decimal::from(30_000),
            actual: Some(Decimal::from(33_000))
        }]
    );
    let line = text
        .lines()
        .position(|line| line == "name = \"limit reached\"")
        .unwrap();
    // The `[[case]]` header is the line above the name, and lines count from 1.
    assert_eq!(limit.line(), Some(line));
    assert_eq!(
        limit.to_string(),
        format!(
            "case[1] \"limit reached\" (line {line})\n  outcome: expected granted, got refused\n  \
             reasons: missing valid_complaint; unexpected voucher_limit_reached\n  \
             voucher: expected 33000, got none"
        )
    );
    assert!(
        report
            .to_string()
            .contains("FAILED case[2] \"wrong target\""),
        "{report}"
    );
}

#[test]
fn an_escalation_target_is_compared() {
    let text = case(
        "threat",
        "silver",
        "late_delivery",
        r#"[case.conduct]
threat = "physical"
[case.expect]
outcome = "escalated"
escalate_to = "legal""#,
    );
    let report = run_default(&text);
    assert_eq!(
        report.failures()[0].issues(),
        &[CaseIssue::EscalateTo {
            expected: EscalationTarget::Legal,
            actual: Some(EscalationTarget::Security)
        }]
    );
    assert_eq!(
        report.failures()[0].issues()[0].to_string(),
        "escalate_to: expected legal, got security"
    );
}

#[test]
fn a_malformed_case_is_named_with_its_field_and_the_others_still_run() {
    let malformed = case(
        "typo in the total",
        "silver",
        "late_delivery",
        "[case.expect]\noutcome = \"granted\"",
    )
    .replace("total = \"120000\"", "total = \"12O000\"");
    let text = [
        silver_late_delivery("first", "outcome = \"granted\""),
        malformed,
        silver_late_delivery("last", "outcome = \"granted\""),
    ]
    .concat();
    let suite = PolicySuite::from_toml_str(&text).unwrap();
    assert_eq!(suite.len(), 3);
    let report = suite.run(&Engine::default());
    assert_eq!((report.cases(), report.passed()), (3, 2));
    let [failure] = report.failures() else {
        panic!("one failure: {report}");
    };
    assert_eq!(
        (failure.index(), failure.name()),
        (1, Some("typo in the total"))
    );
    let [
        CaseIssue::Unreadable {
            path,
            value,
            message,
        },
    ] = failure.issues()
    else {
        panic!("one unreadable field: {failure}");
    };
    assert_eq!(path, "order.total");
    assert_eq!(value.as_deref(), Some("\"12O000\""));
    assert!(
        message.contains("12O000 is not a decimal number"),
        "{message}"
    );
    assert!(
        failure
            .to_string()
            .contains("  order.total = \"12O000\": 12O000 is not"),
        "{failure}"
    );
    // The two good cases were decided: their outcome and tier count.
    assert_eq!(report.coverage().outcomes().covered(), 1);
}

#[test]
fn every_part_of_a_malformed_case_is_reported() {
    // No name, an outcome that is not one, and a history entry whose amount is negative.
    let text = case(
        "x",
        "silver",
        "late_delivery",
        r#"[[case.history]]
order_id = "O-a"
granted_at = "2026-11-20T12:00:00+07:00"
amount = "10000"
currency = "IDR"
[[case.history]]
order_id = "O-b"
granted_at = 2026-11-22T12:00:00
amount = "10000"
currency = "IDR"
[case.expect]
outcome = "grant""#,
    )
    .replace("name = \"x\"\n", "");
    let report = run_default(&text);
    let failure = &report.failures()[0];
    assert_eq!((failure.index(), failure.name()), (0, None));
    let paths: Vec<(&str, Option<&str>)> = failure
        .issues()
        .iter()
        .map(|issue| match issue {
            CaseIssue::Unreadable { path, value, .. } => (path.as_str(), value.as_deref()),
            other => panic!("not a reading issue: {other}"),
        })
        .collect();
    assert_eq!(
        paths,
        [
            ("name", None),
            ("expect.outcome", Some("\"grant\"")),
            ("history[1].granted_at", Some("2026-11-22T12:00:00")),
        ]
    );
    assert!(
        failure
            .to_string()
            .contains("2026-11-22T12:00:00 has no UTC offset"),
        "{failure}"
    );
}

#[test]
fn a_case_reads_as_the_json_case_reads_with_the_same_errors() {
    // The same bad cases in both forms: the path and the message are the JSON contract's.
    // A missing field, an unknown one, and a value that does not read.
    let cases = [
        (
            "loyalty = \"silver\"\n",
            "",
            r#""loyalty": "silver""#,
            r#""name": "Sari""#,
        ),
        (
            "loyalty = \"silver\"\n",
            "loyalty = \"silver\"\ntier = \"gold\"\n",
            r#""loyalty": "silver""#,
            r#""loyalty": "silver", "tier": "gold""#,
        ),
        (
            "total = \"120000\"\n",
            "total = \"-1x\"\n",
            r#""total": "120000""#,
            r#""total": "-1x""#,
        ),
    ];
    for (toml_from, toml_to, json_from, json_to) in cases {
        let text =
            silver_late_delivery("bad", "outcome = \"granted\"").replacen(toml_from, toml_to, 1);
        let report = run_default(&text);
        let [CaseIssue::Unreadable { path, message, .. }] = report.failures()[0].issues() else {
            panic!("one unreadable field: {report}");
        };
        let json = JSON_CASE.replacen(json_from, json_to, 1);
        let error = Case::from_json(&json).err().unwrap();
        assert_eq!(Some(path.as_str()), error.path(), "{json}");
        // serde_json adds where in the text it stopped; the words before are the same.
        assert!(
            error.detail().starts_with(message.as_str()),
            "TOML: {message}\nJSON: {}",
            error.detail()
        );
    }
}

/// The silver late delivery of [`silver_late_delivery`], in the JSON wire form.
const JSON_CASE: &str = r#"{"now": "2026-11-24T10:00:00+07:00",
    "customer": {"id": "C-1", "loyalty": "silver"},
    "order": {"id": "O-1", "customer_id": "C-1", "total": "120000", "currency": "IDR",
              "placed_at": "2026-11-24T08:00:00+07:00", "delivered_at": "2026-11-24T09:40:00+07:00"},
    "complaint": {"category": "late_delivery", "reported_at": "2026-11-24T09:45:00+07:00"}}"#;

#[test]
fn an_expectation_that_could_never_pass_is_a_mistake_in_the_file() {
    let text = [
        silver_late_delivery(
            "refused with a voucher",
            "outcome = \"refused\"\nvoucher = 5000",
        ),
        silver_late_delivery(
            "granted and escalated",
            "outcome = \"granted\"\nescalate_to = \"legal\"",
        ),
        silver_late_delivery("twice", "outcome = \"granted\""),
        silver_late_delivery("twice", "outcome = \"granted\""),
    ]
    .concat();
    let report = run_default(&text);
    let issues: Vec<String> = report
        .failures()
        .iter()
        .map(|failure| format!("{}: {}", failure.index(), failure.issues()[0]))
        .collect();
    assert_eq!(
        issues,
        [
            "0: expect.voucher = 5000: a refused case has no voucher",
            "1: expect.escalate_to = \"legal\": a granted case is not escalated",
            "3: name = \"twice\": is also the name of case[2]: a name must tell its case apart",
        ]
    );
    assert_eq!(report.passed(), 1);
}

#[test]
fn a_request_that_cannot_be_decided_fails_its_case() {
    let text = silver_late_delivery("diamond", "outcome = \"granted\"")
        .replace("loyalty = \"silver\"", "loyalty = \"diamond\"");
    let report = run_default(&text);
    let [CaseIssue::NotDecided(error)] = report.failures()[0].issues() else {
        panic!("not decided: {report}");
    };
    assert_eq!(
        (error.field(), error.value()),
        ("customer.loyalty", "diamond")
    );
    assert_eq!(report.coverage().covered(), 0);
}

#[test]
fn a_file_that_is_not_a_suite_does_not_load() {
    for (text, says) in [
        ("", "missing field `case`"),
        ("case = []", "it has no case"),
        ("cases = []", "unknown field `cases`"),
        ("[[case]]\nname = \"x", "TOML parse error at line 2"),
    ] {
        let error = PolicySuite::from_toml_str(text).err().unwrap();
        assert!(matches!(error, SuiteError::Syntax(_)), "{text}: {error:?}");
        assert!(error.to_string().contains(says), "{text}: {error}");
    }
    let error = PolicySuite::load("no/such/suite.test.toml").err().unwrap();
    assert!(matches!(error, SuiteError::Io { .. }), "{error:?}");
    // A case that is not a table is a case that cannot be read, not a file that does not load.
    let report = run_default("case = [1]");
    assert_eq!(
        report.failures()[0].issues()[0].to_string(),
        "1: is not a case: write each case as a [[case]] table"
    );
}

#[test]
fn coverage_counts_every_decision_exactly() {
    let text = [
        // Granted: valid_complaint; silver; late_delivery.
        silver_late_delivery("granted", "outcome = \"granted\""),
        // Escalated to legal: legal_threat, valid_complaint; gold; missing_item.
        case(
            "legal",
            "gold",
            "missing_item",
            "[case.conduct]\nthreat = \"legal\"\n[case.expect]\noutcome = \"escalated\"",
        ),
        // Fails (refused, not granted), and still counts: not_company_fault; regular; packaging.
        case(
            "fails",
            "regular",
            "packaging",
            "company_at_fault = false\n[case.expect]\noutcome = \"granted\"",
        ),
        // Neither read nor decided: counts for nothing.
        silver_late_delivery("unreadable", "outcome = \"won\"")
            .replace("loyalty = \"silver\"", "loyalty = \"platinum\""),
        silver_late_delivery("undecidable", "outcome = \"granted\"")
            .replace("loyalty = \"silver\"", "loyalty = \"diamond\""),
    ]
    .concat();
    let report = run_default(&text);
    assert_eq!((report.cases(), report.passed()), (5, 2));
    let coverage = report.coverage();
    fn area(area: &CoverageArea) -> (usize, usize, Vec<&str>) {
        let covered = area
            .items()
            .filter(|(_, covered)| *covered)
            .map(|(item, _)| item)
            .collect();
        (area.covered(), area.total(), covered)
    }
    assert_eq!(
        area(coverage.reasons()),
        (
            3,
            29,
            vec!["legal_threat", "not_company_fault", "valid_complaint"]
        )
    );
    assert_eq!(
        area(coverage.tiers()),
        (3, 5, vec!["regular", "silver", "gold"])
    );
    assert_eq!(
        coverage.tiers().missing().collect::<Vec<_>>(),
        ["new", "platinum"]
    );
    assert_eq!(
        area(coverage.categories()),
        (3, 10, vec!["packaging", "late_delivery", "missing_item"])
    );
    assert_eq!(
        area(coverage.outcomes()),
        (3, 3, vec!["granted", "refused", "escalated"])
    );
    assert_eq!(area(coverage.escalation_targets()), (1, 3, vec!["legal"]));
    assert_eq!(coverage.reasons().percent(), 300.0 / 29.0);
    assert_eq!(coverage.tiers().percent(), 60.0);
    assert_eq!(coverage.escalation_targets().percent(), 100.0 / 3.0);
    // 3 + 3 + 3 + 3 + 1 items of 29 + 5 + 10 + 3 + 3.
    assert_eq!((coverage.covered(), coverage.total()), (13, 50));
    assert_eq!(coverage.percent(), 26.0);
    let shown = coverage.to_string();
    assert!(
        shown.starts_with("coverage: 26.0% (13 of 50 items)\n"),
        "{shown}"
    );
    assert!(
        shown.contains("\n  tiers: 3 of 5 (60.0%); not covered: new, platinum\n"),
        "{shown}"
    );
    // 1 of 3 is 33.33...%, shown rounded down.
    assert!(
        shown
            .ends_with("\n  escalation targets: 1 of 3 (33.3%); not covered: security, supervisor"),
        "{shown}"
    );
}

#[test]
fn the_documented_case_passes() {
    let guide = std::fs::read_to_string(format!("{}/docs/policies.md", env!("CARGO_MANIFEST_DIR")))
        .unwrap();
    let section = guide.split("## Testing a policy").nth(1).unwrap();
    let toml = section
        .split("```toml\n")
        .nth(1)
        .and_then(|block| block.split("```").next())
        .unwrap();
    let report = run_default(toml);
    assert_eq!((report.cases(), report.passed()), (1, 1), "{report}");
}

#[test]
fn the_example_suites_pass() {
    let default = PolicySuite::load(policies("default.test.toml")).unwrap();
    assert!(default.len() >= 12, "{}", default.len());
    for engine in [
        Engine::default(),
        Engine::new(Policy::load(policies("default.toml")).unwrap()),
    ] {
        let report = default.run(&engine);
        assert_eq!(report.failures(), &[], "{report}");
        let coverage = report.coverage();
        // Only the reasons the default policy cannot give: it has no customer lists, no
        // evidence deadline and no young-account rules.
        assert_eq!(
            coverage.reasons().missing().collect::<Vec<_>>(),
            [
                "customer_listed",
                "evidence_too_late",
                "young_account_limit_reached"
            ],
            "{report}"
        );
        for area in [
            coverage.tiers(),
            coverage.categories(),
            coverage.outcomes(),
            coverage.escalation_targets(),
        ] {
            assert_eq!(area.percent(), 100.0, "{report}");
        }
    }

    let marketplace = PolicySuite::load(policies("marketplace.test.toml")).unwrap();
    let report = marketplace.run(&Engine::new(
        Policy::load(policies("marketplace.toml")).unwrap(),
    ));
    assert_eq!(report.failures(), &[], "{report}");
    assert_eq!(report.passed(), marketplace.len());
    // The marketplace's own shapes are each exercised.
    for reason in [
        "customer_listed",
        "evidence_too_late",
        "young_account_limit_reached",
    ] {
        assert!(
            !report
                .coverage()
                .reasons()
                .missing()
                .any(|missing| missing == reason),
            "{reason}: {report}"
        );
    }
    // Run against the default policy, the marketplace's suite fails: it tests what differs.
    assert!(!marketplace.run(&Engine::default()).failures().is_empty());

    // Every other example policy has a suite of its own, each passing with at least 60%
    // coverage (`policy_check --min-coverage 60` passes); the markets file is decided by an
    // engine of its three markets.
    for (policy, suite) in [
        ("strict.toml", "strict.test.toml"),
        ("food_delivery.toml", "food_delivery.test.toml"),
        ("usd.toml", "usd.test.toml"),
        ("three_markets.toml", "three_markets.test.toml"),
    ] {
        let cases = PolicySuite::load(policies(suite)).unwrap();
        assert!((8..=14).contains(&cases.len()), "{suite}: {}", cases.len());
        let engine = if policy == "three_markets.toml" {
            Engine::for_markets(Markets::load(policies(policy)).unwrap())
        } else {
            Engine::new(Policy::load(policies(policy)).unwrap())
        };
        let report = cases.run(&engine);
        assert_eq!(report.failures(), &[], "{suite}: {report}");
        assert_eq!(report.passed(), cases.len(), "{suite}");
        let coverage = report.coverage();
        assert!(coverage.percent() >= 60.0, "{suite}: {report}");
        for area in [coverage.outcomes(), coverage.escalation_targets()] {
            assert_eq!(area.percent(), 100.0, "{suite}: {report}");
        }
        assert_eq!(coverage.tiers().percent(), 100.0, "{suite}: {report}");
        if policy != "three_markets.toml" {
            // One policy's categories are few enough for its suite to place a case in each.
            assert_eq!(coverage.categories().percent(), 100.0, "{suite}: {report}");
            // Each tests what its policy does differently: against the default, it fails.
            assert!(
                !cases.run(&Engine::default()).failures().is_empty(),
                "{suite}"
            );
        }
    }
}

#[test]
fn policy_check_runs_a_suite_with_the_documented_exit_codes() {
    let default = policies("default.toml");
    let suite = policies("default.test.toml");
    let stdout =
        |output: &std::process::Output| String::from_utf8_lossy(&output.stdout).into_owned();

    // 0: every case passes, and the coverage is at least the minimum.
    for args in [
        vec![default.as_str(), "--test", suite.as_str()],
        vec!["--test", suite.as_str()],
        vec![
            "--test",
            suite.as_str(),
            "--min-coverage",
            "80",
            default.as_str(),
        ],
    ] {
        let output = run_example("policy_check", &args, b"");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stdout(&output)
        );
        assert!(
            stdout(&output).contains(" passed, 0 failed"),
            "{}",
            stdout(&output)
        );
        assert!(
            stdout(&output).contains("coverage: "),
            "{}",
            stdout(&output)
        );
    }
    let output = run_example(
        "policy_check",
        &[
            &policies("marketplace.toml"),
            "--test",
            &policies("marketplace.test.toml"),
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));

    // 3: every case passes, but the coverage is below the minimum (the default policy cannot
    // give three of the reasons).
    let output = run_example(
        "policy_check",
        &[&default, "--test", &suite, "--min-coverage", "100"],
        b"",
    );
    assert_eq!(output.status.code(), Some(3), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("coverage below the minimum of 100%"),
        "{}",
        stdout(&output)
    );

    // 1: a case fails, whatever the coverage; or the suite or the policy does not load.
    let failing = TempFile::new(
        "failing.test.toml",
        &silver_late_delivery("wrong", "outcome = \"refused\""),
    );
    for args in [
        vec![default.as_str(), "--test", failing.path()],
        vec!["--test", failing.path(), "--min-coverage", "100"],
    ] {
        let output = run_example("policy_check", &args, b"");
        assert_eq!(
            output.status.code(),
            Some(1),
            "{args:?}: {}",
            stdout(&output)
        );
        assert!(
            stdout(&output).contains("FAILED case[0] \"wrong\""),
            "{}",
            stdout(&output)
        );
        assert!(
            stdout(&output).contains("outcome: expected refused, got granted"),
            "{}",
            stdout(&output)
        );
    }
    let broken = TempFile::new("broken.test.toml", "cases = []");
    let output = run_example("policy_check", &["--test", broken.path()], b"");
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("does not load"),
        "{}",
        stdout(&output)
    );
    let bad_policy = format!(
        "{}/tests/policies/bad/29_many_problems_at_once.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let output = run_example("policy_check", &[&bad_policy, "--test", &suite], b"");
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));

    // 2: a wrong command line.
    for args in [
        vec!["--test"],
        vec![default.as_str(), "--min-coverage", "50"],
        vec!["--test", suite.as_str(), "--min-coverage", "lots"],
        vec!["--test", suite.as_str(), "--min-coverage", "101"],
        vec!["--test", suite.as_str(), "--frobnicate"],
        vec![default.as_str(), default.as_str()],
    ] {
        let output = run_example("policy_check", &args, b"");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("Usage"),
            "{args:?}"
        );
    }
}
