//! Policies in code: a builder that starts from any policy and changes what it names, checked
//! with the same rules and errors as a file; and `extends`, a file that gives only what differs.

use rust_decimal::Decimal;
use voucher_policy::{Alternative, Policy, PolicyError, Reason, Severity, Window};

fn problems(error: PolicyError) -> Vec<String> {
    error.problems().iter().map(ToString::to_string).collect()
}

#[test]
fn an_unchanged_builder_builds_the_policy_it_started_from() {
    assert_eq!(Policy::builder().build().unwrap(), Policy::default());
    let strict = Policy::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/policies/strict.toml"
    ))
    .unwrap();
    assert_eq!(strict.to_builder().build().unwrap(), strict);
}

#[test]
fn a_builder_changes_only_what_it_names() {
    let day = Window::days(1).unwrap();
    let policy = Policy::builder()
        .name("ours")
        .version("7")
        .step(500)
        .minimum_voucher(2_500)
        .claim_window(day)
        .count_window(Window::days(14).unwrap())
        .repeated_minor(4, Window::days(60).unwrap())
        .severity_rate(Severity::Minor, Decimal::new(15, 2))
        .tier("gold", |gold| gold.voucher_limit(5))
        .category("melted_ice_cream", Severity::Minor)
        .category("late_delivery", Severity::Minor)
        .without_category("slow_website")
        .alternatives(Reason::ClaimWindowExpired, [Alternative::PrioritySupport])
        .build()
        .unwrap();
    let default = Policy::default();
    assert_eq!((policy.name(), policy.version()), ("ours", "7"));
    assert_eq!(policy.step(), Decimal::from(500));
    assert_eq!(policy.claim_window(), day);
    assert_eq!(policy.repeated_minor().threshold, 4);
    assert_eq!(policy.severity_rates().minor, Decimal::new(15, 2));
    assert_eq!(
        policy.severity_rates().major,
        default.severity_rates().major
    );
    let gold = policy.tier("gold").unwrap();
    assert_eq!(gold.voucher_limit, 5);
    assert_eq!(gold.value_limit, default.tier("gold").unwrap().value_limit);
    assert_eq!(
        policy.category_severity("melted_ice_cream"),
        Some(Severity::Minor)
    );
    assert_eq!(
        policy.category_severity("late_delivery"),
        Some(Severity::Minor)
    );
    assert_eq!(policy.category_severity("slow_website"), None);
    assert_eq!(
        policy
            .alternatives_for(Reason::ClaimWindowExpired)
            .iter()
            .collect::<Vec<_>>(),
        [Alternative::PrioritySupport]
    );
    assert_eq!(policy.maximum_voucher(), default.maximum_voucher());
}

#[test]
fn a_new_tier_is_added_last_and_needs_every_limit() {
    let policy = Policy::builder()
        .tier("diamond", |tier| {
            tier.voucher_limit(4)
                .value_limit(500_000)
                .multiplier(2)
                .thank_loyalty(true)
        })
        .build()
        .unwrap();
    let names: Vec<&str> = policy
        .tiers()
        .iter()
        .map(|tier| tier.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["new", "regular", "silver", "gold", "platinum", "diamond"]
    );
    let error = Policy::builder()
        .tier("diamond", |tier| tier.voucher_limit(4))
        .build()
        .unwrap_err();
    assert_eq!(
        problems(error),
        [
            "tiers.diamond.value_limit: is missing",
            "tiers.diamond.multiplier: is missing"
        ]
    );
    let fewer = Policy::builder().without_tier("new").build().unwrap();
    assert_eq!(fewer.tiers().len(), 4);
}

#[test]
fn a_builder_s_mistakes_are_a_file_s_errors() {
    let error = Policy::builder()
        .minimum_voucher(200_000)
        .agent_authority(Decimal::new(1, 5))
        .tier("gold", |gold| gold.value_limit(-5).multiplier(101))
        .severity_rate(Severity::Major, Decimal::new(15, 1))
        .alternatives(Reason::EvidenceRequired, [])
        .build()
        .unwrap_err();
    assert_eq!(
        problems(error),
        [
            "agent_authority: 0.00001 has more than 4 decimal places",
            "severity_rates.major: 1.5 is not a rate between 0 and 1",
            "tiers.gold.value_limit: -5 is negative",
            "tiers.gold.multiplier: 101 is too large (at most 100)",
            "alternatives.evidence_required: [] is empty: a refusal must offer a way forward",
            "minimum_voucher: 200000 is above maximum_voucher 150000",
        ]
    );
}

