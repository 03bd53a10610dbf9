//! Comparing policies and checking properties over the whole input space
//! (`Policy::compare`, `Policy::check`): the answers on the example policies, every case an
//! answer gives replayed here again through the engine and the JSON wire form.

use rust_decimal::Decimal;
use voucher_policy::{
    AnalysisError, Case, Comparison, DifferenceKind, Engine, Policy, Property, Relation, Ruling,
};

fn example(name: &str) -> Policy {
    Policy::load(format!("examples/policies/{name}.toml")).unwrap()
}

/// Every example case of a comparison decides as it says, under each policy, also after a trip
/// through the wire form.
fn replays(first: &Policy, second: &Policy, comparison: &Comparison) {
    let engines = [Engine::new(first.clone()), Engine::new(second.clone())];
    for difference in &comparison.differences {
        let example = &difference.example;
        let json = serde_json::to_string(&example.case).unwrap();
        let case = Case::from_json(&json).unwrap();
        assert_eq!(case, example.case, "{json}");
        let rulings = [
            Ruling::of(&engines[0].decide_case(&case)),
            Ruling::of(&engines[1].decide_case(&case)),
        ];
        assert_eq!(rulings[0], example.first, "{}: {json}", difference.kind);
        assert_eq!(rulings[1], example.second, "{}: {json}", difference.kind);
        assert_eq!(
            DifferenceKind::between(&rulings[0], &rulings[1]),
            Some(difference.kind),
            "{json}"
        );
    }
}

#[test]
fn every_example_policy_is_equivalent_to_itself() {
    for name in ["default", "strict", "usd", "marketplace", "food_delivery"] {
        let policy = example(name);
        let comparison = policy.compare(&policy).unwrap();
        assert_eq!(comparison.relation, Relation::Equivalent, "{name}");
        assert!(comparison.differences.is_empty(), "{name}");
        assert!(
            comparison.partial.is_empty(),
            "{name}: {:?}",
            comparison.partial
        );
        assert!(comparison.points > 100_000, "{name}: {}", comparison.points);
    }
}

#[test]
fn strict_against_default_grants_less_and_escalates_less() {
    let default = Policy::default();
    let strict = example("strict");
    let comparison = default.compare(&strict).unwrap();
    replays(&default, &strict, &comparison);
    let kinds: Vec<DifferenceKind> = comparison.differences.iter().map(|d| d.kind).collect();
    for kind in [
        DifferenceKind::LessGranted,
        DifferenceKind::GrantedToRefused,
        DifferenceKind::GrantedToEscalated,
    ] {
        assert!(kinds.contains(&kind), "{kind} missing: {kinds:?}");
    }
    // A lower authority and lower amounts: what the default hands a supervisor (an amount above
    // the agent's 100,000), the strict policy's smaller amount lets the agent grant. Nothing
    // granted becomes something granted, so strict is not "at least as strict".
    assert!(
        kinds.contains(&DifferenceKind::EscalatedToGranted),
        "{kinds:?}"
    );
    assert!(!kinds.contains(&DifferenceKind::MoreGranted), "{kinds:?}");
    assert!(
        !kinds.contains(&DifferenceKind::RefusedToGranted),
        "{kinds:?}"
    );
    assert_eq!(comparison.relation, Relation::Incomparable);
    // The other way round, every kind turns around.
    let reverse = strict.compare(&default).unwrap();
    replays(&strict, &default, &reverse);
    assert_eq!(reverse.relation, Relation::Incomparable);
    assert!(
        reverse
            .differences
            .iter()
            .any(|d| d.kind == DifferenceKind::MoreGranted)
    );
    assert_eq!(reverse.differences.len(), comparison.differences.len());
}

