//! A valid policy that is probably wrong gets warnings, not errors.

use voucher_policy::Policy;

fn default_with(changes: &[(&str, &str)]) -> Policy {
    let mut text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/policies/default.toml"
    ))
    .unwrap();
    for (old, new) in changes {
        assert!(text.contains(old), "{old}");
        text = text.replacen(old, new, 1);
    }
    Policy::from_toml_str(&text).unwrap()
}

fn warnings(policy: &Policy) -> Vec<String> {
    policy.lint().iter().map(ToString::to_string).collect()
}

#[test]
fn the_default_policy_has_no_warnings() {
    assert_eq!(Policy::default().lint(), []);
}

#[test]
fn a_tier_with_no_vouchers_can_never_receive_one() {
    let policy = default_with(&[(
        "name = \"new\"\nvoucher_limit = 1",
        "name = \"new\"\nvoucher_limit = 0",
    )]);
    assert_eq!(
        warnings(&policy),
        ["tiers.new.voucher_limit: is 0: customers of this tier can never receive a voucher"]
    );
}

#[test]
fn a_tier_whose_value_limit_is_below_the_minimum_voucher_can_never_receive_one() {
    let policy = default_with(&[("value_limit = 50000", "value_limit = 4000")]);
    assert_eq!(
        warnings(&policy),
        [
            "tiers.new.value_limit: 4000 is below minimum_voucher 5000: customers of this tier can never receive a voucher"
        ]
    );
}

#[test]
fn an_agent_authority_below_the_minimum_voucher_escalates_every_grant() {
    let policy = default_with(&[("agent_authority = 100000", "agent_authority = 4000")]);
    assert_eq!(
        warnings(&policy),
        [
            "agent_authority: 4000 is below minimum_voucher 5000: every grant escalates to a supervisor"
        ]
    );
}

#[test]
fn a_higher_tier_with_lower_limits_than_the_tier_below_is_suspicious() {
    let policy = default_with(&[(
        "name = \"gold\"\nvoucher_limit = 3\nvalue_limit = 250000",
        "name = \"gold\"\nvoucher_limit = 1\nvalue_limit = 120000",
    )]);
    assert_eq!(
        warnings(&policy),
        [
            "tiers.gold.voucher_limit: 1 is lower than 2 of the tier below it (silver): tiers are listed lowest first",
            "tiers.gold.value_limit: 120000 is lower than 150000 of the tier below it (silver): tiers are listed lowest first",
            "tiers.platinum.voucher_limit: 3 is lower than 1 of the tier below it (gold): tiers are listed lowest first",
        ]
        .into_iter()
        .filter(|w| !w.starts_with("tiers.platinum"))
        .collect::<Vec<_>>()
    );
}

#[test]
fn a_window_shorter_than_the_cooldown_is_outlasted_by_it() {
    let policy = default_with(&[("count_window = \"7d\"", "count_window = \"3d\"")]);
    assert_eq!(
        warnings(&policy),
        [
            "count_window: 3d is shorter than minor_cooldown 7d: the cool-down outlasts the window it guards"
        ]
    );
}

#[test]
fn warnings_do_not_stop_a_policy_from_loading() {
    let policy = default_with(&[
        ("agent_authority = 100000", "agent_authority = 1000"),
        ("count_window = \"7d\"", "count_window = \"1d\""),
    ]);
    assert_eq!(policy.lint().len(), 2);
}

#[test]
fn a_step_finer_than_the_currency_is_warned_about() {
    // Yen have no decimals: a step of 0.01 yen rounds to nothing a request can be.
    let policy = Policy::builder()
        .currency("JPY".parse().unwrap())
        .step(rust_decimal::Decimal::new(1, 2))
        .minimum_voucher(500)
        .maximum_voucher(5_000)
        .agent_authority(3_000)
        .tier("new", |tier| tier.value_limit(5_000))
        .tier("regular", |tier| tier.value_limit(10_000))
        .tier("silver", |tier| tier.value_limit(15_000))
        .tier("gold", |tier| tier.value_limit(25_000))
        .tier("platinum", |tier| tier.value_limit(40_000))
        .build()
        .unwrap();
    assert_eq!(
        warnings(&policy),
        [
            "step: 0.01 is finer than JPY amounts are (0 decimal places): every request in JPY is a whole number of steps of 1"
        ]
    );
}