#[test]
fn a_file_that_extends_the_default_gives_only_what_differs() {
    let policy = Policy::from_toml_str(
        r#"
        extends = "default"
        name = "marketplace"
        version = "2027-01"
        agent_authority = 120000

        [[tiers]]
        name = "gold"
        voucher_limit = 4

        [[tiers]]
        name = "diamond"
        voucher_limit = 4
        value_limit = 500000
        multiplier = 2

        [severity_rates]
        minor = 0.15

        [categories]
        melted_ice_cream = "minor"
        "#,
    )
    .unwrap();
    let expected = Policy::builder()
        .name("marketplace")
        .version("2027-01")
        .agent_authority(120_000)
        .tier("gold", |gold| gold.voucher_limit(4))
        .tier("diamond", |diamond| {
            diamond.voucher_limit(4).value_limit(500_000).multiplier(2)
        })
        .severity_rate(Severity::Minor, Decimal::new(15, 2))
        .category("melted_ice_cream", Severity::Minor)
        .build()
        .unwrap();
    assert_eq!(policy, expected);
}

#[test]
fn a_file_extends_another_file_relative_to_itself() {
    let dir = std::env::temp_dir().join(format!("voucher-policy-extends-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("shops")).unwrap();
    let strict = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/policies/strict.toml");
    std::fs::copy(strict, dir.join("strict.toml")).unwrap();
    std::fs::write(
        dir.join("shops/jakarta.toml"),
        "extends = \"../strict.toml\"\nname = \"jakarta\"\nminimum_voucher = 3000\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("shops/jakarta-north.json"),
        r#"{"extends": "jakarta.toml", "name": "jakarta-north", "agent_authority": 40000}"#,
    )
    .unwrap();
    let strict = Policy::load(strict).unwrap();
    let north = Policy::load(dir.join("shops/jakarta-north.json")).unwrap();
    let expected = strict
        .to_builder()
        .name("jakarta-north")
        .minimum_voucher(3_000)
        .agent_authority(40_000)
        .build()
        .unwrap();
    assert_eq!(north, expected);

    // A file extending itself, directly or not, is an error, not a hang.
    std::fs::write(dir.join("loop.toml"), "extends = \"loop.toml\"\n").unwrap();
    let error = Policy::load(dir.join("loop.toml")).unwrap_err();
    assert!(matches!(error, PolicyError::Extends { .. }), "{error}");
    assert!(error.to_string().contains("extend one another"), "{error}");
    let error = Policy::from_toml_str("extends = \"no/such/file.toml\"").unwrap_err();
    assert!(
        error.to_string().starts_with("extends no/such/file.toml: "),
        "{error}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn every_optional_shape_builds_in_code_as_its_file_reads() {
    use voucher_policy::{EscalationTarget, Reason, Severity, Window};
    let window = |text: &str| text.parse::<Window>().unwrap();
    let built = Policy::builder()
        .name("marketplace")
        .version("2026-12")
        .maximum_share(Severity::Minor, rust_decimal::Decimal::new(2, 1))
        .maximum_share(Severity::Moderate, rust_decimal::Decimal::new(3, 1))
        .maximum_share(Severity::Major, rust_decimal::Decimal::new(6, 1))
        .young_accounts(window("30d"), Some(2), true)
        .tier("new", |tier| tier.vouchers_within(2, window("30d")))
        .tier("regular", |tier| {
            tier.vouchers_within(1, window("24h"))
                .vouchers_within(3, window("30d"))
        })
        .tier("silver", |tier| {
            tier.vouchers_within(1, window("24h"))
                .vouchers_within(4, window("30d"))
        })
        .tier("gold", |tier| {
            tier.vouchers_within(2, window("24h"))
                .vouchers_within(5, window("30d"))
                .value_within(100_000, window("24h"))
        })
        .tier("platinum", |tier| {
            tier.vouchers_within(2, window("24h"))
                .vouchers_within(5, window("30d"))
                .value_within(150_000, window("24h"))
        })
        .category_rules("damaged_item", |rules| {
            rules
                .severity(Severity::Major)
                .evidence_within(window("72h"))
        })
        .category_rules("late_delivery", |rules| {
            rules
                .severity(Severity::Moderate)
                .maximum_share(rust_decimal::Decimal::new(15, 2))
        })
        .list("review", Some(EscalationTarget::Supervisor), [])
        .list(
            "service_recovery",
            None,
            [Reason::MinorComplaintRecentVoucher],
        )
        .build()
        .unwrap();
    let file = Policy::load("examples/policies/marketplace.toml").unwrap();
    assert_eq!(built, file);
}

#[test]
fn the_conduct_ladder_and_follow_up_times_build_in_code_as_a_file_reads() {
    use voucher_policy::{EscalationTarget, Window};
    let built = Policy::builder()
        .warnings_before_close(2)
        .follow_up(EscalationTarget::Legal, Window::hours(48).unwrap())
        .build()
        .unwrap();
    let file = Policy::from_toml_str(
        "extends = \"default\"\n[conduct]\nwarnings_before_close = 2\n[follow_up]\nlegal = \"48h\"\n",
    )
    .unwrap();
    assert_eq!(built, file);
    assert_eq!(built.conduct().warnings_before_close, 2);
    assert_eq!(built.follow_up().legal.as_seconds(), 48 * 3_600);
    assert_eq!(built.follow_up().supervisor.as_seconds(), 24 * 3_600);
}