#[test]
fn a_shorter_claim_window_alone_is_stricter() {
    let default = Policy::default();
    let text = std::fs::read_to_string("examples/policies/default.toml")
        .unwrap()
        .replace("claim_window = \"48h\"", "claim_window = \"24h\"");
    let shorter = Policy::from_toml_str(&text).unwrap();
    let comparison = default.compare(&shorter).unwrap();
    replays(&default, &shorter, &comparison);
    assert_eq!(comparison.relation, Relation::Stricter);
    assert!(comparison.relation.at_least_as_strict());
    let kinds: Vec<_> = comparison.differences.iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        [
            DifferenceKind::GrantedToRefused,
            DifferenceKind::EscalatedToRefused
        ]
    );
    let example = &comparison.differences[0].example;
    let case = &example.case;
    let elapsed = case.request().complaint().reported_at() - case.request().order().placed_at();
    let hours = |h: i64| h * 3600;
    assert!(
        elapsed.num_seconds() > hours(24) && elapsed.num_seconds() <= hours(48),
        "{elapsed}"
    );
    let back = shorter.compare(&default).unwrap();
    assert_eq!(back.relation, Relation::MoreGenerous);
}

#[test]
fn marketplace_and_food_delivery_compare_with_every_shape() {
    let marketplace = example("marketplace");
    let food = example("food_delivery");
    let comparison = marketplace.compare(&food).unwrap();
    replays(&marketplace, &food, &comparison);
    assert_eq!(comparison.relation, Relation::Incomparable);
    // Food delivery's step is 500: a total of 500 is one only it decides.
    assert!(
        comparison
            .differences
            .iter()
            .any(|d| d.kind == DifferenceKind::UndecidableToGranted)
    );
    let text = comparison.to_json().unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["relation"], "incomparable");
    // Each case in the JSON is a case `decide` reads.
    for difference in json["differences"].as_array().unwrap() {
        Case::from_json(&difference["example"]["case"].to_string()).unwrap();
    }
}

#[test]
fn different_currencies_are_not_compared() {
    let error = Policy::default().compare(&example("usd")).unwrap_err();
    assert!(matches!(error, AnalysisError::Currencies { .. }), "{error}");
    assert_eq!(
        error.to_string(),
        "the policies are in different currencies: IDR and USD"
    );
}

#[test]
fn the_standard_properties_of_the_default_policy_hold() {
    let default = Policy::default();
    for property in Property::standard(&default) {
        let report = default.check(&property).unwrap();
        assert!(report.holds(), "{report}");
        assert!(report.points > 0, "{report}");
    }
}

#[test]
fn never_above_is_refuted_by_a_replayed_grant() {
    let default = Policy::default();
    let report = default
        .check(&"never-above=80000".parse().unwrap())
        .unwrap();
    let example = report.counterexample.as_ref().expect("refuted");
    let ruling = Ruling::of(&Engine::default().decide_case(&example.case));
    assert_eq!(ruling, example.first);
    assert!(ruling.granted() > Decimal::from(80_000), "{ruling}");
    assert!(
        report
            .to_string()
            .starts_with("never-above=80000: refuted by ")
    );
}

#[test]
fn a_list_for_review_never_gets_a_voucher_in_the_marketplace() {
    let marketplace = example("marketplace");
    let report = marketplace
        .check(&Property::NoGrantToList("review".into()))
        .unwrap();
    assert!(report.holds(), "{report}");
    // The service-recovery list lifts a limit; its customers are granted vouchers.
    let report = marketplace
        .check(&Property::NoGrantToList("service_recovery".into()))
        .unwrap();
    let example = report.counterexample.as_ref().expect("refuted");
    assert_eq!(
        example.case.request().customer().lists(),
        ["service_recovery"]
    );
    assert!(matches!(example.first, Ruling::Granted(_)));
    let error = marketplace
        .check(&Property::NoGrantToList("vip".into()))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "no-grant-to-list: the policy has no list \"vip\""
    );
}

#[test]
fn a_major_complaint_paid_without_evidence_refutes_a_valid_complaint() {
    // Food delivery waives the evidence of late deliveries, whatever their severity.
    let food = example("food_delivery");
    let report = food.check(&Property::NoGrantWithoutValidComplaint).unwrap();
    let example = report.counterexample.as_ref().expect("refuted");
    let complaint = example.case.request().complaint();
    assert_eq!(complaint.evidence(), voucher_policy::Evidence::None);
    assert!(matches!(example.first, Ruling::Granted(_)), "{report}");
}