#[test]
fn amounts_copied_from_another_currency_are_warned_about() {
    // The default policy's rupiah numbers, relabelled as ringgit: a step of 1,000 ringgit and a
    // maximum voucher of 150,000 ringgit.
    let policy = Policy::builder()
        .currency(voucher_policy::Currency::MYR)
        .build()
        .unwrap();
    let warned = warnings(&policy);
    assert!(
        warned
            .iter()
            .any(|warning| warning.starts_with("step: 1000 MYR is about 220 US dollars")),
        "{warned:?}"
    );
    assert!(
        warned
            .iter()
            .any(|warning| warning
                .starts_with("maximum_voucher: 150000 MYR is about 33000 US dollars")),
        "{warned:?}"
    );
    // And the other way: US-dollar numbers relabelled as rupiah.
    let usd = Policy::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/policies/usd.toml"
    ))
    .unwrap();
    assert_eq!(usd.lint(), []);
    let as_rupiah = usd
        .to_builder()
        .currency(voucher_policy::Currency::IDR)
        .build()
        .unwrap();
    let warned = warnings(&as_rupiah);
    assert!(
        warned
            .iter()
            .any(|warning| warning.starts_with("maximum_voucher: 75 IDR is less than a US dollar")),
        "{warned:?}"
    );
}

/// The default policy with `toml` added (it `extends` the default).
fn extended(toml: &str) -> Policy {
    Policy::from_toml_str(&format!("extends = \"default\"\n{toml}")).unwrap()
}

#[test]
fn a_limit_another_always_reaches_first_is_never_reached() {
    // At most 3 in 7 days beside at most 2 in 30 days: the 30-day limit holds the 7-day one.
    let policy = extended(
        r#"[[tiers]]
name = "gold"
limits = [{ vouchers = 2, window = "30d" }, { value = 400000, window = "1d" }]"#,
    );
    assert_eq!(
        warnings(&policy),
        [
            "tiers.gold.voucher_limit: at most 3 vouchers in 7d is never reached: tiers.gold.limits[0], at most 2 in 30d, is always reached first",
            "tiers.gold.limits[1]: at most 400000 of value in 1d is never reached: tiers.gold.value_limit, at most 250000 in 30d, is always reached first",
        ]
    );
    // The other way round, each limit can be the one that refuses.
    let both = extended(
        r#"[[tiers]]
name = "gold"
limits = [{ vouchers = 5, window = "30d" }, { vouchers = 2, window = "1d" }]"#,
    );
    assert_eq!(warnings(&both), Vec::<String>::new());
}

#[test]
fn an_evidence_deadline_inside_the_claim_window_refuses_late_reports() {
    let policy = extended(
        r#"[categories.cold_food]
severity = "minor"
claim_window = "2h"
evidence = "required"
evidence_within = "1h"

[categories.parcel]
severity = "moderate"
evidence = "not_required"
evidence_within = "3d"

[categories.tiny]
severity = "minor"
maximum_voucher = 1000"#,
    );
    assert_eq!(
        warnings(&policy),
        [
            "categories.cold_food.evidence_within: 1h is shorter than the claim window 2h: a complaint reported in time but after 1h is refused for late evidence, whatever photo it sends",
            "categories.parcel.evidence_within: 3d never applies: the category needs no evidence (evidence = \"not_required\")",
            "categories.tiny.maximum_voucher: 1000 is below minimum_voucher 5000: every voucher of the category is cut below the minimum",
        ]
    );
}

#[test]
fn limits_and_young_accounts_that_never_give_a_voucher_are_warned_about() {
    let policy = extended(
        r#"[young_accounts]
younger_than = "30d"
lifetime_vouchers = 0

[[tiers]]
name = "silver"
limits = [{ vouchers = 0, window = "1d" }, { value = 2000, window = "90d" }]"#,
    );
    let found = warnings(&policy);
    for expected in [
        "tiers.silver.limits[0]: is 0: customers of this tier can never receive a voucher",
        "tiers.silver.limits[1]: 2000 is below minimum_voucher 5000: customers of this tier can never receive a voucher",
        "young_accounts.lifetime_vouchers: is 0: an account younger than 30d can never receive a voucher",
    ] {
        assert!(
            found.iter().any(|warning| warning == expected),
            "{expected}\n{found:#?}"
        );
    }
}