#[test]
fn every_refusal_of_every_example_policy_offers_a_way_forward() {
    // A policy file cannot list a refusal without a way forward, and the engine offers only
    // those that fit the decision: the property holds of every example, found by the engine's
    // own refusals at every point.
    for name in ["default", "strict", "marketplace", "food_delivery"] {
        let report = example(name)
            .check(&Property::RefusalsOfferAWayForward)
            .unwrap();
        assert!(report.holds(), "{name}: {report}");
    }
}

#[test]
fn properties_read_as_they_print() {
    for text in [
        "never-above=150000",
        "no-grant-to-list=review",
        "higher-tier-never-less",
        "no-grant-without-valid-complaint",
        "refusals-offer-a-way-forward",
    ] {
        let property: Property = text.parse().unwrap();
        assert_eq!(property.to_string(), text);
    }
    for text in [
        "never-above",
        "never-above=lots",
        "sometimes",
        "no-grant-to-list=",
    ] {
        let error = text.parse::<Property>().unwrap_err();
        assert!(error.to_string().contains("is not a property"), "{error}");
    }
}

/// The text block that follows the first command comparing default and strict in `path`.
fn documented_output(path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let command = text
        .find("--compare examples/policies/default.toml examples/policies/strict.toml")
        .unwrap_or_else(|| panic!("{path} shows the comparison"));
    let block = &text[command..];
    let start = block.find("```text\n").unwrap() + "```text\n".len();
    let end = start + block[start..].find("```").unwrap();
    block[start..end].lines().map(str::to_owned).collect()
}

#[test]
fn the_documented_comparison_is_the_one_made() {
    let comparison = Policy::default().compare(&example("strict")).unwrap();
    let output = comparison.to_string();
    let lines: Vec<&str> = output.lines().collect();
    // docs/analysis.md shows the whole answer, the README its start.
    assert_eq!(documented_output("docs/analysis.md"), lines);
    let readme = documented_output("README.md");
    assert_eq!(readme.last().map(String::as_str), Some("..."));
    for line in &readme[..readme.len() - 1] {
        assert!(lines.contains(&line.as_str()), "README: {line}\n\n{output}");
    }
}

fn policy_path(name: &str) -> String {
    format!("{}/examples/policies/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn policy_check_compares_and_checks_with_the_documented_exit_codes() {
    use crate::example_runner::run_example;
    let stdout =
        |output: &std::process::Output| String::from_utf8_lossy(&output.stdout).into_owned();
    let (default, strict) = (policy_path("default.toml"), policy_path("strict.toml"));

    let output = run_example("policy_check", &["--compare", &default, &strict], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let expected = Policy::default()
        .compare(&example("strict"))
        .unwrap()
        .to_string();
    assert_eq!(stdout(&output), expected);

    // --json: the comparison, each example case one `decide` reads.
    let output = run_example(
        "policy_check",
        &["--compare", &default, &strict, "--json"],
        b"",
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["relation"], "incomparable");
    let first = &json["differences"][0]["example"]["case"];
    let case = Case::from_json(&first.to_string()).unwrap();
    assert!(Engine::default().decide_case(&case).is_ok());

    // Markets files, market by market.
    let markets = policy_path("three_markets.toml");
    let output = run_example("policy_check", &["--compare", &markets, &markets], b"");
    assert_eq!(
        stdout(&output)
            .matches("decides every case the same way")
            .count(),
        3
    );
    let output = run_example("policy_check", &["--compare", &markets, &default], b"");
    assert_eq!(output.status.code(), Some(2));

    // --check: 0 when every property holds, 1 when one is refuted, 2 for a wrong property.
    let output = run_example("policy_check", &[&default, "--check", "standard"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output).matches(": holds (").count(), 4);
    let output = run_example(
        "policy_check",
        &[&default, "--check", "never-above=80000", "--json"],
        b"",
    );
    assert_eq!(output.status.code(), Some(1));
    let reports: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(reports[0]["property"]["never_above"], "80000");
    assert!(reports[0]["counterexample"]["case"].is_object());
    let output = run_example("policy_check", &[&default, "--check", "sometimes"], b"");
    assert_eq!(output.status.code(), Some(2));
    // Different currencies cannot be compared.
    let usd = policy_path("usd.toml");
    let output = run_example("policy_check", &["--compare", &default, &usd], b"");
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("different currencies"));
}
